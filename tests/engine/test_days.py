"""Days a question states against those a passage gives (bot/engine/days.py)."""

from __future__ import annotations

from bot.engine import Engine
from bot.engine.days import held, month_given, stated_days, stated_months, unheld_day


def test_a_day_the_passage_does_not_give_is_found() -> None:
    passage = "2023年9月28日至10月31日。"
    assert unheld_day("是11月5号结束吗", passage) == "11月5号"
    assert unheld_day("10月15号还在搞吗", passage) == ""  # within the span it gives
    assert unheld_day("是2023年10月31日结束吗", passage) == ""
    assert unheld_day("2022年9月28日开始的吗", passage) == "2022年9月28日"
    assert unheld_day("是11月5号结束吗", "及时总结工作。") == ""  # it gives no day


def test_a_day_without_its_year_takes_the_last_year_given() -> None:
    assert [d[1:] for d in stated_days("2023年9月28日至10月31日")] == [
        (2023, 9, 28),
        (2023, 10, 31),
    ]


def test_a_day_is_held_by_a_passage_giving_it_not_by_one_spanning_it() -> None:
    assert held("9月28号", ["2023年9月28日至10月31日。"])
    assert not held("10月15号", ["2023年9月28日至10月31日。"])
    # A passage giving no day neither agrees nor disagrees.
    assert held("9月21号", ["及时总结工作。"])


def test_a_day_stated_as_an_end_or_a_start_must_be_one(engine: Engine) -> None:
    bounds = engine.intents.premises.day_bounds  # the data's words for an end or a start
    passage = "2023年9月28日至10月31日。"
    assert unheld_day("10月15号还在搞吗", passage, bounds=bounds) == ""  # within the span
    # An end, and not the span's; without the words, any day within it.
    assert unheld_day("到10月30日吧", passage, bounds=bounds) == "10月30日"
    assert unheld_day("到10月30日吧", passage) == ""
    assert unheld_day("10月1日开始的吧", passage, bounds=bounds) == "10月1日"
    assert unheld_day("到10月31日结束吗", passage, bounds=bounds) == ""
    assert bounds.marks("从9月28日起，10月15日中期检查") == [True, False]


def test_a_month_named_without_a_day_is_read_and_compared_by_month() -> None:
    assert [n for _, n, _ in stated_months("宣贯时间是11月到12月吧")] == [11, 12]
    assert [n for _, n, _ in stated_months("十一月施行吧")] == [11]
    assert stated_months("宣传月是哪一月呢") == []
    # Not a day, a length, nor the campaign's 宣传月.
    assert stated_months("2023年10月1日施行，为期三个月的宣传月") == []
    span = "2023年9月28日至10月31日。"
    assert month_given(10, span) and month_given(9, span) and not month_given(11, span)
    assert month_given(11, "自2023年11月1日起施行") and not month_given(12, "及时报送。")
