"""Asked-set scoring: does the reply answer what was asked, not merely the topic?

- list: the reply is an answer holding every item (a list answered with one item is wrong);
- missing: the material lacks the specific asked for, so the reply must not be an `answer`;
- contact: the reply shows the contact cards expected (any card where none is specific);
- smalltalk: a small-talk reply with no contact card.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from bot.engine import Engine, Reply
from bot.evaluation.sets import ANY_CONTACT, AskedItem

_NOISE = re.compile(r"[\s\W_]+")


def plain(text: str) -> str:
    """Text compared without width, whitespace or punctuation (items are seed substrings)."""
    return _NOISE.sub("", unicodedata.normalize("NFKC", text))


@dataclass
class AskedOutcome:
    item: AskedItem
    reply: Reply

    @property
    def shown(self) -> list[str]:
        return [c.id for c in self.reply.shown_contacts]

    @property
    def missing_items(self) -> list[str]:
        text = plain(self.reply.text)
        return [i for i in self.item.items if plain(i) not in text]

    @property
    def correct(self) -> bool:
        kind, case = self.reply.kind, self.item.case
        if case == "list":
            return kind == "answer" and not self.missing_items
        if case == "missing":
            # Honest about what is not stated: neither an answer nor small talk.
            return kind in ("clarify", "fallback")
        if case == "contact":
            wanted = [c for c in self.item.contacts if c != ANY_CONTACT]
            return bool(self.shown) and all(c in self.shown for c in wanted)
        return kind == "smalltalk" and not self.shown

    @property
    def confident_wrong(self) -> bool:
        """An `answer` that is not right: a partial list, a passage lacking what was asked."""
        return self.reply.kind == "answer" and not self.correct


def evaluate_asked(engine: Engine, items: Iterable[AskedItem]) -> list[AskedOutcome]:
    return [AskedOutcome(item, engine.answer(item.question)) for item in items]


@dataclass
class AskedMetrics:
    n: int = 0
    correct: float = 0.0
    confident_wrong: float = 0.0
    per_case: dict[str, tuple[int, float]] = field(default_factory=dict)
    # list questions whose every item is present; missing questions not given as answers
    lists_complete: float = math.nan
    missing_honest: float = math.nan
    smalltalk_without_card: float = math.nan
    # small talk shown any contact card, whatever the kind (the "never")
    smalltalk_carded: float = math.nan
    contacts_found: float = math.nan


def _share(flags: list[bool]) -> float:
    return sum(flags) / len(flags) if flags else math.nan


def asked_metrics(outcomes: list[AskedOutcome]) -> AskedMetrics:
    by_case: dict[str, list[AskedOutcome]] = defaultdict(list)
    for o in outcomes:
        by_case[o.item.case].append(o)

    def case(name: str) -> float:
        return _share([o.correct for o in by_case.get(name, [])])

    return AskedMetrics(
        n=len(outcomes),
        correct=_share([o.correct for o in outcomes]),
        confident_wrong=_share([o.confident_wrong for o in outcomes if o.item.case != "smalltalk"]),
        per_case={k: (len(v), _share([o.correct for o in v])) for k, v in sorted(by_case.items())},
        lists_complete=case("list"),
        missing_honest=case("missing"),
        smalltalk_without_card=case("smalltalk"),
        smalltalk_carded=_share([bool(o.shown) for o in by_case.get("smalltalk", [])]),
        contacts_found=case("contact"),
    )
