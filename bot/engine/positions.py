"""Items of a list asked for by their place (方案第一、第三部分, 解读第二第三点, 打头那点和收尾那点)
or as the rest of it (我记得“高度重视”，剩下两条叫啥).

A question naming places in a list wants the items at those places, not the passage its
words match best (方案第三部分是啥 matched 一、总体要求 on 方案 and 部分). The places are read
with the `position` ask type's patterns (intents/asks.yaml, named groups `n`, `first`,
`last`); the list is the first ranked entry that is a section with an item at every place
asked, or an item of one: the knowledge base's structure, not words per question.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from bot.engine.asks import AskType
from bot.engine.fit import named_part
from bot.knowledge.model import Entry, KnowledgeBase
from bot.numerals import to_int

POSITION = "position"
# The ask type asking for the items other than the one named (剩下两条).
REST = "rest"
# The last item, whatever the list's length.
LAST = -1


def places_asked(asks: Iterable[AskType], text: str) -> list[int]:
    """The places (1 = first, LAST) a cleaned question asks for, in the order it names
    them, without repeats; empty when it names none."""
    found: list[tuple[int, int]] = []
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
                    found.append((match.start(), value))
    return list(dict.fromkeys(value for _, value in sorted(found)))


def at_places(
    kb: KnowledgeBase, entries: Iterable[Entry], places: list[int]
) -> tuple[Entry, list[Entry]] | None:
    """The section the places are of and its items at them, from the first of `entries`
    that is a section with an item at every place, or an item of such a section. An entry
    the place names itself in its own section (最后那块“有关要求”: the plan's last part) is
    that item, not an item of its own."""
    for entry in entries:
        parent = kb.entries.get(entry.item_of or "")
        picked = _picked(kb, parent, places)
        if picked is not None and picked[1] == [entry]:
            return picked
        own = _picked(kb, entry, places)
        if own is not None or picked is not None:
            return own or picked
    return None


def _picked(
    kb: KnowledgeBase, section: Entry | None, places: list[int]
) -> tuple[Entry, list[Entry]] | None:
    items = kb.items_of(section.id) if section is not None else []
    if section is None or not items or not all(p == LAST or 1 <= p <= len(items) for p in places):
        return None
    return section, [items[-1] if p == LAST else items[p - 1] for p in places]


def the_rest(kb: KnowledgeBase, named: list[Entry]) -> tuple[Entry, list[Entry]] | None:
    """The section of the items a question names and its other items, when it has any."""
    section = kb.entries.get(named[0].item_of or "") if named else None
    if section is None:
        return None
    others = [e for e in kb.items_of(section.id) if e not in named]
    return (section, others) if others else None


def by_place(
    kb: KnowledgeBase,
    parts: Sequence[tuple[str, Entry]],
    asks: list[AskType],
    text: str,
    entries: list[Entry],
) -> tuple[Entry, list[Entry]] | None:
    """The items a question asks for by place or as the rest of a list, with their
    section, from the best `entries` (ranked, good enough to answer from); a part the
    question names by its heading (`parts`) comes first: 有关要求的第一条和最后一条 are its
    items, 最后那块“有关要求” the part itself."""
    places = places_asked(asks, text)
    rest = any(a.name == REST for a in asks)
    if not entries or not (places or rest):
        return None
    picked = None
    if places:
        named = named_part(parts, text, entries[0])
        picked = at_places(kb, [named, *entries] if named is not None else entries, places)
    if rest:
        # The item the question names (我记得“高度重视”) is the best entry, or the places.
        return the_rest(kb, picked[1] if picked else entries[:1])
    return picked
