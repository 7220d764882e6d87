"""Platform callbacks already taken on, shared by every process on one database.

WeChat delivers a message again (same MsgId) when its passive reply is late, and behind
several web processes the retry may reach another one. The first process to insert the
message's key handles it and stores the reply; another that finds the key taken waits a
moment for that reply instead of answering and recording the message a second time. The
database failing never stops an answer: the process then handles the message itself.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import String, Text, delete, select, update
from sqlalchemy.orm import Mapped, mapped_column

from bot.storage.models import Base, UtcDateTime, utcnow

if TYPE_CHECKING:  # the migrations import this module for its table, and db imports them
    from bot.storage.db import Database

_LOGGER = logging.getLogger(__name__)

# Keys older than this are deleted (the platform's retries come within ~15 s).
KEEP = timedelta(days=1)
# One claim in this many also deletes the old keys.
PRUNE_EVERY = 500
POLL = 0.2


class CallbackDelivery(Base):
    """One platform message (its delivery key) and, once made, the reply sent for it."""

    __tablename__ = "callback_deliveries"

    key: Mapped[str] = mapped_column(String(160), primary_key=True)
    reply: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class DeliveryLog:
    """claim / store / wait for the replies of platform messages, over one database."""

    def __init__(self, database: Database) -> None:
        self.database = database
        self._claims = 0

    async def claim(self, key: str) -> bool:
        """True when this process is the first to take `key` on (or the database cannot
        tell: then it handles the message itself rather than leave it unanswered)."""
        try:
            await self.database.migrate()
            statement = (
                self.database.insert(CallbackDelivery)
                .values(key=key[:160], created_at=utcnow())
                .on_conflict_do_nothing(index_elements=["key"])
            )
            async with self.database.session() as session:
                result = await session.execute(statement)
                await session.commit()
            self._claims += 1
            if self._claims % PRUNE_EVERY == 0:
                await self._prune()
            return bool(getattr(result, "rowcount", 1))
        except Exception as exc:
            _LOGGER.debug("delivery log unavailable (%s); handling here", type(exc).__name__)
            return True

    async def store(self, key: str, reply: str) -> None:
        """Keep the reply made for `key` for a retry that reached another process."""
        try:
            async with self.database.session() as session:
                await session.execute(
                    update(CallbackDelivery)
                    .where(CallbackDelivery.key == key[:160])
                    .values(reply=reply)
                )
                await session.commit()
        except Exception as exc:
            _LOGGER.debug("could not store a delivery's reply (%s)", type(exc).__name__)

    async def reply(self, key: str, seconds: float) -> str | None:
        """The reply another process stored for `key`, waiting up to `seconds` for it."""
        deadline = asyncio.get_running_loop().time() + seconds
        while True:
            try:
                async with self.database.session() as session:
                    found = await session.scalar(
                        select(CallbackDelivery.reply).where(CallbackDelivery.key == key[:160])
                    )
            except Exception as exc:
                _LOGGER.debug("could not read a delivery's reply (%s)", type(exc).__name__)
                return None
            if found is not None:
                return found
            if asyncio.get_running_loop().time() >= deadline:
                return None
            await asyncio.sleep(POLL)

    async def _prune(self) -> None:
        async with self.database.session() as session:
            await session.execute(
                delete(CallbackDelivery).where(CallbackDelivery.created_at < utcnow() - KEEP)
            )
            await session.commit()
