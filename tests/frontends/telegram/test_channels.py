"""One assistant behind every channel: ten questions through the web API and ten through the
fake Bot API, on one database, are counted ten and ten by `stats --json` and the campaign
report — on SQLite and, when BOT_TEST_POSTGRES_URL is set, on PostgreSQL."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
import pytest_asyncio
from fakebot.server import FakeBotApi

from bot.app import Assistant, EngineHolder, QuestionRecorder
from bot.app.quizitems import quiz_items_of
from bot.engine import Engine
from bot.frontends.telegram.app import build_application, polling
from bot.frontends.web import WebSettings, create_app
from bot.quiz import QuizService
from bot.storage import Database, QuestionLog
from tests.databases import backends, scratch_url

from ..web.harness import serve
from .conftest import settings_for
from .helpers import HASH_SECRET, exchange

REPO = Path(__file__).resolve().parents[3]
QUESTIONS = [
    "条例什么时候施行？",
    "宣贯活动有哪些工作重点",
    "谁负责联系",
    "谢谢",
    "今天天气怎么样",
    "宣传月有哪些形式",
    "实施方案包括哪几个部分",
    "知识产权基金有多少钱",
    "高校有什么职责",
    "五进是指哪五进",
]


@pytest_asyncio.fixture(params=backends())
async def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[str]:
    async with scratch_url(request.param, tmp_path / "shared.db") as url:
        yield url


def stats_json(url: str) -> dict:  # type: ignore[type-arg]
    done = subprocess.run(
        [sys.executable, "-m", "bot", "stats", "--json", "--database", url],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=REPO,
        env={**os.environ, "BOT_HASH_SECRET": HASH_SECRET},
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


async def test_web_and_telegram_questions_are_counted_by_channel(
    api: FakeBotApi, tg_engine: Engine, database_url: str, tmp_path: Path
) -> None:
    # The web process: its own assistant over the shared database.
    holder = EngineHolder(tg_engine)
    web_db = Database(database_url)
    web = Assistant(
        holder,
        QuestionRecorder(QuestionLog(web_db, HASH_SECRET)),
        QuizService(web_db, quiz_items_of(holder), secret=HASH_SECRET),
    )
    app = create_app(web, WebSettings(rate_limit=0))
    with serve(app) as running:
        async with httpx.AsyncClient(base_url=running.url) as client:
            for question in QUESTIONS:
                response = await client.post("/api/ask", json={"question": question})
                assert response.status_code == 200
        # The web's records are written behind its answers: wait for them while it runs.
        reader = QuestionLog(Database(database_url))
        await reader.prepare()
        for _ in range(100):
            if await reader.count() >= len(QUESTIONS):
                break
            await asyncio.sleep(0.1)
        await reader.close()
    # The Telegram process: another assistant over the same database.
    store = QuestionLog(Database(database_url), HASH_SECRET)
    application = build_application(settings_for(api), tg_engine, store)
    async with polling(application, poll_timeout=1.0):
        for i, question in enumerate(QUESTIONS):
            api.user(1000 + i, f"User{i}")
            await exchange(api, 1000 + i, question)
    await store.close()

    figures = await asyncio.to_thread(stats_json, database_url)
    assert figures["questions"] == 20
    assert figures["by_channel"]["web"] == 10 and figures["by_channel"]["telegram"] == 10
    assert sum(figures["by_kind"].values()) == 20
    web_kinds = figures["channels"]["web"]["by_kind"]
    assert web_kinds == figures["channels"]["telegram"]["by_kind"]  # same questions, answers

    report = tmp_path / "report.html"
    done = await asyncio.to_thread(
        subprocess.run,
        [sys.executable, "-m", "bot", "report", "--database", database_url, "--out", str(report)],
        capture_output=True,
        text=True,
        timeout=180,
        cwd=REPO,
    )
    assert done.returncode == 0, done.stderr
    page = report.read_text(encoding="utf-8")
    data = json.loads(
        page.split('<script type="application/json" id="report-data">', 1)[1].split("</script>", 1)[
            0
        ]
    )
    assert data["by_channel"]["web"] == 10 and data["by_channel"]["telegram"] == 10
