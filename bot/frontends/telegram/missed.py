"""Replies that did not reach a private chat, and the one notice owed for them.

When Telegram refused a reply for the whole retry budget (or a send timed out, so it may not
have arrived), the chat is remembered; the next time a send succeeds — Telegram is back —
each remembered chat gets one short notice asking to ask again. Only private chats: in a
group a notice about someone else's question would be noise. Bounded, and kept in memory
only: after a restart nobody is owed anything, which at worst loses a courtesy.
"""

from __future__ import annotations

import logging
from collections import OrderedDict
from typing import Any

from telegram import Bot
from telegram.error import TelegramError

from bot.frontends.telegram.render import render_text
from bot.frontends.telegram.send import Target, send_chunks

_LOGGER = logging.getLogger(__name__)
# Chats owed a notice at most; beyond, the oldest are forgotten.
MAX_OWED = 10_000


class MissedReplies:
    """Chats owed a notice (chat id → the text key to send)."""

    def __init__(self) -> None:
        self._owed: OrderedDict[int, str] = OrderedDict()
        self._paying = False

    def owe(self, target: Target, key: str) -> None:
        if target.chat_id <= 0:  # groups and channels: no notice
            return
        self._owed[target.chat_id] = key
        self._owed.move_to_end(target.chat_id)
        while len(self._owed) > MAX_OWED:
            self._owed.popitem(last=False)

    def __len__(self) -> int:
        return len(self._owed)

    async def pay(self, bot: Bot, texts: Any) -> None:
        """Send each owed notice once (Telegram just took a message, so it is back)."""
        if not self._owed or self._paying:
            return
        self._paying = True
        try:
            while self._owed:
                chat_id, key = self._owed.popitem(last=False)
                try:
                    await send_chunks(bot, Target(chat_id), render_text(texts(key)))
                except TelegramError as exc:
                    _LOGGER.info("notice of a missed reply not sent (%s)", type(exc).__name__)
                except Exception:  # DeliveryFailed: Telegram is down again, try later
                    self._owed[chat_id] = key
                    return
        finally:
            self._paying = False
