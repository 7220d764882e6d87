"""What the statistics functions return: plain frozen dataclasses, no SQL and no markup."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime

from bot.stats.live import LiveStats
from bot.stats.period import ALL_TIME, Period

KINDS = ("answer", "clarify", "smalltalk", "fallback")
UNANSWERED_KIND = "fallback"


@dataclass(frozen=True)
class QuestionCounts:
    today: int
    last_7_days: int
    total: int


@dataclass(frozen=True)
class KindCounts:
    """Questions by reply kind (answer, clarify, smalltalk, fallback)."""

    counts: Mapping[str, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def __getitem__(self, kind: str) -> int:
        return self.counts.get(kind, 0)

    def share(self, kind: str) -> float:
        """The kind's fraction of all questions (0.0 when there are none)."""
        return self[kind] / self.total if self.total else 0.0


@dataclass(frozen=True)
class ChannelCounts:
    """One channel's questions (telegram, web, …): by kind, distinct askers, undelivered."""

    channel: str
    kinds: KindCounts
    askers: int
    undelivered: int = 0

    @property
    def total(self) -> int:
        return self.kinds.total


@dataclass(frozen=True)
class EntryCount:
    entry: str
    title: str
    count: int


@dataclass(frozen=True)
class UnansweredQuestion:
    """Fallback questions with one matching form: the most frequent wording, and counts
    (in all, and per channel)."""

    text: str
    normalized: str
    count: int
    users: int
    first_asked: datetime
    last_asked: datetime
    channels: Mapping[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class DayCount:
    day: date
    total: int
    kinds: Mapping[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class GroupQuiz:
    """One group's quiz rounds and results (rounds that started in the period)."""

    chat_id: int
    rounds: int
    finished: int
    stopped: int
    open: int
    questions: int  # polls sent
    participants: int  # distinct users who answered
    answers: int
    correct: int
    points: int

    @property
    def accuracy(self) -> float:
        return self.correct / self.answers if self.answers else 0.0

    @property
    def average_points(self) -> float:
        return self.points / self.participants if self.participants else 0.0


@dataclass(frozen=True)
class PracticeStats:
    """Private practice (polls outside rounds)."""

    answers: int
    users: int
    correct: int


@dataclass(frozen=True)
class Overview:
    questions: int
    askers: int
    kinds: KindCounts
    rounds: int
    groups: int
    participants: int  # distinct users over all groups' rounds
    quiz_answers: int
    quiz_points: int
    practice: PracticeStats


@dataclass(frozen=True)
class AdminSummary:
    """What /stats (and `python -m bot stats`) shows."""

    counts: QuestionCounts
    kinds: KindCounts
    top_entries: list[EntryCount]
    unanswered: list[UnansweredQuestion]
    overview: Overview
    channels: list[ChannelCounts] = field(default_factory=list)
    undelivered: int = 0
    period: Period = ALL_TIME
    live: LiveStats = field(default_factory=LiveStats)  # live hall games (bot.live)
