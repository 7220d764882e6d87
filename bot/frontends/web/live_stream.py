"""Server-sent events of a live game: a phone's stream and the host screen's.

`GET /api/live/{pin}/events` with the player's token (or the host key) answers
`text/event-stream`: an `event: state` with the whole state at once, then again whenever
it changes — a host action (here or, on PostgreSQL, in another process), a question's
deadline passing, and for the host players joining and answering (at most every
`HOST_MIN_INTERVAL`). A comment line every `HEARTBEAT` seconds keeps proxies from closing
an idle stream; a stream ends after about `STREAM_SECONDS` (spread ±40 %, so a hall does
not reconnect all at once) and the page reconnects at once (the `retry` field), which also
bounds how long a shutdown waits for open streams. Pages read
the stream with fetch() so the token travels in a header, never in a URL or a log; when
streaming does not get through (a buffering proxy), they poll the state instead.
"""

from __future__ import annotations

import asyncio
import json
import random
from collections.abc import AsyncIterator
from typing import Any

from bot.live import GameView, LiveService, Player
from bot.live.notify import wait
from bot.live.views import SHARED, host_state, player_state

STREAM_SECONDS = 25.0
HEARTBEAT = 10.0
# A question is revealed this long after its deadline: answers received in time may still
# be on their way into the database (group commit).
REVEAL_DELAY = 0.3
HOST_MIN_INTERVAL = 0.3
HOST_TICK = 1.0  # the host's answered count is read again this often during a question
HEADERS = {"Cache-Control": "no-store", "X-Accel-Buffering": "no"}


def event(name: str, data: dict[str, Any]) -> bytes:
    body = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return f"event: {name}\ndata: {body}\n\n".encode()


def _comparable(state: dict[str, Any]) -> str:
    return json.dumps({k: v for k, v in state.items() if k != "server_time"}, sort_keys=True)


def _until_deadline(live: LiveService, game: GameView) -> float | None:
    """Seconds until the open question should be revealed; None when none is open."""
    now = live.clock()
    timing = game.timing
    if game.phase(now) != "question" or game.paused or timing is None:
        return None
    return max(0.0, (timing.deadline - now).total_seconds() + REVEAL_DELAY)


def _lifetime() -> float:
    """A stream's length, spread so a hall's phones do not all reconnect at the same moment."""
    return STREAM_SECONDS * random.uniform(0.6, 1.4)


async def player_events(live: LiveService, game: GameView, player: Player) -> AsyncIterator[bytes]:
    loop = asyncio.get_running_loop()
    end = loop.time() + _lifetime()
    yield b"retry: 1000\n\n"
    last = ""
    asked: int | None = None  # the game's current question when this stream last looked
    known: list[int] | None = None  # the player's answer to it, as far as we know
    last_sent = loop.time()
    while True:
        change = live.notifier.event(game.id, "game")
        game = await live.fresh(game)
        own: Any = SHARED
        if game.phase(live.clock()) == "question":
            if asked is not None and asked != game.current:
                known = None  # opened while we watched: nobody answered it before seeing it
                own = None
            elif known is not None:
                own = known
        asked = game.current
        state = await player_state(live, game, player, own)
        known = state["answer"]["option_ids"] if state["answer"] else None
        comparable = _comparable(state)
        if comparable != last:
            last = comparable
            last_sent = loop.time()
            yield event("state", state)
        left = end - loop.time()
        if left <= 0:
            return
        timeout = min(left, HEARTBEAT)
        until = _until_deadline(live, game)
        if until is not None:
            timeout = min(timeout, until)
        if not await wait(change, timeout) and loop.time() - last_sent >= HEARTBEAT:
            last_sent = loop.time()
            yield b": ping\n\n"


async def host_events(live: LiveService, game: GameView, join_url: str) -> AsyncIterator[bytes]:
    loop = asyncio.get_running_loop()
    end = loop.time() + STREAM_SECONDS
    yield b"retry: 1000\n\n"
    last = ""
    last_sent = loop.time()
    while True:
        change = live.notifier.event(game.id, "any")
        game = await live.fresh(game)
        state = await host_state(live, game, join_url)
        comparable = _comparable(state)
        if comparable != last:
            last = comparable
            last_sent = loop.time()
            yield event("state", state)
        left = end - loop.time()
        if left <= 0:
            return
        timeout = min(left, HEARTBEAT)
        until = _until_deadline(live, game)
        if until is not None:
            timeout = min(timeout, until, HOST_TICK)
        changed = await wait(change, timeout)
        if changed:
            await asyncio.sleep(HOST_MIN_INTERVAL)  # a burst of joins or answers: one update
        elif loop.time() - last_sent >= HEARTBEAT:
            last_sent = loop.time()
            yield b": ping\n\n"
