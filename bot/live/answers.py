"""Players' answers: judged against the stored deadline, written in batches, counted once.

A hall answers within seconds of each other, so answers are not written one transaction
each: those that arrive while a write is in progress are queued and written together in the
next transaction ("group commit"). Each caller gets its outcome only after its answer is
committed, so an acknowledged answer survives a crash of the process.

"Counts once" is the database's: the batch is inserted with ON CONFLICT DO NOTHING on the
(game, question, player) unique constraint, and only rows actually inserted are new. A row
that was already there is a second tap or a retried request: when it holds the same options
the caller is told it was accepted (`repeat`, so a retry after a lost response is no error),
otherwise `already_answered`. Nothing about right or wrong is said before the reveal.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Sequence
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select, tuple_

from bot.live.game import GameView
from bot.live.models import LiveAnswer, LiveGame
from bot.quiz.scoring import PollWindow, assess
from bot.storage import Database

_LOGGER = logging.getLogger(__name__)

MAX_BATCH = 1000


@dataclass(frozen=True)
class AnswerResult:
    """What the player is told: accepted, or why not (`not_open`, `late`, `paused`,
    `already_answered`, `empty`)."""

    accepted: bool
    reason: str | None = None
    repeat: bool = False

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"accepted": self.accepted}
        if self.reason:
            out["reason"] = self.reason
        if self.repeat:
            out["repeat"] = True
        return out


@dataclass
class _Pending:
    game_id: int
    question: int
    player_id: int
    option_ids: list[int]
    received_at: datetime
    future: asyncio.Future[AnswerResult] = field(repr=False)

    @property
    def key(self) -> tuple[int, int, int]:
        return (self.game_id, self.question, self.player_id)


def judge(game: GameView, question: int, option_ids: Sequence[int], at: datetime) -> Any:
    """The scoring verdict on one answer (bot.quiz.scoring, as the Telegram quiz scores), or
    the reason it cannot count."""
    if not option_ids:
        return "empty"
    if not 0 <= question < len(game.timings):
        return "not_open"  # not asked yet (or no such question)
    if question == game.current and game.paused:
        return "paused"
    timing = game.timings[question]
    window = PollWindow(timing.opened_at, timing.deadline, game.questions[question].correct)
    verdict = assess(window, option_ids, at)
    return verdict if verdict.counts else verdict.verdict


class AnswerWriter:
    """The queue of answers and its one writer task (per process and event loop)."""

    def __init__(
        self, db: Database, write_lock: Callable[[], AbstractAsyncContextManager[Any]]
    ) -> None:
        self.db = db
        self.write_lock = write_lock
        self._queue: list[_Pending] = []
        self._writer: asyncio.Task[None] | None = None
        self.written = 0  # answers inserted by this process (figures, tests)

    async def submit(
        self, game_id: int, question: int, player_id: int, option_ids: Sequence[int], at: datetime
    ) -> AnswerResult:
        loop = asyncio.get_running_loop()
        pending = _Pending(game_id, question, player_id, list(option_ids), at, loop.create_future())
        pending.future.add_done_callback(_retrieve)
        self._queue.append(pending)
        if self._writer is None or self._writer.done() or self._writer.get_loop() is not loop:
            self._writer = loop.create_task(self._drain())
        return await asyncio.shield(pending.future)

    async def flush(self) -> None:
        """Wait until every answer queued so far is written."""
        while self._writer is not None and not self._writer.done():
            await asyncio.shield(self._writer)

    async def _drain(self) -> None:
        while self._queue:
            batch, self._queue = self._queue[:MAX_BATCH], self._queue[MAX_BATCH:]
            try:
                async with self.write_lock():
                    results = await self._write(batch)
            except Exception as error:  # every waiting caller learns of the failure
                _LOGGER.exception("writing %d live answers failed", len(batch))
                for pending in batch:
                    if not pending.future.done():
                        pending.future.set_exception(error)
                continue
            for pending, result in zip(batch, results, strict=True):
                if not pending.future.done():
                    pending.future.set_result(result)

    async def _write(self, batch: list[_Pending]) -> list[AnswerResult]:
        results: list[AnswerResult | None] = [None] * len(batch)
        async with self.db.session() as session, session.begin():
            game_ids = sorted({p.game_id for p in batch})
            games = {
                row.id: GameView.of(row)
                for row in await session.scalars(select(LiveGame).where(LiveGame.id.in_(game_ids)))
            }
            rows: list[dict[str, Any]] = []
            first: dict[tuple[int, int, int], int] = {}
            for index, pending in enumerate(batch):
                game = games.get(pending.game_id)
                verdict = (
                    judge(game, pending.question, pending.option_ids, pending.received_at)
                    if game is not None
                    else "not_open"
                )
                if isinstance(verdict, str):
                    results[index] = AnswerResult(False, verdict)
                    continue
                if pending.key in first:
                    continue  # decided below, against the first of the batch
                first[pending.key] = index
                rows.append(
                    {
                        "game_id": pending.game_id,
                        "question": pending.question,
                        "player_id": pending.player_id,
                        "option_ids": pending.option_ids,
                        "correct": verdict.correct,
                        "points": verdict.points,
                        "received_at": pending.received_at,
                    }
                )
            inserted = await self._insert(session, rows) if rows else set()
            self.written += len(inserted)
            stored = await self._stored(session, [k for k in first if k not in inserted])
        for key, index in first.items():
            stored[key] = stored.get(key) or batch[index].option_ids
        for index, pending in enumerate(batch):
            if results[index] is not None:
                continue
            if first.get(pending.key) == index and pending.key in inserted:
                results[index] = AnswerResult(True)
            elif stored.get(pending.key) == pending.option_ids:
                results[index] = AnswerResult(True, repeat=True)
            else:
                results[index] = AnswerResult(False, "already_answered")
        return [r for r in results if r is not None]

    async def _insert(self, session: Any, rows: list[dict[str, Any]]) -> set[tuple[int, int, int]]:
        table = LiveAnswer.__table__
        statement = (
            self.db.insert(table)
            .on_conflict_do_nothing(index_elements=["game_id", "question", "player_id"])
            .returning(
                table.c.game_id, table.c.question, table.c.player_id, sort_by_parameter_order=False
            )
        )
        result = await session.execute(statement, rows)
        return {(g, q, p) for g, q, p in result.all()}

    async def _stored(
        self, session: Any, keys: list[tuple[int, int, int]]
    ) -> dict[tuple[int, int, int], list[int]]:
        """The options already stored for answers that were there before this batch."""
        if not keys:
            return {}
        columns = (LiveAnswer.game_id, LiveAnswer.question, LiveAnswer.player_id)
        rows = await session.execute(
            select(*columns, LiveAnswer.option_ids).where(tuple_(*columns).in_(keys))
        )
        return {(g, q, p): list(options) for g, q, p, options in rows.all()}


def _retrieve(future: asyncio.Future[AnswerResult]) -> None:
    if not future.cancelled():
        future.exception()
