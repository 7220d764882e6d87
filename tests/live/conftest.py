"""Fixtures for the live quiz tests: the seed quiz, a clock the test moves, and live services
over the test database (SQLite always, PostgreSQL when BOT_TEST_POSTGRES_URL is set)."""

from __future__ import annotations

import random
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.knowledge.loader import load_knowledge
from bot.live import LiveService
from bot.quiz import QuizItem, quiz_items
from bot.storage import Database
from tests.databases import backends, scratch_url

REPO = Path(__file__).resolve().parents[2]
START = datetime(2027, 3, 1, 2, 0, tzinfo=UTC)  # 10:00 in Beijing


class Clock:
    """A clock the test moves by hand."""

    def __init__(self, now: datetime = START) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


@pytest.fixture(scope="session")
def items() -> list[QuizItem]:
    return quiz_items(load_knowledge(REPO / "knowledge"), 0)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture(params=backends())
async def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[str]:
    async with scratch_url(request.param, tmp_path / "live.db") as url:
        yield url


@pytest.fixture
async def make_live(
    db_url: str, items: list[QuizItem], clock: Clock
) -> AsyncIterator[Callable[..., LiveService]]:
    """Factory: live services over the test database, each with its own engine (like a
    process), all on the test's clock."""
    services: list[LiveService] = []

    def make(*, listen: bool = False, seed: int = 1) -> LiveService:
        service = LiveService(
            Database(db_url), lambda: items, rng=random.Random(seed), clock=clock, listen=listen
        )
        services.append(service)
        return service

    yield make
    for service in services:
        await service.close()
        await service.db.dispose()


@pytest.fixture
async def live(make_live: Callable[..., LiveService]) -> LiveService:
    service = make_live()
    await service.prepare()
    return service
