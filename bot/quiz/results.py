"""What the quiz service returns to front ends: plain frozen values, no database rows.

Every channel (Telegram, web, a live hall quiz) renders these, so they carry no platform
detail beyond the ids a front end gave the service (chat id, poll id, message id).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from bot.quiz.bank import QuizItem

Status = Literal["open", "finished", "stopped"]
AnswerStatus = Literal["recorded", "duplicate", "late", "retracted", "unknown"]


@dataclass(frozen=True)
class Round:
    id: int
    chat_id: int
    started_by: str  # user hash
    started_at: datetime
    ended_at: datetime | None
    status: str
    questions_planned: int
    seconds_per_question: int
    series_id: int
    asked: int = 0  # polls registered so far

    @property
    def remaining(self) -> int:
        return max(0, self.questions_planned - self.asked)


@dataclass(frozen=True)
class AlreadyRunning:
    """start_round's answer when the chat already has an open round."""

    round: Round


@dataclass(frozen=True)
class PreparedQuestion:
    """A question ready to send: its options shuffled, and where the right one ended up."""

    item: QuizItem
    options: tuple[str, ...]  # as they are to be shown
    order: tuple[int, ...]  # order[i]: the item's option index shown at position i
    correct_index: int  # index of the right option in `options`
    position: int | None = None  # 1-based place in the round; None for practice


@dataclass(frozen=True)
class PollInfo:
    poll_id: str
    round_id: int | None
    chat_id: int
    message_id: int | None
    question_id: str
    question: str
    options: tuple[str, ...]
    correct_index: int
    source_line: str
    opened_at: datetime
    closes_at: datetime | None
    closed: bool
    closed_at: datetime | None
    position: int | None

    @property
    def answer(self) -> str:
        return self.options[self.correct_index]


@dataclass(frozen=True)
class AnswerOutcome:
    """What became of one poll answer. Only 'recorded' changed any score."""

    status: AnswerStatus
    poll_id: str
    round_id: int | None = None
    chat_id: int | None = None
    correct: bool | None = None
    points: int = 0

    @property
    def counted(self) -> bool:
        return self.status == "recorded"

    @property
    def practice(self) -> bool:
        return self.chat_id is not None and self.round_id is None


@dataclass(frozen=True)
class RankingRow:
    rank: int  # equal points and correct answers share a rank
    display_name: str
    points: int
    correct: int
    answered: int


@dataclass(frozen=True)
class QuestionSummary:
    position: int | None
    question_id: str
    question: str
    answer: str
    source_line: str
    answered: int
    correct: int


@dataclass(frozen=True)
class RoundSummary:
    round: Round
    ranking: list[RankingRow]
    questions: list[QuestionSummary]
    participants: int


@dataclass(frozen=True)
class RoundState:
    """An open round for recovery: how far it got and its latest poll (if any)."""

    round: Round
    current: PollInfo | None


@dataclass(frozen=True)
class Leaderboard:
    series_id: int | None
    series: list[RankingRow]
    all_time: list[RankingRow]


@dataclass(frozen=True)
class PracticeTotals:
    answered: int = 0
    correct: int = 0
    points: int = 0


@dataclass(frozen=True)
class UserStats:
    """A user's own figures: group rounds (all groups) and private practice."""

    answered: int
    correct: int
    points: int
    rounds: int
    groups: int
    last_answer_at: datetime | None
    practice: PracticeTotals
