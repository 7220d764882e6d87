"""The `eval` command: figures per set and split, baselines, tuning, failures."""

from __future__ import annotations

import math
import sys
from pathlib import Path
from typing import Any

from bot.engine import Engine
from bot.engine.tuning import write_tuning
from bot.evaluation.asked import AskedMetrics, asked_metrics, evaluate_asked
from bot.evaluation.baselines import baseline_bm25, baseline_metrics, baseline_wratio
from bot.evaluation.ranked import Metrics, evaluate, metrics
from bot.evaluation.sets import (
    ASKED_SET,
    DEFAULT_SET,
    is_asked_set,
    load_asked,
    load_items,
    of_split,
)
from bot.evaluation.tune import tune as tune_on_dev


def _pct(x: float) -> str:
    return "  n/a" if math.isnan(x) else f"{x * 100:5.1f}%"


def print_report(m: Metrics, label: str, out: Any = sys.stdout) -> None:
    rows = [
        ("in-scope questions", str(m.n_in_scope)),
        ("hit@1", _pct(m.hit1)),
        ("hit@3", _pct(m.hit3)),
        ("MRR", f"{m.mrr:.3f}"),
        ("confident wrong", _pct(m.confident_wrong)),
        ("out-of-scope precision", _pct(m.oos_precision)),
        ("out-of-scope recall", _pct(m.oos_recall)),
        ("in-scope refused", _pct(m.in_scope_refused)),
        ("in-scope partial", _pct(m.partial)),
        ("small talk recognised", _pct(m.smalltalk)),
        ("facts present", _pct(m.facts)),
        ("intent as expected", _pct(m.intents)),
        ("overall correct", _pct(m.accuracy)),
    ]
    print(f"== {label} ==", file=out)
    for name, value in rows:
        print(f"{name:<23}{value:>7}", file=out)
    print("per tag (n, correct):", file=out)
    for tag, (n, acc) in sorted(m.per_tag.items()):
        print(f"  {tag:<14} {n:4d} {_pct(acc)}", file=out)


def print_asked(m: AskedMetrics, label: str, out: Any = sys.stdout) -> None:
    rows = [
        ("questions", str(m.n)),
        ("right", _pct(m.correct)),
        ("confident wrong", _pct(m.confident_wrong)),
        ("lists with every item", _pct(m.lists_complete)),
        ("missing not answered", _pct(m.missing_honest)),
        ("contacts shown", _pct(m.contacts_found)),
        ("small talk, no card", _pct(m.smalltalk_without_card)),
        ("small talk with a card", _pct(m.smalltalk_carded)),
    ]
    print(f"== {label} ==", file=out)
    for name, value in rows:
        print(f"{name:<23}{value:>7}", file=out)


def _baselines(engine: Engine, chosen: list, m: Metrics) -> None:  # type: ignore[type-arg]
    print("== baselines (same questions, in-scope) ==")
    print(f"{'method':<22} {'hit@1':>7} {'hit@3':>7} {'MRR':>6}")
    print(f"{'engine':<22} {_pct(m.hit1):>7} {_pct(m.hit3):>7} {m.mrr:6.3f}")
    if engine.retriever.semantic is not None:
        lexical = Engine(engine.kb, engine.intents, engine.tuning, semantic=False)
        lm = metrics(evaluate(lexical, chosen))
        print(f"{'engine, lexical only':<22} {_pct(lm.hit1):>7} {_pct(lm.hit3):>7} {lm.mrr:6.3f}")
    for name, rank in (
        ("rapidfuzz WRatio", baseline_wratio(engine)),
        ("BM25 (plain jieba)", baseline_bm25(engine)),
    ):
        h1, h3, rr = baseline_metrics(rank, chosen)
        print(f"{name:<22} {_pct(h1):>7} {_pct(h3):>7} {rr:6.3f}")


def run_eval(
    engine: Engine,
    *,
    eval_set: str | None = None,
    split: str = "all",
    baselines: bool = False,
    tune: bool = False,
    failures: bool = False,
    also: tuple[Engine, Path] | None = None,
) -> int:
    """Without `--set`, both default sets (ranked and asked); with it, that one set. `also`
    (an engine over the seed beside imported laws, and the ranked set about those laws) adds
    that set's dev questions to what `tune` scores."""
    ranked_path: Path | None = DEFAULT_SET
    asked_path: Path | None = ASKED_SET
    if eval_set:
        ranked_path, asked_path = (None, Path(eval_set))
        if not is_asked_set(eval_set):
            ranked_path, asked_path = Path(eval_set), None
    ranked = load_items(ranked_path) if ranked_path else []
    asked = load_asked(asked_path) if asked_path and asked_path.exists() else []
    if tune:
        extra = None if also is None else (also[0], of_split(load_items(also[1]), "dev"))
        found, provenance = tune_on_dev(
            engine, of_split(ranked, "dev"), of_split(asked, "dev"), extra
        )
        write_tuning(found, provenance)
        print(f"chosen on the dev splits and written to tuning.yaml: {provenance['after']}")
        engine.tuning = found
        split = "test"
    if ranked:
        chosen = of_split(ranked, split)
        outcomes = evaluate(engine, chosen)
        m = metrics(outcomes)
        print_report(m, f"{ranked_path.name}, {split} split, {len(chosen)} questions")  # type: ignore[union-attr]
        if baselines:
            _baselines(engine, chosen, m)
        if failures:
            print("== failures ==")
            for o in outcomes:
                if not o.correct:
                    print(
                        f"[{o.item.split}] {o.item.question!r} expect={o.item.expect} "
                        f"got={o.reply.kind}/{o.reply.intent} {o.ranking[:3]} "
                        f"conf={o.reply.confidence:.2f}"
                    )
    if asked:
        chosen_asked = of_split(asked, split)
        answered = evaluate_asked(engine, chosen_asked)
        print_asked(
            asked_metrics(answered),
            f"{asked_path.name}, {split} split, {len(chosen_asked)} questions",  # type: ignore[union-attr]
        )
        if failures:
            print("== failures ==")
            for a in answered:
                if not a.correct:
                    print(
                        f"[{a.item.split}] {a.item.case} {a.item.question!r} "
                        f"got={a.reply.kind}/{a.reply.intent} entry={a.reply.entry} "
                        f"missing={a.missing_items} cards={a.shown} "
                        f"conf={a.reply.confidence:.2f}"
                    )
    return 0
