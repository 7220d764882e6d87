"""Character-bigram BM25: word-segmentation-free overlap for ranking.

jieba may cut the question and the passage differently (保护期 / 保护 期限, 续展 / 续); shared
character pairs still meet. Like BM25 over words it is unbounded, so it only ranks.
"""

from __future__ import annotations

import itertools
from collections import Counter

import numpy as np

from bot.engine.signals import Query
from bot.engine.signals.bm25 import Postings


def bigrams(text: str) -> list[str]:
    """Adjacent pairs of CJK characters (pairs across non-CJK characters are not formed)."""
    out = []
    for a, b in itertools.pairwise(text):
        if "\u4e00" <= a <= "\u9fff" and "\u4e00" <= b <= "\u9fff":
            out.append(a + b)
    return out


class NgramBM25:
    def __init__(self, texts: list[str]) -> None:
        """One text per indexed document, in the documents' order."""
        self.index = Postings([Counter(bigrams(t)) for t in texts])

    def scores(self, query: Query) -> np.ndarray:
        return self.index.scores(bigrams(query.text))
