"""Quiz tables on the shared declarative Base: rounds, polls, answers, asked questions, practice.

The database is the quiz's memory, so that a restart loses nothing: a poll answer carries no
chat and no time, so `quiz_polls` maps Telegram's poll id to its group, round, question,
right option and closing time. "Each user counts once per poll" is a UNIQUE constraint on
`quiz_answers`, so it holds across redeliveries, restarts and processes sharing one database;
"one round per group at a time" is a partial unique index on the open rounds.

Users appear only as the keyed hash of `bot.storage.hash_user`; the display name kept with
each answer (for the leaderboard) is the only non-hashed user data.
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
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from bot.storage.models import Base, UtcDateTime, utcnow

ROUND_STATUSES = ("open", "finished", "stopped")
# Telegram chat ids need 52 bits; SQLite's INTEGER is 64 bits anyway.
ChatId = BigInteger().with_variant(Integer, "sqlite")
# Autoincrement ids: SQLite only autoincrements INTEGER PRIMARY KEY.
RowId = BigInteger().with_variant(Integer, "sqlite")
# Display names are cut to this length when stored (Telegram's are at most 64 + 64).
MAX_DISPLAY_NAME = 200
QUESTION_ID_LENGTH = 160
# Group titles are cut to this length when stored (Telegram's are at most 128 characters).
MAX_CHAT_TITLE = 255


class QuizRound(Base):
    """One round of N questions in a group; `series_id` groups rounds of one event."""

    __tablename__ = "quiz_rounds"

    id: Mapped[int] = mapped_column(RowId, primary_key=True, autoincrement=True)
    chat_id: Mapped[int] = mapped_column(ChatId)
    started_by: Mapped[str] = mapped_column(String(64))  # user hash
    started_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    ended_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    status: Mapped[str] = mapped_column(String(16), default="open")  # open | finished | stopped
    questions_planned: Mapped[int] = mapped_column(Integer)
    seconds_per_question: Mapped[int] = mapped_column(Integer)
    # The id of the first round of the series this round belongs to ("this round series").
    series_id: Mapped[int | None] = mapped_column(RowId)

    __table_args__ = (
        Index("ix_quiz_rounds_chat_id", "chat_id"),
        Index("ix_quiz_rounds_status", "status"),
        # At most one open round per chat, enforced by the database itself.
        Index(
            "uq_quiz_rounds_open_chat",
            "chat_id",
            unique=True,
            sqlite_where=text("status = 'open'"),
            postgresql_where=text("status = 'open'"),
        ),
    )

    def __repr__(self) -> str:
        return f"QuizRound(id={self.id}, chat_id={self.chat_id}, status={self.status!r})"


class QuizPoll(Base):
    """One quiz poll as sent: Telegram's poll id → chat, round, question and right option."""

    __tablename__ = "quiz_polls"

    poll_id: Mapped[str] = mapped_column(String(128), primary_key=True)
    round_id: Mapped[int | None] = mapped_column(
        RowId, ForeignKey("quiz_rounds.id", ondelete="CASCADE")
    )  # None for practice polls
    chat_id: Mapped[int] = mapped_column(ChatId)
    message_id: Mapped[int | None] = mapped_column(ChatId)
    question_id: Mapped[str] = mapped_column(String(QUESTION_ID_LENGTH))
    # option_order[i] is the item's option index shown at position i.
    option_order: Mapped[list[int]] = mapped_column(JSON)
    # The question, options and source line as sent, so summaries survive a changed bank.
    question: Mapped[str] = mapped_column(Text, default="")
    options: Mapped[list[str]] = mapped_column(JSON)
    source_line: Mapped[str] = mapped_column(Text, default="")
    correct_index: Mapped[int] = mapped_column(Integer)  # as sent (after shuffling)
    opened_at: Mapped[datetime] = mapped_column(UtcDateTime)
    closes_at: Mapped[datetime | None] = mapped_column(UtcDateTime)  # None: no time limit
    closed: Mapped[bool] = mapped_column(Boolean, default=False)
    closed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    position: Mapped[int | None] = mapped_column(Integer)  # 1-based, within the round

    __table_args__ = (
        Index("ix_quiz_polls_round_id", "round_id"),
        Index("ix_quiz_polls_chat_id", "chat_id"),
        Index("ix_quiz_polls_closed", "closed"),
    )

    def __repr__(self) -> str:
        return f"QuizPoll(poll_id={self.poll_id!r}, round_id={self.round_id}, closed={self.closed})"


