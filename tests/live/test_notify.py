"""Change notification: streams of one process wake on a change at once; on PostgreSQL a
second process hears it through LISTEN/NOTIFY (no other service)."""

from __future__ import annotations

import asyncio
import os
import time
from collections.abc import Callable

import pytest

from bot.live import LiveService
from bot.live.notify import ALL_GAMES, Notifier, listen_dsn, new_origin, parse, payload, wait
from bot.storage import Database


async def test_phones_wake_on_host_actions_and_the_host_on_everything() -> None:
    notifier = Notifier()
    phone, screen = notifier.event(7, "game"), notifier.event(7, "any")
    other = notifier.event(8, "game")
    notifier.publish(7, "answers")
    assert screen.is_set() and not phone.is_set()  # 500 answers do not wake 500 phones
    screen = notifier.event(7, "any")
    notifier.publish(7, "game")
    assert phone.is_set() and screen.is_set() and not other.is_set()
    notifier.publish(ALL_GAMES, "game")
    assert other.is_set()
    assert not await wait(notifier.event(7), 0.01)


def test_payloads_name_the_sender_the_game_and_the_kind() -> None:
    origin = new_origin()
    assert origin.startswith(f"{os.getpid()}-") and origin != new_origin()
    assert parse(payload(origin, 12, "players")) == (origin, 12, "players")
    assert parse("nonsense") is None


def test_the_listener_reaches_postgresql_with_libpq_names() -> None:
    url = Database("postgresql://u:p%40ss@db.example:5433/bot?sslmode=require").url
    assert listen_dsn(url) == "postgresql://u:p%40ss@db.example:5433/bot?sslmode=require"


async def test_a_second_process_hears_a_change_through_postgresql(
    make_live: Callable[..., LiveService], db_url: str
) -> None:
    if db_url.startswith("sqlite"):
        pytest.skip("LISTEN/NOTIFY is PostgreSQL's; on SQLite one process serves a game")
    host_side, other_side = make_live(listen=True), make_live(listen=True)
    await host_side.prepare()
    await other_side.prepare()
    assert other_side.listener is not None
    await asyncio.wait_for(other_side.listener.connected.wait(), 10)
    created = await host_side.create_game(2, 20)
    game = await host_side.game(created.pin)
    seen = await other_side.game(created.pin)
    assert game is not None and seen is not None
    woke = other_side.notifier.event(game.id, "game")
    started = time.monotonic()
    await host_side.act(game, "start")
    assert await wait(woke, 5.0)
    assert time.monotonic() - started < 1.0
    fresh = await other_side.fresh(seen)  # the cached row was dropped on the notification
    assert fresh.phase(other_side.clock()) == "question" and fresh.current == 0
    joined = other_side.notifier.event(game.id, "any")
    await host_side.join(game, "甲")
    assert await wait(joined, 5.0)
