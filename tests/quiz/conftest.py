"""Fixtures for the quiz tests: the seed knowledge base, the demo base with articles, databases."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.knowledge.loader import load_knowledge
from bot.knowledge.model import KnowledgeBase
from tests.databases import backends, scratch_url
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
