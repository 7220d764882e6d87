"""Small helpers shared by the Telegram end-to-end tests."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

from fakebot.server import FakeBotApi, SentMessage
from telegram.ext import Application

GROUP = -1001234567890
HASH_SECRET = "telegram-test-hash-secret"
LONG_TITLE = "超长测试段落 <b>A&B</b>"
LONG_QUESTION = "超长测试段落讲了什么"
LONG_PART_QUESTION = "测试第一段落说的是啥"
# A part carved out of a longer passage: its answer carries a 查看原文 button.
CARVED_QUESTION = "河北跟京津在知识产权方面怎么协作"


def buttons(message: SentMessage) -> dict[str, str]:
    """Button text → callback data of a sent message's inline keyboard."""
    markup = message.reply_markup or {}
    return {
        button["text"]: button["callback_data"]
        for row in markup.get("inline_keyboard", [])
        for button in row
        if "callback_data" in button
    }


async def replies(
    api: FakeBotApi, chat_id: int, before: int, n: int = 1, timeout: float = 5.0
) -> list[SentMessage]:
    """The `n` messages sent to `chat_id` after the first `before` ones."""
    found = await api.wait_for_messages(before + n, timeout, chat_id=chat_id)
    return found[before : before + n]


async def exchange(
    api: FakeBotApi, user: int, text: str, n: int = 1, timeout: float = 5.0
) -> list[SentMessage]:
    """A private message and the bot's next `n` messages in that chat."""
    before = len(api.messages_to(user))
    api.private_message(user, text)
    return await replies(api, user, before, n, timeout)


async def press(
    api: FakeBotApi, user: int, message: SentMessage, label: str, n: int = 1
) -> list[SentMessage]:
    """Tap the button `label` under `message`; return the next `n` messages in its chat."""
    before = len(api.messages_to(message.chat_id))
    answers = len(api.callback_answers)
    api.callback_query(user, message.message_id, buttons(message)[label], message.chat_id)
    sent = await replies(api, message.chat_id, before, n)
    await api.wait_for(lambda: len(api.callback_answers) > answers, message="callback answer")
    return sent


async def eventually(check: Callable[[], Awaitable[bool]], timeout: float = 5.0) -> None:
    """Poll an async condition (e.g. on the database) until it holds."""
    deadline = asyncio.get_running_loop().time() + timeout
    while not await check():
        if asyncio.get_running_loop().time() > deadline:
            raise TimeoutError("condition not met")
        await asyncio.sleep(0.02)


def collect_errors(application: Application) -> list[BaseException]:
    """Every error that reaches the application's error handlers."""
    errors: list[BaseException] = []

    async def remember(update: object, context: object) -> None:
        error = getattr(context, "error", None)
        if error is not None:
            errors.append(error)

    application.add_error_handler(remember)
    return errors
