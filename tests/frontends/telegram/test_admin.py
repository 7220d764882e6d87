"""Admin commands end to end: /reload, /stats, /unanswered through the fake Bot API.

The real Application (build_application, then add_admin_handlers as the lead wires it) runs
against the fake server; BOT_ADMIN_IDS holds ADMIN only.
"""

from __future__ import annotations

import asyncio
import csv
import io
import re
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from fakebot.server import FakeBotApi
from telegram.ext import Application

from bot.engine import Engine
from bot.frontends.telegram import admin
from bot.frontends.telegram.admin import add_admin_handlers, schedule_retention
from bot.frontends.telegram.app import build_application, handlers_of, polling
from bot.storage import QuestionLog

from .conftest import settings_for
from .helpers import GROUP, buttons, eventually, exchange, replies

ADMIN, STRANGER = 7001, 7002
REFUSED = admin.TEXTS["refused"]
NEW_QUESTION = "管理员测试新条目讲了什么"
NEW_QUIZ = """\
  - id: q-admin-reload-test
    question: 重新加载测试题的答案是哪一项？
    options: [甲, 乙, 丙, 丁]
    answer: 1
    explanation: 领导小组办公室通知：测试。
    source: leading-group-notice
    locator: 领导小组办公室通知 正文
    tags: [test]
    difficulty: 1

"""
NEW_ENTRY = """\
entries:
  - id: zz-admin-reload-test
    kind: faq
    title: 管理员重新加载测试条目
    text: 这是重新加载之后才有的测试条目，内容是重新加载测试答案。
    source: plan
    locator: 实施方案 测试
    questions:
      - 管理员测试新条目讲了什么
    keywords: [管理员测试新条目]
"""


@asynccontextmanager
async def admin_bot(
    api: FakeBotApi,
    store: QuestionLog,
    engine: Engine,
    dirs: tuple[Path, Path] | None = None,
    **overrides: Any,
) -> AsyncIterator[Application]:
    values: dict[str, Any] = {"admin_ids": frozenset({ADMIN})}
    if dirs is not None:
        values.update(knowledge_dir=dirs[0], intents_dir=dirs[1])
    values.update(overrides)
    settings = settings_for(api, **values)
    application = build_application(settings, engine, store)
    add_admin_handlers(application, settings)
    async with polling(application, poll_timeout=1.0) as running:
        yield running


@pytest.fixture(autouse=True)
def _users(api: FakeBotApi) -> None:
    api.user(ADMIN, "Admin")
    api.user(STRANGER, "Stranger")


async def record(
    store: QuestionLog,
    question: str,
    kind: str = "fallback",
    entry: str | None = None,
    user: int = 1,
    when: datetime | None = None,
) -> None:
    await store.prepare()
    await store.record(
        user_id=user,
        chat_type="private",
        frontend="telegram",
        question=question,
        kind=kind,
        intent="search",
        entry=entry,
        confidence=0.0 if kind == "fallback" else 0.9,
        created_at=when,
    )


async def quiet(api: FakeBotApi, chat_id: int, count: int, seconds: float = 0.5) -> None:
    """No further message arrives in the chat for a while."""
    await asyncio.sleep(seconds)
    assert len(api.messages_to(chat_id)) == count, api.texts(chat_id)


# -- who may use them ------------------------------------------------------------------------------


@pytest.mark.parametrize("command", ["/reload", "/stats", "/unanswered"])
async def test_non_admins_get_a_polite_refusal_and_nothing_else(
    api: FakeBotApi, store: QuestionLog, tg_engine: Engine, command: str
) -> None:
    async with admin_bot(api, store, tg_engine):
        [reply] = await exchange(api, STRANGER, command)
        assert reply.plain_text == REFUSED
        # Only the refusal: the regular "unknown command" handler stays out of it.
        await quiet(api, STRANGER, 1)
    assert api.documents == []


async def test_without_admin_ids_everyone_is_refused(
    api: FakeBotApi, store: QuestionLog, tg_engine: Engine
) -> None:
    async with admin_bot(api, store, tg_engine, admin_ids=frozenset()):
        [reply] = await exchange(api, ADMIN, "/stats")
        assert reply.plain_text == REFUSED


