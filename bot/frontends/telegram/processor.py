"""Update processing: concurrent across chats, in order within one chat, each update once.

PTB handles updates one at a time unless told otherwise; one slow send would then hold up
every other user. With plain `concurrent_updates`, two quick questions from one user could
be answered out of order. This processor runs updates concurrently but serialises those of
the same chat (or, for inline queries, the same user) with a per-key lock, which asyncio
hands over in arrival order. It also drops an update id it has already seen: Telegram may
redeliver an update (a webhook retry, an offset not yet confirmed before a crash), and
answering it twice is exactly the duplicate users notice.
"""

from __future__ import annotations

import asyncio
import inspect
import logging
from collections import OrderedDict
from collections.abc import Awaitable, Hashable
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor

_LOGGER = logging.getLogger(__name__)

DEFAULT_CONCURRENCY = 256
REMEMBERED_UPDATES = 10_000


def ordering_key(update: object) -> Hashable | None:
    """Updates with the same key are handled one after another."""
    if not isinstance(update, Update):
        return None
    if update.inline_query is not None:
        return ("inline", update.inline_query.from_user.id)
    chat = update.effective_chat
    if chat is not None:
        return ("chat", chat.id)
    user = update.effective_user
    return ("user", user.id) if user is not None else None


class _KeyLock:
    __slots__ = ("lock", "users")

    def __init__(self) -> None:
        self.lock = asyncio.Lock()
        self.users = 0


class ChatOrderedProcessor(BaseUpdateProcessor):
    """Concurrent update processing that keeps each chat's updates in order."""

    def __init__(self, max_concurrent_updates: int = DEFAULT_CONCURRENCY) -> None:
        super().__init__(max_concurrent_updates)
        self._locks: dict[Hashable, _KeyLock] = {}
        self._seen: OrderedDict[int, None] = OrderedDict()

    def _first_time(self, update: object) -> bool:
        if not isinstance(update, Update):
            return True
        if update.update_id in self._seen:
            return False
        self._seen[update.update_id] = None
        if len(self._seen) > REMEMBERED_UPDATES:
            self._seen.popitem(last=False)
        return True

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        if not self._first_time(update):
            _LOGGER.info(
                "update %s was delivered again; ignored", getattr(update, "update_id", "?")
            )
            if inspect.iscoroutine(coroutine):
                coroutine.close()
            return
        key = ordering_key(update)
        if key is None:
            await coroutine
            return
        entry = self._locks.get(key)
        if entry is None:
            entry = self._locks[key] = _KeyLock()
        entry.users += 1
        try:
            async with entry.lock:
                await coroutine
        finally:
            entry.users -= 1
            if entry.users == 0:
                del self._locks[key]

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to release: locks are dropped as their chats go idle."""
