"""Fixtures for the bot.stats tests: an empty database on SQLite and, when
BOT_TEST_POSTGRES_URL is set, PostgreSQL; questions written with known times through the real
QuestionLog."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.storage import Database, QuestionLog
from tests.databases import backends as _backends
from tests.databases import scratch_url

NOW = datetime(2024, 5, 10, 9, 30, tzinfo=UTC)  # 17:30 in Beijing
SECRET = "stats-test-secret"
GROUP_A, GROUP_B = -100111, -100222


@pytest.fixture(params=_backends())
async def db(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Database]:
    """An empty database with every table: an SQLite file, or the PostgreSQL test database."""
    async with scratch_url(request.param, tmp_path / "stats.db") as url:
        database = Database(url)
        await database.migrate()
        yield database
        await database.dispose()


async def ask(
    log: QuestionLog,
    when: datetime,
    question: str = "条例什么时候施行",
    kind: str = "answer",
    entry: str | None = "regulation-effective",
    user: int | str = 1,
    channel: str = "telegram",
    delivered: bool | None = None,
) -> None:
    await log.record(
        user_id=user,
        chat_type="private",
        frontend=channel,
        question=question,
        kind=kind,
        intent="search",
        entry=entry,
        confidence=0.9,
        created_at=when,
        delivered=delivered,
    )


@pytest.fixture
def log(db: Database) -> QuestionLog:
    return QuestionLog(db, SECRET)
