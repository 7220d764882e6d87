"""Alembic's environment: runs the revisions on the connection `bot.storage.migrations` passes.

There is no alembic.ini: `bot.storage.migrations.alembic_config` builds the configuration in
code and hands over an open connection (already inside the transaction that holds the
migration lock), so this file never connects, commits or configures logging itself.
"""

from __future__ import annotations

from alembic import context

from bot.storage.migrations import target_metadata

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError(
        "bot.storage.migrations runs on a connection it is given: use Database.migrate() or "
        "`python -m bot.storage.migrations`"
    )
context.configure(
    connection=connection,
    target_metadata=target_metadata(),
    # SQLite cannot alter most of a table in place: alter it by copying (batch mode).
    render_as_batch=True,
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
