"""BOT_RETENTION_DAYS: question records older than N days are deleted, others kept.

Runs on SQLite and, when BOT_TEST_POSTGRES_URL is set, on PostgreSQL.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.storage import Database, QuestionLog
from bot.storage.retention import prune_questions, retention_days
from tests.databases import backends as _backends
from tests.databases import scratch_url

NOW = datetime(2024, 6, 1, 12, tzinfo=UTC)
REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(params=_backends())
async def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[str]:
    async with scratch_url(request.param, tmp_path / "retention.db") as url:
        yield url


async def _fill(log: QuestionLog, ages: list[timedelta]) -> None:
    await log.prepare()
    for i, age in enumerate(ages):
        await log.record(
            user_id=i,
            chat_type="private",
            frontend="telegram",
            question=f"问题{i}",
            kind="answer",
            intent="search",
            entry=None,
            confidence=1.0,
            created_at=NOW - age,
        )


async def test_prune_deletes_only_records_older_than_the_limit(db_url: str) -> None:
    log = QuestionLog(Database(db_url), "secret")
    try:
        ages = [
            timedelta(days=30, seconds=1),  # older than 30 days: deleted
            timedelta(days=400),  # deleted
            timedelta(days=30),  # exactly 30 days: kept
            timedelta(days=29),
            timedelta(0),
        ]
        await _fill(log, ages)
        assert await prune_questions(log.database, 30, now=NOW) == 2
        kept = sorted(r.question for r in await log.recent(None))
        assert kept == ["问题2", "问题3", "问题4"]
        assert await prune_questions(log.database, 30, now=NOW) == 0  # idempotent
    finally:
        await log.close()


async def test_prune_refuses_a_nonsense_limit(tmp_path: Path) -> None:
    db = Database(f"sqlite:///{tmp_path / 'x.db'}")
    try:
        with pytest.raises(ValueError):
            await prune_questions(db, 0)
    finally:
        await db.dispose()


@pytest.mark.parametrize(
    ("raw", "days"), [(None, None), ("", None), ("0", None), (" 90 ", 90), ("1", 1)]
)
def test_retention_days_from_the_environment(raw: str | None, days: int | None) -> None:
    env = {} if raw is None else {"BOT_RETENTION_DAYS": raw}
    assert retention_days(env) == days


@pytest.mark.parametrize("raw", ["-1", "abc", "1.5"])
def test_bad_retention_days_are_refused(raw: str) -> None:
    with pytest.raises(ValueError, match="BOT_RETENTION_DAYS"):
        retention_days({"BOT_RETENTION_DAYS": raw})


async def test_the_module_prunes_once_from_the_command_line(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    log = QuestionLog(Database(url), "secret")
    now = datetime.now(UTC)
    try:
        await log.prepare()
        for age in (timedelta(days=100), timedelta(days=1)):
            await log.record(
                user_id=1,
                chat_type="private",
                frontend="telegram",
                question="问",
                kind="answer",
                intent="search",
                entry=None,
                confidence=1.0,
                created_at=now - age,
            )
    finally:
        await log.close()
    env = {k: v for k, v in os.environ.items() if not k.startswith("BOT_")}
    env["BOT_RETENTION_DAYS"] = "90"
    result = subprocess.run(
        [sys.executable, "-m", "bot.storage.retention", "--database", url],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert "deleted 1 question record(s) older than 90 days" in result.stdout
    check = QuestionLog(Database(url), "secret")
    try:
        assert await check.count() == 1
    finally:
        await check.close()
