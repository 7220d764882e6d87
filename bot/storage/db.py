"""One async database handle built from a plain SQLAlchemy URL.

Operators write the URL they know (`sqlite:///data/bot.db`, `postgresql://user:pw@host/db`);
the bot picks the async driver itself, so a configuration never names aiosqlite or asyncpg.
SQLite gets write-ahead logging (readers never block the writer, and a commit costs no fsync
with synchronous=NORMAL) and enforced foreign keys, set on every new connection.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from sqlalchemy import URL, event, make_url
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.pool import StaticPool

_LOGGER = logging.getLogger(__name__)

SQLITE_DRIVER = "sqlite+aiosqlite"
POSTGRES_DRIVER = "postgresql+asyncpg"
_POSTGRES_BACKENDS = frozenset({"postgresql", "postgres", "pgsql"})
# Seconds SQLite waits for a lock before failing (a second process may be writing).
SQLITE_BUSY_TIMEOUT_MS = 5000


def _is_memory(url: URL) -> bool:
    return url.database in (None, "", ":memory:") or "mode=memory" in str(url.database)


def async_url(url: str | URL) -> URL:
    """The same database addressed through its async driver.

    `sqlite:///path` → `sqlite+aiosqlite:///path`; `postgresql://` (also `postgres://` and any
    sync PostgreSQL driver) → `postgresql+asyncpg://`, with libpq's `sslmode` renamed to the
    `ssl` argument asyncpg understands. URLs already naming these drivers are kept.
    """
    parsed = make_url(url) if isinstance(url, str) else url
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        return parsed.set(drivername=SQLITE_DRIVER)
    if backend in _POSTGRES_BACKENDS:
        query: Mapping[str, Any] = dict(parsed.query)
        if "sslmode" in query and "ssl" not in query:
            query = {**{k: v for k, v in query.items() if k != "sslmode"}, "ssl": query["sslmode"]}
        return parsed.set(drivername=POSTGRES_DRIVER, query=query)
    raise ValueError(
        f"unsupported database URL scheme {parsed.drivername!r}: use sqlite:/// or postgresql://"
    )


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    """Run on every new SQLite connection: WAL, cheap commits, foreign keys, lock waits."""
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    finally:
        cursor.close()


class MigrationError(Exception):
    """The schema cannot be brought to the newest revision (e.g. the database is at a
    revision this version of the bot does not know: it was made by a newer one)."""


def _quiet_alembic() -> None:
    """Alembic logs its set-up at INFO on every run (already on import); a command's output
    should not show it. Warnings and errors still show."""
    logger = logging.getLogger("alembic")
    if logger.level == logging.NOTSET:
        logger.setLevel(logging.WARNING)


_quiet_alembic()


class Database:
    """An async engine and session factory for one URL.

    `migrate()` creates the schema or upgrades it to the newest revision (idempotent, cheap
    once done); `session()` opens an `AsyncSession` to use as
    `async with db.session() as s: ...`. An SQLite file's directory is created here, so a
    first start needs nothing prepared.
    """

    def __init__(self, url: str | URL, *, echo: bool = False) -> None:
        self.url = async_url(url)
        kwargs: dict[str, Any] = {"echo": echo}
        if self.is_sqlite:
            if _is_memory(self.url):
                # One shared connection, or every session would see its own empty database.
                kwargs.update(poolclass=StaticPool, connect_args={"check_same_thread": False})
            else:
                Path(str(self.url.database)).expanduser().parent.mkdir(parents=True, exist_ok=True)
        else:
            kwargs["pool_pre_ping"] = True
        self.engine: AsyncEngine = create_async_engine(self.url, **kwargs)
        if self.is_sqlite:
            event.listen(self.engine.sync_engine, "connect", _sqlite_pragmas)
        self._sessions = async_sessionmaker(self.engine, expire_on_commit=False)
        self._migrated = False
        self._migrating: asyncio.Lock | None = None

    @property
    def is_sqlite(self) -> bool:
        return self.url.get_backend_name() == "sqlite"

    def insert(self, table: Any) -> Any:
        """This backend's INSERT, for ON CONFLICT clauses (SQLite and PostgreSQL spell them
        alike)."""
        from sqlalchemy.dialects import postgresql, sqlite

        return (sqlite if self.is_sqlite else postgresql).insert(table)

    async def migrate(self) -> None:
        """Create the schema, or upgrade it to the newest revision (`bot.storage.migrations`).

        A database made by `create_all` before there were migrations is adopted as the
        first revision, rows kept, then upgraded. Runs once per `Database`; concurrent calls
        (here or in other processes) wait for the first and then find nothing to do.
        Raises MigrationError when the database is at a revision this code does not know,
        and SQLAlchemy's errors when it cannot be reached.
        """
        if self._migrated:
            return
        if self._migrating is None:
            self._migrating = asyncio.Lock()
        async with self._migrating:
            if self._migrated:
                return
            from alembic.util import CommandError

            from bot.storage.migrations import upgrade

            try:
                async with self.engine.connect() as connection:
                    await connection.run_sync(upgrade)
                    await connection.commit()
            except CommandError as exc:
                raise MigrationError(f"schema migration failed: {exc}") from exc
            self._migrated = True

    async def create_all(self) -> None:
        """The same as `migrate()` (the schema is made by the migrations only)."""
        await self.migrate()

    def session(self) -> AsyncSession:
        return self._sessions()

    async def dispose(self) -> None:
        """Close every pooled connection (at shutdown)."""
        await self.engine.dispose()

    def __repr__(self) -> str:
        return f"Database({self.url.render_as_string(hide_password=True)!r})"
