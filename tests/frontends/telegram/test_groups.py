"""Groups, inline mode and the command menu, end to end through the fake Bot API server."""

from __future__ import annotations

import asyncio
import logging
import re
from typing import Any

import pytest
from fakebot.server import FakeBotApi
from telegram.ext import Application

from bot.engine import Engine
from bot.frontends.telegram.commands import COMMANDS
from bot.storage import QuestionLog

from .helpers import GROUP, buttons, eventually, exchange, press, replies

BOB = 43
QUESTION = "条例什么时候施行？"


@pytest.fixture
def bob(api: FakeBotApi) -> int:
    api.user(BOB, "Bob", "bob")
    api.group(GROUP, "Readers", members=[BOB])
    return BOB


def _group_says(api: FakeBotApi, text: str, **kwargs: Any) -> int:
    """Bob writes in the group; returns the message id (the update must be delivered)."""
    update = api.group_message(GROUP, BOB, text, **kwargs)
    assert update is not None, "privacy mode dropped the message"
    return int(update["message"]["message_id"])


async def test_ask_in_a_group_is_answered_as_a_reply(
    api: FakeBotApi, bot: Application, tg_engine: Engine, bob: int
) -> None:
    asked = _group_says(api, f"/ask {QUESTION}")
    [answer] = await replies(api, GROUP, 0)
    assert answer.reply_to == asked and answer.plain_text == tg_engine.answer(QUESTION).text
    asked = _group_says(api, "/ask@ipreg_test_bot 宣贯活动什么时候开展？")
    [answer] = await replies(api, GROUP, 1)
    assert answer.reply_to == asked and "来源：" in (answer.plain_text or "")
    asked = _group_says(api, "/ask")
    [usage] = await replies(api, GROUP, 2)
    assert usage.reply_to == asked
    assert usage.plain_text == tg_engine.intents.response("tg_usage_ask")


async def test_a_mention_is_answered_without_the_mention(
    api: FakeBotApi, bot: Application, tg_engine: Engine, store: QuestionLog, bob: int
) -> None:
    asked = _group_says(api, f"@ipreg_test_bot {QUESTION}")
    [answer] = await replies(api, GROUP, 0)
    assert answer.reply_to == asked and answer.plain_text == tg_engine.answer(QUESTION).text
    await eventually(lambda: _has(store, 1))
    [record] = await store.recent()
    assert (record.question, record.chat_type) == (QUESTION, "supergroup")


async def _has(store: QuestionLog, n: int) -> bool:
    return await store.count() >= n


async def test_a_reply_to_the_bot_is_answered(
    api: FakeBotApi, bot: Application, tg_engine: Engine, bob: int
) -> None:
    _group_says(api, f"/ask {QUESTION}")
    [first] = await replies(api, GROUP, 0)
    follow_up = "宣贯活动什么时候开展？"
    asked = _group_says(api, follow_up, reply_to_bot_message_id=first.message_id)
    [answer] = await replies(api, GROUP, 1)
    assert answer.reply_to == asked and answer.plain_text == tg_engine.answer(follow_up).text


async def test_buttons_in_a_group_answer_in_the_group(
    api: FakeBotApi, bot: Application, bob: int
) -> None:
    _group_says(api, "/ask 省国资委的通知要求国企做什么")
    [answer] = await replies(api, GROUP, 0)
    [card] = await press(api, BOB, answer, "联系人")
    assert card.chat_id == GROUP and card.reply_to == answer.message_id
    assert "刘亚强" in (card.plain_text or "")


async def test_plain_group_chatter_is_not_answered(
    api: FakeBotApi, bot: Application, bob: int
) -> None:
    # In privacy mode Telegram does not even deliver it.
    assert api.group_message(GROUP, BOB, QUESTION) is None
    # An admin bot sees every message, and must still stay quiet.
    api.set_admins(GROUP, [BOB, api.bot_id])
    chatter = _group_says(api, QUESTION)
    _group_says(api, "同意", reply_to_message_id=chatter)  # a reply, but not to the bot
    _group_says(api, "@someone_else 条例什么时候施行？")
    asked = _group_says(api, f"/ask {QUESTION}")
    # Updates of one chat are handled in order: once /ask is answered, the rest were seen.
    [answer] = await replies(api, GROUP, 0)
    assert answer.reply_to == asked
    await asyncio.sleep(0.2)
    assert len(api.messages_to(GROUP)) == 1


