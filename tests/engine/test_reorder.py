"""The ranking reordered before a decision (bot/engine/reorder.py)."""

from __future__ import annotations

from dataclasses import replace

from bot.engine import Engine
from bot.engine.reorder import (
    dated_first,
    example_first,
    holding_first,
    scored_first,
    value_first,
)
from bot.engine.retrieve import Candidate


def _candidate(engine: Engine, entry_id: str, score: float) -> Candidate:
    return Candidate(engine.kb.entries[entry_id], score, score, score, score, 0.0)


def test_a_list_question_prefers_a_close_entry_that_holds_the_list(engine: Engine) -> None:
    lister = next(a for a in engine.intents.asks if a.name == "list")
    duty = _candidate(engine, "plan-schedule", 0.5)
    series = _candidate(engine, "plan-focus-publicity", 0.46)
    first = holding_first(engine.kb, [duty, series], lister, 0.05)
    assert [c.entry.id for c in first] == ["plan-focus-publicity", "plan-schedule"]
    # Too far behind, or the margin off: the order stays.
    assert holding_first(engine.kb, [duty, series], lister, 0.03)[0] is duty
    assert holding_first(engine.kb, [duty, series], lister, 0.0)[0] is duty
    # A top entry that holds a list keeps its place.
    assert holding_first(engine.kb, [series, duty], lister, 0.5)[0] is series


def test_a_question_asking_a_value_prefers_a_close_entry_that_holds_it(engine: Engine) -> None:
    span = [a for a in engine.intents.asks if a.name == "duration"]
    general = _candidate(engine, "plan-overall", 0.83)
    schedule = _candidate(engine, "plan-schedule", 0.80)
    first = value_first([general, schedule], span, 0.05)
    assert [c.entry.id for c in first] == ["plan-schedule", "plan-overall"]
    # Too far behind, the margin off, or no value asked: the order stays.
    assert value_first([general, schedule], span, 0.02)[0] is general
    assert value_first([general, schedule], span, 0.0)[0] is general
    assert value_first([general, schedule], [], 0.05)[0] is general
    saved = engine.tuning
    try:
        engine.tuning = replace(saved, value_margin=0.05)
        reply = engine.answer("宣贯活动为期几个月")
        assert reply.entry == "plan-schedule" and "10月31日" in reply.text
        # With the margin off, the schedule close behind is offered, never "not stated".
        engine.tuning = replace(saved, value_margin=0.0)
        reply = engine.answer("宣贯活动为期几个月")
        assert reply.kind == "clarify" and "未载明" not in reply.text
        assert [s.entry for s in reply.suggestions] == ["plan-schedule"]
    finally:
        engine.tuning = saved
    # Behind by more than an answer's own score: the passage is said to lack the month.
    assert "未载明" in engine.answer("宣传月是几月").text


def test_the_candidate_whose_series_holds_the_example_goes_first(engine: Engine) -> None:
    t = engine.tuning
    # The enterprises' duty ranks first (its series lists 企业、高校、科研机构); the question
    # names 进企业, an item of the 五进.
    duty = _candidate(engine, "duty-enterprises", 0.5)
    five = _candidate(engine, "plan-focus-publicity", 0.44)
    first = example_first([duty, five], "条例除了进企业还要进哪儿", t.exact_depth, t.clarify)
    assert [c.entry.id for c in first] == ["plan-focus-publicity", "duty-enterprises"]
    # Below the floor it is not offered; without an example the order stays.
    assert example_first([duty, five], "条例除了进企业还要进哪儿", 10, 0.45)[0] is duty
    assert example_first([duty, five], "条例要进哪些地方", 10, 0.0)[0] is duty


def test_a_better_scored_entry_goes_first_when_the_top_cannot_answer(engine: Engine) -> None:
    meaning = _candidate(engine, "regulation-overview", 0.36)
    words = _candidate(engine, "interp-1-purpose-duties", 0.7)
    assert scored_first([meaning, words], 3, 0.5, 0.65)[0] is words
    # The top can answer, the other is not far enough ahead, or lies beyond the depth.
    assert scored_first([meaning._replace(score=0.55), words], 3, 0.5, 0.65)[0].score == 0.55
    assert scored_first([meaning, words._replace(score=0.6)], 3, 0.5, 0.65)[0] is meaning
    filler = [_candidate(engine, "plan-schedule", 0.3)] * 3
    assert scored_first([meaning, *filler, words], 3, 0.5, 0.65)[0] is meaning


def test_a_day_asked_of_a_thing_is_answered_by_the_passage_giving_its_days(
    engine: Engine,
) -> None:
    # The plan's name is the notice's title's; the campaign's days are the schedule's.
    reply = engine.answer("实施方案里宣贯活动什么时候开始")
    assert reply.kind == "answer" and reply.entry == "plan-schedule"
    # The law's days asked "in the plan" are still the notice's or the law's own.
    assert engine.answer("实施方案里条例什么时候施行").entry in (
        "leading-group-notice-summary",
        "regulation-effective",
    )
    notice = _candidate(engine, "leading-group-notice-summary", 0.77)
    schedule = _candidate(engine, "plan-schedule", 0.72)

    def of_campaign(entry):  # type: ignore[no-untyped-def]
        return entry.id == "plan-schedule"

    assert dated_first([notice, schedule], of_campaign, 0.1)[0] is schedule
    assert dated_first([notice, schedule], of_campaign, 0.03)[0] is notice  # too far behind
    assert dated_first([notice, schedule], of_campaign, 0.0)[0] is notice  # 0: never
