"""Webhook security over HTTP: only requests carrying the secret token are processed.

The Application runs in webhook mode on a free loopback port with a secret token (what
`run_bot` does with BOT_WEBHOOK_SECRET, or a random one). Updates are POSTed to it like
Telegram would; one with the right `X-Telegram-Bot-Api-Secret-Token` is answered (through
the fake Bot API), one without it or with a wrong one gets HTTP 403 and is not processed.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
from fakebot.server import FakeBotApi
from telegram.ext import Application

from bot.engine import Engine
from bot.frontends.telegram.app import ALLOWED_UPDATES, build_application
from bot.storage import QuestionLog

from .conftest import settings_for
from .helpers import eventually, exchange
from .process import STARTUP_TIMEOUT, bot_process, free_port

SECRET = "webhook-Secret_token-0123456789"
HEADER = "X-Telegram-Bot-Api-Secret-Token"
USER = 4242
QUESTION = "条例什么时候施行？"


@asynccontextmanager
async def webhook(
    application: Application, port: int, secret: str, path: str = "telegram/hook"
) -> AsyncIterator[str]:
    """Run the application's webhook server (as run_webhook does, in this loop); yield its URL."""
    url = f"http://127.0.0.1:{port}/{path}"
    async with application:
        if application.post_init is not None:
            await application.post_init(application)
        assert application.updater is not None
        await application.start()
        await application.updater.start_webhook(
            listen="127.0.0.1",
            port=port,
            url_path=path,
            webhook_url=url,
            secret_token=secret,
            allowed_updates=ALLOWED_UPDATES,
            drop_pending_updates=False,
        )
        try:
            yield url
        finally:
            await application.updater.stop()
            await application.stop()
    if application.post_shutdown is not None:
        await application.post_shutdown(application)


def update(update_id: int, text: str = QUESTION) -> dict[str, Any]:
    """A private message as Telegram POSTs it."""
    sender = {"id": USER, "is_bot": False, "first_name": "Ann"}
    return {
        "update_id": update_id,
        "message": {
            "message_id": update_id,
            "date": int(time.time()),
            "chat": {"id": USER, "type": "private", "first_name": "Ann"},
            "from": sender,
            "text": text,
        },
    }


@pytest.fixture
async def hook(api: FakeBotApi, store: QuestionLog, tg_engine: Engine) -> AsyncIterator[str]:
    api.user(USER, "Ann")
    api.start_private_chat(USER)
    application = build_application(settings_for(api), tg_engine, store)
    async with webhook(application, free_port(), SECRET) as url:
        yield url


async def post(url: str, body: dict[str, Any], secret: str | None) -> httpx.Response:
    headers = {HEADER: secret} if secret is not None else {}
    async with httpx.AsyncClient(timeout=10) as client:
        return await client.post(url, json=body, headers=headers)


async def test_the_secret_is_registered_with_telegram(api: FakeBotApi, hook: str) -> None:
    assert (api.webhook_url, api.webhook_secret) == (hook, SECRET)
    assert api.calls("getUpdates") == []


async def test_the_right_secret_is_processed(
    api: FakeBotApi, store: QuestionLog, hook: str
) -> None:
    response = await post(hook, update(900_001), SECRET)
    assert response.status_code == 200
    [reply] = await api.wait_for_messages(1, 10, chat_id=USER)
    assert "来源：" in (reply.plain_text or "")

    async def recorded() -> bool:  # the record is written once the reply is sent
        return [r.question for r in await store.recent()] == [QUESTION]

    await eventually(recorded)


@pytest.mark.parametrize(
    "secret",
    [None, "", "wrong-secret", SECRET + "x", SECRET[:-1], SECRET.lower()],
    ids=["missing", "empty", "wrong", "longer", "shorter", "other-case"],
)
async def test_a_missing_or_wrong_secret_is_rejected_and_not_processed(
    api: FakeBotApi, store: QuestionLog, hook: str, secret: str | None
) -> None:
    response = await post(hook, update(900_002), secret)
    assert response.status_code == 403
    await asyncio.sleep(0.5)
    assert api.messages_to(USER) == []
    await store.prepare()
    assert await store.count() == 0
    # The same update with the right secret afterwards is processed normally.
    assert (await post(hook, update(900_003), SECRET)).status_code == 200
    await api.wait_for_messages(1, 10, chat_id=USER)

    async def recorded() -> bool:
        return await store.count() == 1

    await eventually(recorded)


async def test_updates_pushed_by_telegram_carry_the_secret(api: FakeBotApi, hook: str) -> None:
    """The fake server delivers like Telegram: with the secret it was given in setWebhook."""
    [answer] = await exchange(api, USER, "宣贯活动什么时候开展？", timeout=10)
    assert "来源：" in (answer.plain_text or "")
    assert api.webhook_deliveries and all(s == 200 for _, s in api.webhook_deliveries)


async def test_run_bot_always_uses_a_secret(api: FakeBotApi, tmp_path: Path) -> None:
    """`python -m bot run` with a webhook but no BOT_WEBHOOK_SECRET: a random secret."""
    port = free_port()
    url = f"http://127.0.0.1:{port}/hook"
    async with bot_process(
        api, tmp_path, BOT_WEBHOOK_URL=url, BOT_LISTEN="127.0.0.1", BOT_PORT=str(port)
    ) as bot:
        await api.wait_for(lambda: api.webhook_url, timeout=STARTUP_TIMEOUT, message="webhook")
        secret = api.webhook_secret
        assert secret and len(secret) >= 32
        assert (await post(url, update(900_010), None)).status_code == 403
        assert (await post(url, update(900_011), "guess")).status_code == 403
        api.user(USER, "Ann")
        [answer] = await exchange(api, USER, QUESTION, timeout=10)
        assert "来源：" in (answer.plain_text or "")
        assert await bot.stop() == 0
    assert secret not in bot.output()
