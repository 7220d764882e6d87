"""The host's actions as transactions on a game's row: start, next, pause, resume, end.

Each reads the row (locked FOR UPDATE on PostgreSQL, so two processes' hosts cannot both
move the game on), changes it, bumps its version, sends the change notification in the same
transaction (delivered only if it commits) and commits. A request carrying the version the
host saw changes nothing when the game has moved on since: a retried "next" does not skip a
question.

* start — the lobby opens question 1 (`next` in the lobby does the same);
* next — an open question is closed now (revealed early); a revealed one is followed by the
  next question, or after the last one the game finishes;
* pause / resume — an open question's clock stops and goes on (its deadline moves); answers
  sent while it is paused are refused;
* end — the game finishes now; an open question closes with it. Ending twice is harmless.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select, text

from bot.live.game import (
    MAX_QUESTIONS,
    MAX_SECONDS,
    MIN_QUESTIONS,
    MIN_SECONDS,
    GameView,
    Question,
    Timing,
    now_iso,
    resumed_timing,
)
from bot.live.models import LiveGame
from bot.live.notify import CHANNEL, payload
from bot.quiz.bank import QuizItem
from bot.storage import Database

ACTIONS = ("start", "next", "pause", "resume", "end")


class Refused(Exception):
    """The action does not fit the game's phase; `code` says why."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def check_limits(questions: int, seconds: int) -> None:
    if not MIN_QUESTIONS <= questions <= MAX_QUESTIONS:
        raise ValueError(f"questions must be {MIN_QUESTIONS}–{MAX_QUESTIONS}, not {questions}")
    if not MIN_SECONDS <= seconds <= MAX_SECONDS:
        raise ValueError(f"seconds must be {MIN_SECONDS}–{MAX_SECONDS}, not {seconds}")


def shuffled(item: QuizItem, rng: random.Random) -> Question:
    """The item as a game shows it: options in a random order, drawn once."""
    order = list(range(len(item.options)))
    rng.shuffle(order)
    return Question(
        item=item.id,
        text=item.question,
        options=tuple(item.options[i] for i in order),
        correct=order.index(item.correct),
        source_line=item.source_line,
        explanation=item.explanation,
    )


async def notify(session: Any, db: Database, game_id: int, kind: str, origin: str) -> None:
    """NOTIFY other processes (PostgreSQL) as part of the session's transaction."""
    if not db.is_sqlite:
        await session.execute(
            text("SELECT pg_notify(:channel, :payload)"),
            {"channel": CHANNEL, "payload": payload(origin, game_id, kind)},
        )


# Closing a question "now" puts its deadline just before now, so the question is over at once
# (an answer counts up to and including its deadline).
CLOSE = timedelta(milliseconds=1)


def _timings(timings: list[Timing]) -> list[list[str]]:
    return [[now_iso(t.opened_at), now_iso(t.deadline)] for t in timings]


def change(game: GameView, action: str, now: datetime) -> dict[str, Any]:
    """The columns `action` changes on `game` at `now`; Refused when it does not apply."""
    phase = game.phase(now)
    timings = list(game.timings)
    if action == "end":
        if phase == "finished":
            return {}
        if phase == "question" and game.timing is not None:
            closed = min(game.timing.deadline, now - CLOSE)
            timings[game.current] = Timing(game.timing.opened_at, closed)
        return {
            "status": "finished",
            "ended_at": now,
            "paused_left_ms": None,
            "timings": _timings(timings),
        }
    if phase == "finished":
        raise Refused("finished")
    if action == "start" and phase != "lobby":
        raise Refused("already_started")
    if action in ("start", "next") and phase in ("lobby", "reveal"):
        if game.current + 1 >= game.total:
            return {"status": "finished", "ended_at": now}
        opened = Timing(now, now + timedelta(seconds=game.seconds))
        changes: dict[str, Any] = {
            "status": "running",
            "current": game.current + 1,
            "timings": _timings([*timings, opened]),
            "paused_left_ms": None,
        }
        if phase == "lobby":
            changes["started_at"] = now
        return changes
    if action == "next" and phase == "question":
        assert game.timing is not None  # close the question now: reveal early
        closed = min(game.timing.deadline, now - CLOSE)
        timings[game.current] = Timing(game.timing.opened_at, closed)
        return {"timings": _timings(timings), "paused_left_ms": None}
    if action == "pause":
        if phase != "question" or game.paused or game.timing is None:
            raise Refused("not_open")
        left = max(0, int((game.timing.deadline - now).total_seconds() * 1000))
        return {"paused_left_ms": left}
    if action == "resume":
        if not game.paused or game.timing is None or game.paused_left_ms is None:
            raise Refused("not_paused")
        timings[game.current] = resumed_timing(game.timing, game.paused_left_ms, now)
        return {"timings": _timings(timings), "paused_left_ms": None}
    raise Refused("bad_action")


async def apply(
    db: Database,
    game_id: int,
    action: str,
    now: datetime,
    version: int | None = None,
    origin: str = "",
) -> GameView:
    """Do `action` on the game in one transaction and return the game as it is now."""
    if action not in ACTIONS:
        raise Refused("bad_action")
    async with db.session() as session:
        row = await session.scalar(select(LiveGame).where(LiveGame.id == game_id).with_for_update())
        if row is None:
            raise Refused("not_found")
        game = GameView.of(row)
        if version is not None and version != game.version:
            await session.rollback()
            return game  # the host's view is old: a retry, or a second host screen
        changes = change(game, action, now)
        if not changes:
            await session.rollback()
            return game
        for name, value in changes.items():
            setattr(row, name, value)
        row.version = game.version + 1
        await notify(session, db, game_id, "game", origin)
        await session.commit()
        return GameView.of(row)
