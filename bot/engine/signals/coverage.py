"""Coverage: how much of what the question says (by word weight) the entry also says.

Bounded in [0, 1] and absolute, so it can decide between answer, clarify and fallback:
a question about 年费 over a knowledge base that never mentions 年费 stays low however
well its other words match.
"""

from __future__ import annotations

from collections.abc import Callable

from bot.engine.signals import Document, Query

# Words found only deep in a passage are weaker evidence than words of its title or questions.
TEXT_ONLY_FACTOR = 0.85
# Up to this many content words, every unmatched word counts in full.
CORE_WORDS = 5


class Coverage:
    def __init__(
        self,
        documents: list[Document],
        subword_spans: Callable[[str], tuple[tuple[int, int, str], ...]],
        weight: Callable[[str], float],
    ) -> None:
        self.documents = documents
        self.subword_spans = subword_spans
        self.weight = weight

    def word_match(self, word: str, terms: frozenset[str]) -> float:
        """1 for the word itself; for a long word, the share its matching sub-words explain.

        The share is the characters covered, scaled by how specific the matching parts are
        next to the whole: 多少 inside 多少钱 explains little, 侵权 inside 重复侵权 much.
        """
        if word in terms:
            return 1.0
        covered: set[int] = set()
        weights = []
        for start, end, canon in self.subword_spans(word):
            if canon in terms:
                covered.update(range(start, end))
                weights.append(self.weight(canon))
        if not covered:
            return 0.0
        specificity = min(1.0, sum(weights) / len(weights) / self.weight(word))
        return len(covered) / len(word) * specificity

    def of(self, query: Query, terms: frozenset[str]) -> float:
        """Matched weight over matched plus (length-discounted) unmatched weight.

        In a short question every word is the point; a long one carries context (我们公司…,
        听同事说…) that no entry holds, so its unmatched words count for less.
        """
        matched = missed = 0.0
        for word in query.words:
            share = self.word_match(word, terms)
            matched += query.weights[word] * share
            missed += query.weights[word] * (1 - share)
        discount = min(1.0, CORE_WORDS / max(len(query.words), 1))
        total = matched + missed * discount
        return matched / total if total > 0 else 0.0

    def scores(self, query: Query) -> list[float]:
        """Coverage by what the entry is about, or (discounted) by anything its text says."""
        return [
            max(self.of(query, doc.key_set), TEXT_ONLY_FACTOR * self.of(query, doc.term_set))
            for doc in self.documents
        ]
