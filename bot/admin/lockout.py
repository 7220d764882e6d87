"""Failed logins: slowed, then locked for a while, by the name typed and by client address.

Each failure is a row keyed `name:<name>` and one keyed `ip:<address>`. After `slow_after`
failures within the window every further failing reply waits a little longer; `limit`
failures within `window` seconds lock that key for `lock` seconds from the last of them:
while locked, even the right password is refused, and the attempt is not counted (so an
attacker cannot extend the lock forever by trying, only renew it after it ends). The name
is counted whether or not an account has it, so the lock tells nothing about which names
exist. The rows live in the database, so every replica sees the same count.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, select

from bot.admin.models import AdminLoginFailure
from bot.storage import Database

# Failure rows older than this are deleted as new ones are written.
KEEP = timedelta(days=1)
MAX_KEY = 200


@dataclass(frozen=True)
class LockPolicy:
    """How failed logins are slowed and locked (seconds)."""

    limit: int = 5
    window: float = 60.0
    lock: float = 900.0
    slow_after: int = 2
    slow_step: float = 0.5

    def delay(self, failures: int) -> float:
        """Seconds a failing reply waits, after `failures` failures within the window."""
        return max(0, failures - self.slow_after) * self.slow_step


def keys_for(name: str, address: str) -> list[str]:
    """The keys a login attempt counts against: the name as typed and the client address."""
    folded = unicodedata.normalize("NFKC", name).strip().casefold()
    return [f"name:{folded}"[:MAX_KEY], f"ip:{address}"[:MAX_KEY]]


async def _times(db: Database, keys: list[str], since: datetime) -> dict[str, list[datetime]]:
    query = (
        select(AdminLoginFailure.key, AdminLoginFailure.at)
        .where(AdminLoginFailure.key.in_(keys), AdminLoginFailure.at > since)
        .order_by(AdminLoginFailure.at)
    )
    out: dict[str, list[datetime]] = {k: [] for k in keys}
    async with db.session() as session:
        for key, at in (await session.execute(query)).all():
            out[key].append(at)
    return out


def _lock_end(times: list[datetime], policy: LockPolicy) -> datetime | None:
    """When the latest lock these failures set ends (None: they set none)."""
    window = timedelta(seconds=policy.window)
    end = None
    for i in range(policy.limit - 1, len(times)):
        if times[i] - times[i - policy.limit + 1] <= window:
            end = times[i] + timedelta(seconds=policy.lock)
    return end


async def locked_until(
    db: Database, keys: list[str], now: datetime, policy: LockPolicy
) -> datetime | None:
    """The end of a lock on any of `keys` still in force at `now`, else None."""
    since = now - timedelta(seconds=policy.window + policy.lock)
    ends = [_lock_end(times, policy) for times in (await _times(db, keys, since)).values()]
    live = [end for end in ends if end is not None and end > now]
    return max(live) if live else None


async def failures_within(db: Database, keys: list[str], now: datetime, policy: LockPolicy) -> int:
    """The most failures any of `keys` had within the window before `now`."""
    since = now - timedelta(seconds=policy.window)
    return max((len(t) for t in (await _times(db, keys, since)).values()), default=0)


async def record_failure(db: Database, keys: list[str], now: datetime) -> None:
    async with db.session() as session:
        session.add_all(AdminLoginFailure(key=key, at=now) for key in keys)
        await session.execute(delete(AdminLoginFailure).where(AdminLoginFailure.at < now - KEEP))
        await session.commit()


async def forget(db: Database, key: str) -> None:
    """A successful login forgets the name's failures (not the address's)."""
    async with db.session() as session:
        await session.execute(delete(AdminLoginFailure).where(AdminLoginFailure.key == key))
        await session.commit()
