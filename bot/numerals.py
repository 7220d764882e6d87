"""Chinese numerals ↔ integers for article and chapter numbers (第六十八条 ↔ 第68条).

Written here rather than taken from cn2an: the engine needs whole numbers below 10⁸ only, and
cn2an's import and first call (a YAML config, pkg_resources, two large regexes compiled at
run time) took about half a second of every cold start. tests/test_numerals.py checks both
directions against cn2an on every numeral of up to three characters and numbers up to 10⁸.
"""

from __future__ import annotations

import re
from functools import lru_cache

CN_DIGITS = "零〇○一二两三四五六七八九十百千"
_NUMBERED = re.compile(rf"第([{CN_DIGITS}]+)(?=[条章节款项])")
_CN_DIGIT = {c: i % 10 for i, c in enumerate("〇一二三四五六七八九")} | {"零": 0, "○": 0}
_VALUE = _CN_DIGIT | {"两": 2}
_UNIT = {"十": 10, "百": 100, "千": 1000}
_NAMES = "零一二三四五六七八九"


def _from_chinese(text: str) -> int:
    """一百零五 → 105, 一百五 → 150, 二〇二三 → 2023 (digits without units read one by one);
    ValueError for what is no numeral (百百, 十零一, 一百零一十)."""
    if all(ch in _VALUE for ch in text):
        return int("".join(str(_VALUE[ch]) for ch in text))
    total, digit, unit, skipped = 0, None, 10_000, 0
    for i, ch in enumerate(text):
        if ch in _UNIT:
            value = _UNIT[ch]
            if value >= unit or (skipped and value * 10 >= skipped):
                raise ValueError(f"units out of order: {text}")
            if digit is None and value != 10:  # only 十 goes without its digit (十五, 一百十)
                raise ValueError(f"a unit without its digit: {text}")
            total, unit, skipped = total + (digit or 1) * value, value, 0
            digit = None
        elif _VALUE[ch] == 0:
            # 一百零五: one zero, between a unit and a digit, for the places it skips.
            if i == 0 or i == len(text) - 1 or skipped or digit is not None or unit == 10:
                raise ValueError(f"a zero out of place: {text}")
            skipped = unit
        elif digit is not None:
            raise ValueError(f"two digits in a row: {text}")
        else:
            digit = _VALUE[ch]
    if digit is not None:
        # 一百五 is 150: a last digit straight after a unit counts in the unit below it.
        total += digit * (unit // 10 if text[-2] in _UNIT else 1)
    return total


def _four(number: int) -> str:
    """1..9999 in numerals, with 零 for the places skipped between digits (1010 → 一千零一十)."""
    out: list[str] = []
    gap = False
    for value, unit in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        digit, number = divmod(number, value)
        if digit:
            out.append(("零" if gap and out else "") + _NAMES[digit] + unit)
        gap = not digit
    return "".join(out)


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
    return _from_chinese(text)


def to_int(text: str) -> int | None:
    """An Arabic or Chinese numeral as int, or None when it is not one."""
    try:
        return parse_number(text.strip())
    except ValueError:
        return None


def to_chinese(number: int) -> str:
    """68 → 六十八, as legal texts write counts and article numbers; numbers too large for
    Chinese numerals (no law has them) stay in digits."""
    if number == 0:
        return "零"
    if not 0 < number < 10**8:
        return str(number)
    high, low = divmod(number, 10_000)
    text = _four(high) + "万" if high else ""
    if low:
        text += ("零" if high and low < 1000 else "") + _four(low)
    return text[1:] if text.startswith("一十") else text  # 十五, 十万: no leading 一


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
