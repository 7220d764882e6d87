"""Accuracy on the evaluation set: hit@1, hit@3, MRR, out-of-scope precision/recall, per tag.

`--baselines` runs plain rapidfuzz WRatio and plain BM25 over the same questions in the same
run; `--tune` grid-searches the decision thresholds on the dev split only.
"""

from __future__ import annotations

import itertools
import math
import sys
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import yaml
from rapidfuzz import fuzz

from bot.engine import Engine, Reply, Thresholds
from bot.engine.normalize import normalize

DEFAULT_SET = Path(__file__).resolve().parents[1] / "tests" / "eval" / "seed.yaml"
OOS = "out-of-scope"
SMALLTALK = "smalltalk"


@dataclass(frozen=True)
class Item:
    question: str
    expect: tuple[str, ...] | str
    facts: tuple[str, ...] = ()
    intent: str | None = None
    tags: tuple[str, ...] = ()
    split: str = "test"

    @property
    def in_scope(self) -> bool:
        return isinstance(self.expect, tuple)


@dataclass
class Outcome:
    item: Item
    reply: Reply
    ranking: list[str]

    @property
    def correct(self) -> bool:
        """What a user would call right: the expected entry first, OOS refused, small talk."""
        if self.item.expect == OOS:
            return self.reply.kind == "fallback"
        if self.item.expect == SMALLTALK:
            return self.reply.kind == "smalltalk"
        return self.hit(1) and self.facts_ok

    @property
    def facts_ok(self) -> bool:
        return all(f in self.reply.text for f in self.item.facts)

    def hit(self, k: int) -> bool:
        if not self.item.in_scope or self.reply.kind == "fallback":
            return False
        return any(e in self.item.expect for e in self.ranking[:k])

    @property
    def reciprocal_rank(self) -> float:
        if not self.item.in_scope or self.reply.kind == "fallback":
            return 0.0
        for i, e in enumerate(self.ranking, 1):
            if e in self.item.expect:
                return 1.0 / i
        return 0.0


def load_items(path: Path | str) -> list[Item]:
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    items = []
    for raw in data:
        expect = raw["expect"]
        items.append(
            Item(
                question=str(raw["q"]),
                expect=tuple(expect) if isinstance(expect, list) else str(expect),
                facts=tuple(str(f) for f in raw.get("facts") or ()),
                intent=raw.get("intent"),
                tags=tuple(raw.get("tags") or ()),
                split=raw.get("split", "test"),
            )
        )
    return items


def ranking_of(engine: Engine, reply: Reply, question: str) -> list[str]:
    """What the user is shown first, then the retrieval order behind it."""
    ranked = [c.entry for c in reply.citations[:1]] + [s.entry for s in reply.suggestions]
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
    oos_precision: float = 0.0
    oos_recall: float = 0.0
    in_scope_fallback: float = 0.0
    smalltalk: float = 0.0
    facts: float = 0.0
    intents: float = 0.0
    accuracy: float = 0.0
    per_tag: dict[str, tuple[int, float]] = field(default_factory=dict)


def _ratio(hits: int, total: int) -> float:
    return hits / total if total else math.nan


def metrics(outcomes: list[Outcome]) -> Metrics:
    scoped = [o for o in outcomes if o.item.in_scope]
    oos = [o for o in outcomes if o.item.expect == OOS]
    refused = [o for o in outcomes if o.reply.kind == "fallback"]
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
        in_scope_fallback=_ratio(sum(o.reply.kind == "fallback" for o in scoped), len(scoped)),
        smalltalk=_ratio(sum(o.reply.kind == "smalltalk" for o in small), len(small)),
        facts=_ratio(sum(o.facts_ok for o in with_facts), len(with_facts)),
        intents=_ratio(sum(o.reply.intent == o.item.intent for o in with_intent), len(with_intent)),
        accuracy=_ratio(sum(o.correct for o in outcomes), len(outcomes)),
    )
    by_tag: dict[str, list[Outcome]] = defaultdict(list)
    for o in outcomes:
        for tag in o.item.tags:
            by_tag[tag].append(o)
    m.per_tag = {
        t: (len(os), _ratio(sum(o.correct for o in os), len(os))) for t, os in by_tag.items()
    }
    return m


# -- baselines -------------------------------------------------------------------------------


def baseline_wratio(engine: Engine) -> Callable[[str], list[str]]:
    """Plain rapidfuzz WRatio of the question against each entry's text."""
    texts = [(e.id, normalize(e.text)) for e in engine.kb.entries.values()]

    def rank(question: str) -> list[str]:
        q = normalize(question)
        scored = sorted(texts, key=lambda t: fuzz.WRatio(q, t[1]), reverse=True)
        return [i for i, _ in scored[:10]]

    return rank


def baseline_bm25(engine: Engine) -> Callable[[str], list[str]]:
    """Plain BM25 over plain jieba tokens of title and text: no synonyms, stop words or pinyin."""
    import jieba

    docs = [(e.id, jieba.lcut(normalize(e.title + e.text))) for e in engine.kb.entries.values()]
    n = len(docs)
    avg = sum(len(d) for _, d in docs) / max(n, 1)
    df = Counter(t for _, d in docs for t in set(d))
    tfs = [Counter(d) for _, d in docs]

    def rank(question: str) -> list[str]:
        q = set(jieba.lcut(normalize(question)))
        scores = []
        for (ident, d), tf in zip(docs, tfs, strict=True):
            s = 0.0
            for t in q:
                if t in tf:
                    idf = math.log(1 + (n - df[t] + 0.5) / (df[t] + 0.5))
                    s += idf * tf[t] * 2.2 / (tf[t] + 1.2 * (0.25 + 0.75 * len(d) / avg))
            scores.append((s, ident))
        scores.sort(reverse=True)
        return [i for s, i in scores[:10] if s > 0]

    return rank


