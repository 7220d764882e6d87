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
* Telegram refusing for a while — 5xx, or 429 beyond what AIORateLimiter waits out — is
  retried with backoff (honouring retry_after) for a bounded time; Telegram answered, so
  nothing was delivered and sending again duplicates nothing. When the time is up the reply
  is given up as undelivered (`DeliveryFailed`), which the handlers record and tell the user
  about once Telegram is back.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass, replace

import httpx
from telegram import Bot, InlineKeyboardMarkup, LinkPreviewOptions, Message, ReplyParameters
from telegram.constants import ChatType, ParseMode
from telegram.error import ChatMigrated, Forbidden, NetworkError, RetryAfter, TimedOut

_LOGGER = logging.getLogger(__name__)
# Answers quote documents; a link in one should not grow a preview card.
_NO_PREVIEW = LinkPreviewOptions(is_disabled=True)
# httpx errors raised before a request left this machine: safe to send again.
_NOT_SENT = (httpx.PoolTimeout, httpx.ConnectTimeout, httpx.ConnectError)


# Seconds a reply keeps being retried while Telegram refuses (5xx, 429), and the pauses.
RETRY_BUDGET = 60.0
RETRY_FIRST, RETRY_MAX = 1.0, 8.0


class DeliveryFailed(Exception):
    """Telegram kept refusing the reply for the whole retry budget: it was not delivered."""


def never_sent(exc: BaseException) -> bool:
    """A PTB TimedOut/NetworkError whose cause shows the request never reached Telegram."""
    return isinstance(exc.__cause__, _NOT_SENT)


def refused(exc: BaseException) -> bool:
    """Telegram answered with a server error (PTB raises NetworkError with no underlying
    transport error): the call was not carried out, so it may be sent again."""
    return isinstance(exc, NetworkError) and not isinstance(exc, TimedOut) and exc.__cause__ is None


def _retry_after(exc: RetryAfter) -> float:
    value = exc.retry_after
    return float(value.total_seconds() if hasattr(value, "total_seconds") else value)


def chat_kind(target: Target) -> str:
    """For logs: what kind of chat, never which (a private chat's id is its user's id)."""
    return "private" if target.chat_id > 0 else "group"


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


@dataclass(frozen=True)
class Sent:
    """How a reply went: chunks sent (or possibly sent), and whether any timed out, so that
    whether it arrived is unknown."""

    count: int
    uncertain: bool = False


async def send_chunks(
    bot: Bot,
    target: Target,
    chunks: Sequence[str],
    keyboard: InlineKeyboardMarkup | None = None,
) -> Sent:
    """Send HTML chunks in order (keyboard under the last; quote on the first). Raises
    DeliveryFailed when Telegram refused a chunk for the whole retry budget."""
    sent = 0
    uncertain = False
    for i, chunk in enumerate(chunks):
        last = i == len(chunks) - 1
        markup = keyboard if last else None
        reply_to = target.reply_to if i == 0 else None
        try:
            await _send_once(bot, target, chunk, markup, reply_to)
        except ChatMigrated as exc:
            new_id = int(exc.new_chat_id)
            _LOGGER.info("a group moved to a supergroup; resending there")
            target = replace(target, chat_id=new_id, reply_to=None, thread_id=None)
            await _send(bot, target, chunk, markup, None)
        except TimedOut:
            uncertain = True
            _LOGGER.warning(
                "sendMessage to a %s chat timed out; it may have been delivered, not retrying",
                chat_kind(target),
            )
        except Forbidden as exc:
            _LOGGER.info("a %s chat refuses messages (%s); reply dropped", chat_kind(target), exc)
            return Sent(sent, uncertain)
        sent += 1
    return Sent(sent, uncertain)


async def _send_once(
    bot: Bot,
    target: Target,
    text: str,
    markup: InlineKeyboardMarkup | None,
    reply_to: int | None,
    budget: float | None = None,
) -> None:
    """Send; again when the attempt provably never left or Telegram refused it (within the
    retry budget); never when its outcome is unknown (a read timeout)."""
    budget = RETRY_BUDGET if budget is None else budget
    deadline = time.monotonic() + budget
    pause = RETRY_FIRST
    while True:
        try:
            await _send(bot, target, text, markup, reply_to)
            return
        except RetryAfter as exc:
            wait = max(_retry_after(exc), pause)
        except NetworkError as exc:  # TimedOut is a NetworkError
            if not (never_sent(exc) or refused(exc)):
                raise
            wait = pause
            pause = min(pause * 2, RETRY_MAX)
        if time.monotonic() + wait > deadline:
            raise DeliveryFailed(
                f"chat {target.chat_id}: Telegram kept refusing for {budget:.0f} s"
            )
        _LOGGER.debug("sendMessage refused by Telegram; again in %.1f s", wait)
        await asyncio.sleep(wait)


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
