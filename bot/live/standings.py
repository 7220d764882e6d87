"""Rankings and answer distributions of a game, read in one query each and kept briefly.

A hall of 500 phones all want their rank the moment a question closes; the ranking of the
closed questions is read once per process and shared. Shortly after a close it is read again
every second (answers received before the deadline may still be in another process's write
queue); a few seconds after the close it is final and kept until the next question closes.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import case, func, select

from bot.live.game import GameView
from bot.live.models import LiveAnswer, LivePlayer
from bot.storage import Database

RANKING_SIZE = 10
# After this long past a question's deadline its answers are final (no write still queued).
FINAL_AFTER = timedelta(seconds=5)
# Until then a ranking or distribution read is reused this long (seconds).
FRESH_FOR = 1.0
MAX_CACHED = 200


@dataclass(frozen=True)
class Standing:
    player_id: int
    name: str
    score: int
    correct: int
    answered: int
    rank: int

    def to_json(self) -> dict[str, Any]:
        return {
            "rank": self.rank,
            "name": self.name,
            "score": self.score,
            "correct": self.correct,
            "answered": self.answered,
        }


@dataclass(frozen=True)
class Board:
    """Everyone's standing over the game's first `closed` questions, best first."""

    closed: int
    rows: tuple[Standing, ...]
    by_player: dict[int, Standing] = field(repr=False)

    def standing(self, player_id: int) -> tuple[int, int]:
        """(score, rank); a player who joined after the read has 0 points and ranks below
        everyone who scored."""
        row = self.by_player.get(player_id)
        if row is not None:
            return row.score, row.rank
        return 0, sum(1 for r in self.rows if r.score > 0) + 1

    def top(self, n: int = RANKING_SIZE) -> list[Standing]:
        return list(self.rows[:n])


@dataclass(frozen=True)
class Tally:
    """The answers to one question: per player, and how many chose each option."""

    question: int
    answers: dict[int, tuple[list[int], bool, int]]  # player → (options, correct, points)
    counts: tuple[int, ...]

    @property
    def answered(self) -> int:
        return len(self.answers)

    @property
    def right(self) -> int:
        return sum(1 for _, correct, _ in self.answers.values() if correct)


def ranked(rows: list[tuple[int, str, int, int, int]]) -> tuple[Standing, ...]:
    """Competition ranking: more points first, then more right answers; equal points share a
    rank (1, 2, 2, 4); names order the ties on screen."""
    rows = sorted(rows, key=lambda r: (-r[2], -r[3], r[1], r[0]))
    out: list[Standing] = []
    for position, (player_id, name, score, correct, answered) in enumerate(rows, 1):
        rank = out[-1].rank if out and out[-1].score == score else position
        out.append(Standing(player_id, name, score, correct, answered, rank))
    return tuple(out)


class Standings:
    """Cached rankings and tallies over one database."""

    def __init__(self, db: Database, clock: Callable[[], datetime]) -> None:
        self.db = db
        self.clock = clock
        self._cache: dict[tuple[str, int, int, int], tuple[Any, float, bool]] = {}
        self._locks: dict[tuple[str, int, int, int], asyncio.Lock] = {}

    async def board(self, game: GameView, closed: int | None = None) -> Board:
        closed = game.closed_count(self.clock()) if closed is None else closed
        return await self._cached(("board", game.id, closed, 1), game, closed - 1, self._board)

    async def tally(self, game: GameView, question: int) -> Tally:
        # A tally read while the question was open is never used once it has closed.
        closed = int(game.closed_count(self.clock()) > question)
        key = ("tally", game.id, question, closed)
        return await self._cached(key, game, question, self._tally)

    def forget(self, game_id: int) -> None:
        for key in [k for k in self._cache if k[1] == game_id]:
            self._cache.pop(key, None)

    async def _cached(self, key: Any, game: GameView, last: int, read: Any) -> Any:
        hit = self._cache.get(key)
        if hit is not None and (hit[2] or time.monotonic() - hit[1] < FRESH_FOR):
            return hit[0]
        lock = self._locks.setdefault(key, asyncio.Lock())
        async with lock:  # 500 streams waking together read once
            hit = self._cache.get(key)
            if hit is not None and (hit[2] or time.monotonic() - hit[1] < FRESH_FOR):
                return hit[0]
            deadline = game.deadline_of(last) if last >= 0 else None
            final = deadline is not None and self.clock() >= deadline + FINAL_AFTER
            if key[0] == "tally":  # a question still open is never final
                final = final and bool(key[3])
            value = await read(game, key[2])
            if len(self._cache) >= MAX_CACHED:
                self._cache.clear()
            self._cache[key] = (value, time.monotonic(), final)
        self._locks.pop(key, None)
        return value

    async def _board(self, game: GameView, closed: int) -> Board:
        players = select(LivePlayer.id, LivePlayer.name).where(LivePlayer.game_id == game.id)
        sums = (
            select(
                LiveAnswer.player_id,
                func.sum(LiveAnswer.points),
                func.sum(case((LiveAnswer.correct, 1), else_=0)),
                func.count(LiveAnswer.id),
            )
            .where(LiveAnswer.game_id == game.id, LiveAnswer.question < closed)
            .group_by(LiveAnswer.player_id)
        )
        async with self.db.session() as session:
            names = (await session.execute(players)).all()
            totals = {row[0]: row[1:] for row in (await session.execute(sums)).all()}
        rows = []
        for player_id, name in names:
            score, correct, answered = totals.get(player_id, (0, 0, 0))
            rows.append((player_id, name, int(score or 0), int(correct or 0), int(answered or 0)))
        standings = ranked(rows)
        return Board(closed, standings, {s.player_id: s for s in standings})

    async def _tally(self, game: GameView, question: int) -> Tally:
        query = select(
            LiveAnswer.player_id, LiveAnswer.option_ids, LiveAnswer.correct, LiveAnswer.points
        ).where(LiveAnswer.game_id == game.id, LiveAnswer.question == question)
        async with self.db.session() as session:
            rows = (await session.execute(query)).all()
        options = len(game.questions[question].options) if 0 <= question < game.total else 0
        counts = [0] * options
        answers: dict[int, tuple[list[int], bool, int]] = {}
        for player_id, option_ids, correct, points in rows:
            answers[player_id] = (list(option_ids), bool(correct), int(points))
            for option in option_ids:
                if 0 <= option < options:
                    counts[option] += 1
        return Tally(question, answers, tuple(counts))


async def answered_count(db: Database, game_id: int, question: int) -> int:
    query = select(func.count(LiveAnswer.id)).where(
        LiveAnswer.game_id == game_id, LiveAnswer.question == question
    )
    async with db.session() as session:
        return int(await session.scalar(query) or 0)


async def player_answer(
    db: Database, game_id: int, question: int, player_id: int
) -> list[int] | None:
    query = select(LiveAnswer.option_ids).where(
        LiveAnswer.game_id == game_id,
        LiveAnswer.question == question,
        LiveAnswer.player_id == player_id,
    )
    async with db.session() as session:
        found = await session.scalar(query)
    return list(found) if found is not None else None
