"""Coverage: how much of what the question says (by word weight) the entry also says.

Bounded in [0, 1] and absolute, so it can decide between answer, clarify and fallback:
a question about 年费 over a knowledge base that never mentions 年费 stays low however
well its other words match.
"""

from __future__ import annotations

from collections.abc import Callable

from bot.engine.signals import Document, Query


class Coverage:
    def __init__(self, documents: list[Document], subwords: Callable[[str], list[str]]) -> None:
        self.documents = documents
        self.subwords = subwords

    def word_match(self, word: str, terms: frozenset[str]) -> float:
        """1 for the word itself; for a long word, the share of it its sub-words cover."""
        if word in terms:
            return 1.0
        parts = [p for p in self.subwords(word) if p in terms]
        if not parts:
            return 0.0
        covered = set()
        for part in parts:
            start = word.find(part)
            covered.update(range(start, start + len(part)))
        return len(covered) / len(word)

    def of(self, query: Query, terms: frozenset[str]) -> float:
        total = sum(query.weights[w] for w in query.words)
        if total <= 0:
            return 0.0
        got = sum(query.weights[w] * self.word_match(w, terms) for w in query.words)
        return got / total

    def scores(self, query: Query) -> list[float]:
        out = []
        for doc in self.documents:
            best = self.of(query, doc.term_set)
            out.append(best)
        return out
