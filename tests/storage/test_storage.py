"""Storage: plain URLs get their async driver, SQLite runs in WAL mode, records round-trip."""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import inspect, text

from bot.storage import DEFAULT_HASH_SECRET, Database, QuestionLog, async_url, hash_user
from bot.storage.migrations import head_revisions
from bot.storage.questions import FRONTENDS
from tests.databases import backends as _backends
from tests.databases import scratch_url


@pytest.mark.parametrize(
    ("plain", "expected"),
    [
        ("sqlite:///data/bot.db", "sqlite+aiosqlite:///data/bot.db"),
        ("sqlite:////var/lib/bot/bot.db", "sqlite+aiosqlite:////var/lib/bot/bot.db"),
        ("sqlite://", "sqlite+aiosqlite://"),
        ("sqlite+aiosqlite:///x.db", "sqlite+aiosqlite:///x.db"),
        ("sqlite+pysqlite:///x.db", "sqlite+aiosqlite:///x.db"),
        ("postgresql://u:pw@db.example:5432/bot", "postgresql+asyncpg://u:pw@db.example:5432/bot"),
        ("postgres://u@h/bot", "postgresql+asyncpg://u@h/bot"),
        ("postgresql+psycopg2://u@h/bot", "postgresql+asyncpg://u@h/bot"),
        ("postgresql+asyncpg://u@h/bot", "postgresql+asyncpg://u@h/bot"),
        ("postgresql://u@h/bot?sslmode=require", "postgresql+asyncpg://u@h/bot?ssl=require"),
    ],
)
def test_plain_urls_get_their_async_driver(plain: str, expected: str) -> None:
    assert async_url(plain).render_as_string(hide_password=False) == expected


def test_unsupported_urls_are_refused() -> None:
    with pytest.raises(ValueError, match="unsupported database URL"):
        async_url("mysql://u@h/bot")


def test_repr_hides_the_password() -> None:
    assert "pw" not in repr(Database("postgresql://u:pw@h/bot"))


async def test_sqlite_creates_its_directory_and_runs_in_wal_mode(tmp_path: Path) -> None:
    path = tmp_path / "nested" / "dir" / "bot.db"
    db = Database(f"sqlite:///{path}")
    try:
        await db.migrate()
        assert path.parent.is_dir()
        async with db.engine.connect() as connection:
            assert (await connection.execute(text("PRAGMA journal_mode"))).scalar() == "wal"
            assert (await connection.execute(text("PRAGMA foreign_keys"))).scalar() == 1
            tables = await connection.run_sync(lambda c: inspect(c).get_table_names())
        assert "questions" in tables
    finally:
        await db.dispose()
    # WAL is a property of the file: a plain sqlite3 connection sees it too.
    with sqlite3.connect(path) as raw:
        assert raw.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


async def test_migrate_is_idempotent_and_create_all_is_migrate(tmp_path: Path) -> None:
    db = Database(f"sqlite:///{tmp_path / 'bot.db'}")
    try:
        await db.migrate()
        await db.migrate()
        await db.create_all()
    finally:
        await db.dispose()
    again = Database(f"sqlite:///{tmp_path / 'bot.db'}")
    try:
        await again.create_all()  # the same as migrate(): nothing left to do
        async with again.engine.connect() as connection:
            version = await connection.scalar(text("SELECT version_num FROM alembic_version"))
        assert version == head_revisions()[0]
    finally:
        await again.dispose()


async def test_record_and_read_back_with_a_hashed_user(tmp_path: Path) -> None:
    log = QuestionLog(Database(f"sqlite:///{tmp_path / 'bot.db'}"), secret="s3cret")
    try:
        await log.prepare()
        await log.record(
            user_id=424242,
            chat_type="private",
            frontend="telegram",
            question="条例什么时候施行？",
            kind="answer",
            intent="date",
            entry="regulation-effective",
            confidence=0.9,
        )
        await log.record(
            user_id=None,
            chat_type="supergroup",
            frontend="telegram",
            question="x" * 5000,
            kind="fallback",
            intent="search",
            entry=None,
            confidence=0.0,
        )
        assert await log.count() == 2
        first, second = await log.recent()
    finally:
        await log.close()
    assert first.question == "条例什么时候施行？"
    assert (first.kind, first.intent, first.entry) == ("answer", "date", "regulation-effective")
    assert first.confidence == pytest.approx(0.9)
    assert first.user_hash == hash_user(424242, "s3cret")
    assert len(first.user_hash) == 64 and "424242" not in first.user_hash
    assert first.user_hash != hash_user(424242, DEFAULT_HASH_SECRET)
    assert first.created_at.tzinfo is not None
    assert abs(datetime.now(UTC) - first.created_at) < timedelta(minutes=1)
    assert len(second.question) == 1000 and second.entry is None
    assert second.user_hash == hash_user(None, "s3cret")


async def test_in_memory_sqlite_shares_one_database() -> None:
    log = QuestionLog(Database("sqlite://"))
    try:
        await log.prepare()
        await log.record(
            user_id=1,
            chat_type="private",
            frontend="console",
            question="q",
            kind="smalltalk",
            intent="greeting",
            entry=None,
            confidence=1.0,
        )
        assert await log.count() == 1
        assert log.uses_default_secret
    finally:
        await log.close()


