"""Per-user question limit: N questions in any sliding minute (BOT_USER_RATE_LIMIT, default 20).

Telegram's own flood limits protect Telegram; this one protects the bot and the group it
answers in from one user's burst. The first refused question of a burst gets one friendly
notice; the rest of the burst is dropped silently, so a flood never turns into a flood of
notices. State is in memory: a restart forgets it, which is harmless for a one-minute window.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable, Hashable
from enum import Enum

# Forget idle users once this many are tracked, so memory stays bounded.
PRUNE_ABOVE = 10_000


class Verdict(Enum):
    ALLOW = "allow"
    NOTIFY = "notify"  # refused; tell the user once
    DROP = "drop"  # refused; already told


class UserRateLimiter:
    """`check(user)` admits at most `limit` events per `period` seconds per user."""

    def __init__(
        self,
        limit: int,
        period: float = 60.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.limit = limit  # 0 or less: no limit
        self.period = period
        self._clock = clock
        self._events: dict[Hashable, deque[float]] = {}
        self._notified: set[Hashable] = set()

    def check(self, user: Hashable) -> Verdict:
        if self.limit <= 0:
            return Verdict.ALLOW
        now = self._clock()
        events = self._events.get(user)
        if events is None:
            if len(self._events) >= PRUNE_ABOVE:
                self._prune(now)
            events = self._events[user] = deque()
        while events and events[0] <= now - self.period:
            events.popleft()
        if len(events) < self.limit:
            events.append(now)
            self._notified.discard(user)
            return Verdict.ALLOW
        if user in self._notified:
            return Verdict.DROP
        self._notified.add(user)
        return Verdict.NOTIFY

    def _prune(self, now: float) -> None:
        idle = [u for u, ev in self._events.items() if not ev or ev[-1] <= now - self.period]
        for user in idle:
            del self._events[user]
            self._notified.discard(user)

    def __len__(self) -> int:
        return len(self._events)
