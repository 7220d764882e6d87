"""Whose days a passage gives: the notice's days are the law's (《条例》…于2023年9月21日审议
通过) and its own (its 落款), not the campaign's, although its title names the plan of the
campaign. A question asking or claiming a day of a thing (宣贯活动什么时候开始, 宣贯活动到12月
31号结束吗) is answered by a passage giving days of that thing (the schedule)."""

from __future__ import annotations

import re
import weakref
from typing import TYPE_CHECKING

from bot.engine.days import DAY, stated_months
from bot.knowledge.model import Entry

if TYPE_CHECKING:
    from bot.engine.core import Engine

# Ask types asking a day (intents/asks.yaml).
DATED_ASKS = ("when", "date", "until", "deadline")

_SENTENCE = re.compile(r"[。；;！!？?\n]")


def dated_things(engine: Engine, text: str) -> list[str]:
    """What a question asking or claiming a day is about: its specific words that are no day
    or month (实施方案里宣贯活动什么时候开始: 实施方案, 宣贯活动)."""
    words = engine.specific_words(text)
    return [w for w in words if not DAY.search(w) and not stated_months(w)]


def says(engine: Engine, word: str, passage: str) -> bool:
    """Whether a passage says the word: as written, by its canonical form, or, for a word
    jieba made of two (开始实施), by the weightiest word inside it (实施, that is 施行)."""
    canonical = engine.tokenizer.canonical
    if word in passage or canonical.get(word, word) in passage:
        return True
    inside = [c for _, _, c in engine.tokenizer.subword_spans(word)]
    return bool(inside) and max(inside, key=engine.tokenizer.weight) in passage


# Per engine (its passages do not change while it lives): a passage's sentence or title and
# the words in it naming things, in order. Working them out at each question cost a date
# question half a millisecond.
_NAMED: weakref.WeakKeyDictionary[Engine, dict[str, tuple[str, ...]]] = weakref.WeakKeyDictionary()


def _named(engine: Engine, text: str) -> tuple[str, ...]:
    """The words of a passage's text naming things, days aside, in the order written."""
    known = _NAMED.setdefault(engine, {})
    if text not in known:
        known[text] = tuple(w for w in engine.named_words(text) if not DAY.search(w))
    return known[text]


def days_of(engine: Engine, entry: Entry, things: list[str]) -> bool:
    """Whether a passage gives days of one of `things`: a sentence with a day says it, or
    names no thing at all and the passage's title is of it, its first word being the thing
    (宣贯活动的时间安排: 2023年9月28日至10月31日; not 领导小组办公室印发宣贯活动实施方案的通知)."""
    canonical = engine.tokenizer.canonical
    title = _named(engine, entry.title)
    lead = canonical.get(title[0], title[0]) if title else ""
    # The thing named whole or in part (宣贯 for 宣贯活动; 宣贯活动 for 宣贯).
    of_title = bool(lead) and any(
        lead in (form := canonical.get(t, t)) or form in lead for t in things
    )
    for sentence in _SENTENCE.split(entry.text):
        if not DAY.search(sentence):
            continue
        if any(says(engine, t, sentence) for t in things):
            return True
        if of_title and not _named(engine, sentence):
            return True
    return False
