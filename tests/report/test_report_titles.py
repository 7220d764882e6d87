"""Groups in the report by name, end to end: the Telegram bot stores a group's title when
/quiz is used there (through the fake Bot API), and the report shows that title instead of a
chat id. The title stays out of the logs."""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path

import pytest

from bot.engine import Engine
from bot.frontends.telegram.app import build_application, polling
from bot.frontends.telegram.quiz import QuizOptions
from bot.quiz.titles import chat_titles
from bot.report import write_report
from bot.settings import Settings
from bot.storage import Database, QuestionLog
from tests.fakebot.server import FakeBotApi

from .conftest import read_page

REPO = Path(__file__).resolve().parents[2]
GROUP = -1001234567890
ADMIN, MEMBER = 1, 11
TITLE = "石家庄市 宣贯<测试>群"


async def test_quiz_stores_the_group_title_and_the_report_shows_it(
    engine: Engine,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    monkeypatch.setenv("PTB_TIMEDELTA", "1")
    url = f"sqlite:///{tmp_path / 'bot.db'}"
    caplog.set_level(logging.DEBUG, logger="bot")
    async with FakeBotApi() as api:
        api.user(ADMIN, "Admin")
        api.user(MEMBER, "Member")
        api.group(GROUP, TITLE, members=[MEMBER])
        api.set_admins(GROUP, [ADMIN], creator_id=ADMIN)
        settings = Settings(
            token=api.token,
            api_base_url=api.base_url,
            hash_secret="s",
            knowledge_dir=REPO / "knowledge",
            intents_dir=REPO / "intents",
        )
        store = QuestionLog(Database(url), "s")
        application = build_application(
            settings, engine, store, quiz_options=QuizOptions(pause=0.1)
        )
        async with polling(application, poll_timeout=1.0):
            assert api.group_message(GROUP, ADMIN, "/quiz 1 5") is not None
            await api.wait_for_request("sendPoll", timeout=10)
            db = Database(url)
            try:
                assert await chat_titles(db) == {GROUP: TITLE}
            finally:
                await db.dispose()
            assert api.group_message(GROUP, ADMIN, "/quiz_stop") is not None
            await api.wait_for(
                lambda: any("已提前结束" in (m.plain_text or "") for m in api.messages_to(GROUP)),
                10,
                message="the round's ranking",
            )
    assert TITLE not in caplog.text  # a title never reaches the logs

    out = tmp_path / "report.html"
    await asyncio.to_thread(write_report, url, out)
    page = read_page(out)
    assert [row[0] for row in page.tables["quiz-table"][1:]] == [TITLE]
    assert page.data["quiz"]["per_group"][0]["name"] == TITLE
    assert str(GROUP) not in "\n".join(page.texts)
