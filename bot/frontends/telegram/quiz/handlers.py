"""The Telegram quiz's handlers: commands, practice in private, and poll answers.

`QuizBot` wires the quiz into one Application and answers what users send; the round driver
(`RoundDriver`) moves group rounds on, `PracticeDesk` serves practice, and `render` words
every message.

* `/quiz [N] [S]` (group administrators, or users in BOT_ADMIN_IDS; groups only) opens a
  round and hands it to the driver; `/quiz_stop` ends it early. `/leaderboard`,
  `/quiz_export` (administrators) in groups; `/mystats` and `/practice` (or 开始答题) in
  private.
* `poll_answer` updates carry no chat and no time: the service maps the poll id to its
  round, and the time of receipt is taken when the handler starts. Late, repeated and
  retracted votes change nothing (the service decides; the update processor also drops
  redelivered update ids).
* The bot does not ask for `poll` updates: Telegram sends one for every change of a bot
  poll's counts, i.e. for every vote, which would double the updates of a burst of answers
  and tell the driver nothing its timer does not.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Collection
from datetime import UTC, datetime

from telegram import CallbackQuery, Message, ReplyParameters, Update
from telegram.constants import ChatMemberStatus, ChatType
from telegram.error import BadRequest, TelegramError
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    PollAnswerHandler,
    filters,
)

from bot.app.ratelimit import RateLimiter, Verdict
from bot.frontends.telegram.journal import AnswerJournal
from bot.frontends.telegram.quiz.driver import RoundDriver
from bot.frontends.telegram.quiz.outbox import QuizOutbox
from bot.frontends.telegram.quiz.pacing import GroupPacer, QuizOptions
from bot.frontends.telegram.quiz.practice import PracticeDesk
from bot.frontends.telegram.quiz.render import (
    PRACTICE_NEXT,
    QUIZ_TEXT_KEYS,
    display_name,
    render_leaderboard,
    render_stats,
)
from bot.frontends.telegram.render import Block, paginate
from bot.frontends.telegram.send import Target
from bot.frontends.telegram.texts import Texts
from bot.quiz import AlreadyRunning, QuizService
from bot.quiz.export import EXPORT_TIMEZONE
from bot.quiz.rounds import (
    DEFAULT_QUESTIONS,
    DEFAULT_SECONDS,
    MAX_QUESTIONS,
    MAX_SECONDS,
    MIN_QUESTIONS,
    MIN_SECONDS,
)
from bot.quiz.titles import remember_title

_LOGGER = logging.getLogger(__name__)

Context = ContextTypes.DEFAULT_TYPE

EXPORT_FILENAME = "quiz-results-{chat}-{date}.csv"
# A poll answer for a poll id the database does not know may belong to a poll whose
# registration is still being written: wait this long for it, then ask once more.
REGISTRATION_WAIT = 10.0
# Stored answers the journal may keep on disk before it is rewritten without them.
JOURNAL_COMPACT_EVERY = 200


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


class QuizBot:
    """Quiz handlers for one Application, over a `QuizService` that owns every rule."""

    def __init__(
        self,
        service: QuizService,
        texts: Texts,
        limiter: RateLimiter,
        admin_ids: Collection[int] = (),
        options: QuizOptions | None = None,
        journal: AnswerJournal | None = None,
    ) -> None:
        missing = [key for key in QUIZ_TEXT_KEYS if not texts(key).strip()]
        if missing:
            raise ValueError(f"intents responses lack quiz texts: {', '.join(missing)}")
        self.service = service
        self.journal = journal  # poll answers on disk until stored (journal.py)
        self.texts = texts  # replaced on a reload; the driver reads it at every use
        self.limiter = limiter
        self.admin_ids = frozenset(admin_ids)
        self.options = options or QuizOptions()
        self.pacer = GroupPacer(self.options.group_limit, self.options.group_period)
        self.outbox = QuizOutbox(self.pacer)
        self.driver = RoundDriver(service, self.outbox, lambda: self.texts, self.options.pause)
        self.driver.journal = journal
        self.practice = PracticeDesk(service, self.outbox, lambda: self.texts)
        self.answer_times: list[float] | None = [] if self.options.measure else None
        self._trigger = texts("tg_practice_trigger").strip()
        # Group titles already stored (chat id → title), so a title is written when it changes.
        self._titles: dict[int, str] = {}

    # -- wiring -------------------------------------------------------------------------------

    def add_handlers(self, application: Application) -> None:
        """Register before the Q&A handlers, which would take /quiz for an unknown command."""
        self.outbox.attach(application)
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
        self.outbox.attach(application)
        await self.service.prepare()
        await self.replay_journal()
        await self.driver.recover()

    async def replay_journal(self) -> None:
        """Score the answers a crash may have left unstored (the database refuses those
        already stored as duplicates, so nothing counts twice), then drop them from disk."""
        if self.journal is None:
            return
        entries = self.journal.entries()
        for entry in entries:
            received = datetime.fromtimestamp(entry.received_at, UTC)
            at = self.judged_time(entry.poll_id, received)
            await self.service.record_answer(
                entry.poll_id, entry.user_id, entry.name, list(entry.option_ids), at
            )
            self.journal.stored(entry.update_id)
        self.journal.compact()
        if entries:
            _LOGGER.info("quiz: %d journaled answer(s) replayed after start-up", len(entries))

    def _stored(self, update: Update) -> None:
        if self.journal is not None:
            self.journal.stored(update.update_id)
            if self.journal.backlog() >= JOURNAL_COMPACT_EVERY:
                self.journal.compact()

    async def stop(self) -> None:
        """At shutdown: wait until every queued answer is written."""
        await self.service.close()

    @property
    def application(self) -> Application:
        return self.outbox.application

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
        await self.outbox.send(Target.answering(message), paginate([Block(text)]))

    async def _remember_title(self, message: Message) -> None:
        """Store the group's title for the campaign report (`bot.quiz.titles`) when it is new
        or changed. Best effort: a failure costs only the name in the report."""
        chat = message.chat
        title = chat.title or ""
        if chat.type == ChatType.PRIVATE or not title or self._titles.get(chat.id) == title:
            return
        try:
            await remember_title(self.service.db, chat.id, title)
        except Exception as exc:  # the title is not worth failing a command for
            _LOGGER.warning(
                "could not store the title of chat %s (%s)", chat.id, type(exc).__name__
            )
            return
        self._titles[chat.id] = title

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

    # -- commands in groups -------------------------------------------------------------------

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
        await self._remember_title(message)
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
        await self.driver.next_step(result.id)

    async def quiz_stop_command(self, update: Update, context: Context) -> None:
        """/quiz_stop: an administrator ends the group's round now; results are posted."""
        message = update.effective_message
        if message is None or not await self._admin_in_group(message):
            return
        running = await self.service.running_round(message.chat.id)
        if running is None or not await self.driver.stop(running.id):
            await self._say(message, self.texts("tg_quiz_not_running"))

    async def leaderboard_command(self, update: Update, context: Context) -> None:
        """/leaderboard: the group's standings, this series and all time."""
        message = update.effective_message
        if message is None or not await self._admit(message):
            return
        if message.chat.type == ChatType.PRIVATE:
            await self._say(message, self.texts("tg_leaderboard_groups_only"))
            return
        await self._remember_title(message)
        board = await self.service.leaderboard(message.chat.id)
        await self.outbox.send(Target.answering(message), render_leaderboard(self.texts, board))

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
        await self.outbox.send(Target.answering(message), render_stats(self.texts, stats))

    async def practice_command(self, update: Update, context: Context) -> None:
        """/practice or 开始答题 (private): one quiz poll; the next comes with 下一题."""
        message = update.effective_message
        if message is None or not await self._admit(message):
            return
        if message.chat.type != ChatType.PRIVATE or message.from_user is None:
            await self._say(message, self.texts("tg_practice_private_only"))
            return
        await self.practice.send_question(message.chat.id, message.from_user.id)

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
        await self.practice.send_question(message.chat.id, query.from_user.id)

    # -- poll updates -------------------------------------------------------------------------

    def judged_time(self, poll_id: str, received: datetime) -> datetime:
        """The time an answer is judged at (see `RoundDriver.judged_time`)."""
        return self.driver.judged_time(poll_id, received)

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
            self._stored(update)
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
            await self.outbox.registrations_done(REGISTRATION_WAIT)
            outcome = await self.service.record_answer(
                answer.poll_id, user.id, display_name(user), options, at
            )
        self._stored(update)  # in the database (or refused as such): off the journal
        if self.answer_times is not None:
            self.answer_times.append(time.perf_counter() - started)
        if outcome.status == "unknown":
            _LOGGER.info("answer to unknown poll %s ignored", answer.poll_id)
        elif outcome.practice and outcome.counted:
            await self.practice.feedback(outcome, user.id)


def _argument(message: Message) -> str:
    parts = (message.text or "").split(maxsplit=1)
    return parts[1].strip() if len(parts) > 1 else ""


async def _answer_query(query: CallbackQuery, text: str | None) -> None:
    try:
        await query.answer(text)
    except BadRequest as exc:
        _LOGGER.info("could not answer callback query: %s", exc)