class QuizAnswer(Base):
    """One user's counted answer to one poll; the unique constraint makes it count once."""

    __tablename__ = "quiz_answers"

    id: Mapped[int] = mapped_column(RowId, primary_key=True, autoincrement=True)
    poll_id: Mapped[str] = mapped_column(
        String(128), ForeignKey("quiz_polls.poll_id", ondelete="CASCADE")
    )
    # Copied from the poll so standings need no join: the poll's chat and round never change.
    chat_id: Mapped[int] = mapped_column(ChatId)
    round_id: Mapped[int | None] = mapped_column(RowId)
    user_hash: Mapped[str] = mapped_column(String(64))
    display_name: Mapped[str] = mapped_column(String(MAX_DISPLAY_NAME))
    option_ids: Mapped[list[int]] = mapped_column(JSON)
    correct: Mapped[bool] = mapped_column(Boolean)
    points: Mapped[int] = mapped_column(Integer)
    received_at: Mapped[datetime] = mapped_column(UtcDateTime)

    __table_args__ = (
        UniqueConstraint("poll_id", "user_hash", name="uq_quiz_answers_poll_user"),
        Index("ix_quiz_answers_chat_id", "chat_id"),
        Index("ix_quiz_answers_round_id", "round_id"),
        Index("ix_quiz_answers_user_hash", "user_hash"),
    )

    def __repr__(self) -> str:
        return f"QuizAnswer(poll_id={self.poll_id!r}, points={self.points})"


class AskedQuestion(Base):
    """A question already asked in a group (chat_id) or to one practising user (user_hash).

    Rows of a chat or user are deleted when every question has been asked: the bank starts over.
    """

    __tablename__ = "quiz_asked"

    id: Mapped[int] = mapped_column(RowId, primary_key=True, autoincrement=True)
    chat_id: Mapped[int | None] = mapped_column(ChatId)
    user_hash: Mapped[str | None] = mapped_column(String(64))
    question_id: Mapped[str] = mapped_column(String(QUESTION_ID_LENGTH))
    round_id: Mapped[int | None] = mapped_column(RowId)
    asked_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)

    __table_args__ = (
        Index("ix_quiz_asked_chat_id", "chat_id"),
        Index("ix_quiz_asked_user_hash", "user_hash"),
    )


class PracticeScore(Base):
    """A user's running practice score (private quizzes, no rounds)."""

    __tablename__ = "quiz_practice_scores"

    user_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    answered: Mapped[int] = mapped_column(Integer, default=0)
    correct: Mapped[int] = mapped_column(Integer, default=0)
    points: Mapped[int] = mapped_column(Integer, default=0)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)

    def as_dict(self) -> dict[str, Any]:
        return {"answered": self.answered, "correct": self.correct, "points": self.points}


class ChatTitle(Base):
    """A group's title as Telegram last told it (rounds are kept by chat id), so the campaign
    report can name groups. Written by the Telegram quiz commands; never logged."""

    __tablename__ = "chat_titles"

    chat_id: Mapped[int] = mapped_column(ChatId, primary_key=True, autoincrement=False)
    title: Mapped[str] = mapped_column(String(MAX_CHAT_TITLE))
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)

    def __repr__(self) -> str:  # the title stays out of logs and tracebacks
        return f"ChatTitle(chat_id={self.chat_id})"


__all__ = [
    "ROUND_STATUSES",
    "AskedQuestion",
    "ChatTitle",
    "PracticeScore",
    "QuizAnswer",
    "QuizPoll",
    "QuizRound",
]
