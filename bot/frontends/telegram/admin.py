"""Admin commands, for the Telegram users listed in BOT_ADMIN_IDS only, in private chats.

* `/reload` — the application layer's reload (bot/app/holder.py): the knowledge base and
  intents are loaded again from BOT_KNOWLEDGE_DIR and BOT_INTENTS_DIR; any problem (YAML
  syntax, a missing field, a missing Telegram text…) is replied as `file:line: message`, one
  per line, and the bot keeps serving the version it had (reloading.py keeps the channel's
  texts and button codec in step).
* `/stats` — questions today / in the last 7 days / in total (UTC days), the share of
  answered, clarified and unanswered questions, the entries cited most, the questions the
  bot could not answer most often, and the quiz in figures.
* `/unanswered` — every question the bot could not answer, grouped by its normalised text
  and counted, as a CSV file (UTF-8 with BOM, so Excel reads the Chinese): what to add to
  the knowledge base next.

Anyone else gets a polite refusal. In a group an admin is asked to use a private chat, as the
figures and the users' questions are not for the group. These texts are for administrators
and live here rather than in intents/rules.yaml.

`add_admin_handlers(application, settings)` registers the commands (idempotent) and, when
BOT_RETENTION_DAYS is set, a daily job that prunes old question records
(`bot.storage.retention`).
"""

from __future__ import annotations

import csv
import io
import logging
from datetime import UTC, timedelta
from typing import Any

from telegram import Message, Update
from telegram.constants import ChatType
from telegram.ext import (
    Application,
    ApplicationHandlerStop,
    CommandHandler,
    ContextTypes,
    filters,
)

from bot import stats
from bot.frontends.telegram.context import handlers_of
from bot.frontends.telegram.render import escape, render_text
from bot.frontends.telegram.send import Target, send_chunks
from bot.settings import Settings
from bot.storage import Database
from bot.storage.models import utcnow
from bot.storage.retention import prune_questions, retention_days

_LOGGER = logging.getLogger(__name__)

Context = ContextTypes.DEFAULT_TYPE

ADMIN_COMMANDS = ("reload", "stats", "unanswered")
# Handler group of the admin commands: before the regular handlers (group 0), whose
# "unknown command" handler would otherwise answer them; a handled command stops there.
ADMIN_GROUP = -1
_FLAG_KEY = "admin_handlers_added"
# Problems listed in one /reload reply at most; `python -m bot check` lists them all.
MAX_PROBLEMS_SHOWN = 100
STATS_TOP = 5
STATS_QUESTION_CHARS = 60
RETENTION_JOB = "question-retention"
RETENTION_INTERVAL = timedelta(days=1)
RETENTION_FIRST_RUN = timedelta(seconds=30)

TEXTS = {
    "refused": "抱歉，这个命令只供管理员使用。如需帮助，请发送 /help。",
    "private_only": "请在与我的私聊中使用这个命令：统计和用户提问不宜在群里公开。",
    "reload_failed": "重新加载失败，发现 {count} 个问题，仍在使用原来的版本：",
    "reload_more": "……另有 {count} 个问题未列出，请运行 python -m bot check 查看全部。",
    "reload_error": "重新加载失败（{error}），仍在使用原来的版本。",
    "reloaded": (
        "已重新加载：{sources} 个来源、{entries} 个条目、{contacts} 个联系人、"
        "{quiz} 道测验题、{rules} 条意图规则。"
    ),
    "no_unanswered": "目前没有未能回答的问题。",
    "unanswered_caption": "未能回答的问题：共 {groups} 类、{questions} 次提问，按次数排序。",
}
CSV_HEADER = ("问题", "次数", "提问人数", "首次提问（UTC）", "最近提问（UTC）")
KIND_NAMES = {"answer": "已回答", "clarify": "需澄清", "fallback": "未能回答", "smalltalk": "寒暄"}


# -- CSV -------------------------------------------------------------------------------------------


def unanswered_csv(questions: list[stats.UnansweredQuestion]) -> bytes:
    """The grouped unanswered questions as CSV bytes: UTF-8 with BOM, CRLF lines."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    for q in questions:
        writer.writerow(
            [
                _csv_safe(q.text),
                q.count,
                q.users,
                q.first_asked.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S"),
                q.last_asked.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S"),
            ]
        )
    return out.getvalue().encode("utf-8-sig")


def _csv_safe(text: str) -> str:
    """Keep spreadsheets from running a question as a formula (CSV injection)."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


# -- /stats text -----------------------------------------------------------------------------------


def _short(text: str, limit: int = STATS_QUESTION_CHARS) -> str:
    return stats.one_line(text, limit)


def stats_html(summary: stats.AdminSummary, *, records_lost: int = 0) -> str:
    """The /stats message (Telegram HTML, every value escaped): the lines of
    `python -m bot stats` (`bot.stats.summary_lines`), with bold headings. `records_lost`:
    questions the running recorder could not store (shown when not 0)."""
    return "\n".join(
        stats.summary_lines(
            summary,
            escape=escape,
            bold=lambda heading: f"<b>{escape(heading)}</b>",
            shorten=_short,
            unanswered_hint="（/unanswered 导出全部）",
            records_lost=records_lost,
        )
    )


# -- the commands ----------------------------------------------------------------------------------


