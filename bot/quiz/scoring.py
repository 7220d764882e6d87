"""Scoring rules for quiz answers, as pure functions so they can be stated and tested alone.

The rules, as organisers read them:

* A right answer scores `BASE_POINTS` (10) plus a speed bonus of up to `MAX_SPEED_BONUS` (5):
  the bonus is linear in the fraction of the poll's open period still left when the answer
  was received, rounded half up — answering at once gives 15, half-way 12.5 → 13, at the
  closing moment 10. A poll without a closing time (practice) gives no bonus.
* A wrong answer scores 0. An answer is right when it selects exactly the right option.
* An answer received after the poll closed — after its closing time, or after it was closed
  early (`/quiz_stop`) — is ignored ('late'). An answer received exactly at the closing time
  still counts.
* A retracted vote (an empty option list) changes nothing ('retracted'): an earlier answer
  keeps its points.
* Each user counts once per poll: a redelivered or repeated answer is ignored ('duplicate').
  That rule is enforced by the database (one row per poll and user), not here, so it holds
  across restarts and processes.

Times are what the bot saw: Telegram's poll answers carry no time, so the time of receipt.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

BASE_POINTS = 10
MAX_SPEED_BONUS = 5

Verdict = Literal["scored", "late", "retracted"]


@dataclass(frozen=True)
class PollWindow:
    """What scoring needs to know about a poll."""

    opened_at: datetime
    closes_at: datetime | None  # the scheduled end of the open period; None: no limit
    correct_index: int  # the right option, as sent (after shuffling)
    closed_at: datetime | None = None  # when the poll was actually closed, if it was

    @property
    def deadline(self) -> datetime | None:
        """The last moment an answer counts: the earlier of the scheduled and actual close."""
        times = [t for t in (self.closes_at, self.closed_at) if t is not None]
        return min(times) if times else None


@dataclass(frozen=True)
class Assessment:
    verdict: Verdict
    correct: bool = False
    points: int = 0

    @property
    def counts(self) -> bool:
        return self.verdict == "scored"


def is_correct(option_ids: Sequence[int], correct_index: int) -> bool:
    """Exactly the right option was chosen."""
    return list(option_ids) == [correct_index]


def speed_bonus(window: PollWindow, received_at: datetime) -> int:
    """Up to MAX_SPEED_BONUS, linear in the share of the open period left; 0 without a period."""
    if window.closes_at is None:
        return 0
    period = (window.closes_at - window.opened_at).total_seconds()
    if period <= 0:
        return 0
    left = (window.closes_at - received_at).total_seconds()
    fraction = min(1.0, max(0.0, left / period))
    return math.floor(MAX_SPEED_BONUS * fraction + 0.5)


def points_for(correct: bool, window: PollWindow, received_at: datetime) -> int:
    return BASE_POINTS + speed_bonus(window, received_at) if correct else 0


def assess(window: PollWindow, option_ids: Sequence[int], received_at: datetime) -> Assessment:
    """The verdict on one answer, before the database decides whether it is a duplicate."""
    if not option_ids:
        return Assessment("retracted")
    deadline = window.deadline
    if deadline is not None and received_at > deadline:
        return Assessment("late")
    correct = is_correct(option_ids, window.correct_index)
    return Assessment("scored", correct, points_for(correct, window, received_at))
