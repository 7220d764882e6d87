"""Numbers as laws and users write them: one parser for the importer and the engine."""

from __future__ import annotations

import pytest

from bot.numerals import (
    arabize_days,
    arabize_ordinals,
    chinese_date,
    parse_number,
    to_chinese,
    to_int,
)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("68", 68),
        ("６８", 68),
        ("六十八", 68),
        ("一百零五", 105),
        ("两百", 200),
        ("二〇", 20),
        ("十", 10),
    ],
)
def test_numbers_parse(text: str, value: int) -> None:
    assert parse_number(text) == value
    assert to_int(f" {text} ") == value


@pytest.mark.parametrize("text", ["", "百百", "²", "①", "1.5", "abc", "十二条"])
def test_what_is_no_whole_number_is_refused(text: str) -> None:
    with pytest.raises(ValueError):
        parse_number(text)
    assert to_int(text) is None


def test_round_trip_and_ordinals() -> None:
    assert all(parse_number(to_chinese(n)) == n for n in range(1, 300))
    assert arabize_ordinals("第六十八条和第三章") == "第68条和第3章"
    assert chinese_date("2023-09-28") == "2023年9月28日"
    assert chinese_date("九月") == "九月"


def test_days_in_chinese_numerals_are_written_in_digits() -> None:
    assert arabize_days("条例是二〇二三年十一月一日施行的吧") == "条例是2023年11月1日施行的吧"
    assert arabize_days("九月二十八号") == "9月28号"
    # Not a day: no month of 13, no day without its month, no other numbers.
    for text in ("十三月五日", "二十一日", "第十一届", "十四届人大常委会第五次会议"):
        assert arabize_days(text) == text
