"""Items of a list asked for by their place (方案第一、第三部分, 解读第二第三点, 打头那点和收尾那点)
or as the rest of it (我记得“高度重视”，剩下两条叫啥).

A question naming places in a list wants the items at those places, not the passage its
words match best (方案第三部分是啥 matched 一、总体要求 on 方案 and 部分). The places are read
with the `position` ask type's patterns (intents/asks.yaml, named groups `n`, `first`,
`last` and `part`); the list is the first ranked entry that is a section with an item at
every place, or an item of one: the knowledge base's structure, not words per question.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from bot.engine.asks import AskType
from bot.engine.fit import compact, named_part
from bot.knowledge.model import Entry, KnowledgeBase
from bot.numerals import to_int

POSITION = "position"
# The ask type asking for the items other than the one named (剩下两条).
REST = "rest"
# The last item, whatever the list's length.
LAST = -1
# The longest range of places read as every place in it (第一章到第八章).
MAX_RANGE = 20
# Words for parts a law has of its own (第三条 is an article) or not at all (部分): with
# the law named and no campaign document, such places are not the campaign lists'.
LAW_PARTS = ("条", "部分", "块")
_RANGE = re.compile(r"^[^、和与及跟,，]{0,3}[到至~～]")
# Words for a part holding items of its own (方案第三部分第二条: the second of the third).
_PART_UNITS = ("部分", "块", "方面")


@dataclass(frozen=True)
class Place:
    """One place a question names: 1 = first, LAST; `part` the word it counts in (章, 点)."""

    value: int
    part: str
    start: int
    end: int


def places_asked(asks: Iterable[AskType], text: str) -> list[Place]:
    """The places a cleaned question names, in the order it names them; two joined by 到
    (第一章到第三章) stand for every place between them."""
    found: list[Place] = []
    for ask in asks:
        if ask.name != POSITION:
            continue
        for pattern in ask.patterns:
            for match in pattern.finditer(text):
                groups = match.groupdict()
                if groups.get("n"):
                    value = to_int(groups["n"])
                elif groups.get("first"):
                    value = 1
                elif groups.get("last"):
                    value = LAST
                else:
                    continue
                if value:
                    found.append(Place(value, groups.get("part") or "", *match.span()))
    found.sort(key=lambda p: p.start)
    out: list[Place] = []
    for place in found:
        before = out[-1] if out else None
        if (
            before is not None
            and _RANGE.match(text[before.end : place.start])
            and 0 < before.value < place.value <= before.value + MAX_RANGE
        ):
            between = range(before.value + 1, place.value)
            out.extend(Place(n, place.part, place.start, place.start) for n in between)
        out.append(place)
    return out


def at_places(
    kb: KnowledgeBase, entries: Iterable[Entry], places: Sequence[int], itself: bool = False
) -> tuple[Entry, list[Entry]] | None:
    """The section the places are of and its items at them, from the first of `entries`
    that is a section with an item at every place, or an item of such a section. With
    `itself`, an entry the place names in its own section (最后那块“有关要求”: the plan's
    last part) is that item, not an item of its own."""
    for entry in entries:
        parent = kb.entries.get(entry.item_of or "")
        picked = _picked(kb, parent, places)
        if itself and picked is not None and picked[1] == [entry]:
            return picked
        own = _picked(kb, entry, places)
        if own is not None or picked is not None:
            return own or picked
    return None


def _picked(
    kb: KnowledgeBase, section: Entry | None, places: Sequence[int]
) -> tuple[Entry, list[Entry]] | None:
    items = kb.items_of(section.id) if section is not None else []
    if section is None or not items or not all(p == LAST or 1 <= p <= len(items) for p in places):
        return None
    picked = [items[-1] if p == LAST else items[p - 1] for p in places]
    return section, list(dict.fromkeys(picked))  # 第三条和最后一条 of three: one item


def the_rest(kb: KnowledgeBase, named: list[Entry]) -> tuple[Entry, list[Entry]] | None:
    """The section of the items a question names and its other items, when it has any;
    none for a part that is a list itself (工作重点剩下两项: its own list, not its sisters)."""
    if not named or any(kb.items_of(e.id) for e in named):
        return None
    section = kb.entries.get(named[0].item_of or "")
    if section is None:
        return None
    others = [e for e in kb.items_of(section.id) if e not in named]
    return (section, others) if others else None


class Picked(NamedTuple):
    """A section and its items a question asks for by place; `beyond`, a place past the
    end of the part the question names (有关要求第四条 of three), whose items are all given."""

    section: Entry
    items: list[Entry]
    beyond: int = 0


@dataclass(frozen=True)
class Named:
    """What a question names besides places: the documents (source ids) and the law."""

    documents: frozenset[str] = frozenset()
    law: bool = False


def by_place(
    kb: KnowledgeBase,
    parts: Sequence[tuple[str, Entry]],
    asks: list[AskType],
    text: str,
    entries: list[Entry],
    named: Callable[[], Named] = Named,
) -> Picked | None:
    """The items a question asks for by place or as the rest of a list, with their
    section, from the best `entries` (ranked, good enough to answer from). None when the
    question asks a value (第一点条例哪天施行: a date), when its places count in different
    parts (方案第一部分和解读第三点), or when the list is of a document it does not name. A
    part the question names by its heading comes first: places after the name are within
    it (有关要求的第一条和最后一条), a place before it names the part itself (最后那块“有关要求”).
    `named` tells what else the question names; asked only once a list is found."""
    if not entries or any(a.exact for a in asks):
        return None
    places = places_asked(asks, text)
    picked = None
    if places:
        if len({p.part for p in places}) > 1:
            return _nested(kb, places, entries, named)
        values = [p.value for p in places]
        # Named, and near one of the entries good enough to answer from (the ranking's
        # first may be a sibling part: 方案第四部分“注重总结，强化提升” ranked 总体要求 first).
        part = next((p for e in entries if (p := named_part(parts, text, e))), None)
        before = part is not None and len(compact(text[: places[0].start])) < _named_at(
            parts, part, text
        )
        if part is not None and not before and kb.items_of(part.id):
            # Places after a list's name are within it (有关要求第四条: not the fourth part).
            picked = _picked(kb, part, values)
            far = max(values)
            if picked is None and far > len(kb.items_of(part.id)):
                return Picked(part, kb.items_of(part.id), far)
        else:
            listed = [part, *entries] if part is not None else entries
            picked = at_places(kb, listed, values, itself=before)
            parent = kb.entries.get(part.item_of or "") if part is not None else None
            grand = kb.entries.get(parent.item_of or "") if parent is not None else None
            # 方案第四部分“注重总结，强化提升”: the place names the part holding the item the
            # heading names; 方案第二部分“高度重视，加强领导”: the place names neither it nor
            # its part, and the heading, written out, says which item more surely than a
            # count. Either way that item is asked about.
            holding = parent is not None and _picked(kb, grand, values) == (grand, [parent])
            astray = before and parent is not None and picked is not None and part not in picked[1]
            if holding or astray:
                picked = (parent, [part])
        within = part is not None and not before and picked is not None
        # Places after a list's name count in it, even where the law is named (《条例》重点
        # 规范的内容第四部分: the fourth point, not the law's fourth part).
        if picked is not None and not within and _elsewhere(picked[0], places[0].part, named()):
            return None
    if any(a.name == REST for a in asks):
        # The item the question names (我记得“高度重视”) is the best entry, or the places.
        rest = the_rest(kb, picked[1] if picked else entries[:1])
        return Picked(*rest) if rest else None
    return Picked(*picked) if picked else None


def _nested(
    kb: KnowledgeBase, places: Sequence[Place], entries: list[Entry], named: Callable[[], Named]
) -> Picked | None:
    """A place within a place (方案第三部分第二条: the second item of the plan's third part):
    two places in different units, the second's an item of the part the first finds. None
    for places of different lists (方案第一部分和解读第三点)."""
    if len(places) != 2 or places[0].part not in _PART_UNITS or places[1].part == "章":
        return None
    if len(named().documents) > 1:
        return None  # 方案第三部分和解读第二点: two lists
    outer = at_places(kb, entries, [places[0].value])
    if outer is None or _elsewhere(outer[0], places[0].part, named()):
        return None
    inner = _picked(kb, outer[1][0], [places[1].value])
    return Picked(*inner) if inner is not None else None


def _named_at(parts: Sequence[tuple[str, Entry]], part: Entry, text: str) -> int:
    """Where the question names the part (its heading or alias), counted in the text without
    punctuation as names are (“高度重视，加强领导”); -1 when it does not."""
    plain = compact(text)
    return min((plain.find(n) for n, e in parts if e.id == part.id and n in plain), default=-1)


def documents_named(kb: KnowledgeBase, words: Iterable[str]) -> frozenset[str]:
    """The campaign documents a question names by their short name (方案 → 实施方案: the
    tokenizer's canonical words), also as words in order a few apart (领导小组办公室的通知,
    领导小组办公室印发方案的通知)."""
    words = list(words)
    return frozenset(
        source.id for source in kb.sources.values() if _said_in_order(source.short, words)
    )


# How many words a short name said in pieces may span (领导小组办公室 印发 方案 通知).
_NAME_SPAN = 5


def _said_in_order(short: str, words: list[str]) -> bool:
    """Whether `words` hold `short` whole, or its pieces in order within _NAME_SPAN words."""
    for start, word in enumerate(words):
        if word == short:
            return True
        if len(word) < 2 or not short.startswith(word):
            continue
        rest = short[len(word) :]
        for later in words[start + 1 : start + _NAME_SPAN]:
            if rest.startswith(later):
                rest = rest[len(later) :]
                if not rest:
                    return True
    return False


def _elsewhere(section: Entry, part: str, named: Named) -> bool:
    """The question names documents and not this list's, or the law alone counting in its
    own parts (条例第二部分, 条例最后一条: not the plan's)."""
    if named.documents:
        return section.source not in named.documents
    return named.law and part in LAW_PARTS