async def test_in_a_group_admins_are_sent_to_a_private_chat(
    api: FakeBotApi, store: QuestionLog, tg_engine: Engine
) -> None:
    api.group(GROUP, "Readers", members=[ADMIN, STRANGER])
    async with admin_bot(api, store, tg_engine):
        api.group_message(GROUP, ADMIN, f"/stats@{api.bot_username}")
        [reply] = await replies(api, GROUP, 0)
        assert reply.plain_text == admin.TEXTS["private_only"]
        api.group_message(GROUP, STRANGER, "/unanswered")
        [refusal] = await replies(api, GROUP, 1)
        assert refusal.plain_text == REFUSED
    assert api.documents == []


# -- /stats ----------------------------------------------------------------------------------------


async def test_stats_shows_the_figures_escaped(
    api: FakeBotApi, store: QuestionLog, tg_engine: Engine
) -> None:
    now = datetime.now(UTC)
    entry = next(iter(tg_engine.kb.entries.values()))
    for user in (1, 2, 3):
        await record(store, "问", "answer", entry.id, user=user, when=now)
    await record(store, "问", "clarify", when=now - timedelta(days=3))
    await record(store, "<b>怎么</b> & 办", "fallback", when=now - timedelta(days=30))
    await record(store, "<b>怎么</b> & 办？", "fallback", user=9, when=now - timedelta(days=30))
    async with admin_bot(api, store, tg_engine):
        [reply] = await exchange(api, ADMIN, "/stats")
    text = reply.plain_text or ""
    # Counted by UTC day: run just after midnight UTC, the "today" rows could fall apart.
    assert "今天 3　近 7 天 4　累计 6" in text
    assert "已回答 3（50%）" in text and "需澄清 1（17%）" in text and "未能回答 2（33%）" in text
    assert f"1. {entry.title} — 3 次" in text
    assert "1. <b>怎么</b> & 办 — 2 次" in text  # user text shown literally, not as markup
    assert reply.parse_mode == "HTML" and "&lt;b&gt;" in (reply.text or "")
    assert "提问人数 4" in text


async def test_stats_of_an_empty_database(
    api: FakeBotApi, store: QuestionLog, tg_engine: Engine
) -> None:
    async with admin_bot(api, store, tg_engine):
        [reply] = await exchange(api, ADMIN, "/stats")
    assert "今天 0　近 7 天 0　累计 0" in (reply.plain_text or "")


# -- /unanswered -----------------------------------------------------------------------------------


async def test_unanswered_is_a_counted_csv_with_bom(
    api: FakeBotApi, store: QuestionLog, tg_engine: Engine
) -> None:
    for user, text in enumerate(
        ["专利申请要交多少钱", "專利申請要交多少錢？", "专利申请要交多少钱呢"]
    ):
        await record(store, text, user=user)
    await record(store, '=HYPERLINK("http://x")', user=5)
    await record(store, "商标注册要多久", user=6)
    await record(store, "条例什么时候施行", "answer", "regulation-effective")
    async with admin_bot(api, store, tg_engine):
        before = len(api.messages_to(ADMIN))
        api.private_message(ADMIN, "/unanswered")
        await api.wait_for(lambda: api.documents, message="the CSV document")
        await quiet(api, ADMIN, before + 1)
    [document] = api.documents
    assert document.filename.startswith("unanswered-") and document.filename.endswith(".csv")
    assert document.content.startswith(b"\xef\xbb\xbf")  # UTF-8 BOM for Excel
    rows = list(csv.reader(io.StringIO(document.content.decode("utf-8-sig"))))
    assert rows[0] == list(admin.CSV_HEADER)
    # Most asked first; equally often asked: the most recent first.
    assert [(r[0], r[1], r[2]) for r in rows[1:]] == [
        ("专利申请要交多少钱", "3", "3"),
        ("商标注册要多久", "1", "1"),
        ('\'=HYPERLINK("http://x")', "1", "1"),  # no formula in a spreadsheet
    ]
    assert all(len(r) == len(admin.CSV_HEADER) for r in rows)
    assert document.caption == "未能回答的问题：共 3 类、5 次提问，按次数排序。"
    assert document.chat_id == ADMIN


