"""Live hall games in figures: games, players, answers (bot.live).

Games fall in a period by the time they were created, and their players and answers go with
them (a game is one event of an afternoon).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import case, func, select

from bot.live.models import LiveAnswer, LiveGame, LivePlayer
from bot.stats.period import ALL_TIME, Period
from bot.storage import Database


@dataclass(frozen=True)
class LiveStats:
    games: int = 0
    finished: int = 0
    players: int = 0
    answers: int = 0
    correct: int = 0
    points: int = 0

    @property
    def accuracy(self) -> float:
        return self.correct / self.answers if self.answers else 0.0

    def to_json(self) -> dict[str, Any]:
        return {
            "games": self.games,
            "finished": self.finished,
            "players": self.players,
            "answers": self.answers,
            "correct": self.correct,
            "points": self.points,
        }


async def live_stats(db: Database, period: Period = ALL_TIME) -> LiveStats:
    """The live games created in the period, their players and answers."""
    game_ids = select(LiveGame.id).where(*period.conditions(LiveGame.created_at))
    games = select(
        func.count(LiveGame.id), func.sum(case((LiveGame.status == "finished", 1), else_=0))
    ).where(*period.conditions(LiveGame.created_at))
    players = select(func.count(LivePlayer.id)).where(LivePlayer.game_id.in_(game_ids))
    answers = select(
        func.count(LiveAnswer.id),
        func.sum(case((LiveAnswer.correct, 1), else_=0)),
        func.sum(LiveAnswer.points),
    ).where(LiveAnswer.game_id.in_(game_ids))
    async with db.session() as session:
        total, finished = (await session.execute(games)).one()
        joined = await session.scalar(players)
        count, correct, points = (await session.execute(answers)).one()
    return LiveStats(
        games=int(total or 0),
        finished=int(finished or 0),
        players=int(joined or 0),
        answers=int(count or 0),
        correct=int(correct or 0),
        points=int(points or 0),
    )


@dataclass(frozen=True)
class LiveGameRow:
    """One game: when it was created, its PIN and status, and how it went."""

    created_at: Any
    pin: str
    status: str
    questions: int
    players: int
    answers: int
    correct: int
    points: int

    @property
    def accuracy(self) -> float:
        return self.correct / self.answers if self.answers else 0.0


async def live_games(db: Database, period: Period = ALL_TIME) -> list[LiveGameRow]:
    """Every live game created in the period, oldest first."""
    games = (
        select(LiveGame.id, LiveGame.created_at, LiveGame.pin, LiveGame.status, LiveGame.questions)
        .where(*period.conditions(LiveGame.created_at))
        .order_by(LiveGame.created_at, LiveGame.id)
    )
    game_ids = select(LiveGame.id).where(*period.conditions(LiveGame.created_at))
    players = (
        select(LivePlayer.game_id, func.count(LivePlayer.id))
        .where(LivePlayer.game_id.in_(game_ids))
        .group_by(LivePlayer.game_id)
    )
    answers = (
        select(
            LiveAnswer.game_id,
            func.count(LiveAnswer.id),
            func.sum(case((LiveAnswer.correct, 1), else_=0)),
            func.sum(LiveAnswer.points),
        )
        .where(LiveAnswer.game_id.in_(game_ids))
        .group_by(LiveAnswer.game_id)
    )
    async with db.session() as session:
        rows = (await session.execute(games)).all()
        joined = dict((await session.execute(players)).all())
        answered = {r[0]: r[1:] for r in (await session.execute(answers)).all()}
    out = []
    for game_id, created_at, pin, status, questions in rows:
        count, correct, points = answered.get(game_id, (0, 0, 0))
        out.append(
            LiveGameRow(
                created_at=created_at,
                pin=pin,
                status=status,
                questions=len(questions or []),
                players=int(joined.get(game_id, 0)),
                answers=int(count or 0),
                correct=int(correct or 0),
                points=int(points or 0),
            )
        )
    return out
