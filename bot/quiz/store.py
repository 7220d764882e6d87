"""What every part of the quiz service shares, and how table rows become results.

`QuizStore` holds the database, the clock, the random source, the questions to draw from and
the user hashing. The parts (rounds, polls, answers, standings) keep a reference to the one
store of their `QuizService` rather than copies of its fields, so a swapped question source
(a reloaded knowledge base) reaches every part at once.

The row conversions live here because more than one part returns the same result: a round
comes back from the round book and inside a round's summary, a poll from the poll register
and inside a round's state.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.quiz.bank import QuizItem
from bot.quiz.models import QuizPoll, QuizRound
from bot.quiz.results import PollInfo, Round
from bot.storage import Database, hash_user


@dataclass
class QuizStore:
    """The database and the settings every part of one quiz service reads at call time."""

    db: Database
    # Called whenever a question is drawn, so a reloaded knowledge base takes effect.
    items_provider: Callable[[], Sequence[QuizItem]]
    rng: random.Random
    clock: Callable[[], datetime]
    secret: str = field(default="", repr=False)

    def user_hash(self, user_id: int | str | None) -> str:
        """Users are stored only as this keyed hash (see `bot.storage.hash_user`)."""
        return hash_user(user_id, self.secret)

    def insert(self, model: Any) -> Any:
        """The dialect's INSERT, for ON CONFLICT clauses (SQLite and PostgreSQL spell them alike)."""
        return self.db.insert(model)


async def poll_count(session: AsyncSession, round_id: int) -> int:
    """Polls registered for the round so far (its questions asked)."""
    return int(
        await session.scalar(
            select(func.count()).select_from(QuizPoll).where(QuizPoll.round_id == round_id)
        )
        or 0
    )


async def round_of(session: AsyncSession, row: QuizRound) -> Round:
    return Round(
        id=row.id,
        chat_id=row.chat_id,
        started_by=row.started_by,
        started_at=row.started_at,
        ended_at=row.ended_at,
        status=row.status,
        questions_planned=row.questions_planned,
        seconds_per_question=row.seconds_per_question,
        series_id=row.series_id if row.series_id is not None else row.id,
        asked=await poll_count(session, row.id),
    )


def poll_info(row: QuizPoll) -> PollInfo:
    return PollInfo(
        poll_id=row.poll_id,
        round_id=row.round_id,
        chat_id=row.chat_id,
        message_id=row.message_id,
        question_id=row.question_id,
        question=row.question,
        options=tuple(row.options),
        correct_index=row.correct_index,
        source_line=row.source_line,
        opened_at=row.opened_at,
        closes_at=row.closes_at,
        closed=row.closed,
        closed_at=row.closed_at,
        position=row.position,
    )


def aware(value: Any) -> datetime | None:
    """Aggregates (max) bypass UtcDateTime on SQLite: parse and mark them UTC."""
    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)
