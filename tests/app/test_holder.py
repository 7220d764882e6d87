"""The engine holder: a reload swaps whole engines, keeps the last good one, frees the old."""

from __future__ import annotations

import gc
import weakref
from collections.abc import Callable
from typing import Any

from bot.app import EngineHolder
from bot.engine import Engine


async def test_a_broken_reload_keeps_the_engine_and_reports_file_and_line(
    tmp_kb: Callable[..., Any],
) -> None:
    kb = tmp_kb()
    engine = Engine.from_dirs(kb.knowledge, kb.intents, semantic=False)
    holder = EngineHolder(engine, kb.knowledge, kb.intents)
    kb.write("knowledge/entries/zz-broken.yaml", "entries:\n  - id: x\n    title: [y\n")
    result = await holder.reload()
    assert not result.ok and holder.engine is engine and holder.version == 1
    assert result.problems == sorted(result.problems)
    assert result.problems[0].startswith("knowledge/entries/zz-broken.yaml:3: YAML syntax error")


async def test_a_validator_can_refuse_and_listeners_hear_each_swap(
    tmp_kb: Callable[..., Any],
) -> None:
    kb = tmp_kb()
    holder = EngineHolder(
        Engine.from_dirs(kb.knowledge, kb.intents, semantic=False), kb.knowledge, kb.intents
    )
    heard: list[Engine] = []
    holder.subscribe(heard.append)
    refuse = [True]
    holder.add_validator(lambda engine: ["channel text missing"] if refuse[0] else [])
    assert (await holder.reload()).problems == ["channel text missing"] and heard == []
    refuse[0] = False
    result = await holder.reload()
    assert result.ok and heard == [holder.engine] and holder.version == 2
    assert result.summary()["entries"] == len(holder.engine.kb.entries)


async def test_replaced_engines_are_freed(tmp_kb: Callable[..., Any]) -> None:
    """No cache shared between engines (a method-level lru_cache would be) keeps an old
    engine alive after a reload, even with the start-up heap frozen as the bot does."""
    kb = tmp_kb()
    holder = EngineHolder(
        Engine.from_dirs(kb.knowledge, kb.intents, semantic=False), kb.knowledge, kb.intents
    )
    old = [weakref.ref(x) for x in (holder.engine, holder.engine.retriever, holder.engine.kb)]
    holder.engine.answer("条例什么时候施行")  # fill the per-engine caches
    gc.freeze()
    try:
        for _ in range(3):
            assert (await holder.reload()).ok
            holder.engine.answer("条例什么时候施行")
        gc.collect()
        assert [ref() for ref in old] == [None, None, None]
    finally:
        gc.unfreeze()
