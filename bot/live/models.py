"""Live game tables on the shared declarative Base: games, players, answers.

The database is the game's memory, so a restarted web process (or a second one on the same
PostgreSQL) resumes it where it was: the questions as shown (options shuffled once per game),
which question is open and its deadline (`timings`, UTC), who joined, every answer. "Each
player counts once per question" is the UNIQUE constraint on `live_answers` (game, question,
player), so a second tap, a retried request or a second process can never score twice.

Players are known by a nickname they typed and a random token kept in their browser; only
the token's SHA-256 is stored. The host key is stored the same way.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from bot.storage.models import Base, UtcDateTime, utcnow

# Autoincrement ids: SQLite only autoincrements INTEGER PRIMARY KEY.
RowId = BigInteger().with_variant(Integer, "sqlite")
GAME_STATUSES = ("lobby", "running", "finished")
MAX_NAME = 40  # stored nicknames are cleaned to at most NAME_CHARS (bot.live.game) anyway
PIN_LENGTH = 6


class LiveGame(Base):
    """One hall game: its PIN, its questions as shown, and where it is.

    `status` is lobby, running or finished; a running game's current question is open until
    its deadline (`timings[current]`), then revealed until the host moves on (see
    bot.live.game.GameView.phase). `timings[i]` is `[opened_at, deadline]` of question i as
    ISO-8601 UTC strings; a pause stores the seconds left (`paused_left_ms`) and a resume
    moves both times forward, so the speed bonus is measured on the time actually open.
    """

    __tablename__ = "live_games"

    id: Mapped[int] = mapped_column(RowId, primary_key=True, autoincrement=True)
    pin: Mapped[str] = mapped_column(String(PIN_LENGTH))
    host_key_hash: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(16), default="lobby")
    seconds_per_question: Mapped[int] = mapped_column(Integer)
    # [{"item", "text", "options", "correct", "source_line", "explanation"}], as shown.
    questions: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    current: Mapped[int] = mapped_column(Integer, default=-1)  # 0-based; -1 in the lobby
    timings: Mapped[list[list[str]]] = mapped_column(JSON, default=list)
    paused_left_ms: Mapped[int | None] = mapped_column(Integer)
    join_url: Mapped[str | None] = mapped_column(String(300))
    version: Mapped[int] = mapped_column(Integer, default=0)  # bumped by every host action
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    ended_at: Mapped[datetime | None] = mapped_column(UtcDateTime)

    __table_args__ = (
        UniqueConstraint("pin", name="uq_live_games_pin"),
        Index("ix_live_games_created_at", "created_at"),
    )

    def __repr__(self) -> str:
        return f"LiveGame(id={self.id}, pin={self.pin!r}, status={self.status!r})"


class LivePlayer(Base):
    """A phone in the hall: a nickname (unique within the game) and its token's hash."""

    __tablename__ = "live_players"

    id: Mapped[int] = mapped_column(RowId, primary_key=True, autoincrement=True)
    game_id: Mapped[int] = mapped_column(RowId, ForeignKey("live_games.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(MAX_NAME))
    token_hash: Mapped[str] = mapped_column(String(64))
    joined_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)

    __table_args__ = (
        UniqueConstraint("token_hash", name="uq_live_players_token_hash"),
        UniqueConstraint("game_id", "name", name="uq_live_players_game_id"),
    )

    def __repr__(self) -> str:  # the nickname stays out of logs and tracebacks
        return f"LivePlayer(id={self.id}, game_id={self.game_id})"


class LiveAnswer(Base):
    """A player's answer to one question of a game: counted once, by the unique constraint."""

    __tablename__ = "live_answers"

    id: Mapped[int] = mapped_column(RowId, primary_key=True, autoincrement=True)
    game_id: Mapped[int] = mapped_column(RowId, ForeignKey("live_games.id", ondelete="CASCADE"))
    question: Mapped[int] = mapped_column(Integer)  # 0-based index into the game's questions
    player_id: Mapped[int] = mapped_column(RowId, ForeignKey("live_players.id", ondelete="CASCADE"))
    option_ids: Mapped[list[int]] = mapped_column(JSON)
    correct: Mapped[bool] = mapped_column(Boolean)
    points: Mapped[int] = mapped_column(Integer)
    received_at: Mapped[datetime] = mapped_column(UtcDateTime)

    __table_args__ = (
        UniqueConstraint("game_id", "question", "player_id", name="uq_live_answers_game_id"),
        Index("ix_live_answers_player_id", "player_id"),
    )

    def __repr__(self) -> str:
        return f"LiveAnswer(game_id={self.game_id}, question={self.question}, points={self.points})"


__all__ = ["GAME_STATUSES", "PIN_LENGTH", "LiveAnswer", "LiveGame", "LivePlayer"]
