"""Items of a list asked for by their place (方案第一、第三部分, 解读第二第三点, 打头那点和收尾那点)
or as the rest of it (我记得“高度重视”，剩下两条叫啥).

A question naming places in a list wants the items at those places, not the passage its
words match best (方案第三部分是啥 matched 一、总体要求 on 方案 and 部分). The places are read
with the `position` ask type's patterns (intents/asks.yaml, named groups `n`, `first`,
`last`); the list is the first ranked entry that is a section with an item at every place
asked, or an item of one: the knowledge base's structure, not words per question.
"""

from __future__ import annotations

from collections.abc import Iterable

from bot.engine.asks import AskType
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
    that is a section with an item at every place, or an item of such a section."""
    for entry in entries:
        section = entry if kb.items_of(entry.id) else kb.entries.get(entry.item_of or "")
        if section is None:
            continue
        items = kb.items_of(section.id)
        if all(p == LAST or 1 <= p <= len(items) for p in places):
            return section, [items[-1] if p == LAST else items[p - 1] for p in places]
    return None


def the_rest(kb: KnowledgeBase, named: list[Entry]) -> tuple[Entry, list[Entry]] | None:
    """The section of the items a question names and its other items, when it has any."""
    section = kb.entries.get(named[0].item_of or "") if named else None
    if section is None:
        return None
    others = [e for e in kb.items_of(section.id) if e not in named]
    return (section, others) if others else None
