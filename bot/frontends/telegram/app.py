"""Wiring: `build_application` assembles the PTB Application; `run_bot` runs it.

`python -m bot run` (or `python -m bot` with TELEGRAM_BOT_TOKEN set) calls `run_bot`: long
polling by default, a webhook server when BOT_WEBHOOK_URL is set. Tests and benchmarks call
`build_application` with a fake Bot API server's URL and drive the Application themselves.

Protection against Telegram's limits is PTB's AIORateLimiter with retries: a 429 carries
retry_after, the limiter waits it out and sends again (safe: Telegram refused the call, so
nothing was delivered). It retries nothing else — see send.py for why timeouts are not.
Its per-group limit (20 a minute) is what keeps every message to a group within Telegram's;
the quiz also paces its own messages per group (quiz.py, `GroupPacer`).

Quizzes (quiz.py) share the question log's `Database`: one engine and pool for the bot's
tables and the quiz's. Start-up creates the tables and then continues or closes every quiz
round a previous run left open, before the first update is handled.
"""

from __future__ import annotations

import asyncio
import gc
import logging
import os
import re
import secrets
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from urllib.parse import urlsplit

import httpx
from sqlalchemy.exc import SQLAlchemyError
from telegram import Update
from telegram.error import BadRequest, InvalidToken, NetworkError, TelegramError
from telegram.ext import (
    AIORateLimiter,
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    InlineQueryHandler,
    MessageHandler,
    filters,
)
from telegram.request import HTTPXRequest

from bot import startup
from bot.app import Assistant, EngineHolder, QuestionRecorder
from bot.app.quizitems import quiz_items_of
from bot.app.ratelimit import RateLimiter
from bot.app.snapshot import load_engine
from bot.engine import Engine
from bot.frontends.telegram.admin import add_admin_handlers
from bot.frontends.telegram.commands import register_commands
from bot.frontends.telegram.context import HANDLERS_KEY, QUIZ_KEY, handlers_of, quiz_of
from bot.frontends.telegram.handlers import Handlers
from bot.frontends.telegram.journal import AnswerJournal, JournaledRequest, journal_path
from bot.frontends.telegram.processor import DEFAULT_CONCURRENCY, ChatOrderedProcessor
from bot.frontends.telegram.quiz import QuizBot, QuizOptions
from bot.frontends.telegram.reloading import codec_for, follow_reloads
from bot.frontends.telegram.texts import Texts
from bot.knowledge.loader import KnowledgeError
from bot.quiz import QuizService
from bot.settings import Settings
from bot.storage import Database, MigrationError, QuestionLog

_LOGGER = logging.getLogger(__name__)

# Retries of a request Telegram answered with 429 (PTB's default is 0: give up at once).
FLOOD_RETRIES = 3
# Seconds to wait for Telegram's answer to a call; getUpdates adds its long-poll time itself.
READ_TIMEOUT = 10.0
CONNECT_TIMEOUT = 5.0
# Connections to the Bot API, all kept alive. PTB's default (256, of which httpx keeps only
# 20 alive) reconnects constantly under load, and httpcore's pool bookkeeping grows with the
# square of the pool; Telegram accepts ~30 messages a second, which 16 connections carry
# even at 300 ms a round trip.
HTTP_CONNECTIONS = 16
# Inline queries arrive while the user types, so they get a wider allowance than questions.
INLINE_ALLOWANCE = 3
# What the bot asks Telegram for. Quizzes need poll answers (votes in non-anonymous polls);
# not `poll` updates, which repeat every vote as a new poll state (see quiz.py).
ALLOWED_UPDATES = [
    Update.MESSAGE,
    Update.CALLBACK_QUERY,
    Update.INLINE_QUERY,
    Update.POLL_ANSWER,
]
_SECRET_TOKEN = re.compile(r"[A-Za-z0-9_-]{1,256}")


def file_url_for(base_url: str) -> str:
    """The file-download URL beside a Bot API URL (`…/bot` → `…/file/bot`)."""
    if base_url.endswith("/bot"):
        return base_url[: -len("bot")] + "file/bot"
    return base_url.rstrip("/") + "/file/bot"


