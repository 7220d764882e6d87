"""Fixtures: the web app with the WeChat callbacks, served by a real uvicorn, and fake
WeChat platforms that talk to it as the documentation says Tencent's servers do."""

from __future__ import annotations

import asyncio
import secrets
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.exc import OperationalError

from bot.app import Assistant, EngineHolder, QuestionRecorder
from bot.app.quizitems import quiz_items_of
from bot.engine import Engine
from bot.frontends.web import WebSettings, create_app
from bot.frontends.wechat import Account, WeChatSettings
from bot.live import LiveService
from bot.quiz import QuizService
from bot.storage import Database, QuestionLog

from ..web.harness import Running, serve
from .fake import FakeWeChat, new_aes_key

SECRET = "wechat-test-secret"
TOKEN = "wechatTestToken2024"
APP_ID = "wx5823bf96d3bd56c7"
CORP_ID = "wx5823bf96d3bd56c7"
WECOM_TOKEN = "QDG6eK"


@dataclass
class Stack:
    """A served app, its database and the fake platforms that call it."""

    running: Running
    database_url: str
    assistant: Assistant
    official: FakeWeChat
    wecom: FakeWeChat | None

    @property
    def app(self) -> Any:
        return self.running.app

    def rows(self, sentinel_from: FakeWeChat | None = None) -> list[Any]:
        """Every question record, once everything sent so far is written: a sentinel
        question is sent last and waited for (the recorder writes in order)."""
        fake = sentinel_from or self.official
        marker = f"哨兵问题{secrets.token_hex(4)}"
        assert fake.text("oSentinel", marker).status == 200
        # The recorder writes in the background and, after a failed or slow write (a loaded
        # CI machine), waits before it tries again: allow it a minute.
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            found = asyncio.run(_rows(self.database_url))
            if any(row.question == marker for row in found):
                return [
                    row for row in found if row.question != marker and "哨兵" not in row.question
                ]
            asyncio.run(asyncio.sleep(0.05))
        raise AssertionError("the sentinel question was never recorded")


async def _rows(url: str) -> list[Any]:
    database = Database(url)
    try:
        return list(await QuestionLog(database, SECRET).recent(None))
    except OperationalError:  # the writer has not created the table yet
        return []
    finally:
        await database.dispose()


def assistant_over(engine: Engine, url: str) -> Assistant:
    holder = EngineHolder(engine)
    database = Database(url)
    quiz = QuizService(database, quiz_items_of(holder), secret=SECRET)
    live = LiveService(database, quiz_items_of(holder))
    return Assistant(holder, QuestionRecorder(QuestionLog(database, SECRET)), quiz, live)


def settings_for(official_key: str | None, wecom_key: str | None, **extra: Any) -> WeChatSettings:
    official = Account("wechat", "/wechat", TOKEN, APP_ID if official_key else "", official_key)
    wecom = Account("wecom", "/wecom", WECOM_TOKEN, CORP_ID, wecom_key) if wecom_key else None
    values: dict[str, Any] = {"hash_secret": SECRET, "user_rate_limit": 0, **extra}
    return WeChatSettings(official=official, wecom=wecom, **values)


@contextmanager
def stack(engine: Engine, directory: Path, *, safe: bool) -> Iterator[Stack]:
    """The app over `engine` with an official account (safe mode or plaintext) and, in safe
    mode, a WeCom app too; a fresh SQLite database under `directory`."""
    url = f"sqlite:///{directory / 'wechat.db'}"
    official_key = new_aes_key() if safe else None
    wecom_key = new_aes_key() if safe else None
    assistant = assistant_over(engine, url)
    app = create_app(
        assistant, WebSettings(rate_limit=0), wechat=settings_for(official_key, wecom_key)
    )
    with serve(app) as running:
        official = FakeWeChat(running.url, token=TOKEN, aes_key=official_key, app_id=APP_ID)
        wecom = (
            FakeWeChat(
                running.url, token=WECOM_TOKEN, aes_key=wecom_key, app_id=CORP_ID, wecom=True
            )
            if safe
            else None
        )
        yield Stack(running, url, assistant, official, wecom)


@pytest.fixture(scope="module")
def safe(engine: Engine, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    """Official account in safe mode and a WeCom app, on one server."""
    with stack(engine, tmp_path_factory.mktemp("wechat-safe"), safe=True) as running:
        yield running


@pytest.fixture(scope="module")
def plain(engine: Engine, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    """Official account in plaintext mode (no EncodingAESKey)."""
    with stack(engine, tmp_path_factory.mktemp("wechat-plain"), safe=False) as running:
        yield running
