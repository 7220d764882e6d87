"""Tests of the fake Bot API server, driven by the real PTB 22.8 client.

They pin down that PTB accepts every object the fake produces (a missing
required field would make PTB raise) and that Telegram's errors reach the bot
as the same ``telegram.error`` exceptions as in production.
"""

from __future__ import annotations

import asyncio
import datetime as dtm
import time
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest
import pytest_asyncio
import telegram
from aiohttp import web
from telegram import (
    BotCommand,
    BotCommandScopeChat,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InlineQueryResultArticle,
    InputTextMessageContent,
    Update,
)
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Conflict,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
    TimedOut,
)
from telegram.ext import ApplicationBuilder, ContextTypes, MessageHandler, filters
from telegram.request import HTTPXRequest

from .server import FakeBotApi, parse_html

pytestmark = pytest.mark.asyncio

GROUP = -1001234567890


@pytest_asyncio.fixture
async def api() -> AsyncIterator[FakeBotApi]:
    """A started fake server, stopped after the test."""
    async with FakeBotApi() as server:
        yield server


@pytest_asyncio.fixture
async def bot(api: FakeBotApi) -> AsyncIterator[telegram.Bot]:
    """A real PTB Bot pointed at the fake server (initialising it calls getMe)."""
    async with telegram.Bot(
        api.token, base_url=api.base_url, base_file_url=api.base_file_url
    ) as client:
        yield client


def _keyboard(*datas: str) -> InlineKeyboardMarkup:
    rows = [[InlineKeyboardButton(f"b{i}", callback_data=d)] for i, d in enumerate(datas)]
    return InlineKeyboardMarkup(rows)


def _retry_seconds(exc: RetryAfter) -> float:
    """RetryAfter.retry_after is an int or a timedelta depending on PTB_TIMEDELTA."""
    value: Any = exc.retry_after
    return value.total_seconds() if isinstance(value, dtm.timedelta) else float(value)


async def _raw(
    api: FakeBotApi,
    method: str,
    *,
    json: Any = None,
    data: Any = None,
    token: str | None = None,
) -> tuple[int, dict[str, Any]]:
    """Call the fake over plain HTTP, to check the wire format PTB hides."""
    url = f"{api.base_url}{token or api.token}/{method}"
    async with (
        aiohttp.ClientSession() as session,
        session.post(url, json=json, data=data) as response,
    ):
        return response.status, await response.json()


# ----------------------------------------------------------------------------- wire format


async def test_get_me_reports_a_privacy_mode_inline_bot(bot: telegram.Bot) -> None:
    me = await bot.get_me()
    assert me.is_bot and me.username == "ipreg_test_bot"
    assert me.can_join_groups is True
    assert me.can_read_all_group_messages is False
    assert me.supports_inline_queries is True


async def test_wrong_token_and_unknown_method_look_like_telegram(api: FakeBotApi) -> None:
    status, body = await _raw(api, "getMe", token="1:wrong")
    assert (status, body) == (401, {"ok": False, "error_code": 401, "description": "Unauthorized"})
    status, body = await _raw(api, "fooBar", json={})
    assert (status, body) == (404, {"ok": False, "error_code": 404, "description": "Not Found"})
    with pytest.raises(InvalidToken):
        async with telegram.Bot("1:wrong", base_url=api.base_url):
            pass  # initialising the bot calls getMe


async def test_json_and_form_bodies_are_both_accepted(api: FakeBotApi) -> None:
    api.start_private_chat(api.user(7, "Bo"))
    status, body = await _raw(api, "sendmessage", json={"chat_id": 7, "text": "json"})
    assert status == 200 and body["result"]["text"] == "json"
    status, body = await _raw(api, "sendMessage", data={"chat_id": "7", "text": "form"})
    assert status == 200 and body["result"]["chat"]["id"] == 7
    status, body = await _raw(api, "sendMessage", json={"text": "no chat"})
    assert (status, body["description"]) == (400, "Bad Request: chat_id is empty")
    # Form strings are recorded with Telegram's types, like JSON bodies.
    assert [p.get("chat_id") for p in api.calls("sendMessage")] == [7, 7, None]


