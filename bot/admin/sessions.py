"""Admin sessions: a random token in a signed cookie, checked against a row in the database.

The cookie holds the token signed with itsdangerous (a timestamped HMAC): a forged or
altered cookie, or one older than the session's lifetime, is refused before the database is
asked. The database keeps only the token's SHA-256, the session's CSRF token and its
expiry, so logging out, removing the account or the expiry ends the session on every
replica. The signing key is made once per database (`admin_secrets`) and shared by every
process using it; no setting is needed.

Before login the browser gets a pre-login token the same way (a signed cookie, and the same
value to send back in a header), so the login form is CSRF-protected too.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from itsdangerous import BadSignature, TimestampSigner
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from bot.admin.models import AdminAccount, AdminSecret, AdminSession
from bot.storage import Database

KEY_NAME = "cookie-signing"
SESSION_SALT = "ipreg-admin-session"
LOGIN_SALT = "ipreg-admin-login"
DEFAULT_LIFETIME = timedelta(hours=8)
# A pre-login token is good for this long (a login page left open over lunch still works).
LOGIN_LIFETIME = timedelta(hours=2)


@dataclass(frozen=True)
class SessionInfo:
    """A live session: whose, its CSRF token and when it ends."""

    account_id: int
    name: str
    csrf: str
    expires_at: datetime


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def same(given: str | None, expected: str) -> bool:
    """Constant-time comparison of a token a request sent with the one expected."""
    return bool(given) and hmac.compare_digest(str(given).encode(), expected.encode())


async def signing_key(db: Database) -> bytes:
    """The database's cookie-signing key, made on first use (a race keeps the first)."""
    async with db.session() as session:
        value = await session.scalar(select(AdminSecret.value).where(AdminSecret.name == KEY_NAME))
    if value is None:
        try:
            async with db.session() as session:
                session.add(AdminSecret(name=KEY_NAME, value=secrets.token_hex(32)))
                await session.commit()
        except IntegrityError:
            pass  # another process made it first
        async with db.session() as session:
            value = await session.scalar(
                select(AdminSecret.value).where(AdminSecret.name == KEY_NAME)
            )
    assert value is not None
    return bytes.fromhex(value)


class Signer:
    """Signs and checks cookie values; `unsign` returns None for anything not ours or too old."""

    def __init__(self, key: bytes, salt: str) -> None:
        self._signer = TimestampSigner(key, salt=salt)

    def sign(self, token: str) -> str:
        return self._signer.sign(token).decode()

    def unsign(self, value: str | None, max_age: timedelta) -> str | None:
        if not value or len(value) > 512:
            return None
        try:
            return self._signer.unsign(value, max_age=max_age.total_seconds()).decode()
        except (BadSignature, UnicodeDecodeError):  # SignatureExpired is a BadSignature
            return None


async def open_session(
    db: Database, account_id: int, now: datetime, lifetime: timedelta = DEFAULT_LIFETIME
) -> tuple[str, str, datetime]:
    """A new session for the account: (token for the cookie, CSRF token, expiry)."""
    token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    expires = now + lifetime
    async with db.session() as session:
        session.add(
            AdminSession(
                token_hash=digest(token),
                account_id=account_id,
                csrf=csrf,
                created_at=now,
                expires_at=expires,
            )
        )
        # Expired sessions of anyone go as new ones come.
        await session.execute(delete(AdminSession).where(AdminSession.expires_at < now))
        await session.commit()
    return token, csrf, expires


async def find_session(db: Database, token: str, now: datetime) -> SessionInfo | None:
    """The live session of `token`, or None (unknown, ended or expired)."""
    query = (
        select(AdminSession, AdminAccount.name)
        .join(AdminAccount, AdminAccount.id == AdminSession.account_id)
        .where(AdminSession.token_hash == digest(token))
    )
    async with db.session() as session:
        found = (await session.execute(query)).first()
    if found is None:
        return None
    row, name = found
    if row.expires_at <= now:
        return None
    return SessionInfo(row.account_id, name, row.csrf, row.expires_at)


async def close_session(db: Database, token: str) -> None:
    async with db.session() as session:
        await session.execute(delete(AdminSession).where(AdminSession.token_hash == digest(token)))
        await session.commit()
