"""Days as the material and questions write them (2023年9月28日, 10月1号), and whether a
passage gives, or spans, a day a question states: what premise checks compare."""

from __future__ import annotations

import re
from collections.abc import Iterable

# A day, with or without its year (2023年10月1日, 10月1号).
DAY = re.compile(r"(?:(\d{4})年)?(\d{1,2})月(\d{1,2})[日号]")


def stated_days(text: str) -> list[tuple[str, int | None, int, int]]:
    """The days a text gives; a day without its year takes the year the text gave last
    before it (2023年9月28日至10月31日: both 2023)."""
    days: list[tuple[str, int | None, int, int]] = []
    year: int | None = None
    for m in DAY.finditer(text):
        year = int(m.group(1)) if m.group(1) else year
        days.append((m.group(0), year, int(m.group(2)), int(m.group(3))))
    return days


def day_spans(passage: str) -> list[tuple[tuple[int, int, int], tuple[int, int, int]]]:
    """The (year, month, day) spans a passage gives (2023年9月28日至10月31日); a year not
    given is 0, and then any year fits."""
    days = stated_days(passage)
    starts = [m.start() for m in DAY.finditer(passage)]
    spans = []
    for i, at in enumerate(starts[:-1]):
        if re.search(r"[日号](至|到|—|-|~|～)$", passage[at : starts[i + 1]]):
            (_, y1, m1, d1), (_, y2, m2, d2) = days[i], days[i + 1]
            spans.append(((y1 or 0, m1, d1), (y2 or y1 or 0, m2, d2)))
    return spans


# A day stated as where something ends or starts (到10月30日, 10月30号结束, 从9月1日起): it
# must be the span's end or start itself, not any day within it.
_TO = re.compile(r"(到|至|截止到?|截至|持续到)$")
_ENDS = re.compile(r"^(前|之前|以前)?(结束|截止|为止|收官|完成|搞完)")
_FROM = re.compile(r"(从|自|于)$")
_STARTS = re.compile(r"^(开始|起|启动)")


def bounds(text: str) -> list[bool]:
    """For each day a text states, whether it is stated as an end or a start."""
    return [
        bool(
            _TO.search(text[: m.start()])
            or _ENDS.match(text[m.end() :])
            or _FROM.search(text[: m.start()])
            or _STARTS.match(text[m.end() :])
        )
        for m in DAY.finditer(text)
    ]


def unheld_day(text: str, passage: str, *, spanned: bool = True) -> str:
    """The first day the question states that the passage, which gives days of its own,
    does not give (a year either leaves out matching) nor, with `spanned`, fall within a span
    of (10月15号 within 9月28日至10月31日; not 到10月30日, an end, which must be one); empty
    when there is none."""
    given_days = stated_days(passage)
    if not given_days:
        return ""  # a passage giving no day neither agrees nor disagrees
    spans = day_spans(passage) if spanned else []
    for bound, (raw, year, month, day) in zip(bounds(text), stated_days(text), strict=True):
        given = any(
            (month, day) == (m, d) and (year is None or y is None or year == y)
            for _, y, m, d in given_days
        )
        within = not bound and any(
            (a[0] if year is None or not a[0] else year, month, day) >= a
            and (b[0] if year is None or not b[0] else year, month, day) <= b
            for a, b in spans
        )
        if not given and not within:
            return raw
    return ""


def held(day: str, passages: Iterable[str]) -> bool:
    """Whether some passage gives that day."""
    return any(not unheld_day(day, p, spanned=False) for p in passages)
