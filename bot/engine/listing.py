"""What a series in a passage lists, and the things a question asks whether something
includes: pure readings of text that premise checks (bot/engine/premise.py) build on."""

from __future__ import annotations

import re
from collections.abc import Callable
from itertools import pairwise

from bot.engine.fit import series
from bot.engine.premise_words import PremiseWords


def unlisted(
    words: list[str],
    passage: str,
    reading: PremiseWords,
    canon: Callable[[str], str] = lambda word: word,
) -> list[str]:
    """The things the question's words name in the form of a series of the passage whose
    items share a first character (进企业、进学校、进社区…: 进农村) that no item of it is;
    empty when the passage has no such series. `reading`: the words of membership before
    that character (有进农村) and those naming no thing (进别的地方)."""
    names: list[str] = []
    for items in series(passage):
        if len(items) < 3:
            continue
        first = shared_start(items)
        if not first:
            continue
        sizes = {len(item) - len(first) for item in items[1:]}
        for before, after in pairwise(words):
            if not (
                before == first
                or (len(before) == 2 and before[0] in reading.membership and before[1] == first)
            ):
                continue
            thing = first + after
            named = CJK.fullmatch(after) and not found(reading.vague, after)
            # As written or by a synonym, either way round (进高校: 高等学校 holds 学校).
            kin = canon(after)
            listed = any(
                thing in i
                or first + kin in i
                or (i.rfind(first) >= 0 and i[i.rfind(first) + 1 :] in kin)
                for i in items
            )
            if len(after) in sizes and named and not listed:
                names.append(thing)
    return list(dict.fromkeys(names))


CJK = re.compile(r"[\u4e00-\u9fff]+")


def found(pattern: re.Pattern[str] | None, text: str) -> bool:
    """Whether the data's pattern, when it gives one, is in the text."""
    return bool(pattern and pattern.search(text))


def shared_start(items: list[str]) -> str:
    """The one character every item starts with (the first item may carry its clause's verb
    before it: 推动《条例》进企业)."""
    heads = {item[0] for item in items[1:]}
    if len(heads) != 1:
        return ""
    head = heads.pop()
    return head if head in items[0] else ""


def unnamed(text: str, reading: PremiseWords, never: Callable[[str], bool]) -> list[str]:
    """The things a message asks whether something includes (…包括调解、仲裁、公证吗) that the
    material never names at all (`never`: no word of it the base uses, as written or by a
    synonym), so saying it does not mention them is true of all of it."""
    matches = reading.includes.finditer(text) if reading.includes else iter(())
    # Each clause saying so (宣传形式有哪些，包括广播吗: the second names 广播).
    parts = [
        t
        for m in matches
        for t in (
            reading.joiners.split(m.group("things")) if reading.joiners else [m.group("things")]
        )
    ]
    pieces = (reading.not_things.sub("", t) if reading.not_things else t for t in parts)
    things = [t for t in pieces if CJK.fullmatch(t) and len(t) > 1]
    return list(dict.fromkeys(t for t in things if not found(reading.vague, t) and never(t)))
