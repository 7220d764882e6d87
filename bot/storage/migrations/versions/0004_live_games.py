"""Live hall games: `live_games`, `live_players`, `live_answers` (bot.live.models).

A game's questions (options shuffled once), its open question and deadlines, its players
(nickname, token hash) and their answers, one per player and question by a unique
constraint. Tables are created only where missing, for databases that a newer `create_all`
made before they were adopted by the migrations.

Revision ID: 0004
Revises: 0003
Create Date: 2027-01-10
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ROW_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
TIME = sa.DateTime(timezone=True)  # stored UTC (bot.storage.models.UtcDateTime)


def upgrade() -> None:
    existing = set(sa.inspect(op.get_bind()).get_table_names())
    if "live_games" not in existing:
        op.create_table(
            "live_games",
            sa.Column("id", ROW_ID, autoincrement=True, nullable=False),
            sa.Column("pin", sa.String(length=6), nullable=False),
            sa.Column("host_key_hash", sa.String(length=64), nullable=False),
            sa.Column("status", sa.String(length=16), nullable=False),
            sa.Column("seconds_per_question", sa.Integer(), nullable=False),
            sa.Column("questions", sa.JSON(), nullable=False),
            sa.Column("current", sa.Integer(), nullable=False),
            sa.Column("timings", sa.JSON(), nullable=False),
            sa.Column("paused_left_ms", sa.Integer(), nullable=True),
            sa.Column("join_url", sa.String(length=300), nullable=True),
            sa.Column("version", sa.Integer(), nullable=False),
            sa.Column("created_at", TIME, nullable=False),
            sa.Column("started_at", TIME, nullable=True),
            sa.Column("ended_at", TIME, nullable=True),
            sa.PrimaryKeyConstraint("id", name=op.f("pk_live_games")),
            sa.UniqueConstraint("pin", name="uq_live_games_pin"),
        )
        op.create_index("ix_live_games_created_at", "live_games", ["created_at"])
    if "live_players" not in existing:
        op.create_table(
            "live_players",
            sa.Column("id", ROW_ID, autoincrement=True, nullable=False),
            sa.Column("game_id", ROW_ID, nullable=False),
            sa.Column("name", sa.String(length=40), nullable=False),
            sa.Column("token_hash", sa.String(length=64), nullable=False),
            sa.Column("joined_at", TIME, nullable=False),
            sa.ForeignKeyConstraint(
                ["game_id"],
                ["live_games.id"],
                name=op.f("fk_live_players_game_id_live_games"),
                ondelete="CASCADE",
            ),
            sa.PrimaryKeyConstraint("id", name=op.f("pk_live_players")),
            sa.UniqueConstraint("token_hash", name="uq_live_players_token_hash"),
            sa.UniqueConstraint("game_id", "name", name="uq_live_players_game_id"),
        )
    if "live_answers" not in existing:
        op.create_table(
            "live_answers",
            sa.Column("id", ROW_ID, autoincrement=True, nullable=False),
            sa.Column("game_id", ROW_ID, nullable=False),
            sa.Column("question", sa.Integer(), nullable=False),
            sa.Column("player_id", ROW_ID, nullable=False),
            sa.Column("option_ids", sa.JSON(), nullable=False),
            sa.Column("correct", sa.Boolean(), nullable=False),
            sa.Column("points", sa.Integer(), nullable=False),
            sa.Column("received_at", TIME, nullable=False),
            sa.ForeignKeyConstraint(
                ["game_id"],
                ["live_games.id"],
                name=op.f("fk_live_answers_game_id_live_games"),
                ondelete="CASCADE",
            ),
            sa.ForeignKeyConstraint(
                ["player_id"],
                ["live_players.id"],
                name=op.f("fk_live_answers_player_id_live_players"),
                ondelete="CASCADE",
            ),
            sa.PrimaryKeyConstraint("id", name=op.f("pk_live_answers")),
            sa.UniqueConstraint("game_id", "question", "player_id", name="uq_live_answers_game_id"),
        )
        op.create_index("ix_live_answers_player_id", "live_answers", ["player_id"])


def downgrade() -> None:
    op.drop_table("live_answers")
    op.drop_table("live_players")
    op.drop_table("live_games")
