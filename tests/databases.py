"""The databases storage tests run on: SQLite always, PostgreSQL when BOT_TEST_POSTGRES_URL is set
(.ci/run starts one on loopback and sets it)."""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

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


def use_worker_database() -> None:
    """Under pytest-xdist, point BOT_TEST_POSTGRES_URL at a database of this worker's own
    (`<name>_gw0`, created on the same server when missing): the tests empty their database
    before and after each test, so two workers on one database would empty each other's."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    url = os.environ.get(POSTGRES_ENV)
    if not worker or not url:
        return
    base = make_url(url)
    own = base.set(database=f"{base.database or 'postgres'}_{worker}")
    server = base.set(drivername="postgresql").render_as_string(hide_password=False)
    asyncio.run(_create_database(server, own.database or ""))
    os.environ[POSTGRES_ENV] = own.render_as_string(hide_password=False)


async def _create_database(url: str, name: str) -> None:
    import asyncpg  # here: PostgreSQL's extra only matters when its URL is set

    connection = await asyncpg.connect(url)
    try:
        if not await connection.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", name):
            await connection.execute(f'CREATE DATABASE "{name}"')
    finally:
        await connection.close()


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
