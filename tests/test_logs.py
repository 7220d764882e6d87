"""Logging: JSON lines carry the fields; the bot token never appears in any log line."""

from __future__ import annotations

import json
import logging

import pytest

from bot.logs import setup_logging

TOKEN = "123456789:AAH-secret-token-for-tests-only"


@pytest.fixture
def restore_logging():  # type: ignore[no-untyped-def]
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)


def test_json_lines_and_token_redacted(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], restore_logging: None
) -> None:
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", TOKEN)
    setup_logging(level="INFO", fmt="json")
    log = logging.getLogger("bot.test")
    log.info("calling https://api.telegram.org/bot%s/getMe", TOKEN, extra={"chat": 42})
    try:
        raise RuntimeError("boom")
    except RuntimeError:
        log.exception("failed for %s", "x")
    lines = [json.loads(line) for line in capsys.readouterr().err.splitlines()]
    assert lines[0]["message"] == "calling https://api.telegram.org/bot***/getMe"
    assert lines[0]["chat"] == 42
    assert lines[0]["level"] == "INFO" and lines[0]["logger"] == "bot.test"
    assert "RuntimeError: boom" in lines[1]["exception"]
    assert all(TOKEN not in json.dumps(line) for line in lines)


def test_text_format_and_httpx_quiet(
    capsys: pytest.CaptureFixture[str], restore_logging: None
) -> None:
    setup_logging(level="INFO", fmt="text")
    logging.getLogger("httpx").info("HTTP Request: POST https://example/botSECRET/getMe")
    logging.getLogger("bot").info("ready")
    err = capsys.readouterr().err
    assert "ready" in err
    assert "HTTP Request" not in err
