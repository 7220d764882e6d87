"""Fixtures: a real Application (build_application) talking HTTP to the fake Bot API server.

One engine is built per session over a copy of the seed knowledge plus one very long entry
(with `<`, `>` and `&` in its title and text) for the splitting and escaping tests.
"""

from __future__ import annotations

import contextlib
import shutil
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio
from fakebot.server import FakeBotApi
from telegram.ext import Application

from bot.engine import Engine
from bot.frontends.telegram.app import build_application, polling
from bot.settings import Settings
from bot.storage import Database, QuestionLog

from .helpers import HASH_SECRET, LONG_PART_QUESTION, LONG_QUESTION, LONG_TITLE

REPO = Path(__file__).resolve().parents[3]


def _long_entry_yaml() -> str:
    paragraphs = [
        f"      第{i}段：这是用于检验长消息分段的测试文字，含有特殊字符 <b>&</b>、A&B < C > D "
        f"和 &amp; 这样的实体写法。" + "分段检验用的填充文字。" * 20
        for i in range(1, 31)
    ]
    text = "\n\n".join(paragraphs)
    return (
        "entries:\n"
        "  - id: test-long-passage\n"
        "    kind: faq\n"
        f"    title: '{LONG_TITLE}'\n"
        "    text: |\n"
        f"{text}\n"
        "    source: plan\n"
        "    locator: 实施方案 测试\n"
        "    questions:\n"
        f"      - {LONG_QUESTION}\n"
        "    keywords: [超长测试段落]\n"
        # A part carved out of the long passage: its 查看原文 is the whole long passage.
        "  - id: test-long-part\n"
        "    kind: faq\n"
        "    title: 超长测试段落的第一段\n"
        "    text: 第1段：这是用于检验长消息分段的测试文字。\n"
        "    source: plan\n"
        "    locator: 实施方案 测试\n"
        "    parent: test-long-passage\n"
        "    questions:\n"
        f"      - {LONG_PART_QUESTION}\n"
        "    keywords: [测试第一段落]\n"
    )


@pytest.fixture(autouse=True)
def _quiz_journal(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Each test's poll-answer journal in its own directory, never the repository's data/."""
    path = tmp_path / "journal" / "quiz-answers.jsonl"
    monkeypatch.setenv("BOT_QUIZ_JOURNAL", str(path))
    return path


@pytest.fixture(autouse=True)
def _ptb_timedelta(monkeypatch: pytest.MonkeyPatch) -> None:
    """Opt in to PTB's future RetryAfter type, as run_bot does (no deprecation warning)."""
    monkeypatch.setenv("PTB_TIMEDELTA", "1")


@pytest.fixture(scope="session")
def tg_dirs(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("tg-kb")
    knowledge = root / "knowledge"
    intents = root / "intents"
    shutil.copytree(REPO / "knowledge", knowledge)
    shutil.copytree(REPO / "intents", intents)
    (knowledge / "entries" / "zz-telegram-test.yaml").write_text(
        _long_entry_yaml(), encoding="utf-8"
    )
    return knowledge, intents


@pytest.fixture(scope="session")
def tg_engine(tg_dirs: tuple[Path, Path]) -> Engine:
    return Engine.from_dirs(*tg_dirs)


@pytest_asyncio.fixture
async def api() -> AsyncIterator[FakeBotApi]:
    async with FakeBotApi() as server:
        yield server


@pytest_asyncio.fixture
async def store(tmp_path: Path) -> AsyncIterator[QuestionLog]:
    log = QuestionLog(Database(f"sqlite:///{tmp_path / 'data' / 'bot.db'}"), HASH_SECRET)
    yield log
    await log.close()


def settings_for(api: FakeBotApi, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "token": api.token,
        "api_base_url": api.base_url,
        "hash_secret": HASH_SECRET,
        "user_rate_limit": 20,
    }
    values.update(overrides)
    return Settings(**values)


BotFactory = Callable[..., contextlib.AbstractAsyncContextManager[Application]]


@pytest.fixture
def make_bot(api: FakeBotApi, store: QuestionLog, tg_engine: Engine) -> BotFactory:
    """`async with make_bot(read_timeout=0.5, user_rate_limit=5) as app:` — a running bot."""

    def make(**options: Any) -> contextlib.AbstractAsyncContextManager[Application]:
        build = {k: options.pop(k) for k in ("flood_control", "read_timeout") if k in options}
        application = build_application(settings_for(api, **options), tg_engine, store, **build)
        return polling(application, poll_timeout=1.0)

    return make


@pytest_asyncio.fixture
async def bot(make_bot: BotFactory) -> AsyncIterator[Application]:
    async with make_bot() as application:
        yield application
