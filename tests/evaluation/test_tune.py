"""Choosing thresholds on dev questions only, over the seed and beside imported laws."""

from __future__ import annotations

import pytest

from bot.engine import Engine
from bot.evaluation import tune as tuning_search
from bot.evaluation.sets import ASKED_SET, DEFAULT_SET, load_asked, load_items, of_split


@pytest.fixture(scope="module")
def lexical(engine: Engine) -> Engine:
    return Engine(engine.kb, engine.intents, semantic=False)


@pytest.fixture
def small_grid(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tuning_search, "GRIDS", ({"answer": (0.5, 0.9)},))
    monkeypatch.setattr(tuning_search, "ROUNDS", 1)


def test_tuning_refuses_held_out_questions(lexical: Engine) -> None:
    test = of_split(load_items(DEFAULT_SET), "test")[:2]
    with pytest.raises(ValueError, match="dev"):
        tuning_search.tune(lexical, test, [])
    dev = of_split(load_items(DEFAULT_SET), "dev")[:2]
    with pytest.raises(ValueError, match="dev"):
        tuning_search.tune(lexical, dev, [], (lexical, test))


def test_the_second_knowledge_base_counts_and_both_engines_are_restored(
    lexical: Engine, small_grid: None
) -> None:
    ranked = of_split(load_items(DEFAULT_SET), "dev")[:12]
    asked = of_split(load_asked(ASKED_SET), "dev")[:6]
    other = Engine(lexical.kb, lexical.intents, semantic=False)
    before = lexical.tuning, other.tuning
    alone, seen_alone = tuning_search.tune(lexical, ranked, asked)
    both, seen = tuning_search.tune(lexical, ranked, asked, (other, ranked[:5]))
    assert seen_alone["after"]["questions"] == 18
    assert seen["after"]["questions"] == 23
    assert "beside imported laws" in seen["on"]
    # An answer threshold of 0.9 answers fewer questions right: 0.5 stays either way.
    assert alone.answer == both.answer == 0.5
    assert (lexical.tuning, other.tuning) == before