# ----------------------------------------------------------------------------- sendMessage


async def test_send_message_html_is_parsed_and_recorded(api: FakeBotApi, bot: telegram.Bot) -> None:
    api.private_message(api.user(42, "Ann", "ann"), "hi")
    sent = await bot.send_message(
        42,
        '<b>Hi</b> &lt;Ann&gt; <a href="https://example.org/?a=1&amp;b=2">link</a>',
        parse_mode="HTML",
        reply_markup=_keyboard("vote:1"),
        reply_to_message_id=1,
    )
    assert sent.text == "Hi <Ann> link"
    assert [(e.type, e.offset, e.length) for e in sent.entities] == [
        ("bold", 0, 2),
        ("text_link", 9, 4),
    ]
    assert sent.entities[1].url == "https://example.org/?a=1&b=2"
    assert sent.reply_to_message is not None and sent.reply_to_message.text == "hi"
    record = api.sent_messages[-1]
    assert (record.chat_id, record.message_id, record.parse_mode, record.reply_to) == (
        42,
        sent.message_id,
        "HTML",
        1,
    )
    assert record.reply_markup == {"inline_keyboard": [[{"text": "b0", "callback_data": "vote:1"}]]}
    assert api.texts(42) == ["Hi <Ann> link"]


@pytest.mark.parametrize(
    "text",
    [
        "<b>unclosed",
        "a < b",
        "<foo>x</foo>",
        "<b>x</i>",
        "x</b>",
        "AT&T",
        '<span class="x">s</span>',
        "<br/>",
    ],
)
async def test_invalid_html_is_rejected(api: FakeBotApi, bot: telegram.Bot, text: str) -> None:
    api.start_private_chat(api.user(1, "A"))
    with pytest.raises(BadRequest, match=r"(?i)can't parse entities"):
        await bot.send_message(1, text, parse_mode="HTML")
    assert api.sent_messages == []


async def test_html_parser_accepts_every_supported_tag() -> None:
    text, entities = parse_html(
        "<b>b</b><strong>s</strong><i>i</i><em>e</em><u>u</u><ins>n</ins><s>s</s>"
        "<strike>k</strike><del>d</del><tg-spoiler>p</tg-spoiler>"
        '<span class="tg-spoiler">q</span><code>c</code>'
        '<pre><code class="language-python">x</code></pre><blockquote expandable>z</blockquote>'
        '<tg-emoji emoji-id="5368324170671202286">👍</tg-emoji>&#65;&#x42;&quot;'
    )
    assert text == 'bsieunskdpqcxz👍AB"'
    kinds = [e["type"] for e in entities]
    assert kinds.count("bold") == 2 and kinds.count("spoiler") == 2
    assert "expandable_blockquote" in kinds and "custom_emoji" in kinds
    emoji = next(e for e in entities if e["type"] == "custom_emoji")
    assert (emoji["offset"], emoji["length"]) == (14, 2)  # UTF-16 code units
    assert parse_html("AT&T", strict_ampersand=False)[0] == "AT&T"


async def test_text_length_is_checked_after_entity_parsing(
    api: FakeBotApi, bot: telegram.Bot
) -> None:
    api.start_private_chat(api.user(1, "A"))
    await bot.send_message(1, "x" * 4096)
    await bot.send_message(1, "<b>" + "x" * 4096 + "</b>", parse_mode="HTML")
    await bot.send_message(1, "&lt;" * 4096, parse_mode="HTML")
    with pytest.raises(BadRequest, match=r"(?i)message is too long"):
        await bot.send_message(1, "x" * 4097)
    with pytest.raises(BadRequest, match=r"(?i)message text is empty"):
        await bot.send_message(1, "<b> </b>", parse_mode="HTML")
    assert len(api.sent_messages) == 3


