"""Ranked-set scoring: hit@k, MRR, refusals, and confident-wrong answers."""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from bot.engine import Engine, Reply
from bot.evaluation.sets import OOS, SMALLTALK, Item


@dataclass
class Outcome:
    item: Item
    reply: Reply
    ranking: list[str]

    @property
    def correct(self) -> bool:
        """What a user would call right: the expected entry shown first (in an answer, a
        clarify or a partial reply quoting it), out of scope not answered (a refusal or a
        partial reply: kind fallback), small talk."""
        if self.item.expect == OOS:
            return self.reply.kind == "fallback"
        if self.item.expect == SMALLTALK:
            return self.reply.kind == "smalltalk"
        return self.hit(1) and self.facts_ok

    @property
    def confident_wrong(self) -> bool:
        """Given as an answer, but not the right one (or without the facts asked for)."""
        return (
            self.item.in_scope
            and self.reply.kind == "answer"
            and not (self.hit(1) and self.facts_ok)
        )

    @property
    def facts_ok(self) -> bool:
        return all(f in self.reply.text for f in self.item.facts)

    @property
    def refused(self) -> bool:
        """A fallback showing no passage. A partial reply (a fallback quoting what the
        material says of the topic, and that the specific asked is not stated) shows one:
        its passage counts like an answer's for hit@k."""
        return self.reply.kind == "fallback" and not self.reply.entry

    @property
    def partial(self) -> bool:
        return self.reply.kind == "fallback" and bool(self.reply.entry)

    def hit(self, k: int) -> bool:
        if not self.item.in_scope or self.refused:
            return False
        return any(e in self.item.expect for e in self.ranking[:k])

    @property
    def reciprocal_rank(self) -> float:
        if not self.item.in_scope or self.refused:
            return 0.0
        for i, e in enumerate(self.ranking, 1):
            if e in self.item.expect:
                return 1.0 / i
        return 0.0


def ranking_of(engine: Engine, reply: Reply, question: str) -> list[str]:
    """What the user is shown first, then the retrieval order behind it."""
    ranked = [reply.entry] if reply.entry else []
    ranked += [c.entry for c in reply.citations[:1]] + [s.entry for s in reply.suggestions]
    ranked += [c.entry.id for c in engine.search(question)]
    return list(dict.fromkeys(ranked))


def evaluate(engine: Engine, items: Iterable[Item]) -> list[Outcome]:
    outcomes = []
    for item in items:
        reply = engine.answer(item.question)
        outcomes.append(Outcome(item, reply, ranking_of(engine, reply, item.question)))
    return outcomes


@dataclass
class Metrics:
    n_in_scope: int = 0
    hit1: float = 0.0
    hit3: float = 0.0
    mrr: float = 0.0
    # Of the refusals (fallbacks showing no passage), the share out of scope.
    oos_precision: float = 0.0
    # Out-of-scope questions not answered (kind fallback: refused, or a partial reply).
    oos_recall: float = 0.0
    # In-scope refusals (fallbacks showing no passage).
    in_scope_refused: float = 0.0
    # In-scope replies quoting a passage and saying the specific asked is not stated.
    partial: float = 0.0
    smalltalk: float = 0.0
    facts: float = 0.0
    intents: float = 0.0
    accuracy: float = 0.0
    # Answers (kind `answer`) whose facts are wrong, among in-scope questions.
    confident_wrong: float = 0.0
    per_tag: dict[str, tuple[int, float]] = field(default_factory=dict)


def _ratio(hits: int, total: int) -> float:
    return hits / total if total else math.nan


def metrics(outcomes: list[Outcome]) -> Metrics:
    scoped = [o for o in outcomes if o.item.in_scope]
    oos = [o for o in outcomes if o.item.expect == OOS]
    refused = [o for o in outcomes if o.refused]
    small = [o for o in outcomes if o.item.expect == SMALLTALK]
    with_facts = [o for o in outcomes if o.item.facts]
    with_intent = [o for o in outcomes if o.item.intent]
    m = Metrics(
        n_in_scope=len(scoped),
        hit1=_ratio(sum(o.hit(1) for o in scoped), len(scoped)),
        hit3=_ratio(sum(o.hit(3) for o in scoped), len(scoped)),
        mrr=_ratio(sum(o.reciprocal_rank for o in scoped), len(scoped)),  # type: ignore[arg-type]
        oos_precision=_ratio(sum(o.item.expect == OOS for o in refused), len(refused)),
        oos_recall=_ratio(sum(o.reply.kind == "fallback" for o in oos), len(oos)),
        in_scope_refused=_ratio(sum(o.refused for o in scoped), len(scoped)),
        partial=_ratio(sum(o.partial for o in scoped), len(scoped)),
        smalltalk=_ratio(sum(o.reply.kind == "smalltalk" for o in small), len(small)),
        facts=_ratio(sum(o.facts_ok for o in with_facts), len(with_facts)),
        intents=_ratio(sum(o.reply.intent == o.item.intent for o in with_intent), len(with_intent)),
        accuracy=_ratio(sum(o.correct for o in outcomes), len(outcomes)),
        confident_wrong=_ratio(sum(o.confident_wrong for o in scoped), len(scoped)),
    )
    by_tag: dict[str, list[Outcome]] = defaultdict(list)
    for o in outcomes:
        for tag in o.item.tags:
            by_tag[tag].append(o)
    m.per_tag = {
        t: (len(os), _ratio(sum(o.correct for o in os), len(os))) for t, os in by_tag.items()
    }
    return m
