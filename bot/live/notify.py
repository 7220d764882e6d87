"""Change notification: who is waiting on a game learns that it changed.

In one process an `asyncio.Event` per game is set (and replaced) on every change, waking the
server-sent event streams of that game at once. On PostgreSQL every change is also sent with
`NOTIFY ipreg_live, '<origin>:<game>:<kind>'` inside the transaction that made it (so it is
delivered only if it committed), and `PgListener` holds one asyncpg connection per process
that LISTENs and re-publishes what other processes changed. No new service: PostgreSQL is
already the shared database. On SQLite there is no such channel: one web process serves a
game (the documented limit); a second one would see changes only when its cached snapshot
expires (a few seconds).

A listener that loses its connection reconnects and, since it may have missed
notifications, publishes "everything changed" once it is back.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import secrets
from collections.abc import Callable
from typing import Any

from sqlalchemy import URL

_LOGGER = logging.getLogger(__name__)

CHANNEL = "ipreg_live"
ALL_GAMES = 0  # "anything may have changed" (after a listener reconnected)
KINDS = ("game", "players", "answers")
RECONNECT_SECONDS = 1.0


class Notifier:
    """Per-game change events within one process.

    Two events per game: "game" (a host action: what every phone shows changes) and "any"
    (also a player joined or answered: what the host screen shows changes). Phones wait on
    the first only, so 500 answers do not wake 500 phones' streams 500 times.
    """

    def __init__(self) -> None:
        self._events: dict[tuple[int, str], asyncio.Event] = {}
        self.listeners: list[Callable[[int, str], None]] = []

    def publish(self, game_id: int, kind: str = "game") -> None:
        """Wake everyone waiting on `game_id` (every game for ALL_GAMES)."""
        for listener in self.listeners:
            listener(game_id, kind)
        scopes = ("game", "any") if kind == "game" else ("any",)
        for key in list(self._events):
            if key[1] in scopes and (game_id == ALL_GAMES or key[0] == game_id):
                self._events.pop(key).set()

    def event(self, game_id: int, scope: str = "game") -> asyncio.Event:
        """The event the next change of the game sets (`scope` "game": host actions only;
        "any": joins and answers too). Take it before reading the state you compare
        against, so a change in between is not missed."""
        key = (game_id, scope)
        event = self._events.get(key)
        if event is None:
            event = self._events[key] = asyncio.Event()
        return event


async def wait(event: asyncio.Event, timeout: float) -> bool:
    """True when the event was set within `timeout` seconds."""
    if timeout <= 0:
        return event.is_set()
    with contextlib.suppress(TimeoutError):
        async with asyncio.timeout(timeout):
            await event.wait()
    return event.is_set()


def new_origin() -> str:
    """Who sends a notification: one per service (a process has one), so its own changes,
    already published locally, are not published twice."""
    return f"{os.getpid()}-{secrets.token_hex(4)}"


def payload(origin: str, game_id: int, kind: str) -> str:
    return f"{origin}:{game_id}:{kind}"


def parse(text: str) -> tuple[str, int, str] | None:
    try:
        origin, game, kind = text.split(":", 2)
        return origin, int(game), kind
    except ValueError:
        return None


def listen_dsn(url: URL) -> str:
    """A libpq-style DSN for asyncpg from the SQLAlchemy URL (`ssl` back to `sslmode`)."""
    query = dict(url.query)
    if "ssl" in query and "sslmode" not in query:
        query["sslmode"] = query.pop("ssl")
    plain = url.set(drivername="postgresql", query=query)
    return plain.render_as_string(hide_password=False)


class PgListener:
    """LISTEN on PostgreSQL and hand other processes' changes to the local notifier."""

    def __init__(self, url: URL, notifier: Notifier, origin: str) -> None:
        self.dsn = listen_dsn(url)
        self.notifier = notifier
        self.origin = origin
        self.connected = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._closing = False
        self.received = 0

    def start(self) -> None:
        if self._task is None or self._task.done():
            self._closing = False
            self._task = asyncio.get_running_loop().create_task(self._run())

    async def close(self) -> None:
        self._closing = True
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._task
            self._task = None

    def _on_notify(self, _connection: Any, _pid: int, _channel: str, text: str) -> None:
        parsed = parse(text)
        if parsed is None or parsed[0] == self.origin:
            return  # our own change: already published locally
        self.received += 1
        self.notifier.publish(parsed[1], parsed[2])

    async def _run(self) -> None:
        import asyncpg

        first = True
        while not self._closing:
            connection = None
            try:
                connection = await asyncpg.connect(self.dsn)
                lost = asyncio.Event()
                connection.add_termination_listener(lambda _c, lost=lost: lost.set())
                await connection.add_listener(CHANNEL, self._on_notify)
                self.connected.set()
                if not first:
                    _LOGGER.info("live: change notifications back")
                    self.notifier.publish(ALL_GAMES, "game")  # we may have missed some
                first = False
                while not lost.is_set():
                    # A dead TCP connection is noticed by a query, not by waiting.
                    if await wait(lost, 15.0):
                        break
                    await connection.execute("SELECT 1")
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                _LOGGER.warning("live: change notifications unavailable (%s)", type(exc).__name__)
            finally:
                self.connected.clear()
                if connection is not None:
                    with contextlib.suppress(Exception):
                        await connection.close(timeout=2)
            if not self._closing:
                await asyncio.sleep(RECONNECT_SECONDS)