async def test_callback_data_is_limited_to_64_bytes(api: FakeBotApi, bot: telegram.Bot) -> None:
    api.start_private_chat(api.user(1, "A"))
    await bot.send_message(1, "ok", reply_markup=_keyboard("x" * 64))
    for data in ("x" * 65, "й" * 33):  # the second is 33 characters but 66 UTF-8 bytes
        with pytest.raises(BadRequest, match=r"(?i)button_data_invalid"):
            await bot.send_message(1, "too long", reply_markup=_keyboard(data))
    assert len(api.sent_messages) == 1


async def test_unknown_blocked_kicked_and_migrated_chats_fail_like_telegram(
    api: FakeBotApi, bot: telegram.Bot
) -> None:
    with pytest.raises(BadRequest, match=r"(?i)chat not found"):
        await bot.send_message(999, "x")
    api.user(5, "Eve")
    with pytest.raises(Forbidden, match="initiate conversation"):
        await bot.send_message(5, "x")
    api.private_message(5, "hi")
    api.block_bot(5)
    with pytest.raises(Forbidden, match="blocked"):
        await bot.send_message(5, "x")
    api.group(-555, "Old group")
    api.migrate_to_supergroup(-555, GROUP)
    with pytest.raises(ChatMigrated) as migrated:
        await bot.send_message(-555, "x")
    assert migrated.value.new_chat_id == GROUP
    await bot.send_message(GROUP, "x")
    api.kick_bot(GROUP)
    with pytest.raises(Forbidden, match="kicked"):
        await bot.send_message(GROUP, "x")


async def test_edit_and_delete(api: FakeBotApi, bot: telegram.Bot) -> None:
    api.start_private_chat(api.user(1, "A"))
    sent = await bot.send_message(1, "v1", reply_markup=_keyboard("a"))
    edited = await bot.edit_message_text("<i>v2</i>", 1, sent.message_id, parse_mode="HTML")
    assert isinstance(edited, telegram.Message) and edited.text == "v2"
    assert edited.reply_markup is None  # an edit without reply_markup drops the keyboard
    with pytest.raises(BadRequest, match=r"(?i)message is not modified"):
        await bot.edit_message_text("<i>v2</i>", 1, sent.message_id, parse_mode="HTML")
    assert await bot.delete_message(1, sent.message_id) is True
    with pytest.raises(BadRequest, match=r"(?i)message to edit not found"):
        await bot.edit_message_text("v3", 1, sent.message_id)
    with pytest.raises(BadRequest, match=r"(?i)message to delete not found"):
        await bot.delete_message(1, sent.message_id)
    record = api.sent_messages[0]
    assert record.deleted and record.plain_text == "v2" and len(record.edits) == 1


# ----------------------------------------------------------------------------- polls


async def test_quiz_poll_round_trip(api: FakeBotApi, bot: telegram.Bot) -> None:
    user = api.user(42, "Ann")
    api.private_message(user, "/quiz")
    message = await bot.send_poll(
        42,
        "Which article?",
        ["Art. 1", "Art. 2", "Art. 3"],
        type="quiz",
        correct_option_ids=[2],
        is_anonymous=False,
        explanation="See <b>Art. 3</b>",
        explanation_parse_mode="HTML",
        open_period=60,
    )
    poll = message.poll
    assert poll is not None and poll.type == "quiz"
    assert poll.correct_option_ids == (2,)
    assert poll.allows_revoting is False and poll.members_only is False
    assert poll.explanation == "See Art. 3" and poll.explanation_entities[0].type == "bold"
    assert len({o.persistent_id for o in poll.options}) == 3
    record = api.polls[poll.id]
    assert (record.chat_id, record.message_id) == (42, message.message_id)

    api.poll_answer(poll.id, user, [2])
    assert record.poll["options"][2]["voter_count"] == 1
    with pytest.raises(ValueError, match="changing the vote"):
        api.poll_answer(poll.id, user, [1])

    stopped = await bot.stop_poll(42, message.message_id)
    assert stopped.is_closed and stopped.total_voter_count == 1
    with pytest.raises(BadRequest, match=r"(?i)already been closed"):
        await bot.stop_poll(42, message.message_id)


