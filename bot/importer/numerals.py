"""Chinese numerals and dates as laws print them (第一百零五条, 二〇二三年十一月一日)."""

from __future__ import annotations

import datetime as dt
import re

from bot.numerals import parse_number

# Characters a number may be written with: Chinese numerals or Arabic digits (half/full width).
NUMERAL_CHARS = "零〇○一二三四五六七八九十百千两0-9０-９"

_YEAR_DIGITS = {c: i for i, c in enumerate("〇一二三四五六七八九")} | {"零": 0, "○": 0}

DATE_PATTERN = (
    r"(?P<year>[0-9０-９]{4}|[〇零○一二三四五六七八九]{4})\s*年\s*"
    r"(?P<month>[0-9０-９]{1,2}|[一二三四五六七八九十]{1,3})\s*月\s*"
    r"(?P<day>[0-9０-９]{1,2}|[一二三四五六七八九十]{1,4})\s*日"
)
DATE_RE = re.compile(DATE_PATTERN)


def _year(text: str) -> int:
    """Years are spelled digit by digit (一九八五), never as a quantity."""
    if text.isdecimal():
        return int(text)
    return int("".join(str(_YEAR_DIGITS[c]) for c in text))


def parse_date(match: re.Match[str]) -> dt.date | None:
    """The date of a DATE_RE match, or None when it names no real day (2月30日)."""
    try:
        return dt.date(
            _year(match["year"]), parse_number(match["month"]), parse_number(match["day"])
        )
    except ValueError:
        return None


def find_date(text: str) -> dt.date | None:
    """The first real date written in `text`, Arabic or Chinese numerals."""
    match = DATE_RE.search(text)
    return parse_date(match) if match else None
