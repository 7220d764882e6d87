"""Starting on the last good knowledge base when the directory is broken."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from bot.app import Assistant, EngineHolder
from bot.app.snapshot import load_engine, snapshot_dir
from bot.knowledge.loader import KnowledgeError

BROKEN = "entries:\n  - id: x\n    title: [y\n"


@pytest.fixture(autouse=True)
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("BOT_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("BOT_SEMANTIC", "off")
    return tmp_path / "cache"


def test_a_broken_directory_without_a_snapshot_is_an_error(tmp_kb: Callable[..., Any]) -> None:
    kb = tmp_kb()
    kb.write("knowledge/entries/zz.yaml", BROKEN)
    with pytest.raises(KnowledgeError):
        load_engine(kb.knowledge, kb.intents)


async def test_start_on_the_snapshot_then_recover_by_reload(tmp_kb: Callable[..., Any]) -> None:
    kb = tmp_kb()
    good, problems = load_engine(kb.knowledge, kb.intents)
    assert problems == [] and (snapshot_dir() / "knowledge" / "sources.yaml").is_file()

    kb.write("knowledge/entries/zz.yaml", BROKEN)
    engine, problems = load_engine(kb.knowledge, kb.intents)
    assert problems and problems[0].startswith("knowledge/entries/zz.yaml:3: YAML syntax error")
    assert engine.answer("条例什么时候施行").kind == "answer"
    assert engine.kb.entries.keys() == good.kb.entries.keys()

    holder = EngineHolder(engine, kb.knowledge, kb.intents)
    holder.problems = problems
    health = Assistant(holder).health()
    assert health["status"] == "degraded" and health["knowledge"] == "snapshot"
    assert health["problems"] == problems

    assert not (await holder.reload()).ok  # still broken: still degraded
    (kb.knowledge / "entries" / "zz.yaml").unlink()
    assert (await holder.reload()).ok
    assert holder.problems == [] and Assistant(holder).health()["status"] == "ok"