async def test_polls_close_when_their_open_period_ends(api: FakeBotApi, bot: telegram.Bot) -> None:
    user = api.user(42, "Ann")
    api.start_private_chat(user)
    api.emit_poll_updates = True
    sent = await bot.send_poll(
        42,
        "Q?",
        ["a", "b"],
        type="quiz",
        correct_option_ids=[0],
        is_anonymous=False,
        open_period=5,
    )
    poll = sent.poll
    assert poll is not None and not poll.is_closed
    # The close is scheduled for the end of the open period (run here without waiting).
    timer = api._poll_timers[poll.id]
    assert 4.5 < timer.when() - asyncio.get_running_loop().time() <= 5.0
    timer.cancel()
    api._close_when_due(poll.id)
    assert api.polls[poll.id].poll["is_closed"] and poll.id not in api._poll_timers
    with pytest.raises(ValueError, match="closed"):
        api.poll_answer(poll.id, user, [0])
    [update] = await bot.get_updates(timeout=0)
    assert update.poll is not None and update.poll.is_closed and update.poll.id == poll.id
    # Closing twice (timer and expire_poll or stopPoll racing) changes nothing.
    api._close_when_due(poll.id)
    with pytest.raises(BadRequest, match=r"(?i)already been closed"):
        await bot.stop_poll(42, sent.message_id)

    # stopPoll before the end cancels the timer; a poll without a period has none.
    second = (await bot.send_poll(42, "Q2?", ["a", "b"], open_period=60)).poll
    untimed = (await bot.send_poll(42, "Q3?", ["a", "b"])).poll
    assert second is not None and untimed is not None
    assert second.id in api._poll_timers and untimed.id not in api._poll_timers
    stopped = await bot.stop_poll(42, sent.message_id + 1)
    assert stopped.is_closed and second.id not in api._poll_timers


async def test_anonymous_polls_get_no_poll_answers(api: FakeBotApi, bot: telegram.Bot) -> None:
    api.start_private_chat(api.user(1, "A"))
    message = await bot.send_poll(1, "Q?", ["a", "b"])  # is_anonymous defaults to True
    assert message.poll is not None and message.poll.is_anonymous
    with pytest.raises(ValueError, match="non-anonymous"):
        api.poll_answer(message.poll.id, 1, [0])


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [
        ({"question": "q" * 301}, "question length"),
        ({"options": [str(i) for i in range(13)]}, "more than 12 options"),
        ({"options": ["ok", "o" * 101]}, "options length"),
        ({"type": "quiz"}, "correct_option_ids"),
        ({"type": "quiz", "correct_option_ids": [5]}, "correct_option_ids"),
        ({"type": "quiz", "correct_option_ids": [0], "explanation": "a\nb\nc\nd"}, "line feeds"),
        ({"type": "quiz", "correct_option_ids": [0], "explanation": "e" * 201}, "too long"),
        ({"open_period": 4}, "open period"),
    ],
)
async def test_poll_validation(
    api: FakeBotApi, bot: telegram.Bot, kwargs: dict[str, Any], error: str
) -> None:
    api.start_private_chat(api.user(1, "A"))
    arguments: dict[str, Any] = {"chat_id": 1, "question": "Q?", "options": ["a", "b"], **kwargs}
    with pytest.raises(BadRequest, match=rf"(?i){error}"):
        await bot.send_poll(**arguments)
    assert api.polls == {}


