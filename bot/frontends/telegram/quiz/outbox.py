"""The Telegram quiz's way out: the application's bot, paced sends, polls being registered.

Both the round driver and the command handlers send through one `QuizOutbox`, so one
`GroupPacer` counts every quiz message into a group. It also tracks the polls sent whose
registration with the quiz service is still being written: a poll answer can arrive before
that registration is committed, and then waits for it (see `QuizBot.poll_answer`).
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Iterator, Sequence

from telegram import InlineKeyboardMarkup
from telegram.ext import Application

from bot.frontends.telegram.quiz.pacing import GroupPacer
from bot.frontends.telegram.send import Target, send_chunks


class QuizOutbox:
    """Paced sending for one Application, and the poll registrations in progress."""

    def __init__(self, pacer: GroupPacer) -> None:
        self.pacer = pacer
        self._application: Application | None = None
        self._registering: set[asyncio.Future[None]] = set()

    def attach(self, application: Application) -> None:
        self._application = application

    @property
    def application(self) -> Application:
        if self._application is None:
            raise RuntimeError("QuizBot.add_handlers was not called")
        return self._application

    async def send(
        self,
        target: Target,
        chunks: Sequence[str],
        keyboard: InlineKeyboardMarkup | None = None,
    ) -> None:
        """Send chunks in order, each counted by the group pacer first."""
        for i, chunk in enumerate(chunks):
            await self.pacer.acquire(target.chat_id)
            last = i == len(chunks) - 1
            part = Target(target.chat_id, target.reply_to if i == 0 else None, target.thread_id)
            await send_chunks(self.application.bot, part, [chunk], keyboard if last else None)

    @contextlib.contextmanager
    def registering(self) -> Iterator[None]:
        """Around sending a poll and registering it: answers meanwhile wait for the end."""
        registered: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._registering.add(registered)
        try:
            yield
        finally:
            self._registering.discard(registered)
            registered.set_result(None)

    async def registrations_done(self, timeout: float) -> None:
        """Wait (at most `timeout` seconds) until every registration in progress is done."""
        if self._registering:
            await asyncio.wait(list(self._registering), timeout=timeout)
