"""A count claimed of a list (工作重点是三条吗, 有关要求一共四点吧): the list asked for, led by
how many items the material gives and the plain yes or no the claim's ending asks for (对。
资料中列出的共三项：). The law's own chapters and articles are `Lookup.counted`'s.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from bot.engine.reply import ItemList, Reply
from bot.numerals import to_chinese, to_int

if TYPE_CHECKING:
    from bot.engine.core import Engine

# A number of things, not an ordinal (第三条) nor a day (三月): the number and its unit.
_STATED = re.compile(
    r"(?<![第\d一二两三四五六七八九十])(?P<n>\d{1,2}|[一二两三四五六七八九十]{1,3})"
    r"(?P<unit>个部分|个方面|大部分|大块|部分|方面|条|项|点|个|块|种)"
)
# Words asking what, which make a part a question rather than a claim (三个工作重点是什么).
_ASKING = re.compile(r"什么|啥|哪|几|多少|怎|如何|谁")


def counted_list(engine: Engine, question: str, text: str) -> Reply | None:
    """The list a claimed count is of, led by its true count; None when no part of the
    message claims a count, or asked without the number it is not answered by one list."""
    if _STATED.search(text) is None:
        return None  # most questions state no count: their parts are not read
    premises = engine.intents.premises
    parts = engine.intents.parts(text)
    for part in parts:
        # A claim by its ending (…吧, …吗) or its question mark (有关要求也是三条？).
        claims = premises.verdict([part], True) or re.search(re.escape(part) + "[?？]", text)
        if not claims or _ASKING.search(part):
            continue
        stated = _STATED.search(part)
        if stated is None:
            continue
        claimed = to_int(stated.group("n"))
        if claimed is None or claimed < 2:
            continue
        # 工作重点是三条吗 → 工作重点是几条: the list, as a question asks for it.
        asked = f"{part[: stated.start('n')]}几{stated.group('unit')}"
        reply = engine.answer_alone(asked)
        lists = [b for b in reply.blocks if isinstance(b, ItemList)]
        if reply.kind != "answer" or len(lists) != 1:
            return None
        count = len(lists[0].items)
        holds = count == claimed
        key = "list_count_so" if holds else "list_count_not_so"
        note = engine.intents.response(key).format(count=to_chinese(count), stated=stated.group(0))
        verdict = premises.verdict(parts, holds)
        return engine.compose.noted(question, reply, verdict + note, "")
    return None