async def test_legacy_correct_option_id_is_accepted(api: FakeBotApi) -> None:
    api.start_private_chat(api.user(1, "A"))
    payload = {"chat_id": 1, "question": "Q", "options": ["a", "b"], "type": "quiz"}
    status, body = await _raw(api, "sendPoll", json={**payload, "correct_option_id": 1})
    assert status == 200 and body["result"]["poll"]["correct_option_ids"] == [1]


# ----------------------------------------------------------------------------- updates


async def test_get_updates_parses_every_helper_update(api: FakeBotApi, bot: telegram.Bot) -> None:
    ann = api.user(42, "Ann", "ann")
    bob = api.user(43, "Bob")
    api.private_message(ann, "/start")
    await bot.send_message(42, "pick", reply_markup=_keyboard("pick:1"))
    poll = (await bot.send_poll(42, "Q", ["a", "b"], is_anonymous=False)).poll
    assert poll is not None
    api.callback_query(ann, 2, "pick:1")
    api.inline_query(ann, "art 3")
    api.poll_answer(poll.id, ann, [1])
    api.group_message(GROUP, bob, "/help@ipreg_test_bot please")

    updates = await bot.get_updates(timeout=0)
    assert all(isinstance(u, Update) for u in updates)
    first_id = updates[0].update_id
    assert [u.update_id for u in updates] == list(range(first_id, first_id + 5))
    start, callback, inline, answer, group = updates
    assert start.message is not None and start.message.text == "/start"
    assert start.message.entities[0].type == "bot_command"
    assert callback.callback_query is not None and callback.callback_query.data == "pick:1"
    assert callback.callback_query.message is not None
    assert callback.callback_query.message.message_id == 2
    assert inline.inline_query is not None and inline.inline_query.query == "art 3"
    assert answer.poll_answer is not None and answer.poll_answer.option_ids == (1,)
    assert answer.poll_answer.option_persistent_ids == (poll.options[1].persistent_id,)
    assert group.message is not None and group.message.chat.type == "supergroup"
    assert group.message.entities[0].length == len("/help@ipreg_test_bot")

    # Unconfirmed updates are redelivered; an offset confirms them.
    assert len(await bot.get_updates(timeout=0)) == 5
    assert await bot.get_updates(offset=updates[-1].update_id + 1, timeout=0) == ()
    assert api.pending_updates == 0

    await bot.answer_callback_query(callback.callback_query.id, text="ok")
    with pytest.raises(BadRequest, match=r"(?i)query is too old"):
        await bot.answer_callback_query(callback.callback_query.id)
    assert api.callback_answers[0]["text"] == "ok"


async def test_privacy_mode_hides_group_chatter(api: FakeBotApi, bot: telegram.Bot) -> None:
    bob = api.user(43, "Bob")
    api.group(GROUP, "Readers", members=[bob])
    assert api.group_message(GROUP, bob, "just chatting") is None
    assert api.group_message(GROUP, bob, "/start@other_bot") is None
    api.group_message(GROUP, bob, "hey @ipreg_test_bot what does art 3 say?")
    answer = await bot.send_message(GROUP, "It says...")
    api.group_message(GROUP, bob, "thanks", reply_to_bot_message_id=answer.message_id)
    updates = await bot.get_updates()
    messages = [u.message for u in updates if u.message is not None]
    assert [m.text for m in messages] == ["hey @ipreg_test_bot what does art 3 say?", "thanks"]
    assert messages[0].entities[0].type == "mention"
    replied = messages[1].reply_to_message
    assert replied is not None and replied.from_user is not None
    assert replied.from_user.id == api.bot_id
    api.set_admins(GROUP, [43, api.bot_id])  # an admin bot sees everything
    assert api.group_message(GROUP, bob, "chatter") is not None


