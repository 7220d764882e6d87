"""Chinese numerals and dates as laws print them (第一百零五条, 二〇二三年十一月一日)."""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache

import cn2an

# Characters a number may be written with: Chinese numerals or Arabic digits (half/full width).
NUMERAL_CHARS = "零〇○一二三四五六七八九十百千两0-9０-９"

_YEAR_DIGITS = {c: i for i, c in enumerate("〇一二三四五六七八九")} | {"零": 0, "○": 0}

DATE_PATTERN = (
    r"(?P<year>[0-9０-９]{4}|[〇零○一二三四五六七八九]{4})\s*年\s*"
    r"(?P<month>[0-9０-９]{1,2}|[一二三四五六七八九十]{1,3})\s*月\s*"
    r"(?P<day>[0-9０-９]{1,2}|[一二三四五六七八九十]{1,4})\s*日"
)
DATE_RE = re.compile(DATE_PATTERN)


@lru_cache(maxsize=4096)
def cn_to_int(text: str) -> int:
    """第N条/第N章 numbers: Arabic digits directly, Chinese numerals through cn2an.

    Raises ValueError for text that is not a whole number (e.g. 百百).
    """
    if not text:
        raise ValueError("empty number")
    if text.isdecimal():
        return int(text)
    try:
        value = cn2an.cn2an(text, "smart")
    except (ValueError, KeyError, IndexError) as exc:  # cn2an raises ValueError for junk
        raise ValueError(f"not a Chinese number: {text}") from exc
    if int(value) != value or value < 0:
        raise ValueError(f"not a whole number: {text}")
    return int(value)


def int_to_cn(number: int) -> str:
    """The official spelling of an article number (10 → 十, 110 → 一百一十)."""
    return str(cn2an.an2cn(number))


def _year(text: str) -> int:
    """Years are spelled digit by digit (一九八五), never as a quantity."""
    if text.isdecimal():
        return int(text)
    return int("".join(str(_YEAR_DIGITS[c]) for c in text))


def parse_date(match: re.Match[str]) -> dt.date | None:
    """The date of a DATE_RE match, or None when it names no real day (2月30日)."""
    try:
        return dt.date(_year(match["year"]), cn_to_int(match["month"]), cn_to_int(match["day"]))
    except ValueError:
        return None


def find_date(text: str) -> dt.date | None:
    """The first real date written in `text`, Arabic or Chinese numerals."""
    match = DATE_RE.search(text)
    return parse_date(match) if match else None
