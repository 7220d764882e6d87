"""BM25F over jieba terms: ranks long passages fairly against short questions.

Field weights let a title or keyword hit count for more than a word deep in a passage.
Scores are unbounded, so they rank; they never decide confidence alone.
"""

from __future__ import annotations

import math
from collections import Counter

from bot.engine.signals import Document, Query

FIELD_WEIGHTS = {"title": 2.0, "questions": 1.0, "keywords": 2.0, "text": 1.0}
K1 = 1.2
B = 0.75


class BM25:
    def __init__(self, documents: list[Document]) -> None:
        self.documents = documents
        self.tf: list[Counter[str]] = []
        self.length: list[float] = []
        df: Counter[str] = Counter()
        for doc in documents:
            tf: Counter[str] = Counter()
            for name, terms in doc.fields.items():
                weight = FIELD_WEIGHTS.get(name, 1.0)
                for term in terms:
                    tf[term] += weight
            self.tf.append(tf)
            self.length.append(sum(tf.values()))
            df.update(tf.keys())
        n = max(len(documents), 1)
        self.avg_length = sum(self.length) / n if self.length else 1.0
        self.idf = {t: math.log(1 + (n - f + 0.5) / (f + 0.5)) for t, f in df.items()}
        # Inverted index: only documents sharing a term are scored.
        self.postings: dict[str, list[int]] = {}
        for i, tf in enumerate(self.tf):
            for term in tf:
                self.postings.setdefault(term, []).append(i)

    def scores(self, query: Query) -> list[float]:
        out = [0.0] * len(self.documents)
        for term in set(query.terms):
            idf = self.idf.get(term)
            if idf is None:
                continue
            for i in self.postings[term]:
                freq = self.tf[i][term]
                norm = K1 * (1 - B + B * self.length[i] / self.avg_length)
                out[i] += idf * freq * (K1 + 1) / (freq + norm)
        return out
