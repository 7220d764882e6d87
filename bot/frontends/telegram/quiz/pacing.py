"""How fast the Telegram quiz sends: its options, and at most 20 messages a minute per group.

Telegram accepts at most 20 messages a minute into one group. `AIORateLimiter` (on unless
`flood_control=False`) enforces that for every request to a group, Q&A replies included, by
making requests wait; it is what the bot relies on. The quiz also counts its own messages
per group (`GroupPacer`) and waits *before* sending when a round would exceed the limit, so
a round slows down instead of queueing requests — and stays within the limit when flood
control is off (benchmarks).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

_LOGGER = logging.getLogger(__name__)

# Telegram's limit for one group, and the window it is counted over.
GROUP_MESSAGES_PER_MINUTE = 20


@dataclass(frozen=True)
class QuizOptions:
    """How the Telegram quiz paces itself. The defaults suit production."""

    # Seconds between a poll's close and the next question (or the results): lets the
    # group read the explanation, and lets answers fetched just before the close land.
    pause: float = 3.0
    group_limit: int = GROUP_MESSAGES_PER_MINUTE
    group_period: float = 60.0
    # Keep each poll answer's processing time (handler start → scored) in `answer_times`.
    measure: bool = False


class GroupPacer:
    """At most `limit` quiz messages into one group per sliding `period`; waits when needed.

    Private chats are not paced (Telegram's per-chat limit there is about one message a
    second, far above what practice sends).
    """

    def __init__(
        self,
        limit: int = GROUP_MESSAGES_PER_MINUTE,
        period: float = 60.0,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[Any]] = asyncio.sleep,
    ) -> None:
        self.limit = limit
        self.period = period
        self._clock = clock
        self._sleep = sleep
        self._sent: dict[int, deque[float]] = {}
        self._locks: dict[int, asyncio.Lock] = {}

    async def acquire(self, chat_id: int) -> float:
        """Wait until one more message may go to `chat_id`, count it; return the wait."""
        if chat_id >= 0 or self.limit <= 0:
            return 0.0
        lock = self._locks.setdefault(chat_id, asyncio.Lock())
        waited = 0.0
        async with lock:  # waiters are served in order
            sent = self._sent.setdefault(chat_id, deque())
            while True:
                now = self._clock()
                while sent and sent[0] <= now - self.period:
                    sent.popleft()
                if len(sent) < self.limit:
                    sent.append(now)
                    return waited
                delay = sent[0] + self.period - now
                waited += delay
                _LOGGER.info("pacing group %s: waiting %.1f s", chat_id, delay)
                await self._sleep(delay)

    def sent_within(self, chat_id: int) -> int:
        """Messages counted for the chat in the current window (for tests and logs)."""
        now = self._clock()
        return sum(1 for t in self._sent.get(chat_id, ()) if t > now - self.period)
