"""Chinese numerals ↔ integers for article and chapter numbers (第六十八条 ↔ 第68条)."""

from __future__ import annotations

import re
from functools import lru_cache

import cn2an

CN_DIGITS = "零〇○一二两三四五六七八九十百千"
_NUMBERED = re.compile(rf"第([{CN_DIGITS}]+)(?=[条章节款项])")


@lru_cache(maxsize=4096)
def parse_number(text: str) -> int:
    """A whole number written in digits (half or full width) or Chinese numerals
    (一百零五, 二〇); raises ValueError for anything else (百百, ², 1.5)."""
    if not text:
        raise ValueError("empty number")
    if text.isdecimal():
        return int(text)
    if any(ch not in CN_DIGITS for ch in text):
        raise ValueError(f"not a number: {text}")
    try:
        value = cn2an.cn2an(text.replace("〇", "零").replace("○", "零"), "smart")
    except (ValueError, KeyError, IndexError, TypeError) as exc:  # cn2an's errors for junk
        raise ValueError(f"not a Chinese number: {text}") from exc
    if int(value) != value or value < 0:
        raise ValueError(f"not a whole number: {text}")
    return int(value)


def to_int(text: str) -> int | None:
    """An Arabic or Chinese numeral as int, or None when it is not one."""
    try:
        return parse_number(text.strip())
    except ValueError:
        return None


def to_chinese(number: int) -> str:
    """68 → 六十八, as legal texts write counts and article numbers; numbers too large for
    Chinese numerals (no law has them) stay in digits."""
    try:
        return str(cn2an.an2cn(number))
    except (ValueError, KeyError, TypeError, OverflowError):
        return str(number)


def arabize_ordinals(text: str) -> str:
    """Rewrite 第六十八条 / 第三章 as 第68条 / 第3章 so both spellings match alike."""

    def repl(match: re.Match[str]) -> str:
        value = to_int(match.group(1))
        return f"第{value}" if value is not None else match.group(0)

    return _NUMBERED.sub(repl, text)


# A day in Chinese numerals (二〇二三年十一月一日, 九月二十一号): read as the material writes
# days, in digits, so a day stated either way is compared alike.
_CN_DAY = re.compile(
    r"(?:([〇零○一二三四五六七八九]{4})年)?([一二三四五六七八九十]{1,3})月([一二三四五六七八九十]{1,3})([日号])"
)


_CN_DIGIT = {c: i % 10 for i, c in enumerate("〇一二三四五六七八九")} | {"零": 0, "○": 0}


def arabize_days(text: str) -> str:
    """Rewrite 二〇二三年十一月一日 as 2023年11月1日; anything not a day stays."""

    def repl(match: re.Match[str]) -> str:
        year, month, day = match.group(1), to_int(match.group(2)), to_int(match.group(3))
        if month is None or day is None or not (1 <= month <= 12 and 1 <= day <= 31):
            return match.group(0)
        digits = "".join(str(_CN_DIGIT[c]) for c in year) + "年" if year else ""
        return f"{digits}{month}月{day}{match.group(4)}"

    return _CN_DAY.sub(repl, text)


_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")


def chinese_date(iso: str) -> str:
    """2023-09-28 → 2023年9月28日, as the documents write dates; other text is kept."""
    match = _ISO_DATE.match(iso.strip())
    if not match:
        return iso
    year, month, day = match.groups()
    return f"{year}年{int(month)}月{int(day)}日"