async def test_unanswered_with_nothing_to_report(
    api: FakeBotApi, store: QuestionLog, tg_engine: Engine
) -> None:
    await record(store, "条例什么时候施行", "answer", "regulation-effective")
    async with admin_bot(api, store, tg_engine):
        [reply] = await exchange(api, ADMIN, "/unanswered")
    assert reply.plain_text == admin.TEXTS["no_unanswered"] and api.documents == []


# -- /reload ---------------------------------------------------------------------------------------


@pytest.fixture
def kb_copy(tmp_kb: Callable[..., Any]) -> Any:
    return tmp_kb()


async def test_reload_with_broken_yaml_keeps_answering_with_the_old_knowledge(
    api: FakeBotApi, store: QuestionLog, kb_copy: Any
) -> None:
    engine = Engine.from_dirs(kb_copy.knowledge, kb_copy.intents)
    dirs = (kb_copy.knowledge, kb_copy.intents)
    async with admin_bot(api, store, engine, dirs) as application:
        [before] = await exchange(api, STRANGER, "条例什么时候施行？")
        assert "来源：" in (before.plain_text or "")
        kb_copy.write("knowledge/entries/zz-new.yaml", NEW_ENTRY)  # a good change…
        kb_copy.write(
            "knowledge/entries/zz-broken.yaml",
            "entries:\n  - id: broken\n    title: [unclosed\n    text: x\n",
        )  # …and a broken file
        kb_copy.replace("knowledge/contacts.yaml", "contacts:", "contacts: [")  # and another
        [reply] = await exchange(api, ADMIN, "/reload", timeout=30)
        text = reply.plain_text or ""
        lead, *problems = text.split("\n")
        # The broken contacts file also leaves references to its contacts dangling.
        assert lead == f"重新加载失败，发现 {len(problems)} 个问题，仍在使用原来的版本："
        assert all(re.match(r"^knowledge/\S+\.yaml:\d+: \S", p) for p in problems), problems
        # The line where the unclosed `[` starts, and where the parser noticed.
        assert "knowledge/entries/zz-broken.yaml:3: YAML syntax error" in problems[-1]
        assert "(line 4)" in problems[-1]
        assert problems[0].startswith("knowledge/contacts.yaml:3: YAML syntax error")
        assert handlers_of(application).engine is engine
        [after] = await exchange(api, STRANGER, "条例什么时候施行？")
        assert after.plain_text == before.plain_text
        # The good change is not half-applied either.
        [unknown] = await exchange(api, STRANGER, NEW_QUESTION)
        assert "重新加载测试答案" not in (unknown.plain_text or "")


async def test_reload_swaps_engine_texts_and_buttons_at_once(
    api: FakeBotApi, store: QuestionLog, kb_copy: Any
) -> None:
    engine = Engine.from_dirs(kb_copy.knowledge, kb_copy.intents)
    dirs = (kb_copy.knowledge, kb_copy.intents)
    async with admin_bot(api, store, engine, dirs) as application:
        handlers = handlers_of(application)
        old_texts, old_codec = handlers.texts, handlers.codec
        # A part carved out of a longer passage: its answer carries a 查看原文 button.
        [old_answer] = await exchange(api, STRANGER, "河北跟京津在知识产权方面怎么协作")
        old_buttons = buttons(old_answer)
        assert old_buttons
        kb_copy.write("knowledge/entries/zz-new.yaml", NEW_ENTRY)
        kb_copy.replace(
            "intents/rules.yaml",
            "tg_error: 抱歉，出错了，请稍后再试。",
            "tg_error: 抱歉，出了点问题。",
        )
        kb_copy.replace("knowledge/quiz.yaml", "questions:\n", "questions:\n" + NEW_QUIZ)
        [reply] = await exchange(api, ADMIN, "/reload", timeout=30)
        assert (reply.plain_text or "").startswith("已重新加载：")
        assert f"{len(handlers.engine.kb.entries)} 个条目" in (reply.plain_text or "")
        assert (
            handlers.engine is not engine and "zz-admin-reload-test" in handlers.engine.kb.entries
        )
        assert (
            handlers.texts is not old_texts and handlers.texts("tg_error") == "抱歉，出了点问题。"
        )
        assert handlers.codec is not old_codec
        assert handlers.engine.tuning == engine.tuning
        quiz = application.bot_data.get("quiz")
        if quiz is not None:  # the quiz draws from the new bank and speaks the new texts
            assert "q-admin-reload-test" in quiz.service.items()
            assert quiz.texts is handlers.texts
        [new_answer] = await exchange(api, STRANGER, NEW_QUESTION)
        assert "重新加载测试答案" in (new_answer.plain_text or "")
        # A button sent before the reload fails its check and says it expired.
        answered = len(api.callback_answers)
        label, data = next(iter(old_buttons.items()))
        api.callback_query(STRANGER, old_answer.message_id, data, old_answer.chat_id)
        await api.wait_for(lambda: len(api.callback_answers) > answered, message="expired")
        assert api.callback_answers[-1].get("text") == handlers.texts("tg_button_expired")
        assert label


