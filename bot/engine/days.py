"""Days as the material and questions write them (2023年9月28日, 10月1号), and whether a
passage gives, or spans, a day a question states: what premise checks compare."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from bot.numerals import to_int

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


@dataclass(frozen=True)
class Bounds:
    """Words marking a day stated as where something ends or starts (到10月30日, 10月30号结束,
    从9月1日起): such a day must be the span's end or start itself, not any day within it.
    Data: `premises.day_bounds` in intents/rules.yaml; with none, no day is a bound."""

    before_end: re.Pattern[str] | None = None  # just before the day (到, 截止)
    after_end: re.Pattern[str] | None = None  # just after it (结束, 前完成)
    before_start: re.Pattern[str] | None = None  # 从, 自
    after_start: re.Pattern[str] | None = None  # 开始, 起

    def marks(self, text: str) -> list[bool]:
        """For each day a text states, whether it is stated as an end or a start."""
        ahead = [p for p in (self.before_end, self.before_start) if p is not None]
        behind = [p for p in (self.after_end, self.after_start) if p is not None]
        return [
            any(p.search(text[: m.start()]) for p in ahead)
            or any(p.match(text[m.end() :]) for p in behind)
            for m in DAY.finditer(text)
        ]


def unheld_day(
    text: str, passage: str, *, spanned: bool = True, bounds: Bounds | None = None
) -> str:
    """The first day the question states that the passage, which gives days of its own,
    does not give (a year either leaves out matching) nor, with `spanned`, fall within a span
    of (10月15号 within 9月28日至10月31日; not 到10月30日, an end, which must be one); empty
    when there is none."""
    given_days = stated_days(passage)
    if not given_days:
        return ""  # a passage giving no day neither agrees nor disagrees
    spans = day_spans(passage) if spanned else []
    marks = (bounds or Bounds()).marks(text)
    for bound, (raw, year, month, day) in zip(marks, stated_days(text), strict=True):
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


# A month named without its day (10月份, 十一月, 11月到12月); not a day (10月1日), nor a
# length (三个月), nor the campaign's 宣传月.
MONTH = re.compile(
    r"(?<![\d一二三四五六七八九十个几哪统同每单逐唯这那上下本当])"
    r"(\d{1,2}|十[一二]?|[一二三四五六七八九])月份?(?![\d一二三四五六七八九十]{0,3}[日号])"
)


def stated_months(text: str) -> list[tuple[str, int, int]]:
    """The months a text names without a day: each as written, as a number, and where it
    ends in the text (what follows says whose month it is)."""
    months = []
    for m in MONTH.finditer(text):
        number = to_int(m.group(1))
        if number is not None and 1 <= number <= 12:
            months.append((m.group(0), number, m.end()))
    return months


def month_given(month: int, passage: str) -> bool:
    """Whether a passage gives a day in that month or a span reaching into it (10月 in
    9月28日至10月31日); years are not compared (a month named carries none)."""
    if any(m == month for _, _, m, _ in stated_days(passage)):
        return True
    return any(a[1] <= month <= b[1] for a, b in day_spans(passage) if a[1] <= b[1])
