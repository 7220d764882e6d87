"""The ranking reordered before a decision: a list question's candidates (the one naming
the item given as an example, listing what is asked a list of, or holding any list),
a better-scored candidate before a first that cannot answer, one holding the value asked."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from bot.engine.asks import AskType
from bot.engine.fit import (
    an_item,
    example_item,
    holds_list,
    lacking,
    list_object,
    listed_in,
    names_item,
)
from bot.engine.retrieve import Candidate
from bot.engine.tuning import Tuning
from bot.knowledge.model import Entry, KnowledgeBase


def holding_first(
    kb: KnowledgeBase,
    candidates: Sequence[Candidate],
    lister: AskType,
    margin: float,
    thing: str = "",
) -> list[Candidate]:
    """For a list question: when the top entry holds no list and one scoring within `margin`
    of it does (除了进企业还要进哪儿: the enterprises' duty first, the passage listing the 五进
    close behind), that one goes first. A series naming the `thing` asked a list of as one
    of its items (公共服务机构有哪些: …、公共服务机构的工作人员) holds no list of it."""

    def holds(entry: Entry) -> bool:
        return holds_list(kb, entry, lister) and not (thing and an_item(entry.text, thing))

    ranked = list(candidates)
    if not ranked or margin <= 0 or holds(ranked[0].entry):
        return ranked
    floor = ranked[0].score - margin
    for i, c in enumerate(ranked[1:], start=1):
        if c.score < floor:
            break
        if holds(c.entry):
            return [c, *ranked[:i], *ranked[i + 1 :]]
    return ranked


def example_first(
    candidates: Sequence[Candidate], text: str, depth: int, floor: float
) -> list[Candidate]:
    """For a list question naming one of its items (除了进企业还要进哪儿): the first of the
    top `depth` candidates scoring at least `floor` whose series holds that item goes first;
    the question has said which list it means."""
    ranked = list(candidates)
    example = example_item(text)
    if not example:
        return ranked
    for i, c in enumerate(ranked[:depth]):
        if c.score >= floor and names_item(c.entry.text, example):
            return [c, *ranked[:i], *ranked[i + 1 :]]
    return ranked


def scored_first(
    candidates: Sequence[Candidate], depth: int, answer: float, lead: float
) -> list[Candidate]:
    """When the top entry's own score cannot answer, the best-scored of the top `depth`
    goes first if its score reaches `lead`: meaning ranked the first (条例分几章，都是哪几章
    for 立法目的说了哪几条), the words of the other answer the question."""
    ranked = list(candidates)
    if not ranked or ranked[0].score >= answer:
        return ranked
    best = max(ranked[:depth], key=lambda c: c.score)
    if best.score < lead:
        return ranked
    return [best, *(c for c in ranked if c is not best)]


def list_first(
    kb: KnowledgeBase,
    candidates: Sequence[Candidate],
    text: str,
    lister: AskType,
    floor: float,
    tuning: Tuning,
    nouns: Sequence[str] = (),
) -> list[Candidate]:
    """A list question's candidates reordered: the one whose series holds the item the
    question names, or lists what it asks a list of, then one holding any list close behind
    a top that holds none."""
    ranked = example_first(candidates, text, tuning.exact_depth, floor)
    ranked = naming_first(ranked, nouns, tuning.exact_depth, floor)
    return holding_first(kb, ranked, lister, tuning.series_margin, list_object(text))


def naming_first(
    candidates: Sequence[Candidate], nouns: Sequence[str], depth: int, floor: float
) -> list[Candidate]:
    """For a list question asking a list of `nouns` (宣传形式有哪些 → 形式): when the top
    entry is a list that never names them (the plan's four parts), the first of the top
    `depth` scoring at least `floor` whose passage lists them (报纸、电视…等多种形式) goes
    first. Only a list on top: a passage's own clauses (加强知识产权保护措施, an address line)
    say too little of what it lists."""
    ranked = list(candidates)
    if not ranked or not nouns:
        return ranked
    top = ranked[0].entry
    about = " ".join((top.title, *top.questions, *top.keywords, top.text))
    if top.kind != "section" or any(n in about for n in nouns):
        return ranked
    for i, c in enumerate(ranked[1:depth], start=1):
        if c.score >= floor and listed_in(c.entry.text, nouns):
            return [c, *ranked[:i], *ranked[i + 1 :]]
    return ranked


def value_first(
    candidates: Sequence[Candidate], exact: Sequence[AskType], margin: float
) -> list[Candidate]:
    """Candidates reordered for a question asking a value (a date, a span, an amount…):
    when the top passage does not hold it and one scoring within `margin` of it does
    (宣贯活动为期几个月: the schedule, close behind the general requirements), that one goes
    first."""
    ranked = list(candidates)
    if not ranked or not exact or margin <= 0 or not lacking(exact, ranked[0].entry.text):
        return ranked
    floor = ranked[0].score - margin
    for i, c in enumerate(ranked[1:], start=1):
        if c.score >= floor and not lacking(exact, c.entry.text):
            return [c, *ranked[:i], *ranked[i + 1 :]]
    return ranked


def dated_first(
    candidates: Sequence[Candidate], of_thing: Callable[[Entry], bool], margin: float
) -> list[Candidate]:
    """For a question asking a day of a thing (实施方案里宣贯活动什么时候开始): when the top
    passage gives days of something else (the notice: the law's) and one scoring within
    `margin` of it gives the thing's (the schedule), that one goes first."""
    ranked = list(candidates)
    if not ranked or margin <= 0:
        return ranked
    floor = ranked[0].score - margin
    close = [(i, c) for i, c in enumerate(ranked[1:], start=1) if c.score >= floor]
    if not close or of_thing(ranked[0].entry):  # no rival close enough: nothing to read
        return ranked
    for i, c in close:
        if of_thing(c.entry):
            return [c, *ranked[:i], *ranked[i + 1 :]]
    return ranked
