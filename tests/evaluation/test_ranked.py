"""Ranked-set scoring: a partial reply shows its passage; a refusal shows none."""

from __future__ import annotations

from dataclasses import replace

from bot.engine import Engine
from bot.evaluation.ranked import Outcome, evaluate, metrics
from bot.evaluation.sets import Item


def test_a_partial_reply_shows_its_passage_and_a_refusal_none(engine: Engine) -> None:
    partial = Item("电商平台要承担什么责任", ("duty-platforms", "interp-platform-duties"))
    refused = Item("知识产权法院的门牌号是多少", ("duty-platforms",))
    outcomes = evaluate(engine, [partial, refused])
    assert outcomes[0].reply.kind == "fallback" and outcomes[0].partial
    assert outcomes[0].hit(1) and not outcomes[0].refused
    assert outcomes[1].refused and not outcomes[1].hit(3)
    m = metrics(outcomes)
    assert m.partial == 0.5 and m.in_scope_refused == 0.5


def test_a_partial_reply_counts_for_rank_and_as_not_answering(engine: Engine) -> None:
    reply = engine.answer("电商平台要承担什么责任")
    assert reply.kind == "fallback" and reply.entry == "duty-platforms"
    scoped = Outcome(
        Item("q", ("interp-platform-duties", "duty-platforms")), reply, ["duty-platforms"]
    )
    assert scoped.correct and scoped.hit(1) and scoped.reciprocal_rank == 1.0
    oos = Outcome(Item("q", "out-of-scope"), reply, ["duty-platforms"])
    # Out of scope and not answered; but a partial reply is no refusal.
    assert oos.correct and not oos.refused
    refusal = Outcome(Item("q", "out-of-scope"), replace(reply, entry=None), [])
    m = metrics([oos, refusal])
    assert m.oos_recall == 1.0 and m.oos_precision == 1.0
