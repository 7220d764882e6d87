"""Storage: plain URLs get their async driver, SQLite runs in WAL mode, records round-trip."""

from __future__ import annotations

import asyncio
import sqlite3
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import inspect, text

from bot.storage import DEFAULT_HASH_SECRET, Database, QuestionLog, async_url, hash_user


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
        await db.create_all()
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


async def test_create_all_is_idempotent(tmp_path: Path) -> None:
    db = Database(f"sqlite:///{tmp_path / 'bot.db'}")
    try:
        await db.create_all()
        await db.create_all()
    finally:
        await db.dispose()


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
