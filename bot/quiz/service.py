"""The quiz as front ends use it: rounds, polls, answers, standings, export and practice.

`QuizService` knows nothing about Telegram; a front end calls it with what it sent and what
it received (poll ids, option indices, times of receipt) and renders what it returns. All
state lives in the database, so a new service over the same database — after a restart, or in
a second process — sees the open rounds and polls and keeps scoring their answers.

Answers arrive in bursts (a whole group answers within seconds), so `record_answer` does not
open a transaction per answer: answers that arrive while a write is in progress are queued
and written together in the next transaction ("group commit"). Each caller still gets its own
outcome only after its answer is committed. "Counts once" is decided by the database: the
batch is inserted with ON CONFLICT DO NOTHING on the (poll, user) unique constraint and only
the rows actually inserted are 'recorded'; the others are 'duplicate'. That holds across
processes sharing one PostgreSQL database as well.
"""

from __future__ import annotations

import asyncio
import csv
import io
import logging
import random
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone
from typing import Any, Literal

from sqlalchemy import Select, case, delete, func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from bot.quiz.bank import QuizItem
from bot.quiz.models import (
    MAX_DISPLAY_NAME,
    AskedQuestion,
    PracticeScore,
    QuizAnswer,
    QuizPoll,
    QuizRound,
)
from bot.quiz.scoring import PollWindow, assess
from bot.storage import Database, hash_user
from bot.storage.models import utcnow

_LOGGER = logging.getLogger(__name__)

DEFAULT_QUESTIONS, MIN_QUESTIONS, MAX_QUESTIONS = 5, 1, 50
DEFAULT_SECONDS, MIN_SECONDS, MAX_SECONDS = 30, 5, 600
# A round started within this time of the chat's previous one continues its series.
SERIES_GAP = timedelta(hours=12)
RANKING_SIZE = 10
# Answers written in one transaction at most (SQLAlchemy pages the INSERT itself).
MAX_BATCH = 1000
# Shown for a user whose display name is empty.
NAMELESS = "匿名用户"
# Organisers read times in Beijing time (no daylight saving).
EXPORT_TIMEZONE = timezone(timedelta(hours=8))
EXPORT_HEADER = ("用户", "答题数", "答对数", "得分", "最后答题时间（北京时间）")

Status = Literal["open", "finished", "stopped"]
AnswerStatus = Literal["recorded", "duplicate", "late", "retracted", "unknown"]


# -- what the service returns -----------------------------------------------------------------


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


@dataclass
class _Pending:
    poll_id: str
    user_hash: str
    display_name: str
    option_ids: list[int]
    received_at: datetime
    future: asyncio.Future[AnswerOutcome] = field(repr=False)


# -- the service ------------------------------------------------------------------------------


