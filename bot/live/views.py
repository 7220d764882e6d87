"""What a phone, the host screen and the results page see of a game, as JSON-ready dicts.

Nothing here changes a game. The right answer is never in a player's or the host's view
before the question closes; a player's own right/wrong and points come with the reveal, so
neighbours in the hall learn nothing from a phone's screen early. Scores and ranks count the
closed questions only.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from bot.live.game import GameView, now_iso
from bot.live.service import LiveService, Player
from bot.live.standings import RANKING_SIZE, answered_count, player_answer

UNKNOWN: Any = ...  # "read the player's own answer from the database"
SHARED: Any = "shared"  # "take it from the question's shared tally (at most a second old)"


def question_json(game: GameView, now: datetime) -> dict[str, Any] | None:
    question, timing = game.question, game.timing
    if question is None or timing is None or game.phase(now) not in ("question", "reveal"):
        return None
    return {
        "id": game.current + 1,
        "number": game.current + 1,
        "total": game.total,
        "text": question.text,
        "options": [{"id": i, "text": text} for i, text in enumerate(question.options)],
        "deadline": None if game.paused else now_iso(timing.deadline),
        "seconds": game.seconds,
        "left_ms": game.paused_left_ms,
    }


def _reveal(game: GameView) -> dict[str, Any]:
    question = game.question
    assert question is not None
    return {
        "correct_option_ids": [question.correct],
        "answer": question.options[question.correct],
        "source_line": question.source_line,
        "explanation": question.explanation,
    }


def _common(game: GameView, now: datetime) -> dict[str, Any]:
    return {
        "status": game.phase(now),
        "paused": game.paused,
        "total": game.total,
        "version": game.version,
        "server_time": now_iso(now),
    }


async def player_state(
    live: LiveService, game: GameView, player: Player, own: Any = UNKNOWN
) -> dict[str, Any]:
    """GET /api/live/{pin}/state: the game's phase and question, the player's score and rank.

    `own` is the player's answer to the open question when the caller knows it (a stream
    that read it once), SHARED to take it from the question's tally that every stream of the
    process shares (a stream reconnecting does not query the database for itself); by
    default it is read here.
    """
    now = live.clock()
    phase = game.phase(now)
    board = await live.standings.board(game)
    score, rank = board.standing(player.id)
    state = {
        **_common(game, now),
        "question": question_json(game, now),
        "score": score,
        "rank": rank if board.closed > 0 else None,
        "player": {"id": player.id, "name": player.name},
        "answer": None,
        "result": None,
        "top": None,
    }
    if phase == "question":
        if own is UNKNOWN:
            own = await player_answer(live.db, game.id, game.current, player.id)
        elif own is SHARED:
            mine = (await live.standings.tally(game, game.current)).answers.get(player.id)
            own = mine[0] if mine is not None else None
        state["answer"] = {"option_ids": own} if own is not None else None
    elif phase == "reveal":
        tally = await live.standings.tally(game, game.current)
        mine = tally.answers.get(player.id)
        state["answer"] = {"option_ids": mine[0]} if mine is not None else None
        state["result"] = {
            **_reveal(game),
            "answered": mine is not None,
            "correct": bool(mine and mine[1]),
            "points": mine[2] if mine else 0,
        }
    if phase in ("reveal", "finished"):
        state["top"] = [s.to_json() for s in board.top(RANKING_SIZE)]
    return state


async def host_state(live: LiveService, game: GameView, join_url: str) -> dict[str, Any]:
    """The host screen: PIN, join link, players; the question, how many answered; after the
    timer the distribution, the right answer with its source, and the top 10."""
    now = live.clock()
    phase = game.phase(now)
    state: dict[str, Any] = {
        **_common(game, now),
        "pin": game.pin,
        "join_url": join_url,
        "players": await live.player_count(game),
        "names": await live.player_names(game) if phase == "lobby" else None,
        "question": question_json(game, now),
        "answered": None,
        "reveal": None,
        "leaderboard": None,
    }
    if phase == "question":
        state["answered"] = await answered_count(live.db, game.id, game.current)
    elif phase == "reveal":
        tally = await live.standings.tally(game, game.current)
        state["answered"] = tally.answered
        state["reveal"] = {**_reveal(game), "counts": list(tally.counts), "right": tally.right}
    if phase in ("reveal", "finished"):
        board = await live.standings.board(game)
        state["leaderboard"] = [s.to_json() for s in board.top(RANKING_SIZE)]
    return state


async def results(live: LiveService, game: GameView) -> dict[str, Any]:
    """GET /api/live/{pin}/results: every closed question with its answer, source and
    counts, and the whole ranking (questions not yet closed are not shown)."""
    now = live.clock()
    closed = game.closed_count(now)
    board = await live.standings.board(game, closed)
    questions = []
    for index in range(closed):
        question = game.questions[index]
        tally = await live.standings.tally(game, index)
        questions.append(
            {
                "number": index + 1,
                "text": question.text,
                "options": list(question.options),
                "correct_option_ids": [question.correct],
                "answer": question.options[question.correct],
                "source_line": question.source_line,
                "answered": tally.answered,
                "right": tally.right,
                "counts": list(tally.counts),
            }
        )
    return {
        "pin": game.pin,
        "status": game.phase(now),
        "total": game.total,
        "players": len(board.rows),
        "questions": questions,
        "ranking": [s.to_json() for s in board.rows],
    }
