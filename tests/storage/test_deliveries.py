"""The shared log of platform callbacks taken on: first claim wins, the reply is kept for
a retry that reaches another process, and a database that fails never blocks an answer."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.storage import Database
from bot.storage.deliveries import DeliveryLog
from tests.databases import backends as _backends
from tests.databases import scratch_url


@pytest.fixture(params=_backends())
async def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[str]:
    async with scratch_url(request.param, tmp_path / "deliveries.db") as url:
        yield url


async def test_the_first_claim_wins_and_its_reply_is_shared(db_url: str) -> None:
    one, other = Database(db_url), Database(db_url)  # two processes' connections
    try:
        first, second = DeliveryLog(one), DeliveryLog(other)
        assert await first.claim("wechat:1001") is True
        assert await second.claim("wechat:1001") is False
        assert await second.claim("wechat:1002") is True
        waiting = asyncio.ensure_future(second.reply("wechat:1001", 3.0))
        await asyncio.sleep(0.3)
        assert not waiting.done()  # no reply yet: the other process waits for it
        await first.store("wechat:1001", "<xml>回答</xml>")
        assert await waiting == "<xml>回答</xml>"
        assert await second.reply("wechat:1002", 0.0) is None
    finally:
        await one.dispose()
        await other.dispose()


async def test_a_database_that_fails_leaves_the_message_to_this_process() -> None:
    database = Database("postgresql://nobody@127.0.0.1:9/none")  # nothing listens there
    try:
        log = DeliveryLog(database)
        assert await log.claim("wechat:1") is True
        await log.store("wechat:1", "x")  # no exception
        assert await log.reply("wechat:1", 0.0) is None
    finally:
        await database.dispose()
