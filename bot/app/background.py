"""Recording from synchronous programs (the console chat, `ask --record`): the question
recorder runs on its own event loop in a background thread, so typing the next question
never waits for the database."""

from __future__ import annotations

import asyncio
import threading

from bot.app.incoming import Incoming
from bot.app.recorder import QuestionRecorder
from bot.engine import Reply
from bot.storage import Database, QuestionLog


class BackgroundRecorder:
    """A QuestionRecorder on a private event loop; `submit` from any thread."""

    def __init__(self, database_url: str, secret: str = "") -> None:
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self._thread.start()
        self.database = Database(database_url)
        self.recorder = QuestionRecorder(QuestionLog(self.database, secret))

    def submit(self, incoming: Incoming, reply: Reply) -> None:
        self._loop.call_soon_threadsafe(self.recorder.submit, incoming, reply)

    def close(self, timeout: float = 10.0) -> int:
        """Write what is queued (for at most `timeout` seconds); returns the records lost."""

        async def finish() -> None:
            await self.recorder.close(timeout)
            await self.database.dispose()

        try:
            asyncio.run_coroutine_threadsafe(finish(), self._loop).result(timeout + 5)
        finally:
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(timeout=5)
        return self.recorder.lost
