"""Ranked-set scoring: a partial reply shows its passage; a refusal shows none."""

from __future__ import annotations

from bot.engine import Engine
from bot.evaluation.ranked import evaluate, metrics
from bot.evaluation.sets import Item


def test_a_partial_reply_shows_its_passage_and_a_refusal_none(engine: Engine) -> None:
    partial = Item("电商平台要承担什么责任", ("duty-platforms", "interp-platform-duties"))
    refused = Item("知识产权法院的门牌号是多少", ("duty-platforms",))
    outcomes = evaluate(engine, [partial, refused])
    assert outcomes[0].reply.kind == "fallback" and outcomes[0].partial
    assert outcomes[0].hit(1) and not outcomes[0].refused
    assert outcomes[1].refused and not outcomes[1].hit(3)
    m = metrics(outcomes)
    assert m.partial == 0.5 and m.in_scope_fallback == 0.5
