"""A date the question states that the passage answering it does not hold (条例是2023年10月1日
起施行的吧): said before the passage, so a wrong date is never left standing behind an answer
that reads as agreeing with it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

from bot.engine.asks import message_parts
from bot.engine.normalize import clean
from bot.engine.reply import Reply
from bot.knowledge.model import Entry

if TYPE_CHECKING:
    from bot.engine.core import Engine

# A clause checking what it says (…的吧, …对吗).
_CHECKING = re.compile(r"[吗吧呢么嘛]$|对不对|是不是|是否")
# A day, with or without its year (2023年10月1日, 10月1号).
_DAY = re.compile(r"(?:(\d{4})年)?(\d{1,2})月(\d{1,2})[日号]")


def _days(text: str) -> list[tuple[str, int | None, int, int]]:
    """The days a text gives; a day without its year takes the year the text gave last
    before it (2023年9月28日至10月31日: both 2023)."""
    days: list[tuple[str, int | None, int, int]] = []
    year: int | None = None
    for m in _DAY.finditer(text):
        year = int(m.group(1)) if m.group(1) else year
        days.append((m.group(0), year, int(m.group(2)), int(m.group(3))))
    return days


def _spans(passage: str) -> list[tuple[tuple[int, int, int], tuple[int, int, int]]]:
    """The (year, month, day) spans a passage gives (2023年9月28日至10月31日); a year not
    given is 0, and then any year fits."""
    days = _days(passage)
    starts = [m.start() for m in _DAY.finditer(passage)]
    spans = []
    for i, at in enumerate(starts[:-1]):
        if re.search(r"[日号](至|到|—|-|~|～)$", passage[at : starts[i + 1]]):
            (_, y1, m1, d1), (_, y2, m2, d2) = days[i], days[i + 1]
            spans.append(((y1 or 0, m1, d1), (y2 or y1 or 0, m2, d2)))
    return spans


def unheld_day(text: str, passage: str, *, spanned: bool = True) -> str:
    """The first day the question states that the passage, which gives days of its own,
    does not give (a year either leaves out matching) nor, with `spanned`, fall within a span
    of (10月15号 within 9月28日至10月31日); empty when there is none."""
    held = _days(passage)
    if not held:
        return ""  # a passage giving no day neither agrees nor disagrees
    spans = _spans(passage) if spanned else []
    for raw, year, month, day in _days(text):
        given = any(
            (month, day) == (m, d) and (year is None or y is None or year == y)
            for _, y, m, d in held
        )
        within = any(
            (a[0] if year is None or not a[0] else year, month, day) >= a
            and (b[0] if year is None or not b[0] else year, month, day) <= b
            for a, b in spans
        )
        if not given and not within:
            return raw
    return ""


def dated(engine: Engine, question: str, reply: Reply) -> Reply:
    """`reply`, with a note first when the question states a day no passage holds (so the
    note, 资料中没有提到…, is true of the whole material). A menu of which only one
    suggestion gives days at all (条例施行日期 beside a duty) is then that one, answered."""
    text = engine.fixer.fix(clean(question))
    entries = engine.kb.entries
    # Only a day in a clause that asks (我们11月5日开会，条例什么时候施行: a day of theirs).
    parts = message_parts(text)
    asked = "，".join(
        p
        for p in parts
        if len(parts) == 1 or engine.intents.asks_something(p) or _CHECKING.search(p)
    )
    day = next((raw for raw, *_ in _days(asked) if not _held(raw, entries.values())), "")
    if not day:
        return reply  # no day stated, or one some passage holds: maybe another fact's
    if reply.kind == "clarify":
        dating = [s.entry for s in reply.suggestions if _days(entries[s.entry].text)]
        if len(dating) != 1:
            return reply
        entry = entries[dating[0]]
        reply = engine.compose.answer(question, reply.intent, entry, reply.confidence)
    entry = entries.get(reply.entry or "")
    if reply.kind != "answer" or entry is None or not unheld_day(day, entry.text):
        return reply  # no days of its own, or one spanning it (10月15号 in 9月28日至10月31日)
    note = engine.intents.response("day_not_held").format(day=day)
    checked = engine.compose.noted(question, reply, note, reply.read_as or "")
    checked.read_as = reply.read_as
    return checked


def _held(day: str, entries: Iterable[Entry]) -> bool:
    """Whether some passage gives that day."""
    return any(_days(e.text) and not unheld_day(day, e.text, spanned=False) for e in entries)
