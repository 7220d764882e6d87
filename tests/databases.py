"""The databases storage tests run on: SQLite always, PostgreSQL when BOT_TEST_POSTGRES_URL is set
(.ci/run starts one on loopback and sets it)."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest

from bot.storage import Database
from bot.storage.migrations import target_metadata

POSTGRES_ENV = "BOT_TEST_POSTGRES_URL"


def backends() -> list[object]:
    """Fixture params: "sqlite", and "postgresql" skipped unless the variable is set."""
    return [
        "sqlite",
        pytest.param(
            "postgresql",
            marks=pytest.mark.skipif(
                not os.environ.get(POSTGRES_ENV), reason=f"{POSTGRES_ENV} not set"
            ),
        ),
    ]


async def drop_all(url: str) -> None:
    """Empty a shared test database (every table of the one metadata, the quiz's, the live
    games' and the admin console's included however little of the bot the test imported)."""
    db = Database(url)
    try:
        async with db.engine.begin() as connection:
            await connection.run_sync(target_metadata().drop_all)
    finally:
        await db.dispose()


@asynccontextmanager
async def scratch_url(backend: str, sqlite_file: Path) -> AsyncIterator[str]:
    """A database URL for one test: `sqlite_file`, or the shared PostgreSQL test database,
    emptied before and after."""
    if backend == "sqlite":
        yield f"sqlite:///{sqlite_file}"
        return
    url = os.environ[POSTGRES_ENV]
    await drop_all(url)
    try:
        yield url
    finally:
        await drop_all(url)
