"""Poll answers: judged, written in batches, counted once; practice totals kept up to date.

Answers arrive in bursts (a whole group answers within seconds), so `record_answer` does not
open a transaction per answer: answers that arrive while a write is in progress are queued
and written together in the next transaction ("group commit"). Each caller still gets its own
outcome only after its answer is committed. "Counts once" is decided by the database: the
batch is inserted with ON CONFLICT DO NOTHING on the (poll, user) unique constraint and only
the rows actually inserted are 'recorded'; the others are 'duplicate'. That holds across
processes sharing one PostgreSQL database as well.

Anything that reads scores calls `flush` first, so it sees every answer received so far.
"""

from __future__ import annotations

import asyncio
import logging
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.quiz.models import MAX_DISPLAY_NAME, PracticeScore, QuizAnswer, QuizPoll
from bot.quiz.results import AnswerOutcome
from bot.quiz.scoring import PollWindow, assess
from bot.quiz.store import QuizStore

_LOGGER = logging.getLogger(__name__)

# Answers written in one transaction at most (SQLAlchemy pages the INSERT itself).
MAX_BATCH = 1000
# Shown for a user whose display name is empty.
NAMELESS = "匿名用户"


@dataclass
class _Pending:
    poll_id: str
    user_hash: str
    display_name: str
    option_ids: list[int]
    received_at: datetime
    future: asyncio.Future[AnswerOutcome] = field(repr=False)


