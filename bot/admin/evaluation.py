"""The evaluation an apply must pass: the held-out test splits of the ranked sets.

The sets are `seed.yaml` and `corpus.yaml` in the evaluation directory — `BOT_EVAL_DIR`, by
default the checkout's `tests/eval` (a Docker image has no tests: mount the directory and
set the variable). A set counts when it fits the knowledge base in service: when most of its
in-scope questions expect entries the base has, so the corpus set counts only while the
corpus laws are loaded. Figures are the evaluation command's own (`bot.evaluation`): hit@1
and hit@3 of the in-scope questions of the test split.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from bot import config
from bot.engine import Engine
from bot.evaluation import Item, evaluate, load_items, of_split
from bot.evaluation.sets import EVAL_DIR
from bot.knowledge.model import KnowledgeBase

SETS = ("seed.yaml", "corpus.yaml")
# What the console and the audit log call each set (an organiser does not read file names).
SET_LABELS = {"seed.yaml": "宣贯资料题集", "corpus.yaml": "法律条文题集"}
SPLIT = "test"
# A set fits a knowledge base when at least this share of its in-scope test questions
# expect an entry the base holds.
FIT = 0.5


def eval_dir(override: Path | str | None = None) -> Path:
    """Where the evaluation sets are: `override`, BOT_EVAL_DIR, or tests/eval."""
    if override:
        return Path(override)
    return config.eval_dir() or EVAL_DIR


@dataclass(frozen=True)
class EvalSet:
    name: str
    items: tuple[Item, ...]  # the test split


@dataclass(frozen=True)
class Score:
    questions: int  # in scope
    hit1: int
    hit3: int
    # Per in-scope question, in the set's order: the entry ranked first (None when the
    # reply is the fallback) and whether it is a hit@1; what `worse` compares.
    firsts: tuple[str | None, ...] = field(default=(), compare=False)
    hits: tuple[bool, ...] = field(default=(), compare=False)

    def ratio(self, hits: int) -> float:
        return hits / self.questions if self.questions else 0.0


@dataclass(frozen=True)
class Worse:
    """A held-out question right before and wrong after: what it expects, what now comes first."""

    question: str
    expected: str
    now: str | None


def label(name: str) -> str:
    return SET_LABELS.get(name, name)


def fits(kb: KnowledgeBase, items: list[Item]) -> bool:
    scoped = [i for i in items if i.in_scope]
    if not scoped:
        return False
    known = sum(any(e in kb.entries for e in i.expect) for i in scoped)
    return known >= FIT * len(scoped)


def held_out_sets(kb: KnowledgeBase, directory: Path) -> list[EvalSet]:
    """The test splits of the sets in `directory` that fit `kb` (none: no evaluation)."""
    out = []
    for name in SETS:
        path = directory / name
        if not path.is_file():
            continue
        items = of_split(load_items(path), SPLIT)
        if fits(kb, items):
            out.append(EvalSet(name, tuple(items)))
    return out


def score(engine: Engine, items: tuple[Item, ...]) -> Score:
    """hit@1 and hit@3 of the in-scope questions, as `python -m bot eval` counts them."""
    outcomes = [o for o in evaluate(engine, items) if o.item.in_scope]
    hits = tuple(o.hit(1) for o in outcomes)
    # What the user is shown first: a partial reply shows its passage, a refusal nothing.
    firsts = tuple(o.ranking[0] if o.ranking and not o.refused else None for o in outcomes)
    return Score(len(outcomes), sum(hits), sum(o.hit(3) for o in outcomes), firsts, hits)


def worse(items: tuple[Item, ...], before: Score, after: Score) -> list[Worse]:
    """The in-scope questions of `items` that were a hit@1 in `before` and are not in `after`."""
    scoped = [i for i in items if i.in_scope]
    if not (len(scoped) == len(before.hits) == len(after.hits)):
        return []
    return [
        Worse(item.question, item.expect[0], now)
        for item, was, is_, now in zip(scoped, before.hits, after.hits, after.firsts, strict=True)
        if was and not is_
    ]


def answers_with(engine: Engine, wording: str, entry: str) -> bool:
    """The engine answers the wording with the entry it was attached to."""
    reply = engine.answer(wording)
    cited = {c.entry for c in reply.citations}
    return reply.kind == "answer" and (reply.entry == entry or entry in cited)
