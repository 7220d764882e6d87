"""Why a service could not start, in two short lines (Chinese, then English) and an exit code.

`python -m bot run` and `python -m bot web` turn what stops them at start-up into a
`StartupError`: a rejected token, an unreachable Bot API, a database that cannot be reached,
a broken knowledge base. `report` prints it on stderr — no traceback; that is logged at DEBUG
(`BOT_LOG_LEVEL=DEBUG`) — and returns the exit code, documented in the README
("Troubleshooting").
"""

from __future__ import annotations

import asyncio
import logging
import sys
from dataclasses import dataclass
from typing import IO

log = logging.getLogger(__name__)

EXIT_FAILED = 1  # anything else: Telegram refused a call, the port is taken, …
EXIT_MISCONFIGURED = 2  # a setting is missing or malformed
EXIT_TOKEN_REJECTED = 3  # Telegram does not know the token
EXIT_NETWORK = 4  # the Bot API cannot be reached
EXIT_DATABASE = 5  # the database cannot be reached or upgraded
EXIT_KNOWLEDGE = 6  # the knowledge base or intents do not load

MAX_REASON = 160
# Seconds to reach the database at start-up before giving up (asyncpg waits 60 by itself).
DATABASE_TIMEOUT = 30.0


@dataclass
class StartupError(Exception):
    """What stopped the start, for people: a Chinese and an English line, and the exit code."""

    code: int
    chinese: str
    english: str

    def __str__(self) -> str:
        return self.english


def reason(exc: BaseException) -> str:
    """An exception in a few words: its first line, shortened, without a traceback."""
    lines = str(exc).strip().splitlines()
    text = lines[0].strip() if lines else ""
    text = text or type(exc).__name__
    return text if len(text) <= MAX_REASON else text[: MAX_REASON - 1] + "…"


def report(
    error: StartupError,
    cause: BaseException | None = None,
    *,
    secrets: list[str] | tuple[str, ...] = (),
    stream: IO[str] | None = None,
) -> int:
    """Print the two lines on stderr (secrets masked), log the traceback at DEBUG, and return
    the exit code."""
    if cause is not None:
        log.debug("start-up failed", exc_info=cause)
    out = stream or sys.stderr
    for line in (f"错误：{error.chinese}", f"error: {error.english}"):
        for secret in secrets:
            if secret:
                line = line.replace(secret, "***")
        print(line, file=out, flush=True)
    return error.code


def knowledge_broken(exc: Exception) -> StartupError:
    """A KnowledgeError: how many problems, the first one, and the command that lists all."""
    problems = getattr(exc, "problems", None) or []
    first = f"（{problems[0]}）" if problems else ""
    first_en = f" (first: {problems[0]})" if problems else ""
    count = len(problems) or 1
    return StartupError(
        EXIT_KNOWLEDGE,
        f"知识库或意图规则有 {count} 处问题{first}，无法启动；运行 python -m bot check 查看全部。",
        f"the knowledge base or intents have {count} problem(s){first_en}; "
        "run `python -m bot check` to list them.",
    )


def open_database(url: str):  # type: ignore[no-untyped-def]
    """A `Database` for `url`, or a StartupError (exit 2) when the URL cannot be used."""
    from bot.storage import Database

    try:
        return Database(url)
    except OSError as exc:  # the SQLite file's directory cannot be made
        raise StartupError(
            EXIT_DATABASE,
            f"无法创建数据库文件所在的目录：{reason(exc)}。请检查 BOT_DATABASE_URL 和目录权限。",
            f"cannot create the database's directory: {reason(exc)}; "
            "check BOT_DATABASE_URL and permissions.",
        ) from exc
    except Exception as exc:  # a malformed URL, an unknown scheme, a driver not installed
        raise StartupError(
            EXIT_MISCONFIGURED,
            f"BOT_DATABASE_URL 不是可用的数据库地址：{reason(exc)}。",
            f"BOT_DATABASE_URL is not a usable database URL: {reason(exc)}.",
        ) from exc


def database_unreachable(database: object, exc: BaseException) -> StartupError:
    return StartupError(
        EXIT_DATABASE,
        f"无法连接或升级数据库 {database!r}：{reason(exc)}。请检查数据库是否在运行、BOT_DATABASE_URL 是否正确。",
        f"cannot reach or upgrade the database {database!r}: {reason(exc)}; "
        "check that it is running and BOT_DATABASE_URL.",
    )


def check_database(url: str) -> None:
    """Connect to the database and bring its schema up to date now, so that a start fails at
    once and clearly when it cannot be reached; raise StartupError (exit 2 or 5)."""
    from sqlalchemy.exc import SQLAlchemyError

    from bot.storage import MigrationError

    database = open_database(url)

    async def migrate() -> None:
        try:
            await asyncio.wait_for(database.migrate(), DATABASE_TIMEOUT)
        finally:
            await database.dispose()

    try:
        asyncio.run(migrate())
    except (SQLAlchemyError, OSError, MigrationError, TimeoutError) as exc:
        raise database_unreachable(database, exc) from exc
