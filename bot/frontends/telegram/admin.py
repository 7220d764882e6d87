"""Admin commands, for the Telegram users listed in BOT_ADMIN_IDS only, in private chats.

* `/reload` — load the knowledge base and intents again from BOT_KNOWLEDGE_DIR and
  BOT_INTENTS_DIR. Any problem (YAML syntax, a missing field, a missing Telegram text…) is
  replied as `file:line: message`, one per line, and the bot keeps serving the version it
  had. When all is well a new `Engine` is built (in a worker thread, so answering goes on
  meanwhile) and swapped into the handlers in one step, together with its texts and button
  codec (and the quiz's texts and question source): a question is answered wholly by the old
  version or wholly by the new one.
  Buttons under old answers then fail their signature check and say they expired, rather
  than pointing at the wrong entry.
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

import asyncio
import csv
import io
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, timedelta
from pathlib import Path
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
from bot.config import Settings
from bot.engine import Engine
from bot.engine.intents import collect_intents
from bot.frontends.telegram.callbacks import CallbackCodec
from bot.frontends.telegram.render import escape, render_text
from bot.frontends.telegram.send import Target, send_chunks
from bot.frontends.telegram.texts import Texts
from bot.knowledge.loader import collect
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
_LOCK_KEY = "admin_reload_lock"
_QUIZ_KEY = "quiz"  # where build_application keeps the quiz (app.quiz_of)
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


# -- reload ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Loaded:
    """A validated new version, ready to swap in."""

    engine: Engine
    texts: Texts
    codec: CallbackCodec


@dataclass(frozen=True)
class Rejected:
    """Why a reload was refused: `file:line: message` problems, or one error."""

    problems: list[str]


def load_version(
    knowledge_dir: Path, intents_dir: Path, secret: str, template: Engine | None = None
) -> Loaded | Rejected:
    """Load and validate both directories and build everything the handlers hold.

    Blocking (a second or so of CPU): run it in a worker thread. Keeps `template`'s
    tuning, so tuned decision points survive a reload.
    """
    kb, problems = collect(knowledge_dir)
    intents, intent_problems = collect_intents(intents_dir)
    found = sorted(problems + intent_problems)
    if found:
        return Rejected([str(p) for p in found])
    try:
        engine = Engine(
            kb,
            intents,
            template.tuning if template else None,
            semantic=template is None or template.retriever.semantic is not None,
        )
        texts = Texts(engine.intents)
        missing = [key for key in _quiz_text_keys() if not texts(key).strip()]
        if missing:
            return Rejected([f"intents responses lack quiz texts: {', '.join(missing)}"])
        codec = CallbackCodec(
            list(engine.kb.entries),
            list(engine.kb.contacts),
            texts.lines("tg_examples"),
            secret=secret,
        )
    except Exception as exc:  # e.g. intents lacking a Telegram text
        _LOGGER.exception("reload: the new version could not be built")
        return Rejected([f"{type(exc).__name__}: {exc}"])
    return Loaded(engine, texts, codec)


def _quiz_text_keys() -> tuple[str, ...]:
    """The texts the Telegram quiz needs (none when this build has no quiz)."""
    try:
        from bot.frontends.telegram.quiz import QUIZ_TEXT_KEYS
    except ImportError:
        return ()
    return tuple(QUIZ_TEXT_KEYS)


def swap_version(
    handlers: Any,
    loaded: Loaded,
    quiz: Any = None,
    quiz_items: Callable[[Engine], Callable[[], Any]] | None = None,
) -> None:
    """Point the handlers (and the quiz, if any) at the new version in one step.

    Nothing here awaits, so no update is handled halfway between two versions. The quiz
    gets the new texts and draws its questions from the new knowledge base; a changed
    `tg_practice_trigger` word still needs a restart (it is part of a registered filter).
    """
    handlers.engine = loaded.engine
    handlers.texts = loaded.texts
    handlers.codec = loaded.codec
    if hasattr(handlers, "examples"):
        handlers.examples = loaded.texts.lines("tg_examples")
    if quiz is None:
        return
    if hasattr(quiz, "texts"):
        quiz.texts = loaded.texts
    service = getattr(quiz, "service", None)
    if quiz_items is not None and hasattr(service, "items_provider"):
        service.items_provider = quiz_items(loaded.engine)


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
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def stats_html(summary: stats.AdminSummary) -> str:
    """The /stats message (Telegram HTML, every value escaped)."""
    counts, kinds, o = summary.counts, summary.kinds, summary.overview
    lines = [
        "<b>问答统计</b>（按 UTC 日计）",
        f"今天 {counts.today}　近 7 天 {counts.last_7_days}　累计 {counts.total}",
    ]
    if kinds.total:
        lines.append(
            "　".join(
                f"{KIND_NAMES[k]} {kinds[k]}（{kinds.share(k):.0%}）"
                for k in ("answer", "clarify", "fallback", "smalltalk")
            )
        )
    lines.append(f"提问人数 {o.askers}")
    if summary.top_entries:
        lines += ["", "<b>引用最多的条目</b>"]
        lines += [
            f"{i}. {escape(_short(e.title))} — {e.count} 次"
            for i, e in enumerate(summary.top_entries, 1)
        ]
    if summary.unanswered:
        lines += ["", "<b>未能回答最多的问题</b>（/unanswered 导出全部）"]
        lines += [
            f"{i}. {escape(_short(q.text))} — {q.count} 次"
            for i, q in enumerate(summary.unanswered, 1)
        ]
    lines += [
        "",
        f"<b>测验</b>：{o.groups} 个群 {o.rounds} 轮，{o.participants} 人参与，"
        f"作答 {o.quiz_answers} 次；练习作答 {o.practice.answers} 次",
    ]
    return "\n".join(lines)


# -- the commands ----------------------------------------------------------------------------------


class AdminCommands:
    """The admin command handlers of one Application."""

    def __init__(self, application: Application, settings: Settings) -> None:
        self.application = application
        self.settings = settings
        self.admin_ids = frozenset(settings.admin_ids)

    @property
    def handlers(self) -> Any:
        from bot.frontends.telegram.app import handlers_of

        return handlers_of(self.application)

    @property
    def database(self) -> Database:
        database: Database = self.handlers.log.database
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
        lock: asyncio.Lock = context.application.bot_data.setdefault(_LOCK_KEY, asyncio.Lock())
        async with lock:  # two admins reloading at once: one after the other
            handlers = self.handlers
            _LOGGER.info("reload requested by an admin")
            try:
                result = await asyncio.to_thread(
                    load_version,
                    self.settings.knowledge_dir,
                    self.settings.intents_dir,
                    self.settings.token or "",
                    handlers.engine,
                )
            except Exception as exc:
                _LOGGER.exception("reload failed")
                result = Rejected([f"{type(exc).__name__}: {exc}"])
            if isinstance(result, Rejected):
                _LOGGER.warning("reload refused: %d problem(s)", len(result.problems))
                await self._say(message, context, _problems_text(result.problems))
                raise ApplicationHandlerStop
            from bot.frontends.telegram import app as telegram_app

            swap_version(
                handlers,
                result,
                context.application.bot_data.get(_QUIZ_KEY),
                getattr(telegram_app, "quiz_items_of", None),
            )
        kb = result.engine.kb
        _LOGGER.info("knowledge reloaded: %d entries", len(kb.entries))
        await self._say(
            message,
            context,
            TEXTS["reloaded"].format(
                sources=len(kb.sources) + len(kb.laws),
                entries=len(kb.entries),
                contacts=len(kb.contacts),
                quiz=len(kb.quiz),
                rules=len(result.engine.intents.rules),
            ),
        )
        raise ApplicationHandlerStop

    async def stats(self, update: Update, context: Context) -> None:
        message = await self._allowed(update, context)
        if message is None:
            raise ApplicationHandlerStop
        titles = stats.entry_titles(self.handlers.engine.kb)
        summary = await stats.admin_summary(self.database, titles, limit=STATS_TOP)
        await send_chunks(context.bot, Target.answering(message), [stats_html(summary)])
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
            from bot.frontends.telegram.app import handlers_of

            db = handlers_of(context.application).log.database
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
    "Loaded",
    "Rejected",
    "add_admin_handlers",
    "load_version",
    "schedule_retention",
    "stats_html",
    "swap_version",
    "unanswered_csv",
]