class AdminCommands:
    """The admin command handlers of one Application."""

    def __init__(self, application: Application, settings: Settings) -> None:
        self.application = application
        self.settings = settings
        self.admin_ids = frozenset(settings.admin_ids)

    @property
    def handlers(self) -> Any:
        return handlers_of(self.application)

    @property
    def database(self) -> Database:
        database = self.handlers.assistant.database
        assert database is not None, "the Telegram bot always records"
        return database

    def is_admin(self, user_id: int | None) -> bool:
        return user_id is not None and user_id in self.admin_ids

    async def _say(self, message: Message, context: Context, text: str) -> None:
        await send_chunks(context.bot, Target.answering(message), render_text(text))

    async def _allowed(self, update: Update, context: Context) -> Message | None:
        """The message if an admin sent it in a private chat; otherwise refuse and None."""
        message = update.effective_message
        if message is None:
            return None
        user = update.effective_user
        if message.sender_chat is not None or not self.is_admin(user.id if user else None):
            await self._say(message, context, TEXTS["refused"])
            return None
        if message.chat.type != ChatType.PRIVATE:
            await self._say(message, context, TEXTS["private_only"])
            return None
        return message

    async def reload(self, update: Update, context: Context) -> None:
        message = await self._allowed(update, context)
        if message is None:
            raise ApplicationHandlerStop
        _LOGGER.info("reload requested by an admin")
        result = await self.handlers.assistant.reload()
        if not result.ok:
            await self._say(message, context, _problems_text(result.problems))
            raise ApplicationHandlerStop
        await self._say(message, context, TEXTS["reloaded"].format(**result.summary()))
        raise ApplicationHandlerStop

    async def stats(self, update: Update, context: Context) -> None:
        message = await self._allowed(update, context)
        if message is None:
            raise ApplicationHandlerStop
        titles = stats.entry_titles(self.handlers.engine.kb)
        summary = await stats.admin_summary(self.database, titles, limit=STATS_TOP)
        recorder = self.handlers.assistant.recorder
        lost = recorder.lost if recorder is not None else 0
        html = stats_html(summary, records_lost=lost)
        await send_chunks(context.bot, Target.answering(message), [html])
        raise ApplicationHandlerStop

    async def unanswered(self, update: Update, context: Context) -> None:
        message = await self._allowed(update, context)
        if message is None:
            raise ApplicationHandlerStop
        questions = await stats.unanswered(self.database)
        if not questions:
            await self._say(message, context, TEXTS["no_unanswered"])
            raise ApplicationHandlerStop
        caption = TEXTS["unanswered_caption"].format(
            groups=len(questions), questions=sum(q.count for q in questions)
        )
        await context.bot.send_document(
            chat_id=message.chat_id,
            document=unanswered_csv(questions),
            filename=f"unanswered-{utcnow():%Y%m%d-%H%M}.csv",
            caption=caption,
        )
        raise ApplicationHandlerStop


def _problems_text(problems: list[str]) -> str:
    shown = problems[:MAX_PROBLEMS_SHOWN]
    lines = [TEXTS["reload_failed"].format(count=len(problems)), *shown]
    if len(problems) > len(shown):
        lines.append(TEXTS["reload_more"].format(count=len(problems) - len(shown)))
    # One paragraph: render_text splits on blank lines only, and long lists over messages.
    return "\n".join(lines)


# -- retention -------------------------------------------------------------------------------------


def schedule_retention(
    application: Application,
    database: Database | None,
    days: int,
    *,
    first: timedelta = RETENTION_FIRST_RUN,
    interval: timedelta = RETENTION_INTERVAL,
) -> None:
    """Prune question records older than `days` days soon after start-up, then daily."""
    if application.job_queue is None:
        _LOGGER.warning("no job queue: BOT_RETENTION_DAYS is not applied by the bot")
        return

    async def prune(context: Context) -> None:
        db = database
        if db is None:
            db = handlers_of(context.application).assistant.database
        try:
            await prune_questions(db, days)
        except Exception:
            _LOGGER.exception("retention: pruning question records failed")

    for job in application.job_queue.get_jobs_by_name(RETENTION_JOB):
        job.schedule_removal()
    application.job_queue.run_repeating(prune, interval=interval, first=first, name=RETENTION_JOB)


# -- wiring ----------------------------------------------------------------------------------------


def add_admin_handlers(application: Application, settings: Settings) -> None:
    """Register /reload, /stats and /unanswered (and the retention job); idempotent.

    Call after `build_application` (the handlers object must be in bot_data). Raises
    ValueError when BOT_RETENTION_DAYS is not a whole number ≥ 0.
    """
    if application.bot_data.get(_FLAG_KEY):
        return
    days = retention_days()
    commands = AdminCommands(application, settings)
    for name in ADMIN_COMMANDS:
        application.add_handler(
            # New messages only: an edited old command is not run again.
            CommandHandler(name, getattr(commands, name), filters=filters.UpdateType.MESSAGE),
            group=ADMIN_GROUP,
        )
    if days:
        schedule_retention(application, None, days)
    application.bot_data[_FLAG_KEY] = True
    if not settings.admin_ids:
        _LOGGER.info("BOT_ADMIN_IDS is not set: admin commands refuse everyone")


__all__ = [
    "ADMIN_COMMANDS",
    "AdminCommands",
    "add_admin_handlers",
    "schedule_retention",
    "stats_html",
    "unanswered_csv",
]
