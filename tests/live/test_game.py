"""The pure rules of a live game: nicknames, PINs, phases, pauses and the ranking."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.live.game import (
    NAME_CHARS,
    Timing,
    clean_name,
    new_pin,
    numbered,
    resumed_timing,
    valid_pin,
    valid_token,
)
from bot.live.standings import ranked

T0 = datetime(2027, 3, 1, tzinfo=UTC)


def test_nicknames() -> None:
    assert clean_name("  张\u3000三  ") == "张 三"
    assert clean_name("Ｌｉ　Ｌｅｉ") == "Li Lei"  # full-width letters and space
    assert clean_name("a\u202eb\x00c\nd") == "abcd"  # control and format characters gone
    assert len(clean_name("很" * 40)) == NAME_CHARS
    assert clean_name("\u200b \t") == ""
    assert numbered("张三", 2) == "张三 2"
    assert len(numbered("长" * NAME_CHARS, 12)) == NAME_CHARS


def test_pins_and_tokens() -> None:
    pins = {new_pin() for _ in range(200)}
    assert all(valid_pin(p) and p[0] != "0" for p in pins) and len(pins) > 150
    assert not valid_pin("12345") and not valid_pin("12345a")
    assert valid_token("a" * 22) and not valid_token("a" * 21) and not valid_token("a b" * 10)


def test_a_resumed_question_keeps_its_share_of_time_left() -> None:
    timing = Timing(T0, T0 + timedelta(seconds=20))
    resumed = resumed_timing(timing, 15_000, T0 + timedelta(minutes=5))
    assert resumed.deadline == T0 + timedelta(minutes=5, seconds=15)
    assert resumed.seconds == 20


def test_equal_scores_share_a_rank() -> None:
    rows = ranked(
        [(1, "丙", 20, 2, 2), (2, "甲", 28, 2, 2), (3, "乙", 20, 2, 2), (4, "丁", 0, 0, 0)]
    )
    # Ties are listed by name (code point order), one rank for both.
    assert [(s.name, s.rank) for s in rows] == [("甲", 1), ("丙", 2), ("乙", 2), ("丁", 4)]
