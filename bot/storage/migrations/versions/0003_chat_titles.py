"""Group titles: `chat_titles` (chat_id, title, updated_at).

Quiz rounds are kept per chat id; the campaign report names a group by the title Telegram
last gave it (the quiz commands store it), and by a short label where none is known. The
table is created only where missing, for databases that a newer `create_all` made before
they were adopted by the migrations.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-05
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Telegram chat ids: 64 bits (SQLite's INTEGER is 64 bits anyway).
CHAT_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
TIME = sa.DateTime(timezone=True)  # stored UTC (bot.storage.models.UtcDateTime)


def upgrade() -> None:
    if "chat_titles" in sa.inspect(op.get_bind()).get_table_names():
        return
    op.create_table(
        "chat_titles",
        sa.Column("chat_id", CHAT_ID, autoincrement=False, nullable=False),
        sa.Column("title", sa.String(length=255), nullable=False),
        sa.Column("updated_at", TIME, nullable=False),
        sa.PrimaryKeyConstraint("chat_id", name=op.f("pk_chat_titles")),
    )


def downgrade() -> None:
    op.drop_table("chat_titles")