class QuizService:
    """Quiz rounds, polls and scores over one `Database` (SQLite in WAL mode or PostgreSQL).

    `items_provider` returns the questions to draw from (bank and generated); it is called
    whenever a question is drawn, so a reloaded knowledge base takes effect. Polls keep the
    question as sent, so summaries never depend on the current bank.
    """

    def __init__(
        self,
        db: Database,
        items_provider: Callable[[], Sequence[QuizItem]],
        *,
        secret: str = "",
        rng: random.Random | None = None,
        clock: Callable[[], datetime] = utcnow,
        series_gap: timedelta = SERIES_GAP,
    ) -> None:
        self.db = db
        self.items_provider = items_provider
        self._secret = secret
        self.rng = rng or random.Random()
        self.clock = clock
        self.series_gap = series_gap
        self._queue: list[_Pending] = []
        self._writer: asyncio.Task[None] | None = None

    async def prepare(self) -> None:
        """Create the tables if needed (at start-up)."""
        await self.db.create_all()

    async def close(self) -> None:
        """Wait for queued answers to be written (at shutdown). The database stays open."""
        await self.flush()

    def user_hash(self, user_id: int | str | None) -> str:
        return hash_user(user_id, self._secret)

    def items(self) -> dict[str, QuizItem]:
        return {item.id: item for item in self.items_provider()}

    # -- rounds -------------------------------------------------------------------------------

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
        now = at or self.clock()
        try:
            async with self.db.session() as session, session.begin():
                running = await self._open_round(session, chat_id)
                if running is not None:
                    return AlreadyRunning(await self._round(session, running))
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
                    started_by=self.user_hash(started_by),
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
                return await self._round(session, row)
        except IntegrityError:
            # Another process opened a round in this chat between our check and our insert.
            async with self.db.session() as session:
                running = await self._open_round(session, chat_id)
                if running is None:
                    raise
                return AlreadyRunning(await self._round(session, running))

    async def get_round(self, round_id: int) -> Round | None:
        async with self.db.session() as session:
            row = await session.get(QuizRound, round_id)
            return await self._round(session, row) if row else None

    async def running_round(self, chat_id: int) -> Round | None:
        """The chat's open round, if any (for /quiz_stop and refusals)."""
        async with self.db.session() as session:
            row = await self._open_round(session, chat_id)
            return await self._round(session, row) if row else None

    async def next_question(self, round_id: int) -> PreparedQuestion | None:
        """The round's next question, or None when the round is complete or not open.

        Questions not yet asked in the chat come first; once every question has been asked
        there, the chat's record starts over (avoiding repeats within the round if possible).
        """
        items = list(self.items_provider())
        async with self.db.session() as session, session.begin():
            row = await session.get(QuizRound, round_id)
            if row is None or row.status != "open" or not items:
                return None
            asked_in_round = await self._poll_count(session, round_id)
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
        return self._prepare(item, asked_in_round + 1)

    async def finish_round(
        self, round_id: int, status: Status = "finished", *, at: datetime | None = None
    ) -> RoundSummary | None:
        """End the round (finished, or stopped early), close its polls, and sum it up.

        Idempotent: a round already ended keeps its status and end time, and its summary is
        returned again (so a restart can post a ranking it had not posted).
        """
        if status not in ("finished", "stopped"):
            raise ValueError("status must be 'finished' or 'stopped'")
        await self.flush()
        now = at or self.clock()
        async with self.db.session() as session, session.begin():
            row = await session.get(QuizRound, round_id)
            if row is None:
                return None
            if row.status == "open":
                row.status = status
                row.ended_at = now
                await session.execute(
                    update(QuizPoll)
                    .where(QuizPoll.round_id == round_id, QuizPoll.closed.is_(False))
                    .values(closed=True, closed_at=now)
                )
        return await self.round_summary(round_id)

    async def round_summary(self, round_id: int, limit: int = RANKING_SIZE) -> RoundSummary | None:
        """Ranking (top `limit`) and every question of the round with its answer and source."""
        await self.flush()
        async with self.db.session() as session:
            row = await session.get(QuizRound, round_id)
            if row is None:
                return None
            where = QuizAnswer.round_id == round_id
            ranking = await self._ranking(session, where, limit)
            participants = int(
                await session.scalar(
                    select(func.count(func.distinct(QuizAnswer.user_hash))).where(where)
                )
                or 0
            )
            stats = {
                poll_id: (int(total), int(right or 0))
                for poll_id, total, right in (
                    await session.execute(
                        select(
                            QuizAnswer.poll_id,
                            func.count(QuizAnswer.id),
                            func.sum(case((QuizAnswer.correct, 1), else_=0)),
                        )
                        .where(where)
                        .group_by(QuizAnswer.poll_id)
                    )
                ).all()
            }
            polls = (
                await session.scalars(
                    select(QuizPoll)
                    .where(QuizPoll.round_id == round_id)
                    .order_by(QuizPoll.position, QuizPoll.opened_at)
                )
            ).all()
            questions = []
            for poll in polls:
                answered, right = stats.get(poll.poll_id, (0, 0))
                questions.append(
                    QuestionSummary(
                        position=poll.position,
                        question_id=poll.question_id,
                        question=poll.question,
                        answer=poll.options[poll.correct_index],
                        source_line=poll.source_line,
                        answered=answered,
                        correct=right,
                    )
                )
            return RoundSummary(await self._round(session, row), ranking, questions, participants)

    # -- polls --------------------------------------------------------------------------------

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
            async with self.db.session() as session, session.begin():
                position = None
                if round_id is not None:
                    position = await self._poll_count(session, round_id) + 1
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
                return _poll_info(row)
        except IntegrityError:
            info = await self.get_poll(poll_id)
            if info is None:
                raise
            return info

    async def get_poll(self, poll_id: str) -> PollInfo | None:
        async with self.db.session() as session:
            row = await session.get(QuizPoll, poll_id)
            return _poll_info(row) if row else None

    async def close_poll(self, poll_id: str, *, at: datetime | None = None) -> PollInfo | None:
        """Mark a poll closed; answers received after `at` (default now) no longer count."""
        now = at or self.clock()
        async with self.db.session() as session, session.begin():
            row = await session.get(QuizPoll, poll_id)
            if row is None:
                return None
            if not row.closed:
                row.closed = True
                row.closed_at = now
            return _poll_info(row)

    async def open_polls(self) -> list[PollInfo]:
        """Timed polls not closed yet, oldest first: after a restart, schedule their closing.

        A poll whose closing time passed while the bot was down is best closed with
        `close_poll(poll_id, at=poll.closes_at)`. Polls without a time limit (practice) are
        left out: they never need closing, and their answers are scored regardless.
        """
        async with self.db.session() as session:
            rows = await session.scalars(
                select(QuizPoll)
                .where(QuizPoll.closed.is_(False), QuizPoll.closes_at.is_not(None))
                .order_by(QuizPoll.opened_at)
            )
            return [_poll_info(row) for row in rows]

    async def open_rounds(self) -> list[RoundState]:
        """Rounds still open with their latest poll: after a restart, continue or finish them."""
        async with self.db.session() as session:
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
                    RoundState(
                        await self._round(session, row), _poll_info(latest) if latest else None
                    )
                )
            return states

    # -- answers ------------------------------------------------------------------------------

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
            user_hash=self.user_hash(user_id),
            display_name=(display_name or "").strip()[:MAX_DISPLAY_NAME] or NAMELESS,
            option_ids=[int(i) for i in option_ids],
            received_at=received_at or self.clock(),
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
        async with self.db.session() as session, session.begin():
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

    def _insert(self, model: type[Any]) -> Any:
        dialect = sqlite if self.db.is_sqlite else postgresql
        return dialect.insert(model)

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
            self._insert(table)
            .on_conflict_do_nothing(index_elements=["poll_id", "user_hash"])
            .returning(table.c.poll_id, table.c.user_hash, sort_by_parameter_order=False)
        )
        result = await session.execute(statement, rows)
        return {(poll_id, user_hash) for poll_id, user_hash in result.all()}

    async def _add_practice(self, session: AsyncSession, totals: dict[str, list[int]]) -> None:
        now = self.clock()
        for user_hash, (answered, correct, points) in sorted(totals.items()):
            statement = self._insert(PracticeScore).values(
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

    # -- standings ----------------------------------------------------------------------------

    async def leaderboard(self, chat_id: int, limit: int = RANKING_SIZE) -> Leaderboard:
        """The chat's standings: its current round series (the latest round's) and all time."""
        await self.flush()
        async with self.db.session() as session:
            series_id = await session.scalar(
                select(QuizRound.series_id)
                .where(QuizRound.chat_id == chat_id)
                .order_by(QuizRound.id.desc())
                .limit(1)
            )
            in_chat = (QuizAnswer.chat_id == chat_id) & QuizAnswer.round_id.is_not(None)
            series: list[RankingRow] = []
            if series_id is not None:
                rounds = select(QuizRound.id).where(
                    QuizRound.chat_id == chat_id, QuizRound.series_id == series_id
                )
                series = await self._ranking(
                    session, in_chat & QuizAnswer.round_id.in_(rounds), limit
                )
            all_time = await self._ranking(session, in_chat, limit)
            return Leaderboard(series_id, series, all_time)

    async def user_stats(self, user_id: int | str) -> UserStats:
        """The user's totals over group rounds in every chat, and their practice score."""
        await self.flush()
        user_hash = self.user_hash(user_id)
        async with self.db.session() as session:
            answered, correct, points, rounds, groups, last = (
                await session.execute(
                    select(
                        func.count(QuizAnswer.id),
                        func.sum(case((QuizAnswer.correct, 1), else_=0)),
                        func.sum(QuizAnswer.points),
                        func.count(func.distinct(QuizAnswer.round_id)),
                        func.count(func.distinct(QuizAnswer.chat_id)),
                        func.max(QuizAnswer.received_at),
                    ).where(QuizAnswer.user_hash == user_hash, QuizAnswer.round_id.is_not(None))
                )
            ).one()
            practice = await self._practice(session, user_hash)
        return UserStats(
            answered=int(answered or 0),
            correct=int(correct or 0),
            points=int(points or 0),
            rounds=int(rounds or 0),
            groups=int(groups or 0),
            last_answer_at=_aware(last),
            practice=practice,
        )

    async def export_csv(self, chat_id: int, tz: timezone = EXPORT_TIMEZONE) -> str:
        """The chat's results per user (round answers), best first, as CSV text.

        Columns: 用户, 答题数, 答对数, 得分, 最后答题时间（北京时间）. Names that a spreadsheet
        would read as a formula are prefixed with an apostrophe. Encode the text as UTF-8 with
        a BOM (utf-8-sig) for Excel.
        """
        await self.flush()
        async with self.db.session() as session:
            rows = await self._standings(
                session, (QuizAnswer.chat_id == chat_id) & QuizAnswer.round_id.is_not(None), None
            )
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(EXPORT_HEADER)
        for row in rows:
            last = row.last_answer_at.astimezone(tz).strftime("%Y-%m-%d %H:%M:%S")
            writer.writerow(
                [_csv_safe(row.display_name), row.answered, row.correct, row.points, last]
            )
        return out.getvalue()

    # -- practice -----------------------------------------------------------------------------

    async def practice_question(self, user_id: int | str) -> PreparedQuestion | None:
        """A question the user has not practised yet (all again once every one was asked)."""
        items = list(self.items_provider())
        if not items:
            return None
        user_hash = self.user_hash(user_id)
        async with self.db.session() as session, session.begin():
            scope = AskedQuestion.chat_id.is_(None) & (AskedQuestion.user_hash == user_hash)
            item = await self._draw(session, items, scope, avoid=set())
            session.add(AskedQuestion(chat_id=None, user_hash=user_hash, question_id=item.id))
        return self._prepare(item, None)

    async def practice_score(self, user_id: int | str) -> PracticeTotals:
        await self.flush()
        async with self.db.session() as session:
            return await self._practice(session, self.user_hash(user_id))

    # -- helpers ------------------------------------------------------------------------------

    def _prepare(self, item: QuizItem, position: int | None) -> PreparedQuestion:
        order = list(range(len(item.options)))
        self.rng.shuffle(order)
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
        return self.rng.choice(pool)

    async def _open_round(self, session: AsyncSession, chat_id: int) -> QuizRound | None:
        return await session.scalar(
            select(QuizRound).where(QuizRound.chat_id == chat_id, QuizRound.status == "open")
        )

    async def _poll_count(self, session: AsyncSession, round_id: int) -> int:
        return int(
            await session.scalar(
                select(func.count()).select_from(QuizPoll).where(QuizPoll.round_id == round_id)
            )
            or 0
        )

    async def _round(self, session: AsyncSession, row: QuizRound) -> Round:
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
            asked=await self._poll_count(session, row.id),
        )

    async def _standings(
        self, session: AsyncSession, where: Any, limit: int | None
    ) -> list[_Standing]:
        """Per user: points, right answers, answers, last answer and latest display name.

        Best first: more points, then more right answers, then whoever finished first.
        """
        query: Select[Any] = (
            select(
                QuizAnswer.user_hash,
                func.sum(QuizAnswer.points).label("points"),
                func.sum(case((QuizAnswer.correct, 1), else_=0)).label("correct"),
                func.count(QuizAnswer.id).label("answered"),
                func.max(QuizAnswer.received_at).label("last"),
                func.max(QuizAnswer.id).label("last_id"),
            )
            .where(where)
            .group_by(QuizAnswer.user_hash)
            .order_by(
                func.sum(QuizAnswer.points).desc(),
                func.sum(case((QuizAnswer.correct, 1), else_=0)).desc(),
                func.max(QuizAnswer.received_at),
                QuizAnswer.user_hash,
            )
        )
        if limit is not None:
            query = query.limit(limit)
        rows = (await session.execute(query)).all()
        names = dict(
            (
                await session.execute(
                    select(QuizAnswer.id, QuizAnswer.display_name).where(
                        QuizAnswer.id.in_([row.last_id for row in rows])
                    )
                )
            ).all()
        )
        return [
            _Standing(
                user_hash=row.user_hash,
                display_name=names.get(row.last_id, NAMELESS),
                points=int(row.points or 0),
                correct=int(row.correct or 0),
                answered=int(row.answered),
                last_answer_at=_aware(row.last) or self.clock(),
            )
            for row in rows
        ]

    async def _ranking(self, session: AsyncSession, where: Any, limit: int) -> list[RankingRow]:
        ranking: list[RankingRow] = []
        for index, row in enumerate(await self._standings(session, where, limit)):
            previous = ranking[-1] if ranking else None
            tied = previous and (previous.points, previous.correct) == (row.points, row.correct)
            rank = previous.rank if tied and previous else index + 1
            ranking.append(
                RankingRow(rank, row.display_name, row.points, row.correct, row.answered)
            )
        return ranking

    async def _practice(self, session: AsyncSession, user_hash: str) -> PracticeTotals:
        row = await session.get(PracticeScore, user_hash)
        if row is None:
            return PracticeTotals()
        return PracticeTotals(row.answered, row.correct, row.points)


@dataclass(frozen=True)
class _Standing:
    user_hash: str
    display_name: str
    points: int
    correct: int
    answered: int
    last_answer_at: datetime


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


def _poll_info(row: QuizPoll) -> PollInfo:
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


def _aware(value: Any) -> datetime | None:
    """Aggregates (max) bypass UtcDateTime on SQLite: parse and mark them UTC."""
    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


def _csv_safe(text: str) -> str:
    """Keep spreadsheets from running a name as a formula (CSV injection)."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
