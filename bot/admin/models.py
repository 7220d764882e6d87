"""Tables of the admin console, on the shared declarative Base (migration 0005).

* `admin_accounts` — who may log in: a name and an argon2 hash, never the password.
* `admin_sessions` — a login: only the SHA-256 of the session token is stored, with its
  CSRF token and expiry, so a cookie can be revoked (logout, account removed) and a copied
  database row is not a usable cookie.
* `admin_login_failures` — failed logins by the name typed and by client address, for the
  slow-down and the lock; shared by every replica, as the database is.
* `admin_audit` — one row per admin action: who, what, when, and a short detail.
* `admin_secrets` — the cookie-signing key, made once per database so every replica signs
  alike without a setting.
* `learned_wordings` — ways of asking attached to an entry from the console: `pending` until
  applied, then `active` (merged into the entry's questions at every load), `retiring` while
  a removal waits for the next apply.
* `question_reviews` — question groups marked out of scope or dismissed, hidden from the
  list of unanswered questions.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from bot.storage.models import Base, UtcDateTime, utcnow

RowId = BigInteger().with_variant(Integer, "sqlite")
MAX_NAME = 64
MAX_WORDING = 500
LEARNED_STATUSES = ("pending", "active", "retiring")
REVIEW_DECISIONS = ("out_of_scope", "dismissed")


class AdminAccount(Base):
    __tablename__ = "admin_accounts"
    __table_args__ = (UniqueConstraint("name", name="uq_admin_accounts_name"),)

    id: Mapped[int] = mapped_column(RowId, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(MAX_NAME))
    password_hash: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class AdminSession(Base):
    __tablename__ = "admin_sessions"
    __table_args__ = (UniqueConstraint("token_hash", name="uq_admin_sessions_token_hash"),)

    id: Mapped[int] = mapped_column(RowId, primary_key=True, autoincrement=True)
    token_hash: Mapped[str] = mapped_column(String(64))
    account_id: Mapped[int] = mapped_column(
        RowId, ForeignKey("admin_accounts.id", ondelete="CASCADE"), index=True
    )
    csrf: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime)


class AdminLoginFailure(Base):
    __tablename__ = "admin_login_failures"
    __table_args__ = (Index("ix_admin_login_failures_key_at", "key", "at"),)

    id: Mapped[int] = mapped_column(RowId, primary_key=True, autoincrement=True)
    # "name:<name as typed, case-folded>" or "ip:<client address>"
    key: Mapped[str] = mapped_column(String(200))
    at: Mapped[datetime] = mapped_column(UtcDateTime)


class AdminAudit(Base):
    __tablename__ = "admin_audit"

    id: Mapped[int] = mapped_column(RowId, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, index=True)
    actor: Mapped[str] = mapped_column(String(MAX_NAME))
    action: Mapped[str] = mapped_column(String(40))
    detail: Mapped[str] = mapped_column(Text, default="")


class AdminSecret(Base):
    __tablename__ = "admin_secrets"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[str] = mapped_column(String(128))


class LearnedWording(Base):
    __tablename__ = "learned_wordings"
    __table_args__ = (UniqueConstraint("normalized", name="uq_learned_wordings_normalized"),)

    id: Mapped[int] = mapped_column(RowId, primary_key=True, autoincrement=True)
    wording: Mapped[str] = mapped_column(Text)
    # The matching form (bot.stats.group_key): one learned wording per form.
    normalized: Mapped[str] = mapped_column(String(MAX_WORDING))
    entry: Mapped[str] = mapped_column(String(128), index=True)
    status: Mapped[str] = mapped_column(String(16), default="pending")
    created_by: Mapped[str] = mapped_column(String(MAX_NAME))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    applied_by: Mapped[str | None] = mapped_column(String(MAX_NAME))
    applied_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class QuestionReview(Base):
    __tablename__ = "question_reviews"
    __table_args__ = (UniqueConstraint("normalized", name="uq_question_reviews_normalized"),)

    id: Mapped[int] = mapped_column(RowId, primary_key=True, autoincrement=True)
    normalized: Mapped[str] = mapped_column(String(MAX_WORDING))
    wording: Mapped[str] = mapped_column(Text)
    decision: Mapped[str] = mapped_column(String(16))
    decided_by: Mapped[str] = mapped_column(String(MAX_NAME))
    decided_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