def baseline_metrics(
    rank: Callable[[str], list[str]], items: list[Item]
) -> tuple[float, float, float]:
    scoped = [i for i in items if i.in_scope]
    h1 = h3 = rr = 0.0
    for item in scoped:
        ranked = rank(item.question)
        pos = next((k for k, e in enumerate(ranked, 1) if e in item.expect), None)
        h1 += pos == 1
        h3 += pos is not None and pos <= 3
        rr += 1 / pos if pos else 0
    n = len(scoped) or 1
    return h1 / n, h3 / n, rr / n


# -- report ----------------------------------------------------------------------------------


def _pct(x: float) -> str:
    return "  n/a" if math.isnan(x) else f"{x * 100:5.1f}%"


def print_report(m: Metrics, label: str, out: Any = sys.stdout) -> None:
    print(f"== {label} ==", file=out)
    print(f"in-scope questions     {m.n_in_scope}", file=out)
    print(f"hit@1                  {_pct(m.hit1)}", file=out)
    print(f"hit@3                  {_pct(m.hit3)}", file=out)
    print(f"MRR                    {m.mrr:.3f}", file=out)
    print(f"out-of-scope precision {_pct(m.oos_precision)}", file=out)
    print(f"out-of-scope recall    {_pct(m.oos_recall)}", file=out)
    print(f"in-scope to fallback   {_pct(m.in_scope_fallback)}", file=out)
    print(f"small talk recognised  {_pct(m.smalltalk)}", file=out)
    print(f"facts present          {_pct(m.facts)}", file=out)
    print(f"intent as expected     {_pct(m.intents)}", file=out)
    print(f"overall correct        {_pct(m.accuracy)}", file=out)
    print("per tag (n, correct):", file=out)
    for tag, (n, acc) in sorted(m.per_tag.items()):
        print(f"  {tag:<14} {n:4d} {_pct(acc)}", file=out)


def tune(engine: Engine, items: list[Item]) -> Thresholds:
    """Best thresholds on the given (dev) items by overall correctness, ties to the default."""
    base = engine.thresholds
    best = (metrics(evaluate(engine, items)).accuracy, base)
    grid = itertools.product(
        (0.50, 0.55, 0.60, 0.65, 0.70),
        (0.75, 0.80, 0.85, 0.90),
        (0.0, 0.03, 0.06, 0.1),
        (0.35, 0.40, 0.45, 0.50),
    )
    for answer, sure, gap, clarify in grid:
        if not clarify <= answer <= sure:
            continue
        engine.thresholds = replace(base, answer=answer, sure=sure, gap=gap, clarify=clarify)
        acc = metrics(evaluate(engine, items)).accuracy
        if acc > best[0] + 1e-9:
            best = (acc, engine.thresholds)
    engine.thresholds = base
    return best[1]


def run_eval(
    engine: Engine,
    *,
    eval_set: str | None = None,
    split: str = "all",
    baselines: bool = False,
    tune: bool = False,
    failures: bool = False,
) -> int:
    items = load_items(eval_set or DEFAULT_SET)
    if tune:
        dev = [i for i in items if i.split == "dev"]
        found = globals()["tune"](engine, dev)
        print(f"best thresholds on dev ({len(dev)} questions): {found}")
        engine.thresholds = found
        split = "test"
    chosen = items if split == "all" else [i for i in items if i.split == split]
    outcomes = evaluate(engine, chosen)
    m = metrics(outcomes)
    print_report(m, f"engine, {split} split, {len(chosen)} questions")
    if baselines:
        print("== baselines (same questions, in-scope) ==")
        print(f"{'method':<22} {'hit@1':>7} {'hit@3':>7} {'MRR':>6}")
        print(f"{'engine':<22} {_pct(m.hit1):>7} {_pct(m.hit3):>7} {m.mrr:6.3f}")
        if engine.retriever.semantic is not None:
            lexical = Engine(engine.kb, engine.intents, engine.thresholds, semantic=False)
            lm = metrics(evaluate(lexical, chosen))
            print(
                f"{'engine, lexical only':<22} {_pct(lm.hit1):>7} {_pct(lm.hit3):>7} {lm.mrr:6.3f}"
            )
        for name, rank in (
            ("rapidfuzz WRatio", baseline_wratio(engine)),
            ("BM25 (plain jieba)", baseline_bm25(engine)),
        ):
            h1, h3, rr = baseline_metrics(rank, chosen)
            print(f"{name:<22} {_pct(h1):>7} {_pct(h3):>7} {rr:6.3f}")
    if failures:
        print("== failures ==")
        for o in outcomes:
            if not o.correct:
                print(
                    f"[{o.item.split}] {o.item.question!r} expect={o.item.expect} "
                    f"got={o.reply.kind}/{o.reply.intent} {o.ranking[:3]} "
                    f"conf={o.reply.confidence:.2f}"
                )
    return 0
