"""A date the question states that the passage answering it does not hold (条例是2023年10月1日
起施行的吧): said before the passage, so a wrong date is never left standing behind an answer
that reads as agreeing with it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

from bot.engine.normalize import clean
from bot.engine.reply import Reply
from bot.knowledge.model import Entry

if TYPE_CHECKING:
    from bot.engine.core import Engine

# A day, with or without its year (2023年10月1日, 10月1号).
_DAY = re.compile(r"(?:(\d{4})年)?(\d{1,2})月(\d{1,2})[日号]")


def _days(text: str) -> list[tuple[str, int | None, int, int]]:
    return [
        (m.group(0), int(m.group(1)) if m.group(1) else None, int(m.group(2)), int(m.group(3)))
        for m in _DAY.finditer(text)
    ]


def unheld_day(text: str, passage: str) -> str:
    """The first day the question states that the passage, which gives days of its own,
    does not (a year either leaves out matching); empty when there is none."""
    held = _days(passage)
    if not held:
        return ""  # a passage giving no day neither agrees nor disagrees
    for raw, year, month, day in _days(text):
        if not any(
            (month, day) == (m, d) and (year is None or y is None or year == y)
            for _, y, m, d in held
        ):
            return raw
    return ""


def dated(engine: Engine, question: str, reply: Reply) -> Reply:
    """`reply`, with a note first when the question states a day no passage holds (so the
    note, 资料中没有提到…, is true of the whole material). A menu of which only one
    suggestion gives days at all (条例施行日期 beside a duty) is then that one, answered."""
    text = engine.fixer.fix(clean(question))
    entries = engine.kb.entries
    day = next((raw for raw, *_ in _days(text) if not _held(raw, entries.values())), "")
    if not day:
        return reply  # no day stated, or one some passage holds: maybe another fact's
    if reply.kind == "clarify":
        dating = [s.entry for s in reply.suggestions if _days(entries[s.entry].text)]
        if len(dating) != 1:
            return reply
        entry = entries[dating[0]]
        reply = engine.compose.answer(question, reply.intent, entry, reply.confidence)
    entry = entries.get(reply.entry or "")
    if reply.kind != "answer" or entry is None or not _days(entry.text):
        return reply
    note = engine.intents.response("day_not_held").format(day=day)
    checked = engine.compose.noted(question, reply, note, reply.read_as or "")
    checked.read_as = reply.read_as
    return checked


def _held(day: str, entries: Iterable[Entry]) -> bool:
    """Whether some passage gives that day."""
    return any(_days(e.text) and not unheld_day(day, e.text) for e in entries)
