"""`python -m bot run` as operators start it: long polling, webhook, no token, no token in logs.

The bot runs in a subprocess (it owns its event loop and signal handling, like production)
and talks to the fake Bot API server through TELEGRAM_API_BASE_URL.
"""

from __future__ import annotations

import signal
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest
from fakebot.server import FakeBotApi

from bot.frontends.telegram.app import RedactingFormatter, file_url_for, run_bot
from bot.settings import Settings

from .helpers import exchange
from .process import bot_process, free_port

REPO = Path(__file__).resolve().parents[3]
STARTUP_TIMEOUT = 30.0


def test_run_without_a_token_explains_and_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert run_bot(settings=Settings(token=None)) == 2
    assert "TELEGRAM_BOT_TOKEN" in capsys.readouterr().err


def test_a_bad_webhook_secret_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    settings = Settings(token="1:x", webhook_url="https://example.org/hook", webhook_secret="a b")
    assert run_bot(settings=settings) == 2
    assert "BOT_WEBHOOK_SECRET" in capsys.readouterr().err


def test_file_url_sits_beside_the_api_url() -> None:
    assert file_url_for("https://api.telegram.org/bot") == "https://api.telegram.org/file/bot"
    assert file_url_for("http://127.0.0.1:8081/bot") == "http://127.0.0.1:8081/file/bot"


def test_the_formatter_redacts_secrets_in_messages_and_tracebacks() -> None:
    import logging

    formatter = RedactingFormatter(logging.Formatter("%(message)s"), ["123:SECRET"])
    try:
        raise ValueError("https://api.telegram.org/bot123:SECRET/getMe failed")
    except ValueError:
        record = logging.LogRecord(
            "x", logging.ERROR, __file__, 1, "url %s", ("bot123:SECRET/x",), sys.exc_info()
        )
    text = formatter.format(record)
    assert "123:SECRET" not in text and "bot[REDACTED]/getMe" in text and "bot[REDACTED]/x" in text


@asynccontextmanager
async def _bot_process(api: FakeBotApi, tmp_path: Path, **env: str) -> AsyncIterator[Path]:
    """Run `python -m bot run` at DEBUG; stop it with SIGINT and check it exits 0. Yields its log."""
    async with bot_process(api, tmp_path, BOT_LOG_LEVEL="DEBUG", **env) as bot:
        yield bot.log
        assert await bot.stop(signal.SIGINT, timeout=15) == 0, bot.output()


async def test_run_polls_answers_and_stops_cleanly(api: FakeBotApi, tmp_path: Path) -> None:
    api.user(42, "Ann")
    async with _bot_process(api, tmp_path) as log:
        await api.wait_for_request("setMyCommands", timeout=STARTUP_TIMEOUT)
        [answer] = await exchange(api, 42, "条例什么时候施行？")
        assert "来源：" in (answer.plain_text or "")
        assert api.calls("getUpdates")
        assert not any(p.get("drop_pending_updates") for p in api.calls("deleteWebhook"))
    text = log.read_text(encoding="utf-8")
    assert api.token not in text
    assert "Set Bot API URL" in text  # PTB logs its token-bearing API URL at DEBUG: masked
    assert (tmp_path / "data" / "bot.db").is_file()


async def test_run_uses_a_webhook_when_configured(api: FakeBotApi, tmp_path: Path) -> None:
    port = free_port()
    url = f"http://127.0.0.1:{port}/telegram/hook"
    api.user(42, "Ann")
    async with _bot_process(
        api,
        tmp_path,
        BOT_WEBHOOK_URL=url,
        BOT_WEBHOOK_SECRET="s3cret-token_1",
        BOT_LISTEN="127.0.0.1",
        BOT_PORT=str(port),
    ) as log:
        await api.wait_for_request("setMyCommands", timeout=STARTUP_TIMEOUT)
        await api.wait_for(lambda: api.webhook_url, timeout=STARTUP_TIMEOUT, message="webhook")
        assert (api.webhook_url, api.webhook_secret) == (url, "s3cret-token_1")
        [answer] = await exchange(api, 42, "宣贯活动什么时候开展？", timeout=10)
        assert "来源：" in (answer.plain_text or "")
        assert api.webhook_deliveries and api.calls("getUpdates") == []
    text = log.read_text(encoding="utf-8")
    assert api.token not in text and "s3cret-token_1" not in text