async def test_reload_refuses_intents_missing_a_telegram_text(
    api: FakeBotApi, store: QuestionLog, kb_copy: Any
) -> None:
    engine = Engine.from_dirs(kb_copy.knowledge, kb_copy.intents)
    dirs = (kb_copy.knowledge, kb_copy.intents)
    async with admin_bot(api, store, engine, dirs) as application:
        kb_copy.replace("intents/rules.yaml", "tg_error: 抱歉，出错了，请稍后再试。", "")
        [reply] = await exchange(api, ADMIN, "/reload", timeout=30)
        text = reply.plain_text or ""
        assert text.startswith("重新加载失败") and "tg_error" in text
        assert handlers_of(application).engine is engine


async def test_reload_reports_a_missing_directory(
    api: FakeBotApi, store: QuestionLog, tg_engine: Engine, tmp_path: Path
) -> None:
    dirs = (tmp_path / "no-knowledge", tmp_path / "no-intents")
    async with admin_bot(api, store, tg_engine, dirs) as application:
        [reply] = await exchange(api, ADMIN, "/reload", timeout=30)
        assert "no-knowledge:1: knowledge directory not found" in (reply.plain_text or "")
        assert handlers_of(application).engine is tg_engine


# -- wiring ----------------------------------------------------------------------------------------


def test_add_admin_handlers_is_idempotent(
    api: FakeBotApi, store: QuestionLog, tg_engine: Engine
) -> None:
    settings = settings_for(api, admin_ids=frozenset({ADMIN}))
    application = build_application(settings, tg_engine, store)
    add_admin_handlers(application, settings)
    add_admin_handlers(application, settings)
    names = sorted(
        command
        for handler in application.handlers[admin.ADMIN_GROUP]
        for command in getattr(handler, "commands", ())
    )
    assert names == ["reload", "stats", "unanswered"]


def test_retention_is_scheduled_from_the_environment(
    api: FakeBotApi, store: QuestionLog, tg_engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = settings_for(api)
    monkeypatch.setenv("BOT_RETENTION_DAYS", "30")
    application = build_application(settings, tg_engine, store)
    add_admin_handlers(application, settings)
    assert application.job_queue is not None
    assert len(application.job_queue.get_jobs_by_name(admin.RETENTION_JOB)) == 1
    monkeypatch.setenv("BOT_RETENTION_DAYS", "soon")
    with pytest.raises(ValueError, match="BOT_RETENTION_DAYS"):
        add_admin_handlers(build_application(settings, tg_engine, store), settings)
    monkeypatch.delenv("BOT_RETENTION_DAYS")
    plain = build_application(settings, tg_engine, store)
    add_admin_handlers(plain, settings)
    assert plain.job_queue is not None and not plain.job_queue.jobs()


async def test_the_retention_job_prunes_old_questions(
    api: FakeBotApi, store: QuestionLog, tg_engine: Engine
) -> None:
    now = datetime.now(UTC)
    await record(store, "旧问题", when=now - timedelta(days=31))
    await record(store, "新问题", when=now - timedelta(days=29))
    async with admin_bot(api, store, tg_engine) as application:
        schedule_retention(application, None, 30, first=timedelta(seconds=0.1))

        async def pruned() -> bool:
            return await store.count() == 1

        await eventually(pruned)
    assert [r.question for r in await store.recent()] == ["新问题"]
