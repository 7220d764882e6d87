"""Live hall games in the statistics: games, players and answers in `stats` and its JSON."""

from __future__ import annotations

import random
from datetime import date, timedelta

from bot import stats
from bot.live import LiveService
from bot.quiz import quiz_items
from bot.storage import Database
from tests.quiz.kbfixture import demo_kb

from .conftest import NOW


async def play(db: Database, tmp_path, players: int = 3) -> None:  # type: ignore[no-untyped-def]
    """A finished game of two questions: the first answered right by everyone, the second by
    nobody."""
    items = quiz_items(demo_kb(tmp_path), 0)
    clock = [NOW]
    live = LiveService(db, lambda: items, rng=random.Random(2), clock=lambda: clock[0])
    created = await live.create_game(2, 20)
    game = await live.game(created.pin)
    assert game is not None
    joined = [(await live.join(game, f"玩家{i}")).player for i in range(players)]
    game = await live.act(game, "start")
    for player in joined:
        await live.answer(game, player, 1, [game.question.correct])
    clock[0] += timedelta(seconds=21)
    game = await live.act(game, "next")
    wrong = (game.question.correct + 1) % len(game.question.options)
    for player in joined:
        await live.answer(game, player, 2, [wrong])
    await live.act(game, "end")
    await live.close()


async def test_live_games_are_counted(db: Database, tmp_path) -> None:  # type: ignore[no-untyped-def]
    assert await stats.live_stats(db) == stats.LiveStats()
    await play(db, tmp_path)
    figures = await stats.live_stats(db)
    assert (figures.games, figures.finished, figures.players) == (1, 1, 3)
    assert (figures.answers, figures.correct, figures.points) == (6, 3, 45)
    summary = await stats.admin_summary(db, now=NOW)
    assert stats.stats_json(summary)["live"] == {
        "games": 1,
        "finished": 1,
        "players": 3,
        "answers": 6,
        "correct": 3,
        "points": 45,
    }
    assert "现场竞赛：1 场，3 人参加，作答 6 次，答对 3 次" in stats.stats_text(summary)
    [row] = await stats.live_games(db)
    assert (row.questions, row.players, row.answers, row.accuracy) == (2, 3, 6, 0.5)
    before = stats.Period(until=NOW.date() - timedelta(days=1))
    assert (await stats.live_stats(db, before)).games == 0
    assert (await stats.live_stats(db, stats.Period(since=date(2024, 1, 1)))).games == 1
