"""Protection and records: per-user limit, Telegram's 429, timeouts, the error handler and
the question log — end to end through the fake Bot API server."""

from __future__ import annotations

import asyncio
import logging
import re
import time

import pytest
from fakebot.server import FakeBotApi
from telegram.ext import Application

from bot.engine import Engine, Reply
from bot.storage import QuestionLog, hash_user

from .conftest import BotFactory
from .helpers import GROUP, HASH_SECRET, collect_errors, eventually, exchange, replies

ANN, BOB = 42, 43
QUESTION = "条例什么时候施行？"


@pytest.fixture
def users(api: FakeBotApi) -> tuple[int, int]:
    api.user(ANN, "Ann")
    api.user(BOB, "Bob")
    return ANN, BOB


async def test_a_flood_is_cut_at_the_limit_with_one_notice(
    api: FakeBotApi, bot: Application, tg_engine: Engine, store: QuestionLog, users: object
) -> None:
    for i in range(25):
        api.private_message(ANN, f"{QUESTION} {i}")
    sent = await replies(api, ANN, 0, n=21)
    await asyncio.sleep(0.3)  # the last four are dropped, not late
    notice = tg_engine.intents.response("rate_limited")
    texts = [m.plain_text for m in api.messages_to(ANN)]
    assert len(texts) == 21 and texts.count(notice) == 1 and sent[-1].plain_text == notice
    assert all("来源：" in (t or "") for t in texts[:20])
    [other] = await exchange(api, BOB, QUESTION)  # the limit is per user
    assert "来源：" in (other.plain_text or "")
    await eventually(lambda: _count_is(store, 21))
    assert {r.user_hash for r in await store.recent()} == {
        hash_user(ANN, HASH_SECRET),
        hash_user(BOB, HASH_SECRET),
    }


async def _count_is(store: QuestionLog, n: int) -> bool:
    return await store.count() == n


async def test_the_limit_is_configurable(
    api: FakeBotApi, make_bot: BotFactory, tg_engine: Engine, users: object
) -> None:
    async with make_bot(user_rate_limit=2):
        for _ in range(4):
            api.private_message(ANN, QUESTION)
        await replies(api, ANN, 0, n=3)
        await asyncio.sleep(0.2)
    notice = tg_engine.intents.response("rate_limited")
    assert [m.plain_text == notice for m in api.messages_to(ANN)] == [False, False, True]


async def test_a_429_is_waited_out_and_the_message_delivered_once(
    api: FakeBotApi, bot: Application, tg_engine: Engine, users: object
) -> None:
    errors = collect_errors(bot)
    api.inject_fault("sendMessage", "429", retry_after=1)
    started = time.monotonic()
    [answer] = await exchange(api, ANN, QUESTION)
    assert time.monotonic() - started >= 1.0
    assert answer.plain_text == tg_engine.answer(QUESTION).text
    assert api.triggered_faults == [("sendMessage", "429")]
    assert len(api.calls("sendMessage")) == 2  # refused once, then sent
    await asyncio.sleep(0.2)
    assert len(api.messages_to(ANN)) == 1 and errors == []


async def test_bad_gateway_is_retried_until_telegram_is_back(
    api: FakeBotApi, bot: Application, tg_engine: Engine, users: object
) -> None:
    """5xx: Telegram answered without carrying out the call, so sending again is safe."""
    errors = collect_errors(bot)
    api.inject_fault("sendMessage", "502", times=3)
    [answer] = await exchange(api, ANN, QUESTION, timeout=30)
    assert answer.plain_text == tg_engine.answer(QUESTION).text
    assert api.triggered_faults == [("sendMessage", "502")] * 3
    await asyncio.sleep(0.2)
    assert len(api.messages_to(ANN)) == 1 and errors == []


