"""Baselines measured beside the engine in the same run: plain rapidfuzz and plain BM25."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable

from rapidfuzz import fuzz

from bot.engine import Engine
from bot.engine.normalize import normalize
from bot.evaluation.sets import Item


def baseline_wratio(engine: Engine) -> Callable[[str], list[str]]:
    """Plain rapidfuzz WRatio of the question against each entry's text."""
    texts = [(e.id, normalize(e.text)) for e in engine.kb.entries.values()]

    def rank(question: str) -> list[str]:
        q = normalize(question)
        scored = sorted(texts, key=lambda t: fuzz.WRatio(q, t[1]), reverse=True)
        return [i for i, _ in scored[:10]]

    return rank


def baseline_bm25(engine: Engine) -> Callable[[str], list[str]]:
    """Plain BM25 over plain jieba tokens of title and text: no synonyms, stop words or pinyin."""
    import jieba

    docs = [(e.id, jieba.lcut(normalize(e.title + e.text))) for e in engine.kb.entries.values()]
    n = len(docs)
    avg = sum(len(d) for _, d in docs) / max(n, 1)
    df = Counter(t for _, d in docs for t in set(d))
    tfs = [Counter(d) for _, d in docs]

    def rank(question: str) -> list[str]:
        q = set(jieba.lcut(normalize(question)))
        scores = []
        for (ident, d), tf in zip(docs, tfs, strict=True):
            s = 0.0
            for t in q:
                if t in tf:
                    idf = math.log(1 + (n - df[t] + 0.5) / (df[t] + 0.5))
                    s += idf * tf[t] * 2.2 / (tf[t] + 1.2 * (0.25 + 0.75 * len(d) / avg))
            scores.append((s, ident))
        scores.sort(reverse=True)
        return [i for s, i in scores[:10] if s > 0]

    return rank


def baseline_metrics(
    rank: Callable[[str], list[str]], items: list[Item]
) -> tuple[float, float, float]:
    scoped = [i for i in items if i.in_scope]
    h1 = h3 = rr = 0.0
    for item in scoped:
        ranked = rank(item.question)
        pos = next((k for k, e in enumerate(ranked, 1) if e in item.expect), None)
        h1 += pos == 1
        h3 += pos is not None and pos <= 3
        rr += 1 / pos if pos else 0
    n = len(scoped) or 1
    return h1 / n, h3 / n, rr / n
