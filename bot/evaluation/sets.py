"""Evaluation sets: questions written the way users ask, each with what a right reply is.

Two formats. A *ranked* set (tests/eval/seed.yaml, corpus.yaml) names the acceptable entries
(`expect`), or `smalltalk` / `out-of-scope`, and facts the text must hold. An *asked* set
(tests/eval/asked.yaml) names a `case` — list, missing, contact, smalltalk — and what the
reply must hold for it. Every item has a split: `dev` (thresholds are chosen on it) or
`test` (held out).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

EVAL_DIR = Path(__file__).resolve().parents[2] / "tests" / "eval"
DEFAULT_SET = EVAL_DIR / "seed.yaml"
ASKED_SET = EVAL_DIR / "asked.yaml"
OOS = "out-of-scope"
SMALLTALK = "smalltalk"
CASES = ("list", "missing", "contact", "smalltalk")
ANY_CONTACT = "any"


@dataclass(frozen=True)
class Item:
    """A ranked-set question: the entries that answer it, best first."""

    question: str
    expect: tuple[str, ...] | str
    facts: tuple[str, ...] = ()
    intent: str | None = None
    tags: tuple[str, ...] = ()
    split: str = "test"

    @property
    def in_scope(self) -> bool:
        return isinstance(self.expect, tuple)


@dataclass(frozen=True)
class AskedItem:
    """An asked-set question: what a reply must hold for its case."""

    question: str
    case: str
    split: str = "test"
    items: tuple[str, ...] = ()  # list: every one must be in the reply
    asks: str = ""  # missing: what kind of specific the material lacks
    topic: str = ""  # missing: what the material does mention
    contacts: tuple[str, ...] = ()  # contact: cards the reply must show (or "any")
    tags: tuple[str, ...] = ()


def _texts(raw: object) -> tuple[str, ...]:
    return tuple(str(x) for x in raw) if isinstance(raw, list) else ()


def load_items(path: Path | str) -> list[Item]:
    items = []
    for raw in yaml.safe_load(Path(path).read_text(encoding="utf-8")):
        expect = raw["expect"]
        items.append(
            Item(
                question=str(raw["q"]),
                expect=tuple(expect) if isinstance(expect, list) else str(expect),
                facts=_texts(raw.get("facts")),
                intent=raw.get("intent"),
                tags=_texts(raw.get("tags")),
                split=raw.get("split", "test"),
            )
        )
    return items


def load_asked(path: Path | str = ASKED_SET) -> list[AskedItem]:
    items = []
    for raw in yaml.safe_load(Path(path).read_text(encoding="utf-8")):
        if raw.get("case") not in CASES:
            raise ValueError(f"{path}: unknown case in {raw!r}")
        items.append(
            AskedItem(
                question=str(raw["q"]),
                case=raw["case"],
                split=raw.get("split", "test"),
                items=_texts(raw.get("items")),
                asks=str(raw.get("asks") or ""),
                topic=str(raw.get("topic") or ""),
                contacts=_texts(raw.get("contacts")),
                tags=_texts(raw.get("tags")),
            )
        )
    return items


def is_asked_set(path: Path | str) -> bool:
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    return bool(data) and isinstance(data[0], dict) and "case" in data[0]


def of_split(items: list, split: str) -> list:  # type: ignore[type-arg]
    return items if split == "all" else [i for i in items if i.split == split]
