"""Sending rendered chunks, with the failure handling a chat reply needs.

* A read timeout after sendMessage does not mean the message was lost: Telegram may have
  delivered it and only the response was slow. Sending again would duplicate it, so a timed
  out chunk is never retried; it is logged and the remaining chunks go on. (PTB's
  AIORateLimiter retries only RetryAfter — 429 — which is safe: Telegram refused the call.)
  The exceptions are timeouts that prove nothing was sent — no free connection in the pool,
  or no connection made — which are retried once.
* A group that became a supergroup answers ChatMigrated: the chunk is sent again to the new
  chat id, once, without the reply reference (message ids differ there).
* A user who blocked the bot (Forbidden) just stops the reply.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, replace

import httpx
from telegram import Bot, InlineKeyboardMarkup, LinkPreviewOptions, Message, ReplyParameters
from telegram.constants import ChatType, ParseMode
from telegram.error import ChatMigrated, Forbidden, NetworkError, TimedOut

_LOGGER = logging.getLogger(__name__)
# Answers quote documents; a link in one should not grow a preview card.
_NO_PREVIEW = LinkPreviewOptions(is_disabled=True)
# httpx errors raised before a request left this machine: safe to send again.
_NOT_SENT = (httpx.PoolTimeout, httpx.ConnectTimeout, httpx.ConnectError)


def never_sent(exc: BaseException) -> bool:
    """A PTB TimedOut/NetworkError whose cause shows the request never reached Telegram."""
    return isinstance(exc.__cause__, _NOT_SENT)


@dataclass(frozen=True)
class Target:
    """Where a reply goes: a chat, optionally as a reply to a message and in a forum topic."""

    chat_id: int
    reply_to: int | None = None
    thread_id: int | None = None

    @classmethod
    def answering(cls, message: Message) -> Target:
        """In groups, quote the asking message; in private chats, just answer."""
        group = message.chat.type != ChatType.PRIVATE
        thread = message.message_thread_id if message.is_topic_message else None
        return cls(message.chat_id, message.message_id if group else None, thread)


async def send_chunks(
    bot: Bot,
    target: Target,
    chunks: Sequence[str],
    keyboard: InlineKeyboardMarkup | None = None,
) -> int:
    """Send HTML chunks in order (keyboard under the last; quote on the first); return how
    many were sent or possibly sent."""
    sent = 0
    for i, chunk in enumerate(chunks):
        last = i == len(chunks) - 1
        markup = keyboard if last else None
        reply_to = target.reply_to if i == 0 else None
        try:
            await _send_once(bot, target, chunk, markup, reply_to)
        except ChatMigrated as exc:
            new_id = int(exc.new_chat_id)
            _LOGGER.info("chat %s moved to %s; resending there", target.chat_id, new_id)
            target = replace(target, chat_id=new_id, reply_to=None, thread_id=None)
            await _send(bot, target, chunk, markup, None)
        except TimedOut:
            _LOGGER.warning(
                "sendMessage to chat %s timed out; it may have been delivered, not retrying",
                target.chat_id,
            )
        except Forbidden as exc:
            _LOGGER.info("chat %s refuses messages (%s); reply dropped", target.chat_id, exc)
            return sent
        sent += 1
    return sent


async def _send_once(
    bot: Bot,
    target: Target,
    text: str,
    markup: InlineKeyboardMarkup | None,
    reply_to: int | None,
) -> None:
    """Send; repeat once only if the first attempt provably never left."""
    try:
        await _send(bot, target, text, markup, reply_to)
    except NetworkError as exc:  # TimedOut is a NetworkError
        if not never_sent(exc):
            raise
        _LOGGER.info(
            "sendMessage to chat %s was not sent (%r); sending again", target.chat_id, exc.__cause__
        )
        await _send(bot, target, text, markup, reply_to)


async def _send(
    bot: Bot,
    target: Target,
    text: str,
    markup: InlineKeyboardMarkup | None,
    reply_to: int | None,
) -> None:
    reply = (
        ReplyParameters(message_id=reply_to, allow_sending_without_reply=True)
        if reply_to is not None
        else None
    )
    await bot.send_message(
        chat_id=target.chat_id,
        text=text,
        parse_mode=ParseMode.HTML,
        reply_markup=markup,
        reply_parameters=reply,
        message_thread_id=target.thread_id,
        link_preview_options=_NO_PREVIEW,
    )
