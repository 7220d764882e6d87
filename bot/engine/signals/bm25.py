"""BM25F over jieba terms: ranks long passages fairly against short questions.

Field weights let a title or keyword hit count for more than a word deep in a passage.
Scores are unbounded, so they rank; they never decide confidence alone.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence

import numpy as np

from bot.engine.signals import Document, Query

FIELD_WEIGHTS = {"title": 2.0, "questions": 1.0, "keywords": 2.0, "text": 1.0}
K1 = 1.2
B = 0.75


class Postings:
    """Okapi BM25 over term-frequency counts, one per document.

    Each posting keeps its document's saturated, length-normalised term frequency, computed
    once, so a query costs one multiply-add per posting of its terms.
    """

    def __init__(self, counts: Sequence[Mapping[str, float]]) -> None:
        self.size = len(counts)
        lengths = [sum(tf.values()) for tf in counts]
        avg = (sum(lengths) / self.size if self.size else 0.0) or 1.0
        df: Counter[str] = Counter()
        for tf in counts:
            df.update(tf.keys())
        n = max(self.size, 1)
        self.idf = {t: math.log(1 + (n - f + 0.5) / (f + 0.5)) for t, f in df.items()}
        rows: dict[str, tuple[list[int], list[float]]] = {}
        for i, tf in enumerate(counts):
            norm = K1 * (1 - B + B * lengths[i] / avg)
            for term, freq in tf.items():
                docs, weights = rows.setdefault(term, ([], []))
                docs.append(i)
                weights.append(freq * (K1 + 1) / (freq + norm))
        self.postings = {
            t: (np.asarray(d, dtype=np.int64), np.asarray(w, dtype=np.float64))
            for t, (d, w) in rows.items()
        }

    def scores(self, terms: Iterable[str]) -> np.ndarray:
        out = np.zeros(self.size)
        for term in set(terms):
            posting = self.postings.get(term)
            if posting is not None:
                out[posting[0]] += self.idf[term] * posting[1]
        return out


class BM25:
    def __init__(self, documents: list[Document]) -> None:
        counts: list[Counter[str]] = []
        for doc in documents:
            tf: Counter[str] = Counter()
            for name, terms in doc.fields.items():
                weight = FIELD_WEIGHTS.get(name, 1.0)
                for term in terms:
                    tf[term] += weight
            counts.append(tf)
        self.index = Postings(counts)

    def scores(self, query: Query) -> np.ndarray:
        return self.index.scores(query.terms)