class AnswerRecorder:
    """The write-behind queue of poll answers: one writer task drains it batch by batch."""

    def __init__(self, store: QuizStore) -> None:
        self.store = store
        self._queue: list[_Pending] = []
        self._writer: asyncio.Task[None] | None = None

    async def record_answer(
        self,
        poll_id: str,
        user_id: int | str,
        display_name: str,
        option_ids: Sequence[int],
        received_at: datetime | None = None,
    ) -> AnswerOutcome:
        """Score one poll answer, received at `received_at` (default: now).

        Unknown polls give 'unknown', answers after the close 'late', an empty option list
        'retracted', a second answer of the same user 'duplicate'; none of these change any
        score. Safe to call concurrently, from any number of tasks or processes.
        """
        loop = asyncio.get_running_loop()
        pending = _Pending(
            poll_id=poll_id,
            user_hash=self.store.user_hash(user_id),
            display_name=(display_name or "").strip()[:MAX_DISPLAY_NAME] or NAMELESS,
            option_ids=[int(i) for i in option_ids],
            received_at=received_at or self.store.clock(),
            future=loop.create_future(),
        )
        # A caller cancelled while waiting never reads its outcome: nothing to log then.
        pending.future.add_done_callback(_retrieve)
        self._queue.append(pending)
        if self._writer is None or self._writer.done():
            self._writer = asyncio.create_task(self._drain())
        return await asyncio.shield(pending.future)

    async def flush(self) -> None:
        """Wait until every answer queued so far is written."""
        while self._writer is not None and not self._writer.done():
            await asyncio.shield(self._writer)

    async def _drain(self) -> None:
        while self._queue:
            batch, self._queue = self._queue[:MAX_BATCH], self._queue[MAX_BATCH:]
            try:
                outcomes = await self._write_answers(batch)
            except Exception as error:  # every waiting caller learns of the failure
                _LOGGER.exception("writing %d quiz answers failed", len(batch))
                for pending in batch:
                    if not pending.future.done():
                        pending.future.set_exception(error)
                continue
            for pending, outcome in zip(batch, outcomes, strict=True):
                if not pending.future.done():
                    pending.future.set_result(outcome)

    async def _write_answers(self, batch: Sequence[_Pending]) -> list[AnswerOutcome]:
        """One transaction for a batch: judge each answer, insert the scored ones once."""
        outcomes: list[AnswerOutcome | None] = [None] * len(batch)
        async with self.store.db.session() as session, session.begin():
            poll_ids = sorted({p.poll_id for p in batch})
            polls = {
                row.poll_id: row
                for row in await session.scalars(
                    select(QuizPoll).where(QuizPoll.poll_id.in_(poll_ids))
                )
            }
            rows: list[dict[str, Any]] = []
            first: dict[tuple[str, str], int] = {}
            for index, pending in enumerate(batch):
                poll = polls.get(pending.poll_id)
                if poll is None:
                    outcomes[index] = AnswerOutcome("unknown", pending.poll_id)
                    continue
                base = {"poll_id": poll.poll_id, "round_id": poll.round_id, "chat_id": poll.chat_id}
                verdict = assess(_window(poll), pending.option_ids, pending.received_at)
                if not verdict.counts:
                    outcomes[index] = AnswerOutcome(verdict.verdict, **base)  # type: ignore[arg-type]
                    continue
                key = (poll.poll_id, pending.user_hash)
                if key in first:
                    outcomes[index] = AnswerOutcome("duplicate", **base)
                    continue
                first[key] = index
                outcomes[index] = AnswerOutcome(
                    "recorded", correct=verdict.correct, points=verdict.points, **base
                )
                rows.append(
                    {
                        **base,
                        "user_hash": pending.user_hash,
                        "display_name": pending.display_name,
                        "option_ids": pending.option_ids,
                        "correct": verdict.correct,
                        "points": verdict.points,
                        "received_at": pending.received_at,
                    }
                )
            if rows:
                inserted = await self._insert_answers(session, rows)
                practice: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
                for key, index in first.items():
                    outcome = outcomes[index]
                    assert outcome is not None
                    if key not in inserted:
                        outcomes[index] = AnswerOutcome(
                            "duplicate",
                            outcome.poll_id,
                            round_id=outcome.round_id,
                            chat_id=outcome.chat_id,
                        )
                    elif outcome.round_id is None:
                        totals = practice[key[1]]
                        totals[0] += 1
                        totals[1] += int(bool(outcome.correct))
                        totals[2] += outcome.points
                if practice:
                    await self._add_practice(session, practice)
        return [o for o in outcomes if o is not None]

    async def _insert_answers(
        self, session: AsyncSession, rows: list[dict[str, Any]]
    ) -> set[tuple[str, str]]:
        """Insert answers, skipping (poll, user) pairs already stored; return those inserted.

        One cached statement run over all rows (SQLAlchemy batches them into multi-row
        INSERTs); compiling a fresh multi-row VALUES for every batch would cost more than
        the writes.
        """
        table = QuizAnswer.__table__
        statement = (
            self.store.insert(table)
            .on_conflict_do_nothing(index_elements=["poll_id", "user_hash"])
            .returning(table.c.poll_id, table.c.user_hash, sort_by_parameter_order=False)
        )
        result = await session.execute(statement, rows)
        return {(poll_id, user_hash) for poll_id, user_hash in result.all()}

    async def _add_practice(self, session: AsyncSession, totals: dict[str, list[int]]) -> None:
        """Add a batch's practice answers to each user's running totals (an upsert per user)."""
        now = self.store.clock()
        for user_hash, (answered, correct, points) in sorted(totals.items()):
            statement = self.store.insert(PracticeScore).values(
                user_hash=user_hash,
                answered=answered,
                correct=correct,
                points=points,
                updated_at=now,
            )
            statement = statement.on_conflict_do_update(
                index_elements=["user_hash"],
                set_={
                    "answered": PracticeScore.answered + statement.excluded.answered,
                    "correct": PracticeScore.correct + statement.excluded.correct,
                    "points": PracticeScore.points + statement.excluded.points,
                    "updated_at": statement.excluded.updated_at,
                },
            )
            await session.execute(statement)


def _retrieve(future: asyncio.Future[AnswerOutcome]) -> None:
    if not future.cancelled():
        future.exception()


def _window(poll: QuizPoll) -> PollWindow:
    return PollWindow(
        opened_at=poll.opened_at,
        closes_at=poll.closes_at,
        correct_index=poll.correct_index,
        closed_at=poll.closed_at if poll.closed else None,
    )
