"""BM25 postings: the textbook Okapi score, computed from precomputed postings."""

from __future__ import annotations

import math

import pytest

from bot.engine.signals.bm25 import K1, B, Postings


def okapi(term: str, doc: dict[str, float], docs: list[dict[str, float]]) -> float:
    """Okapi BM25 of one term in one document, written out as in the textbook."""
    n = len(docs)
    df = sum(term in d for d in docs)
    idf = math.log(1 + (n - df + 0.5) / (df + 0.5))
    avg = sum(sum(d.values()) for d in docs) / n
    freq = doc.get(term, 0.0)
    return idf * freq * (K1 + 1) / (freq + K1 * (1 - B + B * sum(doc.values()) / avg))


DOCS: list[dict[str, float]] = [
    {"专利": 2.0, "保护": 1.0},
    {"商标": 1.0, "注册": 1.0, "保护": 1.0, "期限": 3.0},
    {"著作权": 1.0},
]


def test_scores_equal_the_textbook_formula() -> None:
    index = Postings(DOCS)
    scores = index.scores(["保护", "期限", "专利"])
    for i, doc in enumerate(DOCS):
        expected = sum(okapi(t, doc, DOCS) for t in ("保护", "期限", "专利"))
        assert scores[i] == pytest.approx(expected)
    assert scores[2] == 0.0


def test_a_repeated_or_unknown_query_term_counts_once_or_not_at_all() -> None:
    index = Postings(DOCS)
    once = index.scores(["商标"])
    assert list(index.scores(["商标", "商标", "没有的词"])) == list(once)
    assert once[1] > 0 and once[0] == once[2] == 0.0


def test_an_empty_index_scores_nothing() -> None:
    assert len(Postings([]).scores(["专利"])) == 0
