"""Answers offered side by side (bot/engine/inline.py): the engine picks them."""

from __future__ import annotations

from bot.engine import Engine
from bot.engine.fit import related


def test_an_answer_and_its_runners_up_each_say_something_else(engine: Engine) -> None:
    reply = engine.answer("高校有什么职责")
    offered = engine.alternatives("高校有什么职责", reply, limit=3)
    assert offered[0] is reply and 1 <= len(offered) <= 3
    entries = [engine.kb.entries[r.entry] for r in offered]
    assert not any(related(a, b) for i, a in enumerate(entries) for b in entries[i + 1 :])


def test_a_clarify_offers_its_suggestions_answered(engine: Engine) -> None:
    picks = [engine.kb.entries[e] for e in ("plan-schedule", "plan-focus", "plan-requirements")]
    reply = engine.compose.clarify("宣贯活动", "search", "您是不是想问：", picks, 0.4)
    offered = engine.alternatives("宣贯活动", reply, limit=2)
    assert [r.entry for r in offered] == ["plan-schedule", "plan-focus"]
    assert all(r.kind == "answer" for r in offered)
    # A refusal offers itself alone.
    refused = engine.answer("今天天气怎么样")
    assert engine.alternatives("今天天气怎么样", refused) == [refused]
