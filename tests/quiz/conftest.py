"""Fixtures for the quiz tests: the seed knowledge base, the demo base with articles, databases,
and quiz services over the test database."""

from __future__ import annotations

import random
from collections.abc import AsyncIterator, Callable, Sequence
from pathlib import Path

import pytest

from bot.knowledge.loader import load_knowledge
from bot.knowledge.model import KnowledgeBase
from bot.quiz import QuizItem, QuizService
from bot.storage import Database
from tests.databases import backends, scratch_url
from tests.quiz.helpers import make_items
from tests.quiz.kbfixture import demo_kb

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def seed_kb() -> KnowledgeBase:
    return load_knowledge(REPO / "knowledge")


@pytest.fixture(scope="session")
def articles_kb(tmp_path_factory: pytest.TempPathFactory) -> KnowledgeBase:
    """The demo base: a made-up law of twelve imported articles, contacts and a fact entry."""
    return demo_kb(tmp_path_factory.mktemp("demo-kb"))


@pytest.fixture(params=backends())
async def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[str]:
    """A database URL: an SQLite file in tmp_path, or the PostgreSQL test database (emptied)."""
    async with scratch_url(request.param, tmp_path / "quiz.db") as url:
        yield url


@pytest.fixture
async def make_service(db_url: str) -> AsyncIterator[Callable[..., QuizService]]:
    """Factory: services over the test database, each with its own engine (like a process)."""
    databases: list[Database] = []

    def make(items: Sequence[QuizItem] | None = None, seed: int = 1) -> QuizService:
        db = Database(db_url)
        databases.append(db)
        pool = list(items) if items is not None else make_items(12)
        return QuizService(db, lambda: pool, rng=random.Random(seed), secret="test-secret")

    first = make()
    await first.prepare()
    yield make
    for db in databases:
        await db.dispose()
