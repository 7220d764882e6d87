"""Rounds in the database: opening, drawing their questions, ending them, and what is open.

A chat has at most one open round (a partial unique index; a second process racing to open
one gets `AlreadyRunning`). Rounds started within `series_gap` of the chat's previous one
continue its series, which the leaderboard ranks separately from all time.

Questions are drawn here too, for rounds and for private practice: what has not been asked
in the chat (or of the user) yet comes first, and options are shuffled for each asking.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from bot.quiz.answers import AnswerRecorder
from bot.quiz.bank import QuizItem
from bot.quiz.models import AskedQuestion, QuizPoll, QuizRound
from bot.quiz.results import AlreadyRunning, PreparedQuestion, Round, RoundState, Status
from bot.quiz.store import QuizStore, poll_count, poll_info, round_of

DEFAULT_QUESTIONS, MIN_QUESTIONS, MAX_QUESTIONS = 5, 1, 50
DEFAULT_SECONDS, MIN_SECONDS, MAX_SECONDS = 30, 5, 600
# A round started within this time of the chat's previous one continues its series.
SERIES_GAP = timedelta(hours=12)


class RoundBook:
    """Opens, advances and ends rounds; draws the questions of rounds and of practice."""

    def __init__(
        self, store: QuizStore, answers: AnswerRecorder, series_gap: timedelta = SERIES_GAP
    ) -> None:
        self.store = store
        self.answers = answers  # ending a round writes its queued answers first
        self.series_gap = series_gap

    async def start_round(
        self,
        chat_id: int,
        started_by: int | str,
        n: int = DEFAULT_QUESTIONS,
        seconds: int = DEFAULT_SECONDS,
        *,
        new_series: bool = False,
        at: datetime | None = None,
    ) -> Round | AlreadyRunning:
        """Open a round of `n` questions of `seconds` each, unless the chat has one running.

        The round continues the chat's series when the previous round ended less than
        `series_gap` ago, unless `new_series`. Raises ValueError for n or seconds out of range.
        """
        if not MIN_QUESTIONS <= n <= MAX_QUESTIONS:
            raise ValueError(f"questions per round must be {MIN_QUESTIONS}–{MAX_QUESTIONS}")
        if not MIN_SECONDS <= seconds <= MAX_SECONDS:
            raise ValueError(f"seconds per question must be {MIN_SECONDS}–{MAX_SECONDS}")
        now = at or self.store.clock()
        db = self.store.db
        try:
            async with db.session() as session, session.begin():
                running = await _open_round(session, chat_id)
                if running is not None:
                    return AlreadyRunning(await round_of(session, running))
                last = await session.scalar(
                    select(QuizRound)
                    .where(QuizRound.chat_id == chat_id)
                    .order_by(QuizRound.id.desc())
                    .limit(1)
                )
                series = None
                if last is not None and not new_series:
                    last_time = last.ended_at or last.started_at
                    if now - last_time <= self.series_gap:
                        series = last.series_id
                row = QuizRound(
                    chat_id=chat_id,
                    started_by=self.store.user_hash(started_by),
                    started_at=now,
                    status="open",
                    questions_planned=n,
                    seconds_per_question=seconds,
                    series_id=series,
                )
                session.add(row)
                await session.flush()
                if row.series_id is None:
                    row.series_id = row.id
                return await round_of(session, row)
        except IntegrityError:
            # Another process opened a round in this chat between our check and our insert.
            async with db.session() as session:
                running = await _open_round(session, chat_id)
                if running is None:
                    raise
                return AlreadyRunning(await round_of(session, running))

    async def get_round(self, round_id: int) -> Round | None:
        async with self.store.db.session() as session:
            row = await session.get(QuizRound, round_id)
            return await round_of(session, row) if row else None

    async def running_round(self, chat_id: int) -> Round | None:
        """The chat's open round, if any (for /quiz_stop and refusals)."""
        async with self.store.db.session() as session:
            row = await _open_round(session, chat_id)
            return await round_of(session, row) if row else None

    async def next_question(self, round_id: int) -> PreparedQuestion | None:
        """The round's next question, or None when the round is complete or not open.

        Questions not yet asked in the chat come first; once every question has been asked
        there, the chat's record starts over (avoiding repeats within the round if possible).
        """
        items = list(self.store.items_provider())
        async with self.store.db.session() as session, session.begin():
            row = await session.get(QuizRound, round_id)
            if row is None or row.status != "open" or not items:
                return None
            asked_in_round = await poll_count(session, round_id)
            if asked_in_round >= row.questions_planned:
                return None
            in_round = set(
                (
                    await session.scalars(
                        select(QuizPoll.question_id).where(QuizPoll.round_id == round_id)
                    )
                ).all()
            )
            item = await self._draw(
                session, items, AskedQuestion.chat_id == row.chat_id, avoid=in_round
            )
            session.add(AskedQuestion(chat_id=row.chat_id, question_id=item.id, round_id=round_id))
        return self.prepare(item, asked_in_round + 1)

    async def end_round(
        self, round_id: int, status: Status = "finished", *, at: datetime | None = None
    ) -> bool:
        """End the round (finished, or stopped early) and close its polls; False if unknown.

        Idempotent: a round already ended keeps its status and end time.
        """
        if status not in ("finished", "stopped"):
            raise ValueError("status must be 'finished' or 'stopped'")
        await self.answers.flush()
        now = at or self.store.clock()
        async with self.store.db.session() as session, session.begin():
            row = await session.get(QuizRound, round_id)
            if row is None:
                return False
            if row.status == "open":
                row.status = status
                row.ended_at = now
                await session.execute(
                    update(QuizPoll)
                    .where(QuizPoll.round_id == round_id, QuizPoll.closed.is_(False))
                    .values(closed=True, closed_at=now)
                )
        return True

    async def open_rounds(self) -> list[RoundState]:
        """Rounds still open with their latest poll: after a restart, continue or finish them."""
        async with self.store.db.session() as session:
            rows = (
                await session.scalars(
                    select(QuizRound).where(QuizRound.status == "open").order_by(QuizRound.id)
                )
            ).all()
            states = []
            for row in rows:
                latest = await session.scalar(
                    select(QuizPoll)
                    .where(QuizPoll.round_id == row.id)
                    .order_by(QuizPoll.position.desc(), QuizPoll.opened_at.desc())
                    .limit(1)
                )
                states.append(
                    RoundState(await round_of(session, row), poll_info(latest) if latest else None)
                )
            return states

    # -- drawing questions --------------------------------------------------------------------

    async def practice_question(self, user_id: int | str) -> PreparedQuestion | None:
        """A question the user has not practised yet (all again once every one was asked)."""
        items = list(self.store.items_provider())
        if not items:
            return None
        user_hash = self.store.user_hash(user_id)
        async with self.store.db.session() as session, session.begin():
            scope = AskedQuestion.chat_id.is_(None) & (AskedQuestion.user_hash == user_hash)
            item = await self._draw(session, items, scope, avoid=set())
            session.add(AskedQuestion(chat_id=None, user_hash=user_hash, question_id=item.id))
        return self.prepare(item, None)

    def prepare(self, item: QuizItem, position: int | None) -> PreparedQuestion:
        """The item with its options shuffled, and where its right option ended up."""
        order = list(range(len(item.options)))
        self.store.rng.shuffle(order)
        return PreparedQuestion(
            item=item,
            options=tuple(item.options[i] for i in order),
            order=tuple(order),
            correct_index=order.index(item.correct),
            position=position,
        )

    async def _draw(
        self, session: AsyncSession, items: list[QuizItem], scope: Any, avoid: set[str]
    ) -> QuizItem:
        """An item not asked in `scope`; when all were, the scope's record starts over."""
        asked = set((await session.scalars(select(AskedQuestion.question_id).where(scope))).all())
        pool = [item for item in items if item.id not in asked]
        if not pool:
            await session.execute(delete(AskedQuestion).where(scope))
            pool = [item for item in items if item.id not in avoid] or items
        return self.store.rng.choice(pool)


async def _open_round(session: AsyncSession, chat_id: int) -> QuizRound | None:
    return await session.scalar(
        select(QuizRound).where(QuizRound.chat_id == chat_id, QuizRound.status == "open")
    )
