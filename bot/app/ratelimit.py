"""The one rate limiter every channel uses: a token bucket per key (a client address, a
user id, a player token).

A bucket holds up to `per_minute` tokens and refills continuously, so a person can ask a
quick burst of questions and then keeps a steady pace, while a script hammering the service
is refused with the seconds to wait (`retry_after`, the web's 429). Chat channels ask
`check`, whose first refusal of a burst says NOTIFY (tell the user once) and the rest DROP
(stay silent), so a flood never turns into a flood of notices. Buckets live in memory:
losing them on a restart only forgives everyone.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Hashable
from enum import Enum

# Beyond this many tracked clients, buckets that have refilled completely are dropped (a full
# bucket and no bucket behave the same), so a crowd of addresses cannot grow memory forever.
MAX_TRACKED_CLIENTS = 10_000


class Verdict(Enum):
    ALLOW = "allow"
    NOTIFY = "notify"  # refused; tell the user once
    DROP = "drop"  # refused; already told


class RateLimiter:
    """Token buckets keyed by client; `take(key)` spends one token or says how long to wait."""

    def __init__(
        self,
        per_minute: int,
        *,
        clock: Callable[[], float] = time.monotonic,
        max_clients: int = MAX_TRACKED_CLIENTS,
    ) -> None:
        self.capacity = float(per_minute)
        self.refill_per_second = per_minute / 60.0
        self.clock = clock
        self.max_clients = max_clients
        # key -> (tokens, time of the last update)
        self._buckets: dict[Hashable, tuple[float, float]] = {}
        self._notified: set[Hashable] = set()

    @property
    def enabled(self) -> bool:
        return self.capacity > 0

    def take(self, key: Hashable) -> float:
        """0.0 when the request may go ahead, else the seconds until a token is available."""
        if not self.enabled:
            return 0.0
        now = self.clock()
        tokens, last = self._buckets.get(key, (self.capacity, now))
        tokens = min(self.capacity, tokens + (now - last) * self.refill_per_second)
        if tokens >= 1.0:
            self._buckets[key] = (tokens - 1.0, now)
            if len(self._buckets) > self.max_clients:
                self._prune(now)
            return 0.0
        self._buckets[key] = (tokens, now)
        return (1.0 - tokens) / self.refill_per_second

    def retry_after(self, key: Hashable) -> int:
        """`take` rounded up to whole seconds, as the Retry-After header wants."""
        wait = self.take(key)
        return max(1, math.ceil(wait)) if wait > 0 else 0

    def check(self, key: Hashable) -> Verdict:
        """ALLOW, or the first refusal of a burst (NOTIFY) and the rest of it (DROP)."""
        if self.take(key) == 0.0:
            self._notified.discard(key)
            return Verdict.ALLOW
        if key in self._notified:
            return Verdict.DROP
        self._notified.add(key)
        return Verdict.NOTIFY

    def _prune(self, now: float) -> None:
        self._buckets = {
            key: (tokens, last)
            for key, (tokens, last) in self._buckets.items()
            if tokens + (now - last) * self.refill_per_second < self.capacity
        }
        if len(self._buckets) > self.max_clients:
            # Everyone is active: forget the least recently seen half.
            recent = sorted(self._buckets.items(), key=lambda item: item[1][1])
            self._buckets = dict(recent[len(recent) // 2 :])
        self._notified &= set(self._buckets)

    def __len__(self) -> int:
        return len(self._buckets)
