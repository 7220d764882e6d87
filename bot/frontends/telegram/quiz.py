"""Quizzes on Telegram: group rounds of native quiz polls, standings, practice and export.

A thin adapter over `bot.quiz.QuizService`, which owns every rule and all state (rounds,
polls, answers, scores) in the database. This module sends what the service prepares and
feeds it what Telegram reports:

* `/quiz [N] [S]` (group administrators, or users in BOT_ADMIN_IDS; groups only) opens a
  round. The *round driver* posts each question as a quiz poll (`type=quiz`,
  `is_anonymous=False` — anonymous polls report no voters — `open_period=S`,
  `correct_option_ids`, the explanation with its citation, options in the service's shuffled
  order, no revoting). When the period ends — a JobQueue job at the poll's closing time,
  which is when Telegram closes it too — the poll is closed in the database and, after a
  short pause, the next question is posted; after the last one the ranking and the right
  answers with their sources are posted. `/quiz_stop` ends a round early.
  The bot does not ask for `poll` updates: Telegram sends one for every change of a bot
  poll's counts, i.e. for every vote, which would double the updates of a burst of answers
  and tell the driver nothing its timer does not.
* `poll_answer` updates carry no chat and no time: the service maps the poll id to its
  round, and the time of receipt is taken when the handler starts. Late, repeated and
  retracted votes change nothing (the service decides; the update processor also drops
  redelivered update ids).
* The driver keeps nothing important in memory. Each step re-reads the round from the
  database under a per-round lock and is idempotent (a step that finds the round ended or
  moved on does nothing), so a restarted bot picks up where the old one stopped: `recover()`
  (at start-up)
  schedules the close of every open poll at its closing time — at once if it is overdue —
  and the next step of every open round.

Answers that Telegram queued while the bot was down: Telegram accepts no vote after a poll's
open period, so an answer to a poll whose closing time passed while the bot was down (it
was still open in the database at start-up, and overdue) was necessarily cast in time; it
only reached us late. Such answers are judged as received at the poll's closing time: a
right answer scores the base points without speed bonus. Answers to polls still open at
start-up are judged at their time of receipt like any other.

Pacing: Telegram accepts at most 20 messages a minute into one group. `AIORateLimiter`
(on unless `flood_control=False`) enforces that for every request to a group, Q&A replies
included, by making requests wait; it is what the bot relies on. The quiz also counts its
own messages per group (`GroupPacer`) and waits *before* sending when a round would exceed
the limit, so a round slows down instead of queueing requests — and stays within the limit
when flood control is off (benchmarks).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
import time
from collections import deque
from collections.abc import Awaitable, Callable, Collection, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from telegram import (
    CallbackQuery,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
    Poll,
    ReplyParameters,
    Update,
    User,
)
from telegram.constants import ChatMemberStatus, ChatType
from telegram.error import BadRequest, ChatMigrated, Forbidden, TelegramError
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    PollAnswerHandler,
    filters,
)

from bot.frontends.telegram.ratelimit import UserRateLimiter, Verdict
from bot.frontends.telegram.render import Block, paginate
from bot.frontends.telegram.send import Target, send_chunks
from bot.frontends.telegram.texts import Texts
from bot.quiz import (
    AlreadyRunning,
    AnswerOutcome,
    Leaderboard,
    PollInfo,
    PreparedQuestion,
    QuizService,
    RankingRow,
    Round,
    RoundState,
    RoundSummary,
    UserStats,
)
from bot.quiz.service import (
    DEFAULT_QUESTIONS,
    DEFAULT_SECONDS,
    EXPORT_TIMEZONE,
    MAX_QUESTIONS,
    MAX_SECONDS,
    MIN_QUESTIONS,
    MIN_SECONDS,
)

_LOGGER = logging.getLogger(__name__)

Context = ContextTypes.DEFAULT_TYPE

# Texts this module shows (intents/rules.yaml `responses:`); checked when the bot is built.
QUIZ_TEXT_KEYS = (
    "tg_command_quiz",
    "tg_command_quiz_stop",
    "tg_command_leaderboard",
    "tg_command_mystats",
    "tg_command_practice",
    "tg_command_quiz_export",
    "tg_help_quiz",
    "tg_quiz_usage",
    "tg_quiz_groups_only",
    "tg_quiz_admin_only",
    "tg_quiz_already_running",
    "tg_quiz_not_running",
    "tg_quiz_started",
    "tg_quiz_poll_prefix",
    "tg_quiz_finished_title",
    "tg_quiz_stopped_title",
    "tg_quiz_ranking_title",
    "tg_quiz_ranking_row",
    "tg_quiz_no_answers",
    "tg_quiz_answers_title",
    "tg_quiz_answer_item",
    "tg_leaderboard_title",
    "tg_leaderboard_series",
    "tg_leaderboard_all_time",
    "tg_leaderboard_empty",
    "tg_leaderboard_groups_only",
    "tg_mystats_private_only",
    "tg_mystats",
    "tg_mystats_last",
    "tg_practice_trigger",
    "tg_practice_private_only",
    "tg_practice_empty",
    "tg_practice_right",
    "tg_practice_wrong",
    "tg_practice_source",
    "tg_practice_score",
    "tg_practice_next",
    "tg_export_caption",
    "tg_export_empty",
)

# Telegram's limits on a quiz poll's question text.
MAX_POLL_QUESTION = 300
# Callback data of the 下一题 button under practice feedback (it carries nothing to forge).
PRACTICE_NEXT = "quiz:practice:next"
# Telegram's limit for one group, and the window it is counted over.
GROUP_MESSAGES_PER_MINUTE = 20
EXPORT_FILENAME = "quiz-results-{chat}-{date}.csv"
# A question whose poll could not be sent is skipped; this many failures in a row stop the
# round (the group is gone, or Telegram keeps refusing).
MAX_SEND_FAILURES = 3
# A poll answer for a poll id the database does not know may belong to a poll whose
# registration is still being written: wait this long for it, then ask once more.
REGISTRATION_WAIT = 10.0
# APScheduler skips a job that starts more than a second late unless told otherwise; a busy
# loop (a whole group answering) must delay a round's next step, never drop it.
_JOB_KWARGS: dict[str, Any] = {"misfire_grace_time": None}
_CLOSE_JOB = "quiz-close-{round_id}"
_NEXT_JOB = "quiz-next-{round_id}"


@dataclass(frozen=True)
class QuizOptions:
    """How the Telegram quiz paces itself. The defaults suit production."""

    # Seconds between a poll's close and the next question (or the results): lets the
    # group read the explanation, and lets answers fetched just before the close land.
    pause: float = 3.0
    group_limit: int = GROUP_MESSAGES_PER_MINUTE
    group_period: float = 60.0
    # Keep each poll answer's processing time (handler start → scored) in `answer_times`.
    measure: bool = False


# -- pacing -----------------------------------------------------------------------------------


class GroupPacer:
    """At most `limit` quiz messages into one group per sliding `period`; waits when needed.

    Private chats are not paced (Telegram's per-chat limit there is about one message a
    second, far above what practice sends).
    """

    def __init__(
        self,
        limit: int = GROUP_MESSAGES_PER_MINUTE,
        period: float = 60.0,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[Any]] = asyncio.sleep,
    ) -> None:
        self.limit = limit
        self.period = period
        self._clock = clock
        self._sleep = sleep
        self._sent: dict[int, deque[float]] = {}
        self._locks: dict[int, asyncio.Lock] = {}

    async def acquire(self, chat_id: int) -> float:
        """Wait until one more message may go to `chat_id`, count it; return the wait."""
        if chat_id >= 0 or self.limit <= 0:
            return 0.0
        lock = self._locks.setdefault(chat_id, asyncio.Lock())
        waited = 0.0
        async with lock:  # waiters are served in order
            sent = self._sent.setdefault(chat_id, deque())
            while True:
                now = self._clock()
                while sent and sent[0] <= now - self.period:
                    sent.popleft()
                if len(sent) < self.limit:
                    sent.append(now)
                    return waited
                delay = sent[0] + self.period - now
                waited += delay
                _LOGGER.info("pacing group %s: waiting %.1f s", chat_id, delay)
                await self._sleep(delay)

    def sent_within(self, chat_id: int) -> int:
        """Messages counted for the chat in the current window (for tests and logs)."""
        now = self._clock()
        return sum(1 for t in self._sent.get(chat_id, ()) if t > now - self.period)


# -- parsing and rendering (pure) ---------------------------------------------------------------


def parse_quiz_arguments(argument: str) -> tuple[int, int] | None:
    """`/quiz [N] [S]` → (N, S) with the defaults; None when malformed or out of range."""
    parts = argument.split()
    if len(parts) > 2 or not all(part.isdecimal() for part in parts):
        return None
    values = [int(part) for part in parts]
    n = values[0] if values else DEFAULT_QUESTIONS
    seconds = values[1] if len(values) > 1 else DEFAULT_SECONDS
    if not (MIN_QUESTIONS <= n <= MAX_QUESTIONS and MIN_SECONDS <= seconds <= MAX_SECONDS):
        return None
    return n, seconds


def poll_question(texts: Texts, question: PreparedQuestion, total: int) -> str:
    """The poll's question, led by 第k/N题 when that still fits Telegram's 300 characters."""
    if question.position is None:
        return question.item.question
    text = texts("tg_quiz_poll_prefix", position=question.position, total=total)
    text += question.item.question
    return text if len(text) <= MAX_POLL_QUESTION else question.item.question


def _ranking_lines(texts: Texts, rows: Sequence[RankingRow]) -> str:
    return "\n".join(
        texts(
            "tg_quiz_ranking_row",
            rank=row.rank,
            name=row.display_name,
            points=row.points,
            correct=row.correct,
            answered=row.answered,
        )
        for row in rows
    )


def render_summary(texts: Texts, summary: RoundSummary, stopped: bool) -> list[str]:
    """The results of a round as escaped HTML chunks of at most 4096 characters each:
    title, ranking (top 10), then every question with its answer and source."""
    key = "tg_quiz_stopped_title" if stopped else "tg_quiz_finished_title"
    asked = len(summary.questions)
    blocks = [Block(texts(key, asked=asked, participants=summary.participants), "b")]
    if summary.ranking:
        blocks.append(Block(texts("tg_quiz_ranking_title"), "b"))
        blocks.append(Block(_ranking_lines(texts, summary.ranking), sep="\n"))
    else:
        blocks.append(Block(texts("tg_quiz_no_answers")))
    if summary.questions:
        blocks.append(Block(texts("tg_quiz_answers_title"), "b"))
        for index, question in enumerate(summary.questions, 1):
            item = texts(
                "tg_quiz_answer_item",
                position=question.position or index,
                question=question.question,
                answer=question.answer,
                source=question.source_line,
                correct=question.correct,
                answered=question.answered,
            )
            blocks.append(Block(item, sep="\n\n" if index > 1 else "\n"))
    return paginate(blocks)


def render_leaderboard(texts: Texts, board: Leaderboard) -> list[str]:
    """This series and all time, or a hint when the group has no results yet."""
    if not board.all_time:
        return paginate([Block(texts("tg_leaderboard_empty"))])
    blocks = [Block(texts("tg_leaderboard_title"), "b")]
    if board.series:
        blocks.append(Block(texts("tg_leaderboard_series"), "b"))
        blocks.append(Block(_ranking_lines(texts, board.series), sep="\n"))
    blocks.append(Block(texts("tg_leaderboard_all_time"), "b"))
    blocks.append(Block(_ranking_lines(texts, board.all_time), sep="\n"))
    return paginate(blocks)


def render_stats(texts: Texts, stats: UserStats) -> list[str]:
    text = texts(
        "tg_mystats",
        rounds=stats.rounds,
        groups=stats.groups,
        answered=stats.answered,
        correct=stats.correct,
        points=stats.points,
        practice_answered=stats.practice.answered,
        practice_correct=stats.practice.correct,
        practice_points=stats.practice.points,
    )
    if stats.last_answer_at is not None:
        when = stats.last_answer_at.astimezone(EXPORT_TIMEZONE).strftime("%Y-%m-%d %H:%M")
        text += "\n" + texts("tg_mystats_last", time=when)
    return paginate([Block(text)])


def display_name(user: User) -> str:
    """The name shown in rankings (stored as given; escaped when rendered)."""
    return " ".join(user.full_name.split()) or (user.username or "")


# -- the Telegram side ------------------------------------------------------------------------


class QuizBot:
    """Quiz handlers and the round driver for one Application."""

    def __init__(
        self,
        service: QuizService,
        texts: Texts,
        limiter: UserRateLimiter,
        admin_ids: Collection[int] = (),
        options: QuizOptions | None = None,
    ) -> None:
        missing = [key for key in QUIZ_TEXT_KEYS if not texts(key).strip()]
        if missing:
            raise ValueError(f"intents responses lack quiz texts: {', '.join(missing)}")
        self.service = service
        self.texts = texts
        self.limiter = limiter
        self.admin_ids = frozenset(admin_ids)
        self.options = options or QuizOptions()
        self.pacer = GroupPacer(self.options.group_limit, self.options.group_period)
        self.answer_times: list[float] | None = [] if self.options.measure else None
        self._application: Application | None = None
        self._locks: dict[int, asyncio.Lock] = {}
        self._failures: dict[int, int] = {}
        # Polls whose closing time passed while the bot was down → their closing time.
        self._closed_while_down: dict[str, datetime] = {}
        self._registering: set[asyncio.Future[None]] = set()
        self._trigger = texts("tg_practice_trigger").strip()

    # -- wiring -------------------------------------------------------------------------------

    def add_handlers(self, application: Application) -> None:
        """Register before the Q&A handlers, which would take /quiz for an unknown command."""
        self._application = application
        new = filters.UpdateType.MESSAGE
        for name, callback in (
            ("quiz", self.quiz_command),
            ("quiz_stop", self.quiz_stop_command),
            ("leaderboard", self.leaderboard_command),
            ("mystats", self.mystats_command),
            ("practice", self.practice_command),
            ("quiz_export", self.export_command),
        ):
            application.add_handler(CommandHandler(name, callback, filters=new))
        trigger = filters.Regex(re.compile(rf"^\s*{re.escape(self._trigger)}\s*$"))
        application.add_handler(
            MessageHandler(filters.ChatType.PRIVATE & new & trigger, self.practice_command)
        )
        application.add_handler(
            CallbackQueryHandler(self.practice_button, pattern=f"^{re.escape(PRACTICE_NEXT)}$")
        )
        application.add_handler(PollAnswerHandler(self.poll_answer))

    async def start(self, application: Application) -> None:
        """At start-up: create the tables, then continue or close what a restart left open."""
        self._application = application
        await self.service.prepare()
        await self.recover()

    async def stop(self) -> None:
        """At shutdown: wait until every queued answer is written."""
        await self.service.close()

    @property
    def application(self) -> Application:
        if self._application is None:
            raise RuntimeError("QuizBot.add_handlers was not called")
        return self._application

    # -- shared steps -------------------------------------------------------------------------

    async def _admit(self, message: Message) -> bool:
        """The per-user limit of the Q&A handlers; the first refusal of a burst is told."""
        user = message.from_user
        sender = message.sender_chat.id if message.sender_chat else user.id if user else None
        verdict = self.limiter.check(sender)
        if verdict is Verdict.NOTIFY:
            await self._say(message, self.texts("rate_limited"))
        return verdict is Verdict.ALLOW

    async def _say(self, message: Message, text: str) -> None:
        await self._send(Target.answering(message), paginate([Block(text)]))

    async def _send(
        self,
        target: Target,
        chunks: Sequence[str],
        keyboard: InlineKeyboardMarkup | None = None,
    ) -> None:
        """Send chunks in order, each counted by the group pacer first."""
        for i, chunk in enumerate(chunks):
            await self.pacer.acquire(target.chat_id)
            last = i == len(chunks) - 1
            part = Target(target.chat_id, target.reply_to if i == 0 else None, target.thread_id)
            await send_chunks(self.application.bot, part, [chunk], keyboard if last else None)

    async def _is_admin(self, message: Message) -> bool:
        """A group administrator or creator (getChatMember), or a user in BOT_ADMIN_IDS."""
        if message.sender_chat is not None and message.sender_chat.id == message.chat.id:
            return True  # an anonymous administrator speaking as the group
        user = message.from_user
        if user is None:
            return False
        if user.id in self.admin_ids:
            return True
        try:
            member = await self.application.bot.get_chat_member(message.chat.id, user.id)
        except TelegramError as exc:
            _LOGGER.info("getChatMember failed for chat %s: %s", message.chat.id, exc)
            return False
        return member.status in (ChatMemberStatus.ADMINISTRATOR, ChatMemberStatus.OWNER)

    def _lock(self, round_id: int) -> asyncio.Lock:
        return self._locks.setdefault(round_id, asyncio.Lock())

    # -- jobs ---------------------------------------------------------------------------------

    def _schedule(
        self,
        callback: Callable[[Context], Awaitable[None]],
        when: float | datetime,
        data: object,
        name: str,
    ) -> None:
        job_queue = self.application.job_queue
        if job_queue is None:  # pragma: no cover - the job-queue extra is a dependency
            raise RuntimeError("python-telegram-bot was installed without its job queue")
        if isinstance(when, datetime):
            when = (when - self.service.clock()).total_seconds()
        job_queue.run_once(callback, max(0.0, when), data=data, name=name, job_kwargs=_JOB_KWARGS)

    def _pending(self, name: str) -> bool:
        job_queue = self.application.job_queue
        return bool(job_queue and job_queue.get_jobs_by_name(name))

    def _cancel(self, name: str) -> None:
        job_queue = self.application.job_queue
        for job in job_queue.get_jobs_by_name(name) if job_queue else ():
            job.schedule_removal()

    async def _job_close(self, context: Context) -> None:
        round_id, poll_id = context.job.data  # type: ignore[union-attr,misc]
        await self.close_step(round_id, poll_id)

    async def _job_next(self, context: Context) -> None:
        await self.next_step(context.job.data)  # type: ignore[union-attr,arg-type]

    # -- the round driver ---------------------------------------------------------------------

    async def _open_state(self, round_id: int) -> RoundState | None:
        for state in await self.service.open_rounds():
            if state.round.id == round_id:
                return state
        return None

    async def close_step(self, round_id: int, poll_id: str) -> None:
        """The poll's time is up: close it in the database (as of its closing time at the
        latest) and schedule the next step after the pause. Idempotent."""
        async with self._lock(round_id):
            state = await self._open_state(round_id)
            if state is None or state.current is None or state.current.poll_id != poll_id:
                return  # the round ended, or already moved on
            current = state.current
            if not current.closed:
                now = self.service.clock()
                at = min(now, current.closes_at) if current.closes_at else now
                await self.service.close_poll(poll_id, at=at)
            self._cancel(_CLOSE_JOB.format(round_id=round_id))
            name = _NEXT_JOB.format(round_id=round_id)
            if not self._pending(name):
                self._schedule(self._job_next, self.options.pause, round_id, name)

    async def next_step(self, round_id: int) -> None:
        """Post the round's next question, or its results once every question was asked."""
        async with self._lock(round_id):
            state = await self._open_state(round_id)
            if state is None:
                return
            if state.current is not None and not state.current.closed:
                return  # a question is running; its close comes first
            round_ = state.round
            question = await self.service.next_question(round_id) if round_.remaining else None
            if question is None:
                await self._finish(round_)
                return
            await self._post_question(round_, question)

    async def _post_question(self, round_: Round, question: PreparedQuestion) -> None:
        registered: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._registering.add(registered)
        try:
            await self.pacer.acquire(round_.chat_id)
            try:
                message = await self.application.bot.send_poll(
                    round_.chat_id,
                    poll_question(self.texts, question, round_.questions_planned),
                    list(question.options),
                    is_anonymous=False,
                    type=Poll.QUIZ,
                    correct_option_ids=[question.correct_index],
                    explanation=question.item.poll_explanation,
                    open_period=round_.seconds_per_question,
                    allows_revoting=False,
                )
            except (Forbidden, ChatMigrated) as exc:
                # Removed from the group, or the group moved: nowhere to post, so stop.
                _LOGGER.warning("quiz round %s: group %s gone (%s)", round_.id, round_.chat_id, exc)
                await self.service.finish_round(round_.id, "stopped")
                return
            except TelegramError as exc:
                await self._send_failed(round_, exc)
                return
            self._failures.pop(round_.id, None)
            opened = self.service.clock()
            closes = opened + timedelta(seconds=round_.seconds_per_question)
            assert message.poll is not None
            try:
                await self.service.register_poll(
                    message.poll.id,
                    round_.id,
                    round_.chat_id,
                    message.message_id,
                    question.item,
                    question.order,
                    question.correct_index,
                    opened,
                    closes,
                )
            except Exception:
                # Its answers cannot be scored; go on with the next question when it closes.
                _LOGGER.exception("quiz round %s: could not register poll", round_.id)
                name = _NEXT_JOB.format(round_id=round_.id)
                self._schedule(self._job_next, closes, round_.id, name)
                return
            name = _CLOSE_JOB.format(round_id=round_.id)
            self._schedule(self._job_close, closes, (round_.id, message.poll.id), name)
        finally:
            self._registering.discard(registered)
            registered.set_result(None)

    async def _send_failed(self, round_: Round, exc: TelegramError) -> None:
        """Skip the question and try the next after a pause; stop after repeated failures.

        A timed-out sendPoll may still have been delivered, but without its poll id its
        answers could not be scored anyway, so it is never re-sent as the same question.
        """
        failures = self._failures.get(round_.id, 0) + 1
        self._failures[round_.id] = failures
        _LOGGER.warning("quiz round %s: sendPoll failed (%d): %s", round_.id, failures, exc)
        if failures >= MAX_SEND_FAILURES:
            self._failures.pop(round_.id, None)
            summary = await self.service.finish_round(round_.id, "stopped")
            if summary is not None:
                await self._post_summary(summary, stopped=True)
            return
        name = _NEXT_JOB.format(round_id=round_.id)
        self._schedule(self._job_next, max(self.options.pause, 1.0), round_.id, name)

    async def _finish(self, round_: Round) -> None:
        """Every question was asked and closed: post the results, then end the round.

        Posting comes first so that a crash in between makes the restarted bot post them
        (again) rather than never.
        """
        summary = await self.service.round_summary(round_.id)
        if summary is not None:
            await self._post_summary(summary, stopped=False)
        await self.service.finish_round(round_.id, "finished")
        self._locks.pop(round_.id, None)

    async def _post_summary(self, summary: RoundSummary, stopped: bool) -> None:
        try:
            await self._send(
                Target(summary.round.chat_id), render_summary(self.texts, summary, stopped)
            )
        except TelegramError as exc:
            _LOGGER.warning("could not post the results of round %s: %s", summary.round.id, exc)

    async def recover(self) -> None:
        """After a restart: schedule every open poll's close and every open round's next step.

        A poll whose closing time passed while the bot was down is closed as of that time,
        and answers Telegram kept for it are judged as received then (see the module doc).
        The next step always waits for the pause, by which time the first batch of queued
        updates — the answers Telegram kept for us — has been scored.
        """
        now = self.service.clock()
        handled: set[str] = set()
        states = await self.service.open_rounds()
        for state in states:
            round_id, current = state.round.id, state.current
            if current is None:
                self._schedule(self._job_next, 0.0, round_id, _NEXT_JOB.format(round_id=round_id))
                continue
            handled.add(current.poll_id)
            close = _CLOSE_JOB.format(round_id=round_id)
            if not current.closed and current.closes_at is not None and current.closes_at > now:
                self._schedule(
                    self._job_close, current.closes_at, (round_id, current.poll_id), close
                )
                continue
            if not current.closed:
                await self._close_overdue(current, now)
            self._schedule(self._job_close, 0.0, (round_id, current.poll_id), close)
        stale = [p for p in await self.service.open_polls() if p.poll_id not in handled]
        for poll in stale:  # not the latest poll of an open round: only needs closing
            if poll.closes_at is not None and poll.closes_at <= now:
                await self._close_overdue(poll, now)
            elif poll.closes_at is not None:
                at = poll.closes_at
                self._schedule(
                    self._job_close_only, at, (poll.poll_id, at), f"quiz-poll-{poll.poll_id}"
                )
        if states:
            _LOGGER.info("quiz: continuing %d open round(s) after start-up", len(states))

    async def _close_overdue(self, poll: PollInfo, now: datetime) -> None:
        at = poll.closes_at or now
        await self.service.close_poll(poll.poll_id, at=at)
        self._closed_while_down[poll.poll_id] = at

    async def _job_close_only(self, context: Context) -> None:
        poll_id, at = context.job.data  # type: ignore[union-attr,misc]
        await self.service.close_poll(poll_id, at=at)

    # -- commands in groups -------------------------------------------------------------------

    async def _admin_in_group(self, message: Message) -> bool:
        """True for an administrator's command in a group; anyone else is told why not
        (the per-user limit applies first)."""
        if not await self._admit(message):
            return False
        if message.chat.type == ChatType.PRIVATE:
            await self._say(message, self.texts("tg_quiz_groups_only"))
            return False
        if not await self._is_admin(message):
            await self._say(message, self.texts("tg_quiz_admin_only"))
            return False
        return True

    async def quiz_command(self, update: Update, context: Context) -> None:
        """/quiz [N] [S]: an administrator starts a round in a group."""
        message = update.effective_message
        if message is None or not await self._admin_in_group(message):
            return
        parsed = parse_quiz_arguments(_argument(message))
        if parsed is None:
            await self._say(message, self.texts("tg_quiz_usage"))
            return
        n, seconds = parsed
        starter = message.sender_chat or message.from_user
        started_by = starter.id if starter is not None else 0
        result = await self.service.start_round(message.chat.id, started_by, n, seconds)
        if isinstance(result, AlreadyRunning):
            running = result.round
            text = self.texts(
                "tg_quiz_already_running", asked=running.asked, total=running.questions_planned
            )
            await self._say(message, text)
            return
        await self._say(message, self.texts("tg_quiz_started", n=n, seconds=seconds))
        await self.next_step(result.id)

    async def quiz_stop_command(self, update: Update, context: Context) -> None:
        """/quiz_stop: an administrator ends the group's round now; results are posted."""
        message = update.effective_message
        if message is None or not await self._admin_in_group(message):
            return
        running = await self.service.running_round(message.chat.id)
        if running is None:
            await self._say(message, self.texts("tg_quiz_not_running"))
            return
        async with self._lock(running.id):
            state = await self._open_state(running.id)
            if state is None:
                summary = None
            else:
                self._cancel(_CLOSE_JOB.format(round_id=running.id))
                self._cancel(_NEXT_JOB.format(round_id=running.id))
                summary = await self.service.finish_round(running.id, "stopped")
        if summary is None:
            await self._say(message, self.texts("tg_quiz_not_running"))
            return
        current = state.current if state is not None else None
        if current is not None and not current.closed and current.message_id is not None:
            with contextlib.suppress(BadRequest):  # Telegram may have closed it already
                await self.application.bot.stop_poll(current.chat_id, current.message_id)
        await self._post_summary(summary, stopped=True)
        self._locks.pop(running.id, None)

    async def leaderboard_command(self, update: Update, context: Context) -> None:
        """/leaderboard: the group's standings, this series and all time."""
        message = update.effective_message
        if message is None or not await self._admit(message):
            return
        if message.chat.type == ChatType.PRIVATE:
            await self._say(message, self.texts("tg_leaderboard_groups_only"))
            return
        board = await self.service.leaderboard(message.chat.id)
        await self._send(Target.answering(message), render_leaderboard(self.texts, board))

    async def export_command(self, update: Update, context: Context) -> None:
        """/quiz_export: the group's results as a CSV document (UTF-8 with BOM, for Excel)."""
        message = update.effective_message
        if message is None or not await self._admin_in_group(message):
            return
        text = await self.service.export_csv(message.chat.id)
        rows = max(0, len(text.splitlines()) - 1)
        if rows == 0:
            await self._say(message, self.texts("tg_export_empty"))
            return
        date = self.service.clock().astimezone(EXPORT_TIMEZONE).strftime("%Y%m%d-%H%M")
        await self.pacer.acquire(message.chat.id)
        target = Target.answering(message)
        reply = (
            ReplyParameters(target.reply_to, allow_sending_without_reply=True)
            if target.reply_to is not None
            else None
        )
        await self.application.bot.send_document(
            message.chat.id,
            text.encode("utf-8-sig"),
            filename=EXPORT_FILENAME.format(chat=abs(message.chat.id), date=date),
            caption=self.texts("tg_export_caption", rows=rows),
            reply_parameters=reply,
            message_thread_id=target.thread_id,
        )

    # -- private chats ------------------------------------------------------------------------

    async def mystats_command(self, update: Update, context: Context) -> None:
        """/mystats (private): the user's own group results and practice score."""
        message = update.effective_message
        if message is None or not await self._admit(message):
            return
        if message.chat.type != ChatType.PRIVATE or message.from_user is None:
            await self._say(message, self.texts("tg_mystats_private_only"))
            return
        stats = await self.service.user_stats(message.from_user.id)
        await self._send(Target.answering(message), render_stats(self.texts, stats))

    async def practice_command(self, update: Update, context: Context) -> None:
        """/practice or 开始答题 (private): one quiz poll; the next comes with 下一题."""
        message = update.effective_message
        if message is None or not await self._admit(message):
            return
        if message.chat.type != ChatType.PRIVATE or message.from_user is None:
            await self._say(message, self.texts("tg_practice_private_only"))
            return
        await self._send_practice(message.chat.id, message.from_user.id)

    async def practice_button(self, update: Update, context: Context) -> None:
        """下一题 under practice feedback."""
        query = update.callback_query
        if query is None:
            return
        if self.limiter.check(query.from_user.id) is not Verdict.ALLOW:
            await _answer_query(query, self.texts("rate_limited"))
            return
        await _answer_query(query, None)
        message = query.message
        if message is None or message.chat.type != ChatType.PRIVATE:
            return
        await self._send_practice(message.chat.id, query.from_user.id)

    async def _send_practice(self, chat_id: int, user_id: int) -> None:
        question = await self.service.practice_question(user_id)
        if question is None:
            await self._send(Target(chat_id), paginate([Block(self.texts("tg_practice_empty"))]))
            return
        registered: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._registering.add(registered)
        try:
            # No open period: practice has no clock, and an untimed poll gives no speed bonus.
            message = await self.application.bot.send_poll(
                chat_id,
                question.item.question,
                list(question.options),
                is_anonymous=False,
                type=Poll.QUIZ,
                correct_option_ids=[question.correct_index],
                explanation=question.item.poll_explanation,
                allows_revoting=False,
            )
            assert message.poll is not None
            await self.service.register_poll(
                message.poll.id,
                None,
                chat_id,
                message.message_id,
                question.item,
                question.order,
                question.correct_index,
                self.service.clock(),
                None,
            )
        finally:
            self._registering.discard(registered)
            registered.set_result(None)

    async def _practice_feedback(self, outcome: AnswerOutcome, user_id: int) -> None:
        """Right or wrong, the source, the running score and a 下一题 button."""
        poll = await self.service.get_poll(outcome.poll_id)
        if poll is None or outcome.chat_id is None:
            return
        totals = await self.service.practice_score(user_id)
        if outcome.correct:
            lead = self.texts("tg_practice_right", points=outcome.points)
        else:
            lead = self.texts("tg_practice_wrong", answer=poll.answer)
        blocks = [Block(lead, "b")]
        if poll.source_line:
            blocks.append(
                Block(self.texts("tg_practice_source", source=poll.source_line), "i", "\n")
            )
        score = self.texts(
            "tg_practice_score",
            answered=totals.answered,
            correct=totals.correct,
            points=totals.points,
        )
        blocks.append(Block(score))
        keyboard = InlineKeyboardMarkup(
            [[InlineKeyboardButton(self.texts("tg_practice_next"), callback_data=PRACTICE_NEXT)]]
        )
        await self._send(Target(outcome.chat_id), paginate(blocks), keyboard)

    # -- poll updates -------------------------------------------------------------------------

    def judged_time(self, poll_id: str, received: datetime) -> datetime:
        """The time an answer is judged at: its receipt, or, for a poll that closed while the
        bot was down, at most that poll's closing time (see the module doc)."""
        closed = self._closed_while_down.get(poll_id)
        return closed if closed is not None and received > closed else received

    async def poll_answer(self, update: Update, context: Context) -> None:
        """A vote: scored by the service at the time of receipt."""
        started = time.perf_counter()
        received = self.service.clock()
        answer = update.poll_answer
        if answer is None:
            return
        user = answer.user
        if user is None:
            # An anonymous administrator voting as the chat: no person to score.
            return
        at = self.judged_time(answer.poll_id, received)
        options = list(answer.option_ids)
        outcome = await self.service.record_answer(
            answer.poll_id, user.id, display_name(user), options, at
        )
        if outcome.status == "unknown":
            # The poll may have been sent a moment ago and its registration been committed
            # only after this answer's batch looked for it: ask once more, after every
            # registration in progress is done. (The bot sends no other polls, so this is rare.)
            if self._registering:
                await asyncio.wait(list(self._registering), timeout=REGISTRATION_WAIT)
            outcome = await self.service.record_answer(
                answer.poll_id, user.id, display_name(user), options, at
            )
        if self.answer_times is not None:
            self.answer_times.append(time.perf_counter() - started)
        if outcome.status == "unknown":
            _LOGGER.info("answer to unknown poll %s ignored", answer.poll_id)
        elif outcome.practice and outcome.counted:
            await self._practice_feedback(outcome, user.id)


# -- small helpers ----------------------------------------------------------------------------


def _argument(message: Message) -> str:
    parts = (message.text or "").split(maxsplit=1)
    return parts[1].strip() if len(parts) > 1 else ""


async def _answer_query(query: CallbackQuery, text: str | None) -> None:
    try:
        await query.answer(text)
    except BadRequest as exc:
        _LOGGER.info("could not answer callback query: %s", exc)