async def test_a_reply_never_delivered_is_recorded_and_the_user_told_later(
    api: FakeBotApi,
    bot: Application,
    tg_engine: Engine,
    store: QuestionLog,
    users: object,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Telegram refuses for longer than the retry budget: the reply is recorded as not
    delivered, no apology is attempted into the outage, and once a later send succeeds the
    user gets one notice to ask again."""
    from bot.frontends.telegram import send

    monkeypatch.setattr(send, "RETRY_BUDGET", 2.0)
    errors = collect_errors(bot)
    api.inject_fault("sendMessage", "502", times=50)
    api.private_message(ANN, QUESTION)
    await eventually(lambda: _delivered(store, [False]), timeout=20)
    assert api.messages_to(ANN) == [] and errors == []
    api.clear_faults()
    [answer, notice] = await exchange(api, ANN, "宣贯活动什么时候开展？", n=2)
    assert "来源：" in (answer.plain_text or "")
    assert notice.plain_text == tg_engine.intents.response("tg_undelivered")
    await eventually(lambda: _delivered(store, [False, True]))
    [again] = await exchange(api, ANN, QUESTION)  # owed once: no second notice
    assert again.plain_text == tg_engine.answer(QUESTION).text


async def _delivered(store: QuestionLog, expected: list[bool]) -> bool:
    records = await store.recent()
    return [r.delivered is not False for r in records] == expected


async def test_a_read_timeout_after_delivery_does_not_duplicate(
    api: FakeBotApi, make_bot: BotFactory, tg_engine: Engine, users: object
) -> None:
    async with make_bot(read_timeout=0.4) as application:
        errors = collect_errors(application)
        # Telegram delivers the message, but its answer comes after the client gave up.
        api.inject_fault("sendMessage", "timeout", deliver=True, seconds=1.5)
        [answer] = await exchange(api, ANN, QUESTION)
        await asyncio.sleep(1.0)  # long past the 0.4 s timeout: a retry would have happened
        assert answer.plain_text == tg_engine.answer(QUESTION).text
        assert len(api.calls("sendMessage")) == 1 and len(api.messages_to(ANN)) == 1
        assert errors == []  # handled in place: no error handler, no "出错了"
        [next_answer] = await exchange(api, ANN, "宣贯活动什么时候开展？")
        assert "来源：" in (next_answer.plain_text or "")


async def test_an_error_is_logged_and_the_user_told_without_details(
    api: FakeBotApi,
    bot: Application,
    tg_engine: Engine,
    users: object,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def broken(question: str, previous: str | None = None, earlier: str | None = None) -> Reply:
        raise RuntimeError("engine exploded on purpose")

    monkeypatch.setattr(tg_engine, "answer", broken)
    caplog.set_level(logging.ERROR, logger="bot.frontends.telegram")
    [message] = await exchange(api, ANN, QUESTION)
    assert message.plain_text == tg_engine.intents.response("tg_error")
    assert "exploded" not in (message.plain_text or "")
    await api.wait_for(lambda: caplog.records, message="error log")
    [record] = [r for r in caplog.records if r.name == "bot.frontends.telegram.handlers"]
    # The update id, chat type and hashed user; never the question, a name or a raw id.
    assert re.search(r"update \d+ \(chat type private, user [0-9a-f]{12}\)", record.getMessage())
    # The raw id as a number of its own (a path such as /tmp/ci42/ holds the digits).
    raw_id = re.search(rf"(?<![\w/]){ANN}(?!\w)", caplog.text)
    assert QUESTION not in caplog.text and raw_id is None and "Ann" not in caplog.text
    assert record.exc_info is not None and "exploded" in str(record.exc_info[1])
    assert api.token not in caplog.text


async def test_every_question_is_recorded_with_a_hashed_user(
    api: FakeBotApi, bot: Application, tg_engine: Engine, store: QuestionLog, users: object
) -> None:
    questions = [QUESTION, "你好", "今天天气怎么样"]
    for question in questions:
        await exchange(api, ANN, question)
    api.group(GROUP, "Readers", members=[BOB])
    api.group_message(GROUP, BOB, "/ask 宣贯活动什么时候开展？")
    await replies(api, GROUP, 0)
    api.inline_query(BOB, "高校有哪些职责")
    await api.wait_for(lambda: api.inline_answers, message="inline answer")
    await eventually(lambda: _count_is(store, 5))
    records = await store.recent()
    expected = [
        *((q, "private", ANN) for q in questions),
        ("宣贯活动什么时候开展？", "supergroup", BOB),
        ("高校有哪些职责", "inline", BOB),
    ]
    for record, (question, chat_type, user) in zip(records, expected, strict=True):
        reply = tg_engine.answer(question)
        assert (record.question, record.chat_type, record.frontend) == (
            question,
            chat_type,
            "telegram",
        )
        assert (record.kind, record.intent, record.entry) == (reply.kind, reply.intent, reply.entry)
        assert record.confidence == pytest.approx(reply.confidence)
        assert record.user_hash == hash_user(user, HASH_SECRET)
        assert record.user_hash != str(user) and len(record.user_hash) == 64
