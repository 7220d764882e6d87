"""The application layer every channel calls: answer, record, reload, quiz, statistics.

Channels (Telegram, the web page, WeChat, a live hall quiz, the console) translate their
platform's messages into `Incoming` questions and render the `Reply` blocks they get back;
everything else happens here, once: the current engine (swapped whole on reload), the
question log (written behind, never in an answer's way), the quiz service.

Every reload reads the wordings learned in the admin console from the database (shared by
every replica) and builds them into the new engine; when the database cannot be read, the
wordings already in service are kept.
"""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING, Any

from bot.app.conversations import Conversations
from bot.app.holder import EngineHolder, ReloadResult
from bot.app.incoming import Incoming
from bot.app.recorder import QuestionRecorder
from bot.engine import Engine, Reply
from bot.quiz import QuizService
from bot.storage import Database

if TYPE_CHECKING:
    from bot.live import LiveService

_LOGGER = logging.getLogger(__name__)
# Seconds a reload waits for the database's learned wordings before keeping those it has.
LEARNED_TIMEOUT = 5.0


class Assistant:
    """One assistant behind every channel."""

    def __init__(
        self,
        holder: EngineHolder,
        recorder: QuestionRecorder | None = None,
        quiz: QuizService | None = None,
        live: LiveService | None = None,
    ) -> None:
        self.holder = holder
        self.recorder = recorder
        # Each asker's previous question, for follow-ups.
        self.conversations = Conversations()
        self.quiz = quiz
        # Live hall games (bot.live), where a channel serves them (the web app).
        self.live = live

    @classmethod
    def over(cls, engine: Engine) -> Assistant:
        """An assistant over a fixed engine that records nothing (tests, `ask`, embedding)."""
        return cls(EngineHolder(engine))

    @property
    def engine(self) -> Engine:
        """The engine in service now (a reload may replace it between two questions)."""
        return self.holder.engine

    @property
    def database(self) -> Database | None:
        return self.recorder.log.database if self.recorder is not None else None

    # -- questions -------------------------------------------------------------------------------

    def answer(self, incoming: Incoming) -> Reply:
        """The engine's reply, read with the asker's previous question when it follows on
        from it (那高校呢), or with the one before when it goes back to that (回到刚才那个…);
        not recorded (a channel that records after delivering calls `record` itself)."""
        conversations = self.conversations
        reply = self.engine.answer(
            incoming.text, conversations.previous(incoming), conversations.earlier(incoming)
        )
        conversations.remember(incoming, reply)
        return reply

    def record(self, incoming: Incoming, reply: Reply, *, delivered: bool | None = True) -> None:
        """Queue the question and its outcome for the log; never waits, never raises."""
        if self.recorder is None:
            return
        try:
            self.recorder.submit(incoming, reply, delivered=delivered)
        except Exception:  # a bug in recording must not cost the user the answer
            _LOGGER.exception("could not queue a question record")

    def ask(self, incoming: Incoming) -> Reply:
        """Answer and record in one step (channels whose delivery is the reply itself)."""
        reply = self.answer(incoming)
        self.record(incoming, reply)
        return reply

    def choose(self, incoming: Incoming, entry_id: str) -> Reply:
        """A suggestion picked (a button, a typed number): that entry's answer, recorded."""
        reply = self.engine.answer_entry(entry_id, incoming.text)
        self.record(incoming, reply)
        return reply

    # -- operations ------------------------------------------------------------------------------

    async def reload(self) -> ReloadResult:
        """Load the knowledge base and intents again, with the learned wordings the database
        holds now; the old version keeps serving unless the new one is whole (see
        EngineHolder)."""
        return await self.holder.reload(await self.learned_wordings())

    async def learned_wordings(self) -> dict[str, tuple[str, ...]] | None:
        """The learned wordings in service according to the database (entry id → wordings);
        None when there is no database or it cannot be read now."""
        database = self.database
        if database is None and self.quiz is not None:
            database = self.quiz.db
        if database is None:
            return None
        try:
            from bot.admin.learned import in_service

            async with asyncio.timeout(LEARNED_TIMEOUT):
                await database.migrate()
                return await in_service(database)
        except Exception as exc:  # down or frozen: the reload goes on with what it has
            _LOGGER.warning(
                "learned wordings unreadable (%s); keeping those in service", type(exc).__name__
            )
            return None

    async def load_learned(self) -> bool:
        """Build the database's learned wordings into the engine if it lacks them (at start,
        and when another replica applied some); True when the engine changed."""
        learned = await self.learned_wordings()
        if learned is None or learned == self.holder.learned:
            return False
        result = await self.holder.reload(learned)
        return result.ok

    def health(self) -> dict[str, Any]:
        """What the health endpoints report: the knowledge base and the question log."""
        kb = self.engine.kb
        status: dict[str, Any] = {
            "status": "ok",
            "version": self.holder.version,
            "entries": len(kb.entries),
            "sources": len(kb.sources) + len(kb.laws),
            "contacts": len(kb.contacts),
            "quiz": len(kb.quiz),
        }
        if self.holder.problems:
            # Started on the last good snapshot: the directories have problems to mend.
            status["status"] = "degraded"
            status["knowledge"] = "snapshot"
            status["problems"] = self.holder.problems
        if self.recorder is not None:
            status["records"] = self.recorder.status()
            if not self.recorder.healthy:
                status["status"] = "degraded"
        return status

    async def close(self, timeout: float = 10.0) -> None:
        """Write what is queued, then let go of the database."""
        if self.live is not None:
            try:
                await self.live.close()
            except Exception:  # shutting down: a failed last write is logged where it failed
                _LOGGER.exception("could not close the live quiz")
        if self.recorder is not None:
            await self.recorder.close(timeout)