async def test_group_migration_is_followed(
    api: FakeBotApi,
    bot: Application,
    tg_engine: Engine,
    bob: int,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO, logger="bot.frontends.telegram")
    old = -4_000_000_001
    api.group(old, "Old readers", members=[BOB])
    api.group_message(old, BOB, f"/ask {QUESTION}")
    api.migrate_to_supergroup(old, GROUP)  # before the bot could answer in the old group
    [late] = await replies(api, GROUP, 0)
    assert late.plain_text == tg_engine.answer(QUESTION).text
    await api.wait_for(lambda: "migrated to supergroup" in caplog.text, message="migration log")
    assert f"group {old} migrated to supergroup {GROUP}" in caplog.text
    asked = _group_says(api, "/ask 宣贯活动什么时候开展？")
    [answer] = await replies(api, GROUP, 1)
    assert answer.reply_to == asked


async def test_inline_mode_returns_up_to_five_cited_cards(
    api: FakeBotApi, bot: Application, tg_engine: Engine, bob: int
) -> None:
    for query in ("宣贯活动", QUESTION, "谁负责", "今天天气怎么样"):
        api.inline_query(BOB, query)
    await api.wait_for(lambda: len(api.inline_answers) >= 4, message="inline answers")
    for answer in api.inline_answers:
        results = answer["results"]
        assert 1 <= len(results) <= 5
        assert len({r["id"] for r in results}) == len(results)
        for result in results:
            assert result["type"] == "article" and result["title"]
            content = result["input_message_content"]
            assert content["parse_mode"] == "HTML"
            assert content["message_text"].startswith("<b>问：")
    first = api.inline_answers[0]["results"]
    assert all("来源：" in r["input_message_content"]["message_text"] for r in first)
    top = tg_engine.answer("宣贯活动")  # one word several passages hold: a menu
    shown = top.entry or top.suggestions[0].entry
    assert first[0]["title"] == tg_engine.kb.entries[shown].title
    api.inline_query(BOB, "")
    await api.wait_for(lambda: len(api.inline_answers) >= 5, message="empty query answer")
    assert api.inline_answers[-1]["results"] == []


async def test_commands_are_registered_with_chinese_descriptions(
    api: FakeBotApi, bot: Application
) -> None:
    commands = api.commands
    assert [c["command"] for c in commands] == list(COMMANDS)
    assert all(re.search(r"[\u4e00-\u9fff]", c["description"]) for c in commands)


@pytest.mark.parametrize(
    ("command", "expected"),
    [
        ("/article abc", ["“abc”", "用法：/article"]),
        ("/article", ["用法：/article"]),
        ("/article 第二章", ["“第二章”", "用法：/article"]),
        ("/chapter x", ["“x”", "用法：/chapter"]),
        ("/ask", ["用法：/ask"]),
    ],
)
async def test_bad_or_missing_arguments_get_a_usage_line(
    api: FakeBotApi, bot: Application, command: str, expected: list[str]
) -> None:
    api.user(7, "Cy")
    [usage] = await exchange(api, 7, command)
    assert all(part in (usage.plain_text or "") for part in expected)
    assert "来源" not in (usage.plain_text or "")


async def test_lookup_commands_answer_from_the_engine(
    api: FakeBotApi, bot: Application, tg_engine: Engine
) -> None:
    api.user(7, "Cy")
    cases = [
        ("/article 5", tg_engine.article("5")),
        ("/article 第五条", tg_engine.article("5")),
        ("/chapter", tg_engine.chapter(None)),
        ("/chapter 二", tg_engine.chapter("2")),
        ("/contact 刘亚强", tg_engine.contacts("刘亚强")),
        ("/contact", tg_engine.contacts(None)),
        ("/duty 高校", tg_engine.duty("高校")),
        ("/sources", tg_engine.sources()),
    ]
    for command, reply in cases:
        [message] = await exchange(api, 7, command)
        if reply.suggestions:  # offered as buttons, not as numbered lines (/chapter 二)
            assert len(buttons(message)) == len(reply.suggestions), command
            lines = (message.plain_text or "").splitlines()
            assert all(line in reply.text.splitlines() for line in lines), command
        else:
            assert message.plain_text == reply.text, command
    [help_text] = await exchange(api, 7, "/help")
    assert (help_text.plain_text or "").startswith(tg_engine.intents.response("help"))
    assert "/article" in (help_text.plain_text or "")
    [menu] = await exchange(api, 7, "/duty")
    assert len(buttons(menu)) == len(tg_engine.duty(None).suggestions)


async def test_a_text_mention_of_the_bot_is_answered(
    api: FakeBotApi, bot: Application, tg_engine: Engine, bob: int
) -> None:
    api.set_admins(GROUP, [BOB, api.bot_id])  # the fake's privacy filter only knows @names
    name = api.bot_user["first_name"]
    entity = {"type": "text_mention", "offset": 0, "length": len(name), "user": api.bot_user}
    asked = _group_says(api, f"{name} {QUESTION}", entities=[entity])
    [answer] = await replies(api, GROUP, 0)
    assert answer.reply_to == asked and answer.plain_text == tg_engine.answer(QUESTION).text