async def test_redelivered_update_reaches_the_bot_again(api: FakeBotApi, bot: telegram.Bot) -> None:
    original = api.private_message(api.user(1, "A"), "hello")
    [update] = await bot.get_updates()
    next_offset = update.update_id + 1
    assert await bot.get_updates(offset=next_offset) == ()
    api.enqueue_raw(original)  # same update_id, below the bot's offset
    again = await bot.get_updates(offset=next_offset)
    assert [u.update_id for u in again] == [original["update_id"]]
    assert again[0].message is not None and again[0].message.text == "hello"
    assert await bot.get_updates(offset=next_offset) == ()
    forged = api.enqueue_raw({"message": {**original["message"], "text": "forged"}})
    assert forged["update_id"] == original["update_id"] + 1


async def test_migration_produces_both_service_messages(api: FakeBotApi, bot: telegram.Bot) -> None:
    api.group(-555, "Old")
    api.migrate_to_supergroup(-555, GROUP)
    old, new = await bot.get_updates()
    assert old.message is not None and old.message.migrate_to_chat_id == GROUP
    assert new.message is not None and new.message.migrate_from_chat_id == -555
    assert new.message.chat.type == "supergroup" and new.message.chat.title == "Old"


async def test_long_polling_returns_as_soon_as_an_update_arrives(
    api: FakeBotApi, bot: telegram.Bot
) -> None:
    api.user(1, "A")
    poll = asyncio.create_task(bot.get_updates(timeout=5))
    await api.wait_for_request("getUpdates")
    started = time.monotonic()
    api.private_message(1, "wake up")
    updates = await asyncio.wait_for(poll, 2)
    assert time.monotonic() - started < 1
    assert updates[0].message is not None and updates[0].message.text == "wake up"


async def test_long_polling_honours_the_timeout(api: FakeBotApi) -> None:
    started = time.monotonic()
    status, body = await _raw(api, "getUpdates", json={"timeout": 0.3})
    assert (status, body) == (200, {"ok": True, "result": []})
    assert 0.25 <= time.monotonic() - started < 2


async def test_a_second_poller_terminates_the_first(api: FakeBotApi, bot: telegram.Bot) -> None:
    first = asyncio.create_task(bot.get_updates(timeout=5))
    await api.wait_for_request("getUpdates")
    assert await _raw(api, "getUpdates", json={"timeout": 0}) == (200, {"ok": True, "result": []})
    with pytest.raises(Conflict, match="terminated by other getUpdates"):
        await asyncio.wait_for(first, 2)


async def test_webhook_receives_updates_and_blocks_get_updates(
    api: FakeBotApi, bot: telegram.Bot
) -> None:
    received: list[tuple[str | None, dict[str, Any]]] = []

    async def hook(request: web.Request) -> web.Response:
        secret = request.headers.get("X-Telegram-Bot-Api-Secret-Token")
        received.append((secret, await request.json()))
        return web.Response()

    app = web.Application()
    app.router.add_post("/hook", hook)
    runner = web.AppRunner(app)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    try:
        url = f"http://127.0.0.1:{runner.addresses[0][1]}/hook"
        assert await bot.set_webhook(url, secret_token="s3cret")
        assert (await bot.get_webhook_info()).url == url
        with pytest.raises(Conflict, match="webhook is active"):
            await bot.get_updates()
        api.private_message(api.user(1, "A"), "via webhook")
        await api.wait_for(lambda: received)
        secret, update = received[0]
        assert secret == "s3cret" and update["message"]["text"] == "via webhook"
        await api.wait_until_consumed()
        assert await bot.delete_webhook()
        assert await bot.get_updates() == ()
    finally:
        await runner.cleanup()


# ----------------------------------------------------------------------------- faults


