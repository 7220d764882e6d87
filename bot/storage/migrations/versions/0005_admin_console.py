"""The admin console (bot.admin.models): accounts, sessions, failed logins, the audit log,
the cookie-signing key, learned wordings and reviewed question groups.

Tables are created only where missing, for databases that a newer `create_all` made before
they were adopted by the migrations.

Revision ID: 0005
Revises: 0004
Create Date: 2027-02-01
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ROW_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
TIME = sa.DateTime(timezone=True)  # stored UTC (bot.storage.models.UtcDateTime)


def upgrade() -> None:
    existing = set(sa.inspect(op.get_bind()).get_table_names())
    if "admin_accounts" not in existing:
        op.create_table(
            "admin_accounts",
            sa.Column("id", ROW_ID, autoincrement=True, nullable=False),
            sa.Column("name", sa.String(length=64), nullable=False),
            sa.Column("password_hash", sa.String(length=255), nullable=False),
            sa.Column("created_at", TIME, nullable=False),
            sa.Column("last_login_at", TIME, nullable=True),
            sa.PrimaryKeyConstraint("id", name=op.f("pk_admin_accounts")),
            sa.UniqueConstraint("name", name="uq_admin_accounts_name"),
        )
    if "admin_sessions" not in existing:
        op.create_table(
            "admin_sessions",
            sa.Column("id", ROW_ID, autoincrement=True, nullable=False),
            sa.Column("token_hash", sa.String(length=64), nullable=False),
            sa.Column("account_id", ROW_ID, nullable=False),
            sa.Column("csrf", sa.String(length=64), nullable=False),
            sa.Column("created_at", TIME, nullable=False),
            sa.Column("expires_at", TIME, nullable=False),
            sa.ForeignKeyConstraint(
                ["account_id"],
                ["admin_accounts.id"],
                name=op.f("fk_admin_sessions_account_id_admin_accounts"),
                ondelete="CASCADE",
            ),
            sa.PrimaryKeyConstraint("id", name=op.f("pk_admin_sessions")),
            sa.UniqueConstraint("token_hash", name="uq_admin_sessions_token_hash"),
        )
        op.create_index("ix_admin_sessions_account_id", "admin_sessions", ["account_id"])
    if "admin_login_failures" not in existing:
        op.create_table(
            "admin_login_failures",
            sa.Column("id", ROW_ID, autoincrement=True, nullable=False),
            sa.Column("key", sa.String(length=200), nullable=False),
            sa.Column("at", TIME, nullable=False),
            sa.PrimaryKeyConstraint("id", name=op.f("pk_admin_login_failures")),
        )
        op.create_index("ix_admin_login_failures_key_at", "admin_login_failures", ["key", "at"])
    if "admin_audit" not in existing:
        op.create_table(
            "admin_audit",
            sa.Column("id", ROW_ID, autoincrement=True, nullable=False),
            sa.Column("at", TIME, nullable=False),
            sa.Column("actor", sa.String(length=64), nullable=False),
            sa.Column("action", sa.String(length=40), nullable=False),
            sa.Column("detail", sa.Text(), nullable=False),
            sa.PrimaryKeyConstraint("id", name=op.f("pk_admin_audit")),
        )
        op.create_index("ix_admin_audit_at", "admin_audit", ["at"])
    if "admin_secrets" not in existing:
        op.create_table(
            "admin_secrets",
            sa.Column("name", sa.String(length=40), nullable=False),
            sa.Column("value", sa.String(length=128), nullable=False),
            sa.PrimaryKeyConstraint("name", name=op.f("pk_admin_secrets")),
        )
    if "learned_wordings" not in existing:
        op.create_table(
            "learned_wordings",
            sa.Column("id", ROW_ID, autoincrement=True, nullable=False),
            sa.Column("wording", sa.Text(), nullable=False),
            sa.Column("normalized", sa.String(length=500), nullable=False),
            sa.Column("entry", sa.String(length=128), nullable=False),
            sa.Column("status", sa.String(length=16), nullable=False),
            sa.Column("created_by", sa.String(length=64), nullable=False),
            sa.Column("created_at", TIME, nullable=False),
            sa.Column("applied_by", sa.String(length=64), nullable=True),
            sa.Column("applied_at", TIME, nullable=True),
            sa.PrimaryKeyConstraint("id", name=op.f("pk_learned_wordings")),
            sa.UniqueConstraint("normalized", name="uq_learned_wordings_normalized"),
        )
        op.create_index("ix_learned_wordings_entry", "learned_wordings", ["entry"])
    if "question_reviews" not in existing:
        op.create_table(
            "question_reviews",
            sa.Column("id", ROW_ID, autoincrement=True, nullable=False),
            sa.Column("normalized", sa.String(length=500), nullable=False),
            sa.Column("wording", sa.Text(), nullable=False),
            sa.Column("decision", sa.String(length=16), nullable=False),
            sa.Column("decided_by", sa.String(length=64), nullable=False),
            sa.Column("decided_at", TIME, nullable=False),
            sa.PrimaryKeyConstraint("id", name=op.f("pk_question_reviews")),
            sa.UniqueConstraint("normalized", name="uq_question_reviews_normalized"),
        )


def downgrade() -> None:
    op.drop_table("question_reviews")
    op.drop_table("learned_wordings")
    op.drop_table("admin_secrets")
    op.drop_table("admin_audit")
    op.drop_table("admin_login_failures")
    op.drop_table("admin_sessions")
    op.drop_table("admin_accounts")
