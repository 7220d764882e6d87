"""Fit the chosen entry to what was asked: a whole section for a list question, or the part
of a passage that mentions the topic when the passage lacks the specific thing asked.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from difflib import SequenceMatcher

from bot.engine.asks import LIST, AskType
from bot.engine.retrieve import Candidate
from bot.knowledge.model import Entry, KnowledgeBase

_SENTENCE = re.compile(r"[^。；;！？!?\n]+[。；;！？!?]?")
# A topic shorter than this is a stray character pair rather than what the question is about.
MIN_TOPIC = 2


_ENUMERATOR = re.compile(r"^\s*([（(][一二三四五六七八九十]+[）)]|[一二三四五六七八九十]+、)\s*")


def enumerated(text: str) -> bool:
    """Whether a heading carries its own number (（一）…, 一、…)."""
    return bool(_ENUMERATOR.match(text))


def _name(entry: Entry) -> str:
    """An item's heading without its enumerator (三、工作重点 → 工作重点)."""
    return _ENUMERATOR.sub("", entry.heading or "").strip("。 ")


def _descend(kb: KnowledgeBase, section: Entry, text: str) -> Entry:
    """A sub-section the question names (方案里的工作重点 → the 工作重点 of the plan's parts)."""
    for item in kb.items_of(section.id):
        name = _name(item)
        if item.kind == "section" and kb.items_of(item.id) and len(name) >= 2 and name in text:
            return _descend(kb, item, text)
    return section


def section_of(
    kb: KnowledgeBase,
    candidates: Sequence[Candidate],
    asks: Sequence[AskType],
    margin: float,
    text: str = "",
) -> Entry | None:
    """The section to answer with as a list, or None.

    The top entry when it is a section, or — for a question asking for a list — the top
    item's own section when that scores within `margin` of it (宣贯工作重点有哪几项 names the
    section; 宣传月有哪些形式 names one item, whose own passage holds the list). A sub-section
    the question names by its heading is taken instead of its parent.
    """
    top = candidates[0]
    section: Entry | None = None
    if top.entry.kind == "section":
        section = top.entry
    elif top.entry.item_of and any(a.name == LIST for a in asks):
        parent = next((c for c in candidates if c.entry.id == top.entry.item_of), None)
        if parent is not None and parent.score >= top.score - margin:
            section = parent.entry
    if section is None or not kb.items_of(section.id):
        return None
    return _descend(kb, section, text)


def broader(candidates: Sequence[Candidate], margin: float) -> Candidate:
    """The top candidate, or the passage it was carved from when that scores within
    `margin` of it: a list question wants every item, and the whole passage holds them."""
    top = candidates[0]
    if not top.entry.parent:
        return top
    whole = next((c for c in candidates if c.entry.id == top.entry.parent), None)
    return whole if whole is not None and whole.score >= top.score - margin else top


def lacking(asks: Sequence[AskType], passage: str) -> AskType | None:
    """The first specific the question asks for that the passage does not hold; a list
    question is judged by its list, not by the specifics its words may also suggest."""
    if any(a.name == LIST for a in asks):
        return None
    return next((a for a in asks if not a.held(passage)), None)


def topic(question: str, passage: str) -> str:
    """What the question and the passage share: their longest common stretch of text."""
    match = SequenceMatcher(None, question, passage, autojunk=False).find_longest_match(
        0, len(question), 0, len(passage)
    )
    found = question[match.a : match.a + match.size].strip("，。？?！!、 ")
    return found if len(found) >= MIN_TOPIC else ""


def mentioning(passage: str, words: str) -> str:
    """The sentences of the passage that mention `words`, verbatim and in order; the whole
    passage when none does."""
    if not words:
        return passage
    picked = [s for s in _SENTENCE.findall(passage) if words in s]
    return "".join(picked).strip() or passage
