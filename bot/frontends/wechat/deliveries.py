"""Each callback handled once, however often WeChat delivers it.

WeChat waits five seconds for a passive reply, then delivers the same message again, up to
three times in all, with the same MsgId (events, which have none, are told apart by sender
and CreateTime, as the platform recommends). The first delivery starts the work; a
redelivery that arrives while it runs waits for the same result, and one that arrives after
gets the reply already made. So each message is answered, recorded and scored exactly once,
and a retry never gets a second, different reply.

Results are kept in memory, per process, for `ttl` seconds and at most `capacity` of them
(oldest first out): WeChat's retries all come within about fifteen seconds. Behind several
web processes a retry may reach another process: with a `DeliveryLog` (the database every
process shares) the first process to claim the message handles it and stores its reply, and
another that finds it claimed waits for that reply (or answers `default`, the empty
`success`). The claim waits at most `CLAIM_WAIT`: a database that hangs or is down never
holds an answer back (the process then handles the message itself).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from typing import TypeVar

from bot.storage.deliveries import DeliveryLog

_LOGGER = logging.getLogger(__name__)

T = TypeVar("T")

# How long a handled message is remembered (WeChat's retries come within ~15 s).
TTL = 300.0
# Handled messages remembered at most.
CAPACITY = 20_000
# How long one delivery waits for the work before giving up (the platform has hung up long
# before; the work goes on, and a later delivery gets its result).
WAIT = 15.0
# How long a claim in the shared log may take, and how long a delivery claimed by another
# process waits for that process's reply (the platform waits five seconds).
CLAIM_WAIT = 1.0
SHARED_WAIT = 4.0


class Deliveries:
    """key → the task that handles it (running or done); bounded, expiring."""

    def __init__(
        self,
        *,
        ttl: float = TTL,
        capacity: int = CAPACITY,
        wait: float = WAIT,
        clock: Callable[[], float] = time.monotonic,
        log: DeliveryLog | None = None,
    ) -> None:
        self.log = log
        self._storing: set[asyncio.Task[object]] = set()
        self.ttl = ttl
        self.capacity = capacity
        self.wait = wait
        self.clock = clock
        self._tasks: OrderedDict[str, tuple[float, asyncio.Task[object]]] = OrderedDict()
        self.handled = 0
        self.repeated = 0

    def __len__(self) -> int:
        return len(self._tasks)

    def _expire(self, now: float) -> None:
        while self._tasks:
            at, task = next(iter(self._tasks.values()))
            if now - at <= self.ttl and len(self._tasks) <= self.capacity:
                break
            if not task.done() and len(self._tasks) <= self.capacity:
                break  # still running: keep it however old (its waiters need it)
            self._tasks.popitem(last=False)

    async def once(self, key: str, work: Callable[[], Awaitable[T]], default: T) -> T:
        """The result of `work()` for `key`, run only by the first delivery of `key`.

        A delivery that has waited `wait` seconds gets `default`; `work` should not raise
        (an exception is logged and gives `default` too).
        """
        now = self.clock()
        self._expire(now)
        found = self._tasks.get(key)
        if found is None:
            task: asyncio.Task[object] = asyncio.ensure_future(self._run(key, work, default))
            task.add_done_callback(_log_failure)
            self._tasks[key] = (now, task)
            self.handled += 1
        else:
            task = found[1]
            self.repeated += 1
        try:
            result = await asyncio.wait_for(asyncio.shield(task), self.wait)
        except TimeoutError:
            return default
        except asyncio.CancelledError:
            raise
        except Exception:  # logged by the done callback
            return default
        return result  # type: ignore[return-value]

    async def _run(self, key: str, work: Callable[[], Awaitable[T]], default: T) -> T:
        """The work, unless another process has claimed the message: then its reply."""
        if self.log is not None and not await self._claim(key):
            self.repeated += 1
            stored = await self.log.reply(key, SHARED_WAIT)
            return default if stored is None else stored  # type: ignore[return-value]
        result = await work()
        if self.log is not None and isinstance(result, str):
            storing = asyncio.ensure_future(self.log.store(key, result))
            self._storing.add(storing)  # kept until done; the reply does not wait for it
            storing.add_done_callback(self._storing.discard)
        return result

    async def _claim(self, key: str) -> bool:
        """The shared claim within CLAIM_WAIT; past it, True (handled here). A write to a
        hung database is left to finish on its own: cancelling it would hang too."""
        assert self.log is not None
        claim = asyncio.ensure_future(self.log.claim(key))
        done, _ = await asyncio.wait({claim}, timeout=CLAIM_WAIT)
        if not done:
            self._storing.add(claim)  # type: ignore[arg-type]
            claim.add_done_callback(self._storing.discard)  # type: ignore[arg-type]
            return True
        return bool(claim.result())


def _log_failure(task: asyncio.Task[object]) -> None:
    if not task.cancelled() and task.exception() is not None:
        _LOGGER.error("handling a WeChat message failed", exc_info=task.exception())
