"""Character-bigram BM25: word-segmentation-free overlap for ranking.

jieba may cut the question and the passage differently (保护期 / 保护 期限, 续展 / 续); shared
character pairs still meet. Like BM25 over words it is unbounded, so it only ranks.
"""

from __future__ import annotations

import itertools
import math
from collections import Counter

from bot.engine.signals import Document, Query

K1 = 1.2
B = 0.75


def bigrams(text: str) -> list[str]:
    """Adjacent pairs of CJK characters (pairs across non-CJK characters are not formed)."""
    out = []
    for a, b in itertools.pairwise(text):
        if "\u4e00" <= a <= "\u9fff" and "\u4e00" <= b <= "\u9fff":
            out.append(a + b)
    return out


class NgramBM25:
    def __init__(self, documents: list[Document], texts: list[str]) -> None:
        self.documents = documents
        self.tf = [Counter(bigrams(t)) for t in texts]
        self.length = [sum(tf.values()) for tf in self.tf]
        n = max(len(texts), 1)
        self.avg = sum(self.length) / n or 1.0
        df: Counter[str] = Counter()
        for tf in self.tf:
            df.update(tf.keys())
        self.idf = {g: math.log(1 + (n - f + 0.5) / (f + 0.5)) for g, f in df.items()}
        self.postings: dict[str, list[int]] = {}
        for i, tf in enumerate(self.tf):
            for gram in tf:
                self.postings.setdefault(gram, []).append(i)

    def scores(self, query: Query) -> list[float]:
        out = [0.0] * len(self.documents)
        for gram in set(bigrams(query.text)):
            idf = self.idf.get(gram)
            if idf is None:
                continue
            for i in self.postings[gram]:
                freq = self.tf[i][gram]
                norm = K1 * (1 - B + B * self.length[i] / self.avg)
                out[i] += idf * freq * (K1 + 1) / (freq + norm)
        return out
