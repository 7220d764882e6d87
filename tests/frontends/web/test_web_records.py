"""The web channel over the application layer: every question recorded with channel `web`
and the visitor's hashed client token; reload through the admin API, atomic under load."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy.exc import OperationalError

from bot.app import Assistant, EngineHolder, QuestionRecorder
from bot.app.quizitems import quiz_items_of
from bot.engine import Engine
from bot.frontends.web import WebSettings, create_app
from bot.quiz import QuizService
from bot.storage import Database, QuestionLog
from bot.storage.questions import hash_user

from .harness import serve

SECRET = "web-test-secret"
TOKEN = "admin-token-for-tests"
NEW_ENTRY = """entries:
  - id: zz-web-reload-test
    kind: faq
    title: 网页重新加载测试条目
    text: 网页重新加载测试答案。
    source: plan
    locator: 实施方案 一
    questions: [网页重新加载测试问题是什么]
"""


def web_assistant(knowledge: Path, intents: Path, url: str) -> Assistant:
    engine = Engine.from_dirs(knowledge, intents, semantic=False)
    holder = EngineHolder(engine, knowledge, intents)
    database = Database(url)
    quiz = QuizService(database, quiz_items_of(holder), secret=SECRET)
    return Assistant(holder, QuestionRecorder(QuestionLog(database, SECRET)), quiz)


async def _rows(url: str) -> list[Any]:
    database = Database(url)
    try:
        return list(await QuestionLog(database, SECRET).recent(None))
    except OperationalError:  # the writer has not created the table yet
        return []
    finally:
        await database.dispose()


def rows(url: str, at_least: int, timeout: float = 15.0) -> list[Any]:
    """The question records, once at least `at_least` are written (the writer is behind)."""
    deadline = asyncio.get_event_loop_policy().new_event_loop()
    try:
        for _ in range(int(timeout / 0.1)):
            found = deadline.run_until_complete(_rows(url)) if Path(url[10:]).exists() else []
            if len(found) >= at_least:
                return found
            deadline.run_until_complete(asyncio.sleep(0.1))
    finally:
        deadline.close()
    raise AssertionError(f"fewer than {at_least} records after {timeout} s")


def test_every_web_question_is_recorded_with_its_visitor(
    tmp_kb: Callable[..., Any], tmp_path: Path
) -> None:
    kb = tmp_kb()
    url = f"sqlite:///{tmp_path / 'web.db'}"
    app = create_app(web_assistant(kb.knowledge, kb.intents, url), WebSettings(rate_limit=0))
    questions = [f"条例什么时候施行？{i}" for i in range(6)] + ["谢谢", "天气怎么样"]
    with serve(app) as running:
        with httpx.Client(base_url=running.url) as ann:
            for question in questions[:5]:
                assert ann.post("/api/ask", json={"question": question}).status_code == 200
            cookie = ann.cookies["ipreg_client"]
        token = "b" * 32
        with httpx.Client(base_url=running.url, headers={"X-Client-Token": token}) as bob:
            for question in questions[5:]:
                bob.post("/api/ask", json={"question": question})
        found = rows(url, len(questions))
    assert [r.question for r in found] == questions
    assert {r.frontend for r in found} == {"web"}
    assert {r.user_hash for r in found[:5]} == {hash_user(cookie, SECRET)}
    assert {r.user_hash for r in found[5:]} == {hash_user(token, SECRET)}
    assert [r.kind for r in found[-2:]] == ["smalltalk", "fallback"]
    assert all(cookie not in r.user_hash and token not in r.user_hash for r in found)


def test_reload_endpoint_needs_its_token(tmp_kb: Callable[..., Any], tmp_path: Path) -> None:
    kb = tmp_kb()
    url = f"sqlite:///{tmp_path / 'web.db'}"
    off = create_app(web_assistant(kb.knowledge, kb.intents, url), WebSettings(rate_limit=0))
    with serve(off) as running:
        assert httpx.post(running.url + "/api/admin/reload").status_code == 404
    on = create_app(
        web_assistant(kb.knowledge, kb.intents, url), WebSettings(rate_limit=0), admin_token=TOKEN
    )
    with serve(on) as running:
        for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": TOKEN}):
            refused = httpx.post(running.url + "/api/admin/reload", headers=headers)
            assert refused.status_code == 401 and refused.json()["error"] == "unauthorized"
        good = httpx.post(
            running.url + "/api/admin/reload", headers={"Authorization": f"Bearer {TOKEN}"}
        )
        assert good.status_code == 200 and good.json()["ok"] is True
        assert good.json()["summary"]["entries"] > 0


async def _load(url: str, n: int) -> list[dict[str, Any]]:
    async with httpx.AsyncClient(base_url=url, timeout=60) as client:
        replies = await asyncio.gather(
            *(client.post("/api/ask", json={"question": f"条例什么时候施行{i}"}) for i in range(n)),
            client.post("/api/admin/reload", headers={"Authorization": f"Bearer {TOKEN}"}),
        )
    return [r.json() for r in replies]


@pytest.mark.parametrize("questions", [200])
def test_reload_is_atomic_under_load(
    tmp_kb: Callable[..., Any], tmp_path: Path, questions: int
) -> None:
    """200 questions in flight while a broken knowledge base is reloaded: each answered by
    the old base, the problems reported as file:line; then a good reload takes effect."""
    kb = tmp_kb()
    url = f"sqlite:///{tmp_path / 'web.db'}"
    assistant = web_assistant(kb.knowledge, kb.intents, url)
    old = assistant.engine
    app = create_app(assistant, WebSettings(rate_limit=0), admin_token=TOKEN)
    kb.write("knowledge/entries/zz-new.yaml", NEW_ENTRY)
    kb.write("knowledge/entries/zz-broken.yaml", "entries:\n  - id: broken\n    title: [x\n")
    with serve(app) as running:
        *answers, reload = asyncio.run(_load(running.url, questions))
        assert reload["ok"] is False and reload["problems"]
        assert all(re.match(r"^knowledge/\S+\.yaml:\d+: ", p) for p in reload["problems"])
        assert len(answers) == questions
        assert all(a["kind"] == "answer" and "2023年11月1日" in a["text"] for a in answers)
        assert assistant.engine is old
        unknown = httpx.post(
            running.url + "/api/ask", json={"question": "网页重新加载测试问题是什么"}
        )
        assert "网页重新加载测试答案" not in unknown.json()["text"]

        (kb.knowledge / "entries" / "zz-broken.yaml").unlink()
        good = httpx.post(
            running.url + "/api/admin/reload", headers={"Authorization": f"Bearer {TOKEN}"}
        ).json()
        assert good["ok"] is True and assistant.engine is not old
        known = httpx.post(
            running.url + "/api/ask", json={"question": "网页重新加载测试问题是什么"}
        )
        assert "网页重新加载测试答案" in known.json()["text"]
        rows(url, questions + 2)
