"""`python -m bot live new`: a game created in the database, its links printed."""

from __future__ import annotations

import asyncio
import re
from pathlib import Path

import pytest

from bot.cli import main
from bot.live import LiveService
from bot.storage import Database

REPO = Path(__file__).resolve().parents[2]


def test_live_new_creates_a_game_and_prints_its_links(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite:///{tmp_path / 'bot.db'}"
    argv = ["live", "new", "--questions", "3", "--seconds", "15", "--database", url]
    argv += ["--base-url", "https://quiz.example.gov.cn/", "--knowledge", str(REPO / "knowledge")]
    assert main(argv) == 0
    out = capsys.readouterr().out
    pin = re.search(r"PIN: (\d{6})", out).group(1)  # type: ignore[union-attr]
    key = re.search(rf"https://quiz\.example\.gov\.cn/live/host/{pin}#key=(\S+)", out).group(1)  # type: ignore[union-attr]
    assert f"https://quiz.example.gov.cn/live?pin={pin}" in out

    async def read() -> None:
        db = Database(url)
        try:
            live = LiveService(db, list, listen=False)
            game = await live.game(pin)
            assert game is not None and live.is_host(game, key)
            assert (game.total, game.seconds, game.phase(live.clock())) == (3, 15, "lobby")
            assert game.join_url == f"https://quiz.example.gov.cn/live?pin={pin}"
        finally:
            await db.dispose()

    asyncio.run(read())


@pytest.mark.parametrize(
    "extra", [["--questions", "0"], ["--seconds", "1"], ["--base-url", "quiz.example.gov.cn"]]
)
def test_live_new_refuses_bad_arguments(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], extra: list[str]
) -> None:
    url = f"sqlite:///{tmp_path / 'bot.db'}"
    assert main(["live", "new", "--database", url, *extra]) == 2
    assert capsys.readouterr().err.startswith("error:")