def build_application(
    settings: Settings,
    assistant: Assistant | Engine,
    store: QuestionLog | None = None,
    *,
    flood_control: bool = True,
    read_timeout: float = READ_TIMEOUT,
    concurrency: int = DEFAULT_CONCURRENCY,
    quiz_options: QuizOptions | None = None,
    journal: AnswerJournal | None = None,
) -> Application:
    """A ready-to-run Application over the application layer.

    Given an engine and a question log instead of an assistant (tests, benchmarks), the
    assistant is built over them, reloading from the settings' directories.
    `flood_control=False` drops AIORateLimiter (only for benchmarks against a fake server:
    its 30 messages a second cap would be what is measured). The Application's start-up
    creates or upgrades the database, recovers open quiz rounds and registers the command
    menu; its shutdown writes queued records and quiz answers and closes the database.
    Poll answers are journaled to disk before they are acknowledged (journal.py; the path is
    BOT_QUIZ_JOURNAL unless `journal` is given).
    """
    if not settings.token:
        raise ValueError("TELEGRAM_BOT_TOKEN is not set")
    if isinstance(assistant, Engine):
        if store is None:
            raise ValueError("an engine needs a question log to record into")
        holder = EngineHolder(assistant, settings.knowledge_dir, settings.intents_dir)
        assistant = Assistant(holder, QuestionRecorder(store))
    if assistant.recorder is None:
        raise ValueError("the Telegram bot records its questions: give the assistant a recorder")
    log = assistant.recorder.log
    engine = assistant.engine
    texts = Texts(engine.intents)
    codec = codec_for(engine, texts, settings.token)
    limit = settings.user_rate_limit
    handlers = Handlers(
        assistant,
        texts,
        codec,
        RateLimiter(limit),
        RateLimiter(limit * INLINE_ALLOWANCE if limit > 0 else 0),
    )
    if assistant.quiz is None:
        assistant.quiz = QuizService(
            log.database, quiz_items_of(assistant.holder), secret=settings.hash_secret
        )
    journal = journal or AnswerJournal(journal_path())
    quiz = QuizBot(
        assistant.quiz, texts, handlers.limiter, settings.admin_ids, quiz_options, journal
    )
    follow_reloads(assistant, handlers, quiz, settings.token)

    async def on_startup(application: Application) -> None:
        await log.prepare()
        await quiz.start(application)
        await register_commands(application.bot, texts)
        _LOGGER.info("bot @%s is ready", application.bot.username)

    async def on_shutdown(application: Application) -> None:
        try:
            await quiz.stop()
            await assistant.close()
        finally:
            await log.close()

    request = HTTPXRequest(
        connection_pool_size=HTTP_CONNECTIONS,
        read_timeout=read_timeout,
        write_timeout=read_timeout,
        connect_timeout=CONNECT_TIMEOUT,
        # Waiting for a free connection is normal under load; not an error after 1 s.
        pool_timeout=read_timeout,
        httpx_kwargs={
            "limits": httpx.Limits(
                max_connections=HTTP_CONNECTIONS, max_keepalive_connections=HTTP_CONNECTIONS
            )
        },
    )
    builder = (
        ApplicationBuilder()
        .token(settings.token)
        .request(request)
        # getUpdates through a client that writes poll answers to disk before returning them.
        .get_updates_request(
            JournaledRequest(journal, connection_pool_size=1, connect_timeout=CONNECT_TIMEOUT)
        )
        .concurrent_updates(ChatOrderedProcessor(concurrency))
        .post_init(on_startup)
        .post_shutdown(on_shutdown)
    )
    if settings.api_base_url:
        builder = builder.base_url(settings.api_base_url).base_file_url(
            file_url_for(settings.api_base_url)
        )
    if flood_control:
        builder = builder.rate_limiter(AIORateLimiter(max_retries=FLOOD_RETRIES))
    application = builder.build()
    application.bot_data[HANDLERS_KEY] = handlers
    application.bot_data[QUIZ_KEY] = quiz
    quiz.add_handlers(application)  # first: the Q&A handlers would take /quiz as unknown
    add_handlers(application, handlers)
    # Admin commands (/reload, /stats, /unanswered) and the retention job.
    add_admin_handlers(application, settings)
    return application


@asynccontextmanager
async def polling(
    application: Application, poll_timeout: float = 10.0
) -> AsyncIterator[Application]:
    """Long-poll inside the caller's event loop (tests, benchmarks, another server's loop).

    Does what `run_polling` does — initialise, start-up hook, start, poll; on exit stop and
    shut down — except owning the loop and the signals.
    """
    async with application:
        if application.post_init is not None:
            await application.post_init(application)
        assert application.updater is not None
        await application.start()
        await application.updater.start_polling(
            poll_interval=0,
            timeout=poll_timeout,
            allowed_updates=ALLOWED_UPDATES,
            drop_pending_updates=False,
        )
        try:
            yield application
        finally:
            await application.updater.stop()
            await application.stop()
    if application.post_shutdown is not None:
        await application.post_shutdown(application)


def settle_heap() -> None:
    """Take everything loaded at start-up out of the cyclic garbage collector's sight.

    The knowledge base, the libraries and their caches make a heap of some 10^5 tracked
    objects. A full collection walks all of them — 70–90 ms during which the bot handles
    nothing — and a burst of quiz answers allocates enough to trigger one (measured with
    benchmarks/quiz_telegram.py: p99 per answer 130 ms without this, 36 ms with it). Frozen
    objects are still freed by reference counting; only reference cycles among them (parts
    of a knowledge base replaced later) stay until exit.
    """
    gc.collect()
    gc.freeze()


