"""Platform callbacks taken on: `callback_deliveries` (key, reply, created_at).

A WeChat message redelivered to another web process is answered with the reply the first
process stored, not handled twice (bot.storage.deliveries).

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-05
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TIME = sa.DateTime(timezone=True)  # stored UTC (bot.storage.models.UtcDateTime)


def upgrade() -> None:
    if "callback_deliveries" in sa.inspect(op.get_bind()).get_table_names():
        return
    op.create_table(
        "callback_deliveries",
        sa.Column("key", sa.String(length=160), nullable=False),
        sa.Column("reply", sa.Text(), nullable=True),
        sa.Column("created_at", TIME, nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_callback_deliveries")),
    )


def downgrade() -> None:
    op.drop_table("callback_deliveries")
