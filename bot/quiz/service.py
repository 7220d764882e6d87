"""The quiz as front ends use it: one object for rounds, polls, answers, standings and export.

`QuizService` knows nothing about any chat platform; a front end calls it with what it sent
and what it received (poll ids, option indices, times of receipt) and renders what it
returns (`bot.quiz.results`). All state lives in the database, so a new service over the
same database — after a restart, or in a second process — sees the open rounds and polls and
keeps scoring their answers.

The work is done by its parts, each owning one concern over one shared `QuizStore`:
`RoundBook` (rounds, drawing questions), `PollRegister` (sent polls), `AnswerRecorder`
(the answer queue and scoring writes), `Standings` (rankings, summaries, personal figures)
and `results_csv` (the export). The service decides nothing itself: each method hands over
to the part that owns it, so a caller needs one object and never the order of the parts'
steps (finishing a round is ending it, then summing it up).
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta, timezone

from bot.quiz.answers import AnswerRecorder
from bot.quiz.bank import QuizItem
from bot.quiz.export import EXPORT_TIMEZONE, results_csv
from bot.quiz.polls import PollRegister
from bot.quiz.results import (
    AlreadyRunning,
    AnswerOutcome,
    Leaderboard,
    PollInfo,
    PracticeTotals,
    PreparedQuestion,
    Round,
    RoundState,
    RoundSummary,
    Status,
    UserStats,
)
from bot.quiz.rounds import DEFAULT_QUESTIONS, DEFAULT_SECONDS, SERIES_GAP, RoundBook
from bot.quiz.standings import RANKING_SIZE, Standings
from bot.quiz.store import QuizStore
from bot.storage import Database
from bot.storage.models import utcnow


class QuizService:
    """Quiz rounds, polls and scores over one `Database` (SQLite in WAL mode or PostgreSQL).

    `items_provider` returns the questions to draw from (bank and generated); it is called
    whenever a question is drawn, so a reloaded knowledge base (assigned to
    `items_provider`) takes effect. Polls keep the question as sent, so summaries never
    depend on the current bank.
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
        self.store = QuizStore(db, items_provider, rng or random.Random(), clock, secret)
        self.answers = AnswerRecorder(self.store)
        self.rounds = RoundBook(self.store, self.answers, series_gap)
        self.polls = PollRegister(self.store)
        self.standings = Standings(self.store, self.answers)

    # -- shared settings (read from the store, so every part sees the same) -------------------

    @property
    def db(self) -> Database:
        return self.store.db

    @property
    def items_provider(self) -> Callable[[], Sequence[QuizItem]]:
        return self.store.items_provider

    @items_provider.setter
    def items_provider(self, provider: Callable[[], Sequence[QuizItem]]) -> None:
        self.store.items_provider = provider

    @property
    def rng(self) -> random.Random:
        return self.store.rng

    @property
    def clock(self) -> Callable[[], datetime]:
        return self.store.clock

    @property
    def series_gap(self) -> timedelta:
        return self.rounds.series_gap

    async def prepare(self) -> None:
        """Create or upgrade the schema if needed (at start-up): `Database.migrate`."""
        await self.db.migrate()

    async def close(self) -> None:
        """Wait for queued answers to be written (at shutdown). The database stays open."""
        await self.flush()

    def user_hash(self, user_id: int | str | None) -> str:
        return self.store.user_hash(user_id)

    def items(self) -> dict[str, QuizItem]:
        return {item.id: item for item in self.items_provider()}

    # -- rounds (RoundBook) -------------------------------------------------------------------

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
        return await self.rounds.start_round(
            chat_id, started_by, n, seconds, new_series=new_series, at=at
        )

    async def get_round(self, round_id: int) -> Round | None:
        return await self.rounds.get_round(round_id)

    async def running_round(self, chat_id: int) -> Round | None:
        """The chat's open round, if any (for /quiz_stop and refusals)."""
        return await self.rounds.running_round(chat_id)

    async def next_question(self, round_id: int) -> PreparedQuestion | None:
        """The round's next question, or None when the round is complete or not open."""
        return await self.rounds.next_question(round_id)

    async def finish_round(
        self, round_id: int, status: Status = "finished", *, at: datetime | None = None
    ) -> RoundSummary | None:
        """End the round (finished, or stopped early), close its polls, and sum it up.

        Idempotent: a round already ended keeps its status and end time, and its summary is
        returned again (so a restart can post a ranking it had not posted).
        """
        if not await self.rounds.end_round(round_id, status, at=at):
            return None
        return await self.round_summary(round_id)

    async def open_rounds(self) -> list[RoundState]:
        """Rounds still open with their latest poll: after a restart, continue or finish them."""
        return await self.rounds.open_rounds()

    async def practice_question(self, user_id: int | str) -> PreparedQuestion | None:
        """A question the user has not practised yet (all again once every one was asked)."""
        return await self.rounds.practice_question(user_id)

    # -- polls (PollRegister) -----------------------------------------------------------------

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
        return await self.polls.register_poll(
            poll_id,
            round_id,
            chat_id,
            message_id,
            item,
            order,
            correct_index,
            opened_at,
            closes_at,
        )

    async def get_poll(self, poll_id: str) -> PollInfo | None:
        return await self.polls.get_poll(poll_id)

    async def close_poll(self, poll_id: str, *, at: datetime | None = None) -> PollInfo | None:
        """Mark a poll closed; answers received after `at` (default now) no longer count."""
        return await self.polls.close_poll(poll_id, at=at)

    async def open_polls(self) -> list[PollInfo]:
        """Timed polls not closed yet, oldest first: after a restart, schedule their closing."""
        return await self.polls.open_polls()

    # -- answers (AnswerRecorder) -------------------------------------------------------------

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
        return await self.answers.record_answer(
            poll_id, user_id, display_name, option_ids, received_at
        )

    async def flush(self) -> None:
        """Wait until every answer queued so far is written."""
        await self.answers.flush()

    # -- standings (Standings) and export -----------------------------------------------------

    async def round_summary(self, round_id: int, limit: int = RANKING_SIZE) -> RoundSummary | None:
        """Ranking (top `limit`) and every question of the round with its answer and source."""
        return await self.standings.round_summary(round_id, limit)

    async def leaderboard(self, chat_id: int, limit: int = RANKING_SIZE) -> Leaderboard:
        """The chat's standings: its current round series (the latest round's) and all time."""
        return await self.standings.leaderboard(chat_id, limit)

    async def user_stats(self, user_id: int | str) -> UserStats:
        """The user's totals over group rounds in every chat, and their practice score."""
        return await self.standings.user_stats(user_id)

    async def practice_score(self, user_id: int | str) -> PracticeTotals:
        return await self.standings.practice_score(user_id)

    async def export_csv(self, chat_id: int, tz: timezone = EXPORT_TIMEZONE) -> str:
        """The chat's results per user (round answers), best first, as CSV text.

        Columns: 用户, 答题数, 答对数, 得分, 最后答题时间（北京时间）. Names that a spreadsheet
        would read as a formula are prefixed with an apostrophe. Encode the text as UTF-8 with
        a BOM (utf-8-sig) for Excel.
        """
        return results_csv(await self.standings.chat_standings(chat_id), tz)