def add_handlers(application: Application, handlers: Handlers) -> None:
    new = filters.UpdateType.MESSAGE  # edits of old questions are not asked again
    private = filters.ChatType.PRIVATE
    groups = filters.ChatType.GROUPS
    for name, callback in (
        ("start", handlers.start_command),
        ("help", handlers.help_command),
        ("ask", handlers.ask_command),
        ("article", handlers.article_command),
        ("chapter", handlers.chapter_command),
        ("contact", handlers.contact_command),
        ("duty", handlers.duty_command),
        ("sources", handlers.sources_command),
    ):
        application.add_handler(CommandHandler(name, callback, filters=new))
    application.add_handler(MessageHandler(filters.StatusUpdate.MIGRATE, handlers.chat_migration))
    text = filters.TEXT & ~filters.COMMAND
    application.add_handler(MessageHandler(private & new & text, handlers.private_message))
    application.add_handler(MessageHandler(groups & new & text, handlers.group_message))
    application.add_handler(
        MessageHandler(private & new & filters.COMMAND, handlers.unknown_command)
    )
    application.add_handler(
        MessageHandler(
            private & new & ~filters.TEXT & ~filters.StatusUpdate.ALL, handlers.private_other
        )
    )
    application.add_handler(CallbackQueryHandler(handlers.button_press))
    application.add_handler(InlineQueryHandler(handlers.inline_query))
    application.add_error_handler(handlers.error)


# -- running -------------------------------------------------------------------------------


class RedactingFormatter(logging.Formatter):
    """Wraps a handler's formatter and masks secrets in its whole output, tracebacks included.

    bot.logs (set up by the CLI) masks the token in log messages; this also covers the
    webhook secret (PTB logs setWebhook's parameters at DEBUG) and formatted exceptions,
    whatever the format (text or JSON lines).
    """

    def __init__(self, inner: logging.Formatter | None, secrets_: list[str]) -> None:
        super().__init__()
        self._inner = inner or logging.Formatter()
        self._secrets = [s for s in secrets_ if s]

    def format(self, record: logging.LogRecord) -> str:
        text = self._inner.format(record)
        for secret in self._secrets:
            text = text.replace(secret, "[REDACTED]")
        return text


def protect_logs(secrets_: list[str]) -> None:
    """Mask secrets in everything the root handlers write; keep httpx's request URLs (which
    hold the token) out of INFO and DEBUG alike."""
    root = logging.getLogger()
    if not root.handlers:  # called directly rather than through the CLI
        from bot.logs import setup_logging

        setup_logging()
    for handler in root.handlers:
        handler.setFormatter(RedactingFormatter(handler.formatter, secrets_))
    for noisy in ("httpx", "httpcore"):
        logging.getLogger(noisy).setLevel(logging.WARNING)


async def check_telegram(settings: Settings) -> str:
    """Ask the Bot API who the bot is (getMe) before anything slow starts; return its
    username. Raises StartupError when the token is rejected or the API cannot be reached."""
    from telegram import Bot

    base = settings.api_base_url or "https://api.telegram.org/bot"
    kwargs = {"base_url": base, "base_file_url": file_url_for(base)}
    request = HTTPXRequest(read_timeout=READ_TIMEOUT, connect_timeout=CONNECT_TIMEOUT)
    try:
        async with Bot(settings.token, request=request, **kwargs) as bot:
            return bot.username
    except TelegramError as exc:
        raise telegram_failure(exc, base) from exc


def telegram_failure(exc: TelegramError, base_url: str) -> startup.StartupError:
    """A Telegram error at start-up, for people: token rejected, network, or refused."""
    host = urlsplit(base_url).netloc or base_url
    if isinstance(exc, InvalidToken):
        return startup.StartupError(
            startup.EXIT_TOKEN_REJECTED,
            "Telegram 拒绝了机器人令牌（TELEGRAM_BOT_TOKEN），请向 @BotFather 核对后重新设置。",
            "Telegram rejected the bot token (TELEGRAM_BOT_TOKEN); check it with @BotFather.",
        )
    if isinstance(exc, NetworkError) and not isinstance(exc, BadRequest):
        return startup.StartupError(
            startup.EXIT_NETWORK,
            f"无法连接 Telegram（{host}）：{startup.reason(exc)}。"
            "请检查网络、代理（HTTPS_PROXY）或 TELEGRAM_API_BASE_URL。",
            f"cannot reach the Telegram Bot API at {host}: {startup.reason(exc)}; "
            "check the network, the proxy (HTTPS_PROXY) or TELEGRAM_API_BASE_URL.",
        )
    return startup.StartupError(
        startup.EXIT_FAILED,
        f"Telegram 拒绝启动机器人：{startup.reason(exc)}",
        f"Telegram refused to start the bot: {startup.reason(exc)}",
    )


