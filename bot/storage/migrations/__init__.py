"""Schema migrations (Alembic), shipped inside the package and configured in code.

`Database.migrate()` brings any database to the newest revision: it creates a new one, and
upgrades an older one, on SQLite and PostgreSQL alike. Every command that needs the database
calls it first, so no separate step is needed at deployment.

* `versions/0001_*` is the schema as `Base.metadata.create_all` made it before migrations
  existed (the question log and the quiz tables). It creates only the tables a database
  lacks, so a database made by `create_all` (tables, no `alembic_version`) is adopted as
  revision 0001 with its tables and rows as they are — an old one that predates the quiz
  gets the quiz tables — and then upgraded like any other.
* Every later change to a table in `bot.storage.models`, `bot.quiz.models`,
  `bot.live.models` or `bot.admin.models` is a new revision here; tests/storage/test_migrations.py proves that the revisions build exactly
  `Base.metadata` on both databases.

Migrations run inside one transaction holding a lock: PostgreSQL's advisory lock, SQLite's
write lock (`BEGIN IMMEDIATE`), so two processes starting together (the bot and the web
service) migrate once, one after the other, and a failed revision leaves nothing half done.

For developers: `python -m bot.storage.migrations revision -m "what changes"
--autogenerate` writes a new revision from the difference between a database at the head
revision (`--database`, default: a scratch SQLite file) and the models.
"""

from __future__ import annotations

import logging
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, MetaData, inspect, text

_LOGGER = logging.getLogger(__name__)

SCRIPT_LOCATION = str(Path(__file__).resolve().parent)
VERSION_TABLE = "alembic_version"
# The first revision: the schema of databases made by create_all before migrations.
BASE_REVISION = "0001"
# pg_advisory_xact_lock key held while migrating ("ipreg" in ASCII).
POSTGRES_LOCK_KEY = 0x6970726567

_heads: tuple[str, ...] | None = None


def target_metadata() -> MetaData:
    """The one metadata of every table the application uses (question log, quiz, live games,
    the admin console, platform callbacks)."""
    import bot.admin.models  # (registers the admin console's tables on Base.metadata)
    import bot.live.models  # (registers the live game tables on Base.metadata)
    import bot.quiz.models  # (registers the quiz tables on Base.metadata)
    import bot.storage.deliveries  # noqa: F401  (registers callback_deliveries)
    from bot.storage.models import Base

    return Base.metadata


def alembic_config(connection: Connection | None = None) -> Config:
    """Alembic's configuration, built in code (no alembic.ini)."""
    config = Config()
    config.set_main_option("script_location", SCRIPT_LOCATION)
    config.set_main_option("path_separator", "os")
    config.attributes["connection"] = connection
    return config


def head_revisions() -> tuple[str, ...]:
    """The newest revision(s) shipped (one, unless someone branched)."""
    global _heads
    if _heads is None:
        _heads = tuple(ScriptDirectory.from_config(alembic_config()).get_heads())
    return _heads


def current_revision(connection: Connection) -> str | None:
    """The revision the database is at; None for a new database or one made by create_all."""
    return MigrationContext.configure(connection).get_current_revision()


def _lock(connection: Connection) -> None:
    """Take the migration lock for the rest of the connection's transaction."""
    if connection.dialect.name == "sqlite":
        # The write lock now, not at the first write: a second process waits here (up to the
        # busy timeout) and then finds the schema current.
        connection.exec_driver_sql("BEGIN IMMEDIATE")
    elif connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": POSTGRES_LOCK_KEY})


def _current(connection: Connection) -> str | None:
    """The revision when the database is at the head with its tables; else None."""
    revision = current_revision(connection)
    if revision is None or (revision,) != head_revisions():
        return None
    return revision if inspect(connection).has_table("questions") else None


def upgrade(connection: Connection) -> tuple[str | None, str | None]:
    """Bring the database on `connection` to the head revision; return (before, after).

    A database already at the head is only read (no lock, no write: a read-only database
    user can still run the reports). Otherwise everything happens in one transaction that
    holds the migration lock, and the caller commits it (or rolls it back).
    """
    current = _current(connection)
    if current is not None:
        return current, current
    connection.rollback()  # end the read; the lock begins a transaction of its own
    _lock(connection)
    tables = set(inspect(connection).get_table_names())
    ours = tables & set(target_metadata().tables)
    if VERSION_TABLE in tables and not ours:
        # Every table was dropped but the version row was left (a test helper dropping the
        # metadata's tables): the database is new again.
        connection.execute(text(f"DELETE FROM {VERSION_TABLE}"))
    before = current_revision(connection)
    if before is not None and (before,) == head_revisions():
        return before, before
    if before is None and ours:
        _LOGGER.info(
            "database made before migrations (%d tables): adopting it as revision %s",
            len(ours),
            BASE_REVISION,
        )
    command.upgrade(alembic_config(connection), "heads")
    after = current_revision(connection)
    _LOGGER.info("database schema upgraded from %s to %s", before or "nothing", after)
    return before, after
