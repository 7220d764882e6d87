"""Choose the decision thresholds on the dev splits only, and write down what was seen.

The objective counts right replies over both sets' dev questions (and, given a knowledge
base with imported laws, the law set's dev questions over it) and charges a confident wrong
answer twice: a wrong answer stated as fact is worse than asking back. Ties keep the
current values, so a grid point must really be better to move them.
"""

from __future__ import annotations

import itertools
from dataclasses import asdict, dataclass, replace
from datetime import date
from typing import Any

from bot.engine import Engine, Tuning
from bot.evaluation.asked import evaluate_asked
from bot.evaluation.ranked import evaluate
from bot.evaluation.sets import AskedItem, Item

WRONG_PENALTY = 2
# Searched group by group (each grid with the others fixed), twice round: the decision
# thresholds, how readily a better-scored entry goes before the ranking's first, then how
# readily a list question is answered from a section or a series.
GRIDS = (
    {
        "answer": (0.45, 0.50, 0.55, 0.60),
        "sure": (0.70, 0.75, 0.80, 0.85),
        "gap": (0.0, 0.03, 0.06),
        "clarify": (0.30, 0.35, 0.40),
    },
    {
        "score_lead": (0.55, 0.60, 0.65, 0.70, 1.0),
        "smalltalk_similarity": (0.88, 0.89, 0.895, 0.90, 0.91, 1.0),
        "value_margin": (0.0, 0.03, 0.05, 0.10),
        "dated_margin": (0.0, 0.05, 0.10),
    },
    {
        "list_floor": (0.30, 0.35, 0.40, 0.45, 0.50),
        "list_margin": (0.05, 0.10, 0.15, 0.20),
        "list_lead": (0.10, 0.15, 0.20, 1.0),
        "series_margin": (0.0, 0.05, 0.10, 0.15),
        "frames_ignored": ((), ("list",)),
        "frames_minor": (False, True),
    },
)
ROUNDS = 2


@dataclass(frozen=True)
class Seen:
    """What one setting scored on the dev questions."""

    right: int
    confident_wrong: int
    questions: int

    @property
    def objective(self) -> int:
        return self.right - WRONG_PENALTY * self.confident_wrong


def score(engine: Engine, ranked: list[Item], asked: list[AskedItem]) -> Seen:
    r = evaluate(engine, ranked)
    a = evaluate_asked(engine, asked)
    return Seen(
        right=sum(o.correct for o in r) + sum(o.correct for o in a),
        confident_wrong=sum(o.confident_wrong for o in r) + sum(o.confident_wrong for o in a),
        questions=len(r) + len(a),
    )


def _values(tuning: Tuning, names: list[str]) -> dict[str, Any]:
    """The tuned values, as YAML writes them (tuples as lists)."""
    out = {}
    for name in names:
        value = getattr(tuning, name)
        out[name] = list(value) if isinstance(value, tuple) else value
    return out


def _total(seen: list[Seen]) -> Seen:
    return Seen(
        right=sum(s.right for s in seen),
        confident_wrong=sum(s.confident_wrong for s in seen),
        questions=sum(s.questions for s in seen),
    )


def tune(
    engine: Engine,
    ranked: list[Item],
    asked: list[AskedItem],
    also: tuple[Engine, list[Item]] | None = None,
) -> tuple[Tuning, dict[str, Any]]:
    """The best grid point on the given (dev) questions and the provenance to write down.

    `also`: a second engine (the seed beside imported laws) and its ranked dev questions,
    scored with the same values, so a threshold cannot trade the laws' questions for the
    campaign material's unseen."""
    extra = [] if also is None else list(also[1])
    if any(i.split != "dev" for i in [*ranked, *asked, *extra]):
        raise ValueError("tuning looks at dev questions only")
    engines = [engine] if also is None else [engine, also[0]]

    def seen_with(tuning: Tuning) -> Seen:
        for e in engines:
            e.tuning = tuning
        parts = [score(engine, ranked, asked)]
        if also is not None:
            parts.append(score(also[0], extra, []))
        return _total(parts)

    base = engine.tuning
    current = seen_with(base)
    best, best_seen = base, current
    tried = 0
    for _ in range(ROUNDS):
        for grid in GRIDS:
            for values in itertools.product(*grid.values()):
                candidate = replace(best, **dict(zip(grid, values, strict=True)))
                if not candidate.clarify <= candidate.answer <= candidate.sure:
                    continue
                tried += 1
                seen = seen_with(candidate)
                if seen.objective > best_seen.objective:
                    best, best_seen = candidate, seen
    for e in engines:
        e.tuning = base
    names = [name for grid in GRIDS for name in grid]
    on = f"dev splits: {len(ranked)} ranked-set and {len(asked)} asked-set questions"
    if also is not None:
        on += f", and {len(extra)} ranked questions over the seed beside imported laws"
    provenance = {
        "on": on,
        "date": date.today().isoformat(),
        "objective": f"right replies - {WRONG_PENALTY} x confident wrong answers",
        "grids": [
            {k: [list(x) if isinstance(x, tuple) else x for x in v] for k, v in grid.items()}
            for grid in GRIDS
        ],
        "rounds": ROUNDS,
        "points_tried": tried,
        "before": {**asdict(current), "values": _values(base, names)},
        "after": {**asdict(best_seen), "values": _values(best, names)},
    }
    return best, provenance
