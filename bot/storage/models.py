"""Tables, all on one declarative `Base` so a later table (quiz, polls) is one more class here.

Times are stored as UTC: `UtcDateTime` hands back aware datetimes on SQLite too, which keeps
no time zone of its own, so statistics code never has to guess.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Boolean, DateTime, Dialect, Float, Index, MetaData, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

# Deterministic constraint names, so future migrations can refer to them.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    return datetime.now(UTC)


class UtcDateTime(TypeDecorator[datetime]):
    """A timestamp stored in UTC and always read back time-zone aware."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime: pass an aware datetime (UTC)")
        return value.astimezone(UTC)

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class Base(DeclarativeBase):
    """The one metadata every table belongs to.

    The schema in the database is built by the migrations (`bot.storage.migrations`, run by
    `Database.migrate`), and a test proves they produce exactly this metadata: a change to
    a table here comes with a new revision there.
    """

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class QuestionRecord(Base):
    """One question a user asked and how it was answered; the user only as a keyed hash."""

    __tablename__ = "questions"

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    # HMAC-SHA256 (hex) of the platform user id; see questions.hash_user.
    user_hash: Mapped[str] = mapped_column(String(64))
    # private | group | supergroup | channel | inline (Telegram); web / console name their own.
    chat_type: Mapped[str] = mapped_column(String(16))
    # The channel it came through: telegram | web | console | wechat | wecom | live
    # (`bot.storage.questions.FRONTENDS`).
    frontend: Mapped[str] = mapped_column(String(16))
    question: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(16))  # answer | clarify | smalltalk | fallback
    intent: Mapped[str] = mapped_column(String(32))
    entry: Mapped[str | None] = mapped_column(String(128))  # the cited entry, if any
    confidence: Mapped[float] = mapped_column(Float)
    # False: the reply could not be delivered to the user. None (rows written before this
    # was recorded, or a channel that cannot tell) and True count as delivered.
    delivered: Mapped[bool | None] = mapped_column(Boolean)
    # A random id given by the writer, so a write retried after a timeout that had in fact
    # committed is not stored twice (`QuestionLog.insert_rows`); None for older rows.
    uid: Mapped[str | None] = mapped_column(String(32))

    __table_args__ = (
        Index("ix_questions_created_at", "created_at"),
        Index("ix_questions_user_hash", "user_hash"),
        Index("uq_questions_uid", "uid", unique=True),
    )

    def __repr__(self) -> str:
        return (
            f"QuestionRecord(id={self.id}, kind={self.kind!r}, intent={self.intent!r}, "
            f"entry={self.entry!r})"
        )
