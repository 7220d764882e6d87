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


def test_numerals_agree_with_cn2an() -> None:
    """Every string of up to three numeral characters that cn2an reads, read alike (what cn2an
    reads of junk, such as 十百一 = 20, is refused here); numbers up to 10⁸ written alike."""
    cn2an = pytest.importorskip("cn2an")
    import itertools

    alphabet = "零〇○一二两三四五六七八九十百千"
    for length in range(1, 4):
        for chars in itertools.product(alphabet, repeat=length):
            text = "".join(chars)
            ours = to_int(text)
            if ours is None:
                continue
            theirs = cn2an.cn2an(text.replace("〇", "零").replace("○", "零"), "smart")
            assert ours == theirs, text
    numbers = [*range(12_000), *range(12_000, 10**8, 9_973), 10**5, 10**6, 10**7]
    assert all(to_chinese(n) == cn2an.an2cn(n) for n in numbers)
    assert all(parse_number(to_chinese(n)) == n for n in range(10_000))


@pytest.mark.parametrize(
    ("text", "value"),
    [("一百五", 150), ("一千零五十", 1050), ("一百十", 110), ("二〇二三", 2023), ("一两", 12)],
)
def test_colloquial_numerals(text: str, value: int) -> None:
    assert parse_number(text) == value


@pytest.mark.parametrize("text", ["十零一", "一百零一十", "一百零", "零百", "十百一", "一千百"])
def test_numerals_out_of_order_are_refused(text: str) -> None:
    assert to_int(text) is None
