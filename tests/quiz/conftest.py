"""Fixtures for the quiz tests: the seed knowledge base, the demo base with articles, databases."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.knowledge.loader import load_knowledge
from bot.knowledge.model import KnowledgeBase
from bot.storage import Database
from tests.databases import POSTGRES_ENV
from tests.databases import backends as _backends
from tests.quiz.kbfixture import demo_kb

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def seed_kb() -> KnowledgeBase:
    return load_knowledge(REPO / "knowledge")


@pytest.fixture(scope="session")
def articles_kb(tmp_path_factory: pytest.TempPathFactory) -> KnowledgeBase:
    """The demo base: a made-up law of twelve imported articles, contacts and a fact entry."""
    return demo_kb(tmp_path_factory.mktemp("demo-kb"))


async def _reset_postgres(db: Database) -> None:
    from bot.storage.models import Base

    async with db.engine.begin() as connection:
        await connection.run_sync(Base.metadata.drop_all)


@pytest.fixture(params=_backends())
async def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[str]:
    """A database URL: an SQLite file in tmp_path, or the PostgreSQL test database (emptied)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'quiz.db'}"
        return
    url = os.environ[POSTGRES_ENV]
    db = Database(url)
    await _reset_postgres(db)
    await db.dispose()
    yield url
    db = Database(url)
    await _reset_postgres(db)
    await db.dispose()
