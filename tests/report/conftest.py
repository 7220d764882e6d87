"""Fixtures for the report tests: a demo campaign database and a parser for the page."""

from __future__ import annotations

import asyncio
import importlib.util
import json
import sys
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from bot.engine import Engine
from bot.storage import Database
from tests.databases import backends as _backends
from tests.databases import scratch_url

REPO = Path(__file__).resolve().parents[2]
# A smaller campaign than the script's default, so the tests stay quick.
DEMO = {"weeks": 3, "users": 120, "groups": 3, "questions_per_day": 25, "seed": 11}


def load_demo_module() -> ModuleType:
    """benchmarks/demo_database.py (a script, not a package module)."""
    path = REPO / "benchmarks" / "demo_database.py"
    spec = importlib.util.spec_from_file_location("demo_database", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while being defined
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def demo_module() -> ModuleType:
    return load_demo_module()


@dataclass
class Demo:
    url: str
    totals: Any  # demo_database.DemoTotals


async def fill(url: str, engine: Engine, demo_module: ModuleType) -> Any:
    db = Database(url)
    try:
        return await demo_module.fill_demo(db, engine=engine, **DEMO)
    finally:
        await db.dispose()


@pytest.fixture(scope="module")
def demo_sqlite(
    tmp_path_factory: pytest.TempPathFactory, engine: Engine, demo_module: ModuleType
) -> Demo:
    """One demo campaign in an SQLite file, shared by a module's tests (read only)."""
    url = f"sqlite:///{tmp_path_factory.mktemp('demo') / 'demo.db'}"
    return Demo(url, asyncio.run(fill(url, engine, demo_module)))


@pytest.fixture(params=_backends())
async def empty_url(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[str]:
    """An empty database with every table: an SQLite file or the PostgreSQL test database."""
    async with scratch_url(request.param, tmp_path / "report.db") as url:
        db = Database(url)
        await db.migrate()
        await db.dispose()
        yield url


@dataclass
class Page:
    """What the tests read from a report page."""

    html: str
    data: dict[str, Any]
    cards: dict[str, str] = field(default_factory=dict)
    tables: dict[str, list[list[str]]] = field(default_factory=dict)
    ids: list[str] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.cards: dict[str, str] = {}
        self.tables: dict[str, list[list[str]]] = {}
        self.ids: list[str] = []
        self.texts: list[str] = []
        self.script = ""
        self._card: str | None = None
        self._table: str | None = None
        self._row: list[str] | None = None
        self._cell: list[str] | None = None
        self._in_script = False
        self._in_svg = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if a.get("id"):
            self.ids.append(str(a["id"]))
        if tag == "svg":
            self._in_svg += 1
        if tag == "span" and a.get("data-key"):
            self._card = str(a["data-key"])
            self.cards[self._card] = ""
        elif tag == "table":
            self._table = str(a.get("id"))
            self.tables[self._table] = []
        elif tag == "tr" and self._table is not None:
            self._row = []
        elif tag in ("td", "th") and self._row is not None:
            self._cell = []
        elif tag == "script" and a.get("id") == "report-data":
            self._in_script = True

    def handle_endtag(self, tag: str) -> None:
        if tag == "svg":
            self._in_svg -= 1
        if tag == "span":
            self._card = None
        elif tag in ("td", "th") and self._cell is not None and self._row is not None:
            self._row.append("".join(self._cell))
            self._cell = None
        elif tag == "tr" and self._row is not None and self._table is not None:
            self.tables[self._table].append(self._row)
            self._row = None
        elif tag == "table":
            self._table = None
        elif tag == "script":
            self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script:
            self.script += data
            return
        if self._card is not None:
            self.cards[self._card] += data
        if self._cell is not None:
            self._cell.append(data)
        if not self._in_svg and data.strip():
            self.texts.append(data.strip())


def read_page(path: Path) -> Page:
    html = path.read_text(encoding="utf-8")
    reader = _Reader()
    reader.feed(html)
    reader.close()
    return Page(
        html=html,
        data=json.loads(reader.script),
        cards=reader.cards,
        tables=reader.tables,
        ids=reader.ids,
        texts=reader.texts,
    )
