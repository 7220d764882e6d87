"""Live hall games in the campaign report: a section with one row per game, and the JSON."""

from __future__ import annotations

import asyncio
from datetime import date
from pathlib import Path

from bot.report import write_report
from bot.storage import Database
from tests.stats.test_live import play

from .conftest import read_page


async def test_the_report_lists_the_live_games(empty_url: str, tmp_path: Path) -> None:
    db = Database(empty_url)
    try:
        await play(db, tmp_path / "kb")
    finally:
        await db.dispose()
    out = tmp_path / "report.html"
    summary = await asyncio.to_thread(write_report, empty_url, out)
    assert "1 live games, 3 players" in summary
    page = read_page(out)
    assert "live" in page.ids
    header, row = page.tables["live-table"]
    assert header[0] == "时间（北京时间）"
    assert row[2:] == ["已结束", "2", "3", "6", "50.0%", "45"]
    assert page.data["live"]["games"] == 1 and page.data["live"]["per_game"][0]["answers"] == 6


async def test_a_period_before_the_game_has_none(empty_url: str, tmp_path: Path) -> None:
    db = Database(empty_url)
    try:
        await play(db, tmp_path / "kb")
    finally:
        await db.dispose()
    out = tmp_path / "report.html"
    earlier = (date(2020, 1, 1), date(2020, 1, 2))
    assert "no data" in await asyncio.to_thread(write_report, empty_url, out, *earlier)
    assert read_page(out).data["live"] == {
        "games": 0,
        "finished": 0,
        "players": 0,
        "answers": 0,
        "correct": 0,
        "points": 0,
        "per_game": [],
    }
