"""Shared fixtures: one engine over the seed knowledge, and writable copies of the data dirs."""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from bot.engine import Engine
from tests.databases import use_worker_database

# One vector cache per test session (and the processes it starts): hermetic, yet each passage
# is embedded once however many engines the tests build; removed when the session ends.
if "BOT_CACHE_DIR" not in os.environ:
    os.environ["BOT_CACHE_DIR"] = tempfile.mkdtemp(prefix="ipreg-bot-vectors-")
    atexit.register(shutil.rmtree, os.environ["BOT_CACHE_DIR"], ignore_errors=True)

use_worker_database()

REPO = Path(__file__).resolve().parents[1]
KNOWLEDGE = REPO / "knowledge"
INTENTS = REPO / "intents"


@dataclass(frozen=True)
class KbCopy:
    """A copy of knowledge/ and intents/ under `root`, for tests that break or extend them."""

    root: Path

    @property
    def knowledge(self) -> Path:
        return self.root / "knowledge"

    @property
    def intents(self) -> Path:
        return self.root / "intents"

    def path(self, rel: str) -> Path:
        """`rel` is relative to `root`, e.g. 'knowledge/entries/x.yaml'."""
        return self.root / rel

    def read(self, rel: str) -> str:
        return self.path(rel).read_text(encoding="utf-8")

    def write(self, rel: str, text: str) -> Path:
        path = self.path(rel)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return path

    def replace(self, rel: str, old: str, new: str) -> None:
        text = self.read(rel)
        assert old in text, f"{old!r} not in {rel}"
        self.write(rel, text.replace(old, new, 1))

    def line_of(self, rel: str, needle: str) -> int:
        """1-based line of the first line containing `needle`."""
        for number, line in enumerate(self.read(rel).splitlines(), 1):
            if needle in line:
                return number
        raise AssertionError(f"{needle!r} not in {rel}")


def _copy(dest: Path) -> KbCopy:
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copytree(KNOWLEDGE, dest / "knowledge")
    shutil.copytree(INTENTS, dest / "intents")
    return KbCopy(dest)


def pytest_xdist_auto_num_workers(config: pytest.Config) -> int:
    """`-n auto` (pyproject's addopts): one worker per core, at most four (each builds its
    own engines and holds a few hundred MB)."""
    return max(1, min(4, len(os.sched_getaffinity(0))))


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return REPO


@pytest.fixture(scope="session")
def engine() -> Engine:
    """The engine over the seed knowledge; built once (about a second)."""
    return Engine.from_dirs(KNOWLEDGE, INTENTS)


@pytest.fixture(scope="session")
def copy_kb(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], KbCopy]:
    """Factory for copies that outlive one test (module-scoped engines over a changed base)."""

    def make(name: str = "kb") -> KbCopy:
        return _copy(tmp_path_factory.mktemp(name))

    return make


@pytest.fixture
def tmp_kb(tmp_path: Path) -> Callable[..., KbCopy]:
    """Factory: `tmp_kb()` copies knowledge/ and intents/ into this test's tmp_path."""
    count = 0

    def make(name: str | None = None) -> KbCopy:
        nonlocal count
        count += 1
        return _copy(tmp_path / (name or f"kb{count}"))

    return make


@pytest.fixture(autouse=True)
def _own_snapshot(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test's last-good-knowledge snapshot in its own directory (processes it starts
    inherit the variable): a snapshot left by another test must not rescue a broken base."""
    monkeypatch.setenv("BOT_SNAPSHOT_DIR", str(tmp_path / "snapshot"))
