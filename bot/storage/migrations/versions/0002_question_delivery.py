"""Questions: whether the reply was delivered, and the writer's row id.

* `delivered` (nullable boolean): false when the reply could not be delivered to the user;
  NULL (every older row) and true count as delivered. `stats` reports the false ones.
* `uid` (nullable, unique): a random id the writer gives each row, so a write retried
  after a timeout that had in fact committed is skipped instead of stored twice. Older
  rows have none (NULLs never collide).

The channel stays in `frontend`; a channel is a new value there, not a schema change.
Columns and the index are added only where missing, for databases that a newer
`create_all` made before they were adopted by the migrations.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    inspector = sa.inspect(op.get_bind())
    columns = {column["name"] for column in inspector.get_columns("questions")}
    indexes = {index["name"] for index in inspector.get_indexes("questions")}
    # ADD COLUMN of a nullable column: in place on SQLite too (no table copy).
    if "delivered" not in columns:
        op.add_column("questions", sa.Column("delivered", sa.Boolean(), nullable=True))
    if "uid" not in columns:
        op.add_column("questions", sa.Column("uid", sa.String(length=32), nullable=True))
    if "uq_questions_uid" not in indexes:
        op.create_index("uq_questions_uid", "questions", ["uid"], unique=True)


def downgrade() -> None:
    op.drop_index("uq_questions_uid", table_name="questions")
    with op.batch_alter_table("questions") as batch:
        batch.drop_column("uid")
        batch.drop_column("delivered")