async def test_429_becomes_retry_after(
    api: FakeBotApi, bot: telegram.Bot, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PTB_TIMEDELTA", "1")  # opt in to timedelta: no deprecation warning
    api.start_private_chat(api.user(1, "A"))
    api.inject_fault("sendMessage", "429", retry_after=7)
    with pytest.raises(RetryAfter) as exc:
        await bot.send_message(1, "x")
    assert _retry_seconds(exc.value) == 7
    await bot.send_message(1, "x")  # only the next call was affected
    assert api.triggered_faults == [("sendMessage", "429")]
    assert len(api.sent_messages) == 1


async def test_502_becomes_network_error(api: FakeBotApi, bot: telegram.Bot) -> None:
    api.inject_fault("getMe", "502", times=2)
    for _ in range(2):
        with pytest.raises(NetworkError) as exc:
            await bot.get_me()
        assert not isinstance(exc.value, BadRequest)
    assert (await bot.get_me()).username == api.bot_username


async def test_timeout_after_delivery_still_delivers(api: FakeBotApi) -> None:
    api.start_private_chat(api.user(1, "A"))
    impatient = telegram.Bot(
        api.token, base_url=api.base_url, request=HTTPXRequest(read_timeout=0.3)
    )
    async with impatient:
        api.inject_fault("sendMessage", "timeout", deliver=True)
        with pytest.raises(TimedOut):
            await impatient.send_message(1, "maybe")
        assert api.texts(1) == ["maybe"]  # delivered although the client gave up
        api.inject_fault("sendMessage", "timeout")
        with pytest.raises(TimedOut):
            await impatient.send_message(1, "lost")
    assert api.texts(1) == ["maybe"]


async def test_slow_parse_and_custom_faults(api: FakeBotApi, bot: telegram.Bot) -> None:
    api.start_private_chat(api.user(1, "A"))
    api.inject_fault("sendMessage", "slow", delay=0.2)
    started = time.monotonic()
    await bot.send_message(1, "slow")
    assert time.monotonic() - started >= 0.2
    api.inject_fault("*", "parse")
    with pytest.raises(BadRequest, match=r"(?i)can't parse entities"):
        await bot.send_message(1, "plain text")
    api.inject_fault("sendMessage", "error", code=403, description="Forbidden: user is deactivated")
    with pytest.raises(Forbidden, match="deactivated"):
        await bot.send_message(1, "x")
    assert api.texts(1) == ["slow"]


# ----------------------------------------------------------------------------- other methods


async def test_callback_and_inline_answers_are_validated(
    api: FakeBotApi, bot: telegram.Bot
) -> None:
    ann = api.user(42, "Ann")
    api.private_message(ann, "x")
    sent = await bot.send_message(42, "m", reply_markup=_keyboard("a"))
    query_id = api.callback_query(ann, sent.message_id, "a")["callback_query"]["id"]
    with pytest.raises(BadRequest, match=r"(?i)message_too_long"):
        await bot.answer_callback_query(query_id, text="x" * 201)
    assert await bot.answer_callback_query(query_id, text="x" * 200, show_alert=True)
    with pytest.raises(ValueError, match="no button"):
        api.callback_query(ann, sent.message_id, "forged")

    inline_id = api.inline_query(ann, "q")["inline_query"]["id"]

    def article(result_id: str) -> InlineQueryResultArticle:
        content = InputTextMessageContent("<b>x</b>", parse_mode="HTML")
        return InlineQueryResultArticle(result_id, "title", content)

    for results, error in (
        ([article(str(i)) for i in range(51)], "results_too_much"),
        ([article("1"), article("1")], "result_id_duplicate"),
        ([article("i" * 65)], "result_id_invalid"),
    ):
        with pytest.raises(BadRequest, match=rf"(?i){error}"):
            await bot.answer_inline_query(inline_id, results)
    assert await bot.answer_inline_query(inline_id, [article(str(i)) for i in range(50)])
    assert len(api.inline_answers[0]["results"]) == 50


async def test_commands_are_validated_and_scoped(api: FakeBotApi, bot: telegram.Bot) -> None:
    await bot.set_my_commands(
        [BotCommand("ask", "Ask about the regulation"), BotCommand("quiz", "Q")]
    )
    assert [c.command for c in await bot.get_my_commands()] == ["ask", "quiz"]
    assert api.commands[0] == {"command": "ask", "description": "Ask about the regulation"}
    await bot.set_my_commands(
        [BotCommand("admin", "Admin tools")], scope=BotCommandScopeChat(42), language_code="zh"
    )
    assert api.commands_for({"type": "chat", "chat_id": 42}, "zh")[0]["command"] == "admin"
    assert len(api.commands) == 2  # the default scope is untouched
    for commands, error in (
        ([BotCommand("Ask", "upper case")], "bot_command_invalid"),
        ([BotCommand("a" * 33, "too long")], "bot_command_invalid"),
        ([BotCommand("ok", "")], "bot_command_description_invalid"),
        ([BotCommand("ok", "d" * 257)], "bot_command_description_invalid"),
        ([BotCommand(f"c{i}", "d") for i in range(101)], "too many commands"),
    ):
        with pytest.raises(BadRequest, match=rf"(?i){error}"):
            await bot.set_my_commands(commands)


async def test_chat_members_admins_and_chat_info(api: FakeBotApi, bot: telegram.Bot) -> None:
    for user_id, name in ((42, "Ann"), (43, "Bob"), (44, "Cid")):
        api.user(user_id, name)
    api.group(GROUP, "Readers", members=[44])
    api.set_admins(GROUP, [42, 43])
    statuses = {uid: (await bot.get_chat_member(GROUP, uid)).status for uid in (42, 43, 44)}
    assert statuses == {42: "creator", 43: "administrator", 44: "member"}
    api.remove_member(GROUP, 44)
    assert (await bot.get_chat_member(GROUP, 44)).status == "left"
    with pytest.raises(BadRequest, match=r"(?i)user not found"):
        await bot.get_chat_member(GROUP, 999)
    assert [a.user.id for a in await bot.get_chat_administrators(GROUP)] == [42, 43]
    chat = await bot.get_chat(GROUP)
    assert (chat.title, chat.type) == ("Readers", "supergroup")


async def test_send_document_records_the_upload(api: FakeBotApi, bot: telegram.Bot) -> None:
    api.start_private_chat(api.user(1, "A"))
    assert await bot.send_chat_action(1, "upload_document")
    with pytest.raises(BadRequest, match=r"(?i)wrong parameter action"):
        await bot.send_chat_action(1, "dancing")
    message = await bot.send_document(
        1, b"%PDF-1.4 fake", filename="report.pdf", caption="<b>Report</b>", parse_mode="HTML"
    )
    assert message.document is not None and message.document.file_name == "report.pdf"
    assert message.caption == "Report"
    upload = api.documents[0]
    assert (upload.filename, upload.content, upload.chat_id) == ("report.pdf", b"%PDF-1.4 fake", 1)
    file = await bot.get_file(message.document.file_id)
    assert bytes(await file.download_as_bytearray()) == b"%PDF-1.4 fake"
    assert api.chat_actions == [(1, "upload_document")]
    assert await bot.close() and await bot.log_out()
    assert api.closed and api.logged_out


# ----------------------------------------------------------------------------- Application


async def test_application_echoes_a_private_message(api: FakeBotApi) -> None:
    async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.effective_message is not None
        await update.effective_message.reply_text(f"echo: {update.effective_message.text}")

    application = (
        ApplicationBuilder()
        .token(api.token)
        .base_url(api.base_url)
        .base_file_url(api.base_file_url)
        .build()
    )
    application.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, echo))
    api.private_message(api.user(42, "Ann"), "hello bot")
    async with application:
        assert application.updater is not None
        await application.start()
        await application.updater.start_polling(poll_interval=0)
        try:
            [reply] = await api.wait_for_messages(1, timeout=5)
        finally:
            await application.updater.stop()
            await application.stop()
    assert (reply.chat_id, reply.plain_text) == (42, "echo: hello bot")
    assert api.pending_updates == 0  # PTB's shutdown getUpdates confirmed the update
    assert api.calls("deleteWebhook")  # PTB's polling bootstrap