async def test_unknown_frontends_and_naive_times_are_refused(tmp_path: Path) -> None:
    log = QuestionLog(Database(f"sqlite:///{tmp_path / 'bot.db'}"))
    fields = {
        "user_id": 1,
        "chat_type": "private",
        "question": "q",
        "kind": "answer",
        "intent": "search",
        "entry": None,
        "confidence": 1.0,
    }
    try:
        await log.prepare()
        with pytest.raises(ValueError, match="front end"):
            await log.record(frontend="fax", **fields)
        with pytest.raises(Exception, match="naive datetime"):
            await log.record(frontend="web", created_at=datetime(2024, 1, 1), **fields)
        when = datetime(2024, 1, 1, 8, tzinfo=timezone(timedelta(hours=8)))
        await log.record(frontend="web", created_at=when, **fields)
        [row] = await log.recent()
        assert row.created_at == when and row.created_at.tzinfo == UTC
    finally:
        await log.close()


def test_hash_is_keyed_and_stable() -> None:
    assert hash_user(7, "a") == hash_user("7", "a")
    assert hash_user(7, "a") != hash_user(7, "b")
    assert hash_user(7, "") == hash_user(7, DEFAULT_HASH_SECRET)


def _fields(i: int) -> dict[str, object]:
    return {
        "user_id": i % 7,
        "chat_type": "private",
        "frontend": "telegram",
        "question": f"q{i}",
        "kind": "answer",
        "intent": "search",
        "entry": None,
        "confidence": 0.5,
    }


async def test_concurrent_records_are_all_committed(tmp_path: Path) -> None:
    log = QuestionLog(Database(f"sqlite:///{tmp_path / 'bot.db'}"))
    try:
        await log.prepare()
        await asyncio.gather(*(log.record(**_fields(i)) for i in range(300)))  # type: ignore[arg-type]
        assert await log.count() == 300
        assert [r.question for r in await log.recent(None)] == [f"q{i}" for i in range(300)]
    finally:
        await log.close()


async def test_a_failed_commit_reaches_every_caller(tmp_path: Path) -> None:
    log = QuestionLog(Database(f"sqlite:///{tmp_path / 'bot.db'}"))
    try:  # no prepare(): the table does not exist
        results = await asyncio.gather(
            *(log.record(**_fields(i)) for i in range(3)),  # type: ignore[arg-type]
            return_exceptions=True,
        )
        assert all("no such table" in str(r) for r in results)
        await log.prepare()
        await log.record(**_fields(9))  # type: ignore[arg-type]
        assert await log.count() == 1
    finally:
        await log.close()


# -- channels, delivery, and rows written by a queue ------------------------------------------------


@pytest.fixture(params=_backends())
async def log(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[QuestionLog]:
    """A prepared question log on an SQLite file or the PostgreSQL test database."""
    async with scratch_url(request.param, tmp_path / "bot.db") as url:
        question_log = QuestionLog(Database(url), "s")
        await question_log.prepare()
        yield question_log
        await question_log.close()


async def test_every_channel_is_recorded_with_its_delivery(log: QuestionLog) -> None:
    assert FRONTENDS == ("telegram", "web", "console", "wechat", "wecom", "live")
    for i, channel in enumerate(FRONTENDS):
        fields = {**_fields(i), "frontend": channel}
        await log.record(**fields, delivered=(None, True, False)[i % 3])  # type: ignore[arg-type]
    rows = await log.recent(None)
    assert [(r.frontend, r.delivered) for r in rows] == [
        ("telegram", None),
        ("web", True),
        ("console", False),
        ("wechat", None),
        ("wecom", True),
        ("live", False),
    ]
    assert all(r.uid is None for r in rows)


@dataclass(frozen=True)
class Pending:
    """A row as a write-behind queue keeps it (bot.app's recorder)."""

    uid: str
    user_hash: str
    channel: str
    question: str
    created_at: float
    delivered: bool | None = True
    chat_type: str = "private"
    kind: str = "answer"
    intent: str = "search"
    entry: str | None = "e1"
    confidence: float = 0.8


async def test_insert_rows_skips_uids_already_stored(log: QuestionLog) -> None:
    when = datetime(2024, 5, 1, 8, tzinfo=UTC)
    batch = [
        Pending("u1", "h1", "web", "问一", when.timestamp()),
        Pending("u2", "h2", "wechat", "问二", when.timestamp() + 60, delivered=False),
    ]
    await log.insert_rows(batch)
    # A retry after a timeout whose commit had in fact happened, plus one new row.
    await log.insert_rows([*batch, Pending("u3", "h3", "telegram", "问三", when.timestamp())])
    await log.insert_rows([])
    rows = await log.recent(None)
    assert [(r.uid, r.frontend, r.question, r.delivered) for r in rows] == [
        ("u1", "web", "问一", True),
        ("u2", "wechat", "问二", False),
        ("u3", "telegram", "问三", True),
    ]
    assert rows[0].created_at == when and rows[1].created_at == when + timedelta(minutes=1)
    assert (rows[0].entry, rows[0].confidence, rows[0].user_hash) == ("e1", 0.8, "h1")
    # Mappings do too; rows without a uid are never taken for duplicates.
    plain = {
        "user_hash": "h4",
        "frontend": "console",
        "question": "x" * 2000,
        "kind": "fallback",
        "intent": "search",
        "entry": None,
        "confidence": 0.0,
        "created_at": when,
    }
    await log.insert_rows([plain, plain])
    assert await log.count() == 5
    assert len((await log.recent(1))[0].question) == 1000
