"""Per-client rate limiting for the HTTP API: one token bucket per client IP.

A bucket holds up to `per_minute` tokens and refills continuously, so a visitor can ask a
quick burst of questions and then keeps a steady pace, while a script hammering the API gets
429 with the seconds to wait. Buckets live in memory: the web front end is one process, and
losing the buckets on restart only forgives everyone.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable

# Beyond this many tracked clients, buckets that have refilled completely are dropped (a full
# bucket and no bucket behave the same), so a crowd of addresses cannot grow memory forever.
MAX_TRACKED_CLIENTS = 10_000


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
        self._buckets: dict[str, tuple[float, float]] = {}

    @property
    def enabled(self) -> bool:
        return self.capacity > 0

    def take(self, key: str) -> float:
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

    def retry_after(self, key: str) -> int:
        """`take` rounded up to whole seconds, as the Retry-After header wants."""
        wait = self.take(key)
        return max(1, math.ceil(wait)) if wait > 0 else 0

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

    def __len__(self) -> int:
        return len(self._buckets)
