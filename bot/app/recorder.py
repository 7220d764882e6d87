"""Recording questions without ever making an answer wait for the database.

Every channel hands its question and reply to `submit`, which only appends to a bounded
queue and returns. One background task writes what has queued up, a batch per transaction,
each write bounded by a timeout. When the database is down or hangs, rows wait in the queue
and are written once it is back; one warning says the outage started and one that it ended
(with how many rows waited), instead of a traceback per question. Only what overflows the
queue during a long outage is lost, and that is counted (`lost`) for `stats` and the health
endpoint.

A row carries a random `uid`: a write that timed out after the database had in fact
committed it is not stored twice when retried (the insert skips a uid already there).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import secrets
import time
from collections import deque
from dataclasses import dataclass
from typing import Any

from bot.app.incoming import Incoming
from bot.engine import Reply
from bot.storage import QuestionLog

_LOGGER = logging.getLogger(__name__)

# Rows waiting at most; beyond this, during a long outage, new rows are counted as lost.
CAPACITY = 20_000
# Rows one transaction writes at most.
BATCH = 500
# Seconds one write may take before it is treated as failed (and retried).
WRITE_TIMEOUT = 5.0
# Pause between attempts while the database is unavailable: doubling up to the maximum.
RETRY_FIRST, RETRY_MAX = 0.5, 5.0
# Longer questions are cut: the engine itself reads at most 500 characters.
MAX_STORED_QUESTION = 1000


@dataclass(frozen=True)
class PendingRow:
    """One question to store, with everything decided when it was answered."""

    uid: str
    user_hash: str
    chat_type: str
    channel: str
    question: str
    kind: str
    intent: str
    entry: str | None
    confidence: float
    delivered: bool | None
    created_at: float


class QuestionRecorder:
    """A bounded write-behind queue in front of the question log."""

    def __init__(
        self,
        log: QuestionLog,
        *,
        capacity: int = CAPACITY,
        timeout: float = WRITE_TIMEOUT,
        batch: int = BATCH,
    ) -> None:
        self.log = log
        self.capacity = capacity
        self.timeout = timeout
        self.batch = batch
        self._queue: deque[PendingRow] = deque()
        self._wake: asyncio.Event | None = None
        self._task: asyncio.Task[None] | None = None
        self._closing = False
        self.lost = 0
        self.written = 0
        self.outage_since: float | None = None

    # -- the channels' side: never waits -------------------------------------------------------

    def submit(self, incoming: Incoming, reply: Reply, *, delivered: bool | None = True) -> None:
        """Queue one question and its outcome; returns at once, whatever the database does."""
        if len(self._queue) >= self.capacity:
            self.lost += 1
            if self.lost == 1 or self.lost % 1000 == 0:
                _LOGGER.warning("question log queue full: %d record(s) lost so far", self.lost)
            return
        self._queue.append(
            PendingRow(
                uid=secrets.token_hex(16),
                user_hash=self.log.user_hash(incoming.user),
                chat_type=incoming.chat_type[:16],
                channel=incoming.channel,
                question=incoming.text[:MAX_STORED_QUESTION],
                kind=reply.kind,
                intent=reply.intent[:32],
                entry=reply.entry,
                confidence=float(reply.confidence),
                delivered=delivered,
                created_at=time.time(),
            )
        )
        self._ensure_writer()

    @property
    def pending(self) -> int:
        return len(self._queue)

    @property
    def healthy(self) -> bool:
        return self.outage_since is None

    def status(self) -> dict[str, Any]:
        """For the health endpoint and `stats`: queued, written, lost, and any outage."""
        return {
            "pending": self.pending,
            "written": self.written,
            "lost": self.lost,
            "database": "ok" if self.healthy else "unavailable",
        }

    # -- the writer ------------------------------------------------------------------------------

    def _ensure_writer(self) -> None:
        try:
            asyncio.get_running_loop()
        except RuntimeError:  # called outside an event loop (a script): written on flush
            return
        if self._wake is None:
            self._wake = asyncio.Event()
        self._wake.set()
        if self._task is None or self._task.done():
            self._task = asyncio.create_task(self._run(), name="question-recorder")

    async def _run(self) -> None:
        pause = RETRY_FIRST
        assert self._wake is not None
        while True:
            if not self._queue:
                if self._closing:
                    return
                self._wake.clear()
                await self._wake.wait()
                continue
            batch = [self._queue[i] for i in range(min(self.batch, len(self._queue)))]
            try:
                await self._write_within(batch)
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # database down, hung, full disk…
                self._outage(exc)
                if self._closing:
                    return
                await asyncio.sleep(pause)
                pause = min(pause * 2, RETRY_MAX)
                continue
            for _ in batch:
                self._queue.popleft()
            self.written += len(batch)
            pause = RETRY_FIRST
            self._recovered()

    async def _write_within(self, batch: list[PendingRow]) -> None:
        """Write a batch; past the timeout the outage is reported while the write goes on.

        A hung database (a frozen server) would also hang the cancellation of a write —
        the driver waits for it to close its connection — so the write is not cancelled:
        the outage is said on time, and the write either completes when the server is back
        or fails and is retried (the uid makes a repeat harmless).
        """
        write = asyncio.ensure_future(self._write(batch))
        done, _ = await asyncio.wait({write}, timeout=self.timeout)
        if not done:
            self._outage(TimeoutError())
        await write

    async def _write(self, batch: list[PendingRow]) -> None:
        await self.log.prepare()  # creates or upgrades the schema once, on first use
        await self.log.insert_rows(batch)

    def _outage(self, exc: BaseException) -> None:
        if self.outage_since is None:
            self.outage_since = time.monotonic()
            _LOGGER.warning(
                "question log unavailable (%s); records are kept in memory (%d queued) "
                "and written when it is back",
                type(exc).__name__,
                self.pending,
            )

    def _recovered(self) -> None:
        if self.outage_since is not None:
            took = time.monotonic() - self.outage_since
            self.outage_since = None
            _LOGGER.warning(
                "question log available again after %.0f s; %d record(s) still queued, %d lost",
                took,
                self.pending,
                self.lost,
            )

    # -- shutting down -------------------------------------------------------------------------

    async def flush(self, timeout: float | None = None) -> bool:
        """Wait until the queue is written (or `timeout` passes); True when it is empty."""
        self._ensure_writer()
        deadline = None if timeout is None else time.monotonic() + timeout
        while self._queue:
            if self._task is None or self._task.done():
                self._task = asyncio.create_task(self._run(), name="question-recorder")
            if deadline is not None and time.monotonic() >= deadline:
                return False
            await asyncio.sleep(0.01)
        return True

    async def close(self, timeout: float = 10.0) -> None:
        """Write what is queued (for at most `timeout` seconds), then stop the writer; rows
        that could not be written are counted as lost and logged once."""
        written = await self.flush(timeout)
        self._closing = True
        if self._wake is not None:
            self._wake.set()
        if self._task is not None and not self._task.done():
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._task
        if not written and self._queue:
            self.lost += len(self._queue)
            _LOGGER.warning("shutting down: %d question record(s) not written", len(self._queue))
            self._queue.clear()
