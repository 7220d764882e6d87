"""Coverage: how much of what the question says (by word weight) the entry also says.

Bounded in [0, 1] and absolute, so it can decide between answer, clarify and fallback:
a question about 年费 over a knowledge base that never mentions 年费 stays low however
well its other words match.

An entry is scored as its best *unit*: a FAQ entry by what it is about (title, questions,
keywords) or, discounted, by anything its passage says; an article by its best paragraph
or, discounted, by the whole article, so a long article does not win by sheer length.
"""

from __future__ import annotations

from collections.abc import Callable

from bot.engine.signals import Document, Query

# Words found only deep in a passage are weaker evidence than words of its title or questions.
TEXT_ONLY_FACTOR = 0.85
# Words spread over several paragraphs of an article are weaker evidence than one paragraph.
WHOLE_ARTICLE_FACTOR = 0.9
# Up to this many content words, every unmatched word counts in full.
CORE_WORDS = 5


def units_of(doc: Document) -> list[tuple[frozenset[str], float]]:
    """(terms, factor) units an entry is scored by."""
    if doc.paragraphs:
        return [(p, 1.0) for p in doc.paragraphs] + [(doc.term_set, WHOLE_ARTICLE_FACTOR)]
    if doc.key_set == doc.term_set:
        return [(doc.key_set, 1.0)]
    return [(doc.key_set, 1.0), (doc.term_set, TEXT_ONLY_FACTOR)]


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
        # Every unit of every document, and which document it belongs to.
        self.units: list[tuple[int, frozenset[str], float]] = []
        for i, doc in enumerate(documents):
            for terms, factor in units_of(doc):
                self.units.append((i, terms, factor))
        self.postings: dict[str, list[int]] = {}
        for u, (_, terms, _) in enumerate(self.units):
            for term in terms:
                self.postings.setdefault(term, []).append(u)

    def _parts(self, word: str) -> tuple[tuple[range, str], ...]:
        return tuple((range(a, b), canon) for a, b, canon in self.subword_spans(word))

    def _specificity(self, word: str, canons: list[str]) -> float:
        return min(1.0, sum(map(self.weight, canons)) / len(canons) / self.weight(word))

    def word_match(self, word: str, terms: frozenset[str]) -> float:
        """1 for the word itself; for a long word, the share its matching sub-words explain."""
        if word in terms:
            return 1.0
        parts = self._parts(word)
        return self._share(word, parts, tuple(canon in terms for _, canon in parts))

    def _share(
        self, word: str, parts: tuple[tuple[range, str], ...], present: tuple[bool, ...]
    ) -> float:
        """The share of `word` its parts marked present explain: the characters covered,
        scaled by how specific those parts are next to the whole (多少 inside 多少钱
        explains little, 侵权 inside 重复侵权 much)."""
        covered: set[int] = set()
        canons = []
        for (span, canon), here in zip(parts, present, strict=True):
            if here:
                covered.update(span)
                canons.append(canon)
        if not covered:
            return 0.0
        return len(covered) / len(word) * self._specificity(word, canons)

    def of(self, query: Query, terms: frozenset[str]) -> float:
        """Coverage of the question by one set of terms."""
        shares = {w: self.word_match(w, terms) for w in query.words}
        matched = sum(query.weights[w] * shares[w] for w in query.words)
        return self._ratio(matched, *self._totals(query))

    @staticmethod
    def _totals(query: Query) -> tuple[float, float]:
        """The question's whole word weight, and how much its unmatched words count.

        In a short question every word is the point; a long one carries context (我们公司…,
        听同事说…) that no entry holds, so its unmatched words count for less.
        """
        total = sum(query.weights[w] for w in query.words)
        return total, min(1.0, CORE_WORDS / max(len(query.words), 1))

    @staticmethod
    def _ratio(matched: float, total: float, discount: float) -> float:
        """Matched weight over matched plus (length-discounted) unmatched weight."""
        denominator = matched + (total - matched) * discount
        return matched / denominator if denominator > 0 else 0.0

    def scores(self, query: Query) -> list[float]:
        """Each document's best unit, accumulated word by word over posting lists, so only
        units sharing a term with the question cost anything; the rest score 0."""
        matched = [0.0] * len(self.units)
        for word in query.words:
            weight = query.weights[word]
            exact = set(self.postings.get(word, ()))
            for u in exact:
                matched[u] += weight
            parts = self._parts(word)
            if not parts:
                continue
            partial: set[int] = set()
            for _, canon in parts:
                partial.update(self.postings.get(canon, ()))
            # Units holding the same parts share the same share: computed once per pattern.
            shares: dict[tuple[bool, ...], float] = {}
            for u in partial - exact:
                terms = self.units[u][1]
                present = tuple(canon in terms for _, canon in parts)
                share = shares.get(present)
                if share is None:
                    share = shares[present] = self._share(word, parts, present)
                matched[u] += weight * share
        out = [0.0] * len(self.documents)
        total, discount = self._totals(query)
        for u, value in enumerate(matched):
            if value:
                doc, _, factor = self.units[u]
                out[doc] = max(out[doc], factor * self._ratio(value, total, discount))
        return out
