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
        self.postings: dict[str, list[int]] = {}
        self.key_postings: dict[str, list[int]] = {}
        for i, doc in enumerate(documents):
            for term in doc.term_set:
                self.postings.setdefault(term, []).append(i)
            for term in doc.key_set:
                self.key_postings.setdefault(term, []).append(i)

    def _parts(self, word: str) -> tuple[tuple[range, str], ...]:
        return tuple((range(a, b), canon) for a, b, canon in self.subword_spans(word))

    def _specificity(self, word: str, canons: list[str]) -> float:
        return min(1.0, sum(map(self.weight, canons)) / len(canons) / self.weight(word))

    def word_match(self, word: str, terms: frozenset[str]) -> float:
        """1 for the word itself; for a long word, the share its matching sub-words explain.

        The share is the characters covered, scaled by how specific the matching parts are
        next to the whole: 多少 inside 多少钱 explains little, 侵权 inside 重复侵权 much.
        """
        if word in terms:
            return 1.0
        covered: set[int] = set()
        canons = []
        for span, canon in self._parts(word):
            if canon in terms:
                covered.update(span)
                canons.append(canon)
        if not covered:
            return 0.0
        return len(covered) / len(word) * self._specificity(word, canons)

    def of(self, query: Query, terms: frozenset[str]) -> float:
        """Coverage of the question by one set of terms."""
        shares = {w: self.word_match(w, terms) for w in query.words}
        return self.combine(query, shares)

    @staticmethod
    def combine(query: Query, shares: dict[str, float]) -> float:
        """Matched weight over matched plus (length-discounted) unmatched weight.

        In a short question every word is the point; a long one carries context (我们公司…,
        听同事说…) that no entry holds, so its unmatched words count for less.
        """
        matched = missed = 0.0
        for word in query.words:
            share = shares.get(word, 0.0)
            matched += query.weights[word] * share
            missed += query.weights[word] * (1 - share)
        discount = min(1.0, CORE_WORDS / max(len(query.words), 1))
        total = matched + missed * discount
        return matched / total if total > 0 else 0.0

    def scores(self, query: Query) -> list[float]:
        """Coverage by what the entry is about, or (discounted) by anything its text says.

        Accumulated word by word over posting lists, so only documents sharing a term with
        the question cost anything; the rest score 0.
        """
        n = len(self.documents)
        on_key = [0.0] * n
        on_all = [0.0] * n
        total = 0.0
        for word in query.words:
            weight = query.weights[word]
            total += weight
            for matched, postings in ((on_key, self.key_postings), (on_all, self.postings)):
                exact = set(postings.get(word, ()))
                for i in exact:
                    matched[i] += weight
                parts = self._parts(word)
                if not parts:
                    continue
                partial: set[int] = set()
                for _, canon in parts:
                    partial.update(postings.get(canon, ()))
                for i in partial - exact:
                    doc = self.documents[i]
                    terms = doc.key_set if matched is on_key else doc.term_set
                    matched[i] += weight * self.word_match(word, terms)
        discount = min(1.0, CORE_WORDS / max(len(query.words), 1))

        def coverage(matched: float) -> float:
            denominator = matched + (total - matched) * discount
            return matched / denominator if denominator > 0 else 0.0

        return [
            max(coverage(on_key[i]), TEXT_ONLY_FACTOR * coverage(on_all[i])) if on_all[i] else 0.0
            for i in range(n)
        ]
