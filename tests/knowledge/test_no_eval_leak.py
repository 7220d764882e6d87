"""No evaluation question is stored in the knowledge base (or the small-talk examples).

An entry's `questions:` are matched against users' questions, so an evaluation question
copied there (or nearly copied) would make the evaluation measure a lookup table instead of
the engine. Two questions are near copies when, after normalising both (NFKC, lowercase,
punctuation, symbols and whitespace removed),

* rapidfuzz's `fuzz.ratio` is at least 85, or
* one contains the other and their lengths differ by at most 2 characters.

Every `questions:` line of every YAML file under knowledge/ is checked against every `q:` of
every tests/eval/*.yaml (so an evaluation set added later is covered without a change here).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from rapidfuzz import fuzz

REPO = Path(__file__).resolve().parents[2]
KNOWLEDGE = REPO / "knowledge"
EVAL = REPO / "tests" / "eval"
RATIO = 85
CONTAINED_SLACK = 2


def normalise(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).lower()
    return "".join(
        ch for ch in text if not ch.isspace() and unicodedata.category(ch)[0] not in "PSZC"
    )


def near_copy(a: str, b: str) -> bool:
    x, y = normalise(a), normalise(b)
    if not x or not y:
        return False
    if fuzz.ratio(x, y) >= RATIO:
        return True
    return (x in y or y in x) and abs(len(x) - len(y)) <= CONTAINED_SLACK


def _walk_questions(node: Any) -> Iterator[str]:
    """Every string of every `questions:` list, wherever it sits in the document."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "questions" and isinstance(value, list):
                yield from (str(v) for v in value if isinstance(v, str | int | float))
            yield from _walk_questions(value)
    elif isinstance(node, list):
        for value in node:
            yield from _walk_questions(value)


def knowledge_questions() -> list[tuple[str, str]]:
    """(file, question) for every entry question under knowledge/ (quiz.yaml's quiz
    `questions:` are quiz items, not entry questions, and are skipped)."""
    out = []
    for path in sorted(KNOWLEDGE.rglob("*.yaml")):
        if path.name == "quiz.yaml" and path.parent == KNOWLEDGE:
            continue
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        out += [(str(path.relative_to(REPO)), q) for q in _walk_questions(data)]
    return out


def rule_examples() -> list[tuple[str, str]]:
    """(file, example) for every small-talk `examples:` line of the intent rules: a message
    near one of them is taken as that small talk, as an entry question is matched."""
    out = []
    for path in sorted((REPO / "intents").glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for rule in data.get("rules", []) if isinstance(data, dict) else []:
            out += [(str(path.relative_to(REPO)), str(e)) for e in rule.get("examples") or []]
    return out


def eval_questions() -> list[tuple[str, str]]:
    out = []
    for path in sorted(EVAL.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or []
        items = data if isinstance(data, list) else data.get("questions", [])
        out += [
            (path.name, str(item["q"])) for item in items if isinstance(item, dict) and "q" in item
        ]
    return out


def test_the_sets_are_read() -> None:
    assert len(knowledge_questions()) > 100
    assert len(rule_examples()) > 30
    names = {name for name, _ in eval_questions()}
    assert {"seed.yaml", "corpus.yaml"} <= names


def test_no_entry_question_nearly_copies_an_evaluation_question() -> None:
    evals = [(name, q, normalise(q)) for name, q in eval_questions()]
    leaks = []
    for file, question in knowledge_questions() + rule_examples():
        for name, q, _ in evals:
            if near_copy(question, q):
                leaks.append(f"{file}: {question!r} ~ {name}: {q!r}")
    assert not leaks, "\n".join(leaks)


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ("条例什么时候开始施行？", "条例什么时候开始施行", True),  # punctuation only
        ("ＩＰ主管部门有啥职责", "ip主管部门有啥职责", True),  # NFKC and case
        ("宣贯活动什么时候开展", "宣贯活动什么时候开展啊", True),  # contained, 1 apart
        ("政府职责", "政府在知识产权保护方面有什么职责", False),  # contained, far apart
        ("条例一共有多少条", "实施方案的联系人是谁", False),
    ],
)
def test_near_copy(a: str, b: str, expected: bool) -> None:
    assert near_copy(a, b) is expected
