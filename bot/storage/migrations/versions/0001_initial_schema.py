"""The schema before migrations: the question log and the quiz tables.

Exactly what `Base.metadata.create_all` built until then. A table that already exists is
left as it is, so a database made by `create_all` (which has no alembic_version) is adopted
as this revision with its rows; one made before the quiz existed gets the quiz tables.

Revision ID: 0001
Revises:
Create Date: 2026-11-26
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Telegram chat ids and row ids: 64 bits; SQLite autoincrements only INTEGER PRIMARY KEY.
ROW_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
TIME = sa.DateTime(timezone=True)  # stored UTC (bot.storage.models.UtcDateTime)


def _questions() -> None:
    op.create_table(
        "questions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("created_at", TIME, nullable=False),
        sa.Column("user_hash", sa.String(length=64), nullable=False),
        sa.Column("chat_type", sa.String(length=16), nullable=False),
        sa.Column("frontend", sa.String(length=16), nullable=False),
        sa.Column("question", sa.Text(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("intent", sa.String(length=32), nullable=False),
        sa.Column("entry", sa.String(length=128), nullable=True),
        sa.Column("confidence", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_questions")),
    )
    op.create_index("ix_questions_created_at", "questions", ["created_at"], unique=False)
    op.create_index("ix_questions_user_hash", "questions", ["user_hash"], unique=False)


def _quiz_rounds() -> None:
    op.create_table(
        "quiz_rounds",
        sa.Column("id", ROW_ID, autoincrement=True, nullable=False),
        sa.Column("chat_id", ROW_ID, nullable=False),
        sa.Column("started_by", sa.String(length=64), nullable=False),
        sa.Column("started_at", TIME, nullable=False),
        sa.Column("ended_at", TIME, nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("questions_planned", sa.Integer(), nullable=False),
        sa.Column("seconds_per_question", sa.Integer(), nullable=False),
        sa.Column("series_id", ROW_ID, nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_quiz_rounds")),
    )
    op.create_index("ix_quiz_rounds_chat_id", "quiz_rounds", ["chat_id"], unique=False)
    op.create_index("ix_quiz_rounds_status", "quiz_rounds", ["status"], unique=False)
    op.create_index(
        "uq_quiz_rounds_open_chat",
        "quiz_rounds",
        ["chat_id"],
        unique=True,
        sqlite_where=sa.text("status = 'open'"),
        postgresql_where=sa.text("status = 'open'"),
    )


def _quiz_polls() -> None:
    op.create_table(
        "quiz_polls",
        sa.Column("poll_id", sa.String(length=128), nullable=False),
        sa.Column("round_id", ROW_ID, nullable=True),
        sa.Column("chat_id", ROW_ID, nullable=False),
        sa.Column("message_id", ROW_ID, nullable=True),
        sa.Column("question_id", sa.String(length=160), nullable=False),
        sa.Column("option_order", sa.JSON(), nullable=False),
        sa.Column("question", sa.Text(), nullable=False),
        sa.Column("options", sa.JSON(), nullable=False),
        sa.Column("source_line", sa.Text(), nullable=False),
        sa.Column("correct_index", sa.Integer(), nullable=False),
        sa.Column("opened_at", TIME, nullable=False),
        sa.Column("closes_at", TIME, nullable=True),
        sa.Column("closed", sa.Boolean(), nullable=False),
        sa.Column("closed_at", TIME, nullable=True),
        sa.Column("position", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["round_id"],
            ["quiz_rounds.id"],
            name=op.f("fk_quiz_polls_round_id_quiz_rounds"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("poll_id", name=op.f("pk_quiz_polls")),
    )
    op.create_index("ix_quiz_polls_chat_id", "quiz_polls", ["chat_id"], unique=False)
    op.create_index("ix_quiz_polls_closed", "quiz_polls", ["closed"], unique=False)
    op.create_index("ix_quiz_polls_round_id", "quiz_polls", ["round_id"], unique=False)


def _quiz_answers() -> None:
    op.create_table(
        "quiz_answers",
        sa.Column("id", ROW_ID, autoincrement=True, nullable=False),
        sa.Column("poll_id", sa.String(length=128), nullable=False),
        sa.Column("chat_id", ROW_ID, nullable=False),
        sa.Column("round_id", ROW_ID, nullable=True),
        sa.Column("user_hash", sa.String(length=64), nullable=False),
        sa.Column("display_name", sa.String(length=200), nullable=False),
        sa.Column("option_ids", sa.JSON(), nullable=False),
        sa.Column("correct", sa.Boolean(), nullable=False),
        sa.Column("points", sa.Integer(), nullable=False),
        sa.Column("received_at", TIME, nullable=False),
        sa.ForeignKeyConstraint(
            ["poll_id"],
            ["quiz_polls.poll_id"],
            name=op.f("fk_quiz_answers_poll_id_quiz_polls"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_quiz_answers")),
        sa.UniqueConstraint("poll_id", "user_hash", name="uq_quiz_answers_poll_user"),
    )
    op.create_index("ix_quiz_answers_chat_id", "quiz_answers", ["chat_id"], unique=False)
    op.create_index("ix_quiz_answers_round_id", "quiz_answers", ["round_id"], unique=False)
    op.create_index("ix_quiz_answers_user_hash", "quiz_answers", ["user_hash"], unique=False)


def _quiz_asked() -> None:
    op.create_table(
        "quiz_asked",
        sa.Column("id", ROW_ID, autoincrement=True, nullable=False),
        sa.Column("chat_id", ROW_ID, nullable=True),
        sa.Column("user_hash", sa.String(length=64), nullable=True),
        sa.Column("question_id", sa.String(length=160), nullable=False),
        sa.Column("round_id", ROW_ID, nullable=True),
        sa.Column("asked_at", TIME, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_quiz_asked")),
    )
    op.create_index("ix_quiz_asked_chat_id", "quiz_asked", ["chat_id"], unique=False)
    op.create_index("ix_quiz_asked_user_hash", "quiz_asked", ["user_hash"], unique=False)


def _quiz_practice_scores() -> None:
    op.create_table(
        "quiz_practice_scores",
        sa.Column("user_hash", sa.String(length=64), nullable=False),
        sa.Column("answered", sa.Integer(), nullable=False),
        sa.Column("correct", sa.Integer(), nullable=False),
        sa.Column("points", sa.Integer(), nullable=False),
        sa.Column("updated_at", TIME, nullable=False),
        sa.PrimaryKeyConstraint("user_hash", name=op.f("pk_quiz_practice_scores")),
    )


# In dependency order (foreign keys point backwards).
TABLES: dict[str, Callable[[], None]] = {
    "questions": _questions,
    "quiz_rounds": _quiz_rounds,
    "quiz_polls": _quiz_polls,
    "quiz_answers": _quiz_answers,
    "quiz_asked": _quiz_asked,
    "quiz_practice_scores": _quiz_practice_scores,
}


def upgrade() -> None:
    existing = set(sa.inspect(op.get_bind()).get_table_names())
    for name, create in TABLES.items():
        if name not in existing:
            create()


def downgrade() -> None:
    for name in reversed(TABLES):
        op.drop_table(name)
