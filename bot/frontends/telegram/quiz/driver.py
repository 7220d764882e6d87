"""The round driver: moves a group's quiz round on, one native quiz poll at a time.

Each question is posted as a quiz poll (`type=quiz`, `is_anonymous=False` — anonymous polls
report no voters — `open_period=S`, `correct_option_ids`, the explanation with its citation,
options in the service's shuffled order, no revoting). When the period ends — a JobQueue job
at the poll's closing time, which is when Telegram closes it too — the poll is closed in the
database and, after a short pause, the next question is posted; after the last one the
ranking and the right answers with their sources are posted.

The driver keeps nothing important in memory. Each step re-reads the round from the database
under a per-round lock and is idempotent (a step that finds the round ended or moved on does
nothing), so a restarted bot picks up where the old one stopped: `recover()` (at start-up)
schedules the close of every open poll at its closing time — at once if it is overdue — and
the next step of every open round.

Answers that Telegram queued while the bot was down: Telegram accepts no vote after a poll's
open period, so an answer to a poll whose closing time passed while the bot was down (it was
still open in the database at start-up, and overdue) was necessarily cast in time; it only
reached us late. Such answers are judged as received at the poll's closing time
(`judged_time`): a right answer scores the base points without speed bonus. Answers to polls
still open at start-up are judged at their time of receipt like any other.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from typing import Any

from telegram import Poll
from telegram.error import BadRequest, ChatMigrated, Forbidden, TelegramError
from telegram.ext import ContextTypes

from bot.frontends.telegram.journal import AnswerJournal
from bot.frontends.telegram.quiz.outbox import QuizOutbox
from bot.frontends.telegram.quiz.render import poll_question, render_summary
from bot.frontends.telegram.send import Target
from bot.frontends.telegram.texts import Texts
from bot.quiz import PollInfo, PreparedQuestion, QuizService, Round, RoundState, RoundSummary

_LOGGER = logging.getLogger(__name__)

Context = ContextTypes.DEFAULT_TYPE

# A question whose poll could not be sent is skipped; this many failures in a row stop the
# round (the group is gone, or Telegram keeps refusing).
MAX_SEND_FAILURES = 3
# APScheduler skips a job that starts more than a second late unless told otherwise; a busy
# loop (a whole group answering) must delay a round's next step, never drop it.
_JOB_KWARGS: dict[str, Any] = {"misfire_grace_time": None}
_CLOSE_JOB = "quiz-close-{round_id}"
_NEXT_JOB = "quiz-next-{round_id}"


class RoundDriver:
    """Posts, closes and sums up the rounds of one Application; continues them after a restart.

    `texts` is asked for the current texts at every use, so a reload reaches running rounds.
    """

    def __init__(
        self,
        service: QuizService,
        outbox: QuizOutbox,
        texts: Callable[[], Texts],
        pause: float,
    ) -> None:
        self.service = service
        self.outbox = outbox
        self._texts = texts
        self.pause = pause
        # Poll answers on disk not yet stored (journal.py); set by QuizBot.
        self.journal: AnswerJournal | None = None
        self._locks: dict[int, asyncio.Lock] = {}
        self._failures: dict[int, int] = {}
        # Polls whose closing time passed while the bot was down → their closing time.
        self._closed_while_down: dict[str, datetime] = {}

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
        job_queue = self.outbox.application.job_queue
        if job_queue is None:  # pragma: no cover - the job-queue extra is a dependency
            raise RuntimeError("python-telegram-bot was installed without its job queue")
        if isinstance(when, datetime):
            when = (when - self.service.clock()).total_seconds()
        job_queue.run_once(callback, max(0.0, when), data=data, name=name, job_kwargs=_JOB_KWARGS)

    def _pending(self, name: str) -> bool:
        job_queue = self.outbox.application.job_queue
        return bool(job_queue and job_queue.get_jobs_by_name(name))

    def _cancel(self, name: str) -> None:
        job_queue = self.outbox.application.job_queue
        for job in job_queue.get_jobs_by_name(name) if job_queue else ():
            job.schedule_removal()

    async def _job_close(self, context: Context) -> None:
        round_id, poll_id = context.job.data  # type: ignore[union-attr,misc]
        await self.close_step(round_id, poll_id)

    async def _job_next(self, context: Context) -> None:
        await self.next_step(context.job.data)  # type: ignore[union-attr,arg-type]

    async def _job_close_only(self, context: Context) -> None:
        poll_id, at = context.job.data  # type: ignore[union-attr,misc]
        await self.service.close_poll(poll_id, at=at)

    # -- steps --------------------------------------------------------------------------------

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
                self._schedule(self._job_next, self.pause, round_id, name)

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

    async def stop(self, round_id: int) -> bool:
        """End the round now (/quiz_stop): stop its running poll and post the results.

        False when the round is no longer open (it ended meanwhile); nothing is sent then.
        """
        async with self._lock(round_id):
            state = await self._open_state(round_id)
            if state is None:
                summary = None
            else:
                self._cancel(_CLOSE_JOB.format(round_id=round_id))
                self._cancel(_NEXT_JOB.format(round_id=round_id))
                summary = await self.service.finish_round(round_id, "stopped")
        if summary is None:
            return False
        current = state.current if state is not None else None
        if current is not None and not current.closed and current.message_id is not None:
            with contextlib.suppress(BadRequest):  # Telegram may have closed it already
                await self.outbox.application.bot.stop_poll(current.chat_id, current.message_id)
        await self._post_summary(summary, stopped=True)
        self._locks.pop(round_id, None)
        return True

    async def _post_question(self, round_: Round, question: PreparedQuestion) -> None:
        with self.outbox.registering():
            await self.outbox.pacer.acquire(round_.chat_id)
            try:
                message = await self.outbox.application.bot.send_poll(
                    round_.chat_id,
                    poll_question(self._texts(), question, round_.questions_planned),
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
        self._schedule(self._job_next, max(self.pause, 1.0), round_.id, name)

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

    async def _uncounted(self, round_id: int) -> int:
        """Answers to this round's polls that are received (journaled) but not stored."""
        if self.journal is None:
            return 0
        count = 0
        for entry in self.journal.entries():
            poll = await self.service.get_poll(entry.poll_id)
            count += poll is not None and poll.round_id == round_id
        return count

    async def _post_summary(self, summary: RoundSummary, stopped: bool) -> None:
        uncounted = await self._uncounted(summary.round.id)
        try:
            await self.outbox.send(
                Target(summary.round.chat_id),
                render_summary(self._texts(), summary, stopped, uncounted),
            )
        except TelegramError as exc:
            _LOGGER.warning("could not post the results of round %s: %s", summary.round.id, exc)

    # -- after a restart ----------------------------------------------------------------------

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

    def judged_time(self, poll_id: str, received: datetime) -> datetime:
        """The time an answer is judged at: its receipt, or, for a poll that closed while the
        bot was down, at most that poll's closing time (see the module doc)."""
        closed = self._closed_while_down.get(poll_id)
        return closed if closed is not None and received > closed else received
