"""Logging in and out, and finding the session a request's cookie names.

A login for an unknown name and one with a wrong password take the same path — the account
is looked up, a password verified (against a dummy hash when there is no account), the
failure counted under the name and the address, the same slow-down applied — and get the
same reply, so neither the reply nor its timing tells which names exist.
"""

from __future__ import annotations

import asyncio
import logging
import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import update

from bot.admin import audit, lockout
from bot.admin.accounts import any_account, clean_name, find_account
from bot.admin.lockout import LockPolicy
from bot.admin.models import AdminAccount
from bot.admin.passwords import hash_password, needs_rehash, spend_like_a_verify, verify_password
from bot.admin.sessions import (
    DEFAULT_LIFETIME,
    LOGIN_LIFETIME,
    LOGIN_SALT,
    SESSION_SALT,
    SessionInfo,
    Signer,
    close_session,
    find_session,
    open_session,
    same,
    signing_key,
)
from bot.storage import Database
from bot.storage.models import utcnow

_LOGGER = logging.getLogger(__name__)
MAX_PASSWORD = 1024  # longer is refused unhashed (argon2 would take it, but why pay)


@dataclass(frozen=True)
class LoginOutcome:
    """`ok` with the session and the cookie's token; else refused, `locked_until` set when
    the name or address is locked."""

    ok: bool
    session: SessionInfo | None = None
    token: str = ""
    locked_until: datetime | None = None


class AdminAuth:
    """Accounts, the login lock and sessions over one database."""

    def __init__(
        self,
        db: Database,
        policy: LockPolicy | None = None,
        lifetime: timedelta = DEFAULT_LIFETIME,
        clock: Callable[[], datetime] = utcnow,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self.db = db
        self.policy = policy or LockPolicy()
        self.lifetime = lifetime
        self.clock = clock
        self.sleep = sleep
        self._signers: tuple[Signer, Signer] | None = None

    async def is_open(self) -> bool:
        """Whether any account exists (without one, the console does not exist)."""
        await self.db.migrate()
        return await any_account(self.db)

    async def _keyed(self) -> tuple[Signer, Signer]:
        if self._signers is None:
            key = await signing_key(self.db)
            self._signers = (Signer(key, SESSION_SALT), Signer(key, LOGIN_SALT))
        return self._signers

    # -- the login form's CSRF token -------------------------------------------------------------

    async def login_token(self) -> tuple[str, str]:
        """(cookie value, token): the page sends the token back in a header with the login."""
        token = secrets.token_urlsafe(32)
        return (await self._keyed())[1].sign(token), token

    async def login_token_ok(self, cookie: str | None, header: str | None) -> bool:
        token = (await self._keyed())[1].unsign(cookie, LOGIN_LIFETIME)
        return token is not None and same(header, token)

    # -- sessions --------------------------------------------------------------------------------

    async def session(self, cookie: str | None) -> tuple[SessionInfo, str] | None:
        """The live session the cookie names and its token, or None (absent, forged, expired,
        ended)."""
        token = (await self._keyed())[0].unsign(cookie, self.lifetime)
        if token is None:
            return None
        found = await find_session(self.db, token, self.clock())
        return (found, token) if found is not None else None

    async def cookie_of(self, token: str) -> str:
        return (await self._keyed())[0].sign(token)

    async def logout(self, token: str, name: str) -> None:
        async with self.db.session() as session:
            audit.add(session, name, "logout")
            await session.commit()
        await close_session(self.db, token)

    # -- logging in ------------------------------------------------------------------------------

    async def login(self, name: str, password: str, address: str) -> LoginOutcome:
        now = self.clock()
        keys = lockout.keys_for(name, address)
        until = await lockout.locked_until(self.db, keys, now, self.policy)
        if until is not None:
            return LoginOutcome(False, locked_until=until)
        account = await find_account(self.db, clean_name(name)) if name else None
        password = password[:MAX_PASSWORD]
        if account is not None:
            ok = await asyncio.to_thread(verify_password, account.password_hash, password)
        else:
            await asyncio.to_thread(spend_like_a_verify, password)
            ok = False
        if not ok or account is None:
            await lockout.record_failure(self.db, keys, now)
            failures = await lockout.failures_within(self.db, keys, now, self.policy)
            await self.sleep(self.policy.delay(failures))
            return LoginOutcome(False)
        await lockout.forget(self.db, keys[0])
        token, csrf, expires = await open_session(self.db, account.id, now, self.lifetime)
        async with self.db.session() as session:
            values: dict[str, object] = {"last_login_at": now}
            if needs_rehash(account.password_hash):
                values["password_hash"] = await asyncio.to_thread(hash_password, password)
            await session.execute(
                update(AdminAccount).where(AdminAccount.id == account.id).values(**values)
            )
            audit.add(session, account.name, "login", f"来自 {address}")
            await session.commit()
        _LOGGER.info("admin login: %s", account.name)
        return LoginOutcome(True, SessionInfo(account.id, account.name, csrf, expires), token)
