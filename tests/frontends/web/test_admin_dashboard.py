"""The dashboard shows `python -m bot stats --json`'s numbers, for all time and a period."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.cli import main
from tests.admin.support import add_admin, assistant_over, console, log_in, seed

from .harness import INTENTS, KNOWLEDGE


def stats_json(url: str, capsys: pytest.CaptureFixture[str], *extra: str) -> dict:  # type: ignore[type-arg]
    capsys.readouterr()
    assert main(["stats", "--json", "--database", url, "--knowledge", str(KNOWLEDGE), *extra]) == 0
    return json.loads(capsys.readouterr().out)


def test_the_dashboard_is_the_stats_command(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite:///{tmp_path / 'bot.db'}"
    add_admin(url)
    assistant = assistant_over(KNOWLEDGE, INTENTS, url)
    engine = assistant.engine
    earlier = datetime.now(UTC) - timedelta(days=3)
    seed(
        url,
        engine,
        [("条例什么时候施行", "web", "a"), ("火星上有专利局吗", "telegram", "b")],
        earlier,
    )
    seed(
        url,
        engine,
        [
            ("条例什么时候施行？", "wechat", "c"),
            ("宣贯活动找谁", "web", "a"),
            ("火星上有专利局吗", "web", "d"),
            ("谢谢", "console", "e"),
        ],
    )
    with console(assistant, url) as site, site.client() as client:
        log_in(client)
        board = client.get("/api/admin/dashboard")
        assert board.status_code == 200
        data = board.json()
        day = earlier.date().isoformat()
        period = client.get(f"/api/admin/dashboard?since={day}&until={day}").json()
        bad = client.get("/api/admin/dashboard?since=yesterday")
        assert bad.status_code == 422 and "Traceback" not in bad.text
    assert data["stats"] == stats_json(url, capsys)
    assert data["stats"]["questions"] == 6 and data["stats"]["by_kind"]["fallback"] >= 2
    assert period["stats"] == stats_json(url, capsys, "--since", day, "--until", day)
    assert period["stats"]["questions"] == 2
    assert sum(d["total"] for d in data["per_day"]) == 6
    assert data["per_day"][0]["day"] == day and data["per_day"][-1]["total"] == 4
    assert data["learned"] == {"pending": 0, "active": 0, "retiring": 0}
    assert data["names"]["channels"]["web"] == "网页"
