"""The scoring rules as documented in bot/quiz/scoring.py."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.quiz.scoring import (
    BASE_POINTS,
    MAX_SPEED_BONUS,
    PollWindow,
    assess,
    is_correct,
    speed_bonus,
)

T0 = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)
WINDOW = PollWindow(opened_at=T0, closes_at=T0 + timedelta(seconds=30), correct_index=2)


def at(seconds: float) -> datetime:
    return T0 + timedelta(seconds=seconds)


@pytest.mark.parametrize(
    ("seconds", "bonus"),
    [(0, 5), (3, 5), (6, 4), (15, 3), (27, 1), (29, 0), (30, 0), (-5, 5)],
)
def test_speed_bonus_is_linear_in_the_time_left(seconds: float, bonus: int) -> None:
    assert speed_bonus(WINDOW, at(seconds)) == bonus


def test_a_right_answer_scores_base_points_plus_bonus() -> None:
    result = assess(WINDOW, [2], at(0))
    assert result.verdict == "scored" and result.correct
    assert result.points == BASE_POINTS + MAX_SPEED_BONUS
    assert assess(WINDOW, [2], at(30)).points == BASE_POINTS


def test_a_wrong_answer_scores_nothing() -> None:
    result = assess(WINDOW, [1], at(1))
    assert result.verdict == "scored" and not result.correct and result.points == 0


def test_several_options_are_wrong_even_with_the_right_one() -> None:
    assert not is_correct([2, 1], 2)
    assert assess(WINDOW, [1, 2], at(1)).points == 0


def test_late_answers_are_ignored() -> None:
    assert assess(WINDOW, [2], at(30.001)).verdict == "late"
    assert assess(WINDOW, [2], at(30)).verdict == "scored"


def test_a_poll_closed_early_ignores_answers_after_the_close() -> None:
    stopped = PollWindow(T0, T0 + timedelta(seconds=30), 2, closed_at=at(10))
    assert assess(stopped, [2], at(11)).verdict == "late"
    # Received before the stop, processed after it: still counts, bonus from the full period.
    assert assess(stopped, [2], at(9)).points == BASE_POINTS + 4


def test_a_retracted_vote_changes_nothing() -> None:
    result = assess(WINDOW, [], at(1))
    assert result.verdict == "retracted" and result.points == 0 and not result.counts


def test_polls_without_a_period_give_no_bonus_and_are_never_late() -> None:
    practice = PollWindow(T0, None, 0)
    assert assess(practice, [0], at(10_000)).points == BASE_POINTS
    assert assess(practice, [1], at(10_000)).verdict == "scored"
