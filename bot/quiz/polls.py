"""Sent polls in the database: what each asked, its right option and when it closes.

A poll answer names only its poll, so a front end registers every poll it sends; answers are
judged against the registered poll (see `bot.quiz.answers`). Polls keep the question as
sent, so summaries never depend on the current bank.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from bot.quiz.bank import QuizItem
from bot.quiz.models import QuizPoll
from bot.quiz.results import PollInfo
from bot.quiz.store import QuizStore, poll_count, poll_info


class PollRegister:
    """Registers sent polls, closes them, and lists those a restart must still close."""

    def __init__(self, store: QuizStore) -> None:
        self.store = store

    async def register_poll(
        self,
        poll_id: str,
        round_id: int | None,
        chat_id: int,
        message_id: int | None,
        item: QuizItem,
        order: Sequence[int],
        correct_index: int,
        opened_at: datetime,
        closes_at: datetime | None,
    ) -> PollInfo:
        """Remember a sent poll so its answers can be scored (also after a restart).

        Registering the same poll id again returns the stored poll unchanged.
        """
        order = list(order)
        if sorted(order) != list(range(len(item.options))):
            raise ValueError("order must be a permutation of the item's option indices")
        if not 0 <= correct_index < len(order) or order[correct_index] != item.correct:
            raise ValueError("correct_index does not point at the item's right option")
        try:
            async with self.store.db.session() as session, session.begin():
                position = None
                if round_id is not None:
                    position = await poll_count(session, round_id) + 1
                row = QuizPoll(
                    poll_id=poll_id,
                    round_id=round_id,
                    chat_id=chat_id,
                    message_id=message_id,
                    question_id=item.id,
                    option_order=order,
                    question=item.question,
                    options=[item.options[i] for i in order],
                    source_line=item.source_line,
                    correct_index=correct_index,
                    opened_at=opened_at,
                    closes_at=closes_at,
                    closed=False,
                    position=position,
                )
                session.add(row)
                await session.flush()
                return poll_info(row)
        except IntegrityError:
            info = await self.get_poll(poll_id)
            if info is None:
                raise
            return info

    async def get_poll(self, poll_id: str) -> PollInfo | None:
        async with self.store.db.session() as session:
            row = await session.get(QuizPoll, poll_id)
            return poll_info(row) if row else None

    async def close_poll(self, poll_id: str, *, at: datetime | None = None) -> PollInfo | None:
        """Mark a poll closed; answers received after `at` (default now) no longer count."""
        now = at or self.store.clock()
        async with self.store.db.session() as session, session.begin():
            row = await session.get(QuizPoll, poll_id)
            if row is None:
                return None
            if not row.closed:
                row.closed = True
                row.closed_at = now
            return poll_info(row)

    async def open_polls(self) -> list[PollInfo]:
        """Timed polls not closed yet, oldest first: after a restart, schedule their closing.

        A poll whose closing time passed while the bot was down is best closed with
        `close_poll(poll_id, at=poll.closes_at)`. Polls without a time limit (practice) are
        left out: they never need closing, and their answers are scored regardless.
        """
        async with self.store.db.session() as session:
            rows = await session.scalars(
                select(QuizPoll)
                .where(QuizPoll.closed.is_(False), QuizPoll.closes_at.is_not(None))
                .order_by(QuizPoll.opened_at)
            )
            return [poll_info(row) for row in rows]