def run_bot(
    knowledge: str | None = None,
    intents: str | None = None,
    settings: Settings | None = None,
) -> int:
    """Run until interrupted. Exit codes (bot.startup; README "Troubleshooting"): 0 a clean
    stop, 1 Telegram refused, 2 misconfigured, 3 token rejected, 4 Bot API unreachable,
    5 database unreachable, 6 knowledge base broken. A failed start prints two lines (Chinese
    and English) on stderr; the traceback is logged at DEBUG only."""
    settings = settings or Settings.from_env()
    if knowledge:
        settings = settings.replace(knowledge_dir=Path(knowledge))
    if intents:
        settings = settings.replace(intents_dir=Path(intents))
    if not settings.token:
        return startup.report(
            startup.StartupError(
                startup.EXIT_MISCONFIGURED,
                "没有设置 TELEGRAM_BOT_TOKEN：请向 @BotFather 申请令牌，写入环境变量或 .env"
                "（或运行 python -m bot chat 使用命令行对话）。",
                "TELEGRAM_BOT_TOKEN is not set. Get a token from @BotFather and set it in "
                "the environment or in .env (or run `python -m bot chat` for the console).",
            )
        )
    secret_token = settings.webhook_secret or secrets.token_urlsafe(32)
    if settings.webhook_url and not _SECRET_TOKEN.fullmatch(secret_token):
        return startup.report(
            startup.StartupError(
                startup.EXIT_MISCONFIGURED,
                "BOT_WEBHOOK_SECRET 只能包含 A-Z、a-z、0-9、_ 和 -（1 到 256 个字符）。",
                "BOT_WEBHOOK_SECRET may only hold A-Z, a-z, 0-9, _ and - (1-256 characters).",
            )
        )
    hidden = [settings.token, secret_token, settings.hash_secret]
    protect_logs(hidden)
    # Opt in to PTB 23's RetryAfter.retry_after type now; nothing here reads it, and PTB's
    # AIORateLimiter otherwise warns on every 429.
    os.environ.setdefault("PTB_TIMEDELTA", "1")

    try:
        # The quick checks first, so a wrong token or a dead network is told in a second,
        # not after the knowledge base has loaded (or been embedded on a first start).
        asyncio.run(check_telegram(settings))
        startup.check_database(settings.database_url)
        try:
            # A broken directory with a last good snapshot serves the snapshot (degraded).
            engine, problems = load_engine(settings.knowledge_dir, settings.intents_dir)
        except KnowledgeError as exc:
            raise startup.knowledge_broken(exc) from exc
    except startup.StartupError as exc:
        return startup.report(exc, exc.__cause__, secrets=hidden)
    database = Database(settings.database_url)
    store = QuestionLog(database, settings.hash_secret)
    if store.uses_default_secret:
        _LOGGER.warning("BOT_HASH_SECRET is not set: user hashes use the public default key")
    holder = EngineHolder(engine, settings.knowledge_dir, settings.intents_dir)
    holder.problems = problems
    application = build_application(settings, Assistant(holder, QuestionRecorder(store)))
    settle_heap()
    _LOGGER.info("knowledge: %s; database: %r", settings.knowledge_dir, database)
    try:
        if settings.webhook_url:
            url_path = urlsplit(settings.webhook_url).path.lstrip("/")
            _LOGGER.info("webhook mode on %s:%s/%s", settings.listen, settings.port, url_path)
            application.run_webhook(
                listen=settings.listen,
                port=settings.port,
                url_path=url_path,
                webhook_url=settings.webhook_url,
                secret_token=secret_token,
                allowed_updates=ALLOWED_UPDATES,
                drop_pending_updates=False,
            )
        else:
            _LOGGER.info("long polling")
            application.run_polling(allowed_updates=ALLOWED_UPDATES, drop_pending_updates=False)
    except TelegramError as exc:
        base = settings.api_base_url or "https://api.telegram.org/bot"
        return startup.report(telegram_failure(exc, base), exc, secrets=hidden)
    except (SQLAlchemyError, OSError, MigrationError) as exc:
        return startup.report(startup.database_unreachable(database, exc), exc, secrets=hidden)
    return 0


__all__ = [
    "ALLOWED_UPDATES",
    "add_handlers",
    "build_application",
    "handlers_of",
    "polling",
    "quiz_items_of",
    "quiz_of",
    "run_bot",
    "settle_heap",
]
