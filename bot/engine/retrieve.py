"""Retrieval: index the knowledge base, combine the signals into one bounded score per entry.

The score that decides answer / clarify / fallback is the top entry's own bounded score
(coverage of the question's words and fuzzy similarity to the entry's questions), and its
gap to the best unrelated runner-up. BM25 only breaks near-ties in the ranking.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from typing import NamedTuple

import numpy as np

from bot.engine.intents import Scope
from bot.engine.normalize import normalize
from bot.engine.signals import Document, Query
from bot.engine.signals.bm25 import BM25
from bot.engine.signals.coverage import Coverage
from bot.engine.signals.fuzzy import Fuzzy
from bot.engine.signals.ngram import NgramBM25
from bot.engine.signals.semantic import Semantic, VectorCache, cache_dir, default_encoder
from bot.engine.tokenize import Tokenizer
from bot.knowledge.model import Entry, KnowledgeBase

_LAW_TITLE = re.compile(r"^《[^》]*》")
COVERAGE_WEIGHT = 0.6
# An entry with no questions or title to compare phrasing with (an article) is matched by
# its words alone: full coverage then weighs like a good, not a perfect, FAQ match.
NO_PHRASE_FACTOR = 0.85
FUZZY_WEIGHT = 0.4
RANK_BM25_WEIGHT = 0.05
# Character-bigram BM25 for entries matched by their words alone (articles), ranking only.
RANK_NGRAM_WEIGHT = 0.1
# Naming a duty's subject (高校, 电商平台) puts that duty first; confidence is unchanged.
RANK_SUBJECT_BONUS = 0.1
# With several laws loaded and none named, the base's own material ranks first among near-equals.
PRIMARY_PREFERENCE = 0.12
# Words the knowledge base never uses count double against coverage.
FOREIGN_FACTOR = 2.0
# Semantic similarity (cosine of e5 embeddings) is mapped onto [0, 1] between these two:
# below the floor a passage is unrelated, at the ceiling it says what the question asks.
SEMANTIC_FLOOR = 0.87
SEMANTIC_CEILING = 0.95
# How much the semantic score counts in the ordering, and how far it alone can carry the
# confidence (an entry matched by meaning but by none of its words).
SEMANTIC_RANK_WEIGHT = 1.0
SEMANTIC_SCORE_WEIGHT = 0.5
# The encoder reads at most the question's last characters (where a question says what it
# asks): its cost grows with the length (about 0.45 ms a character on two cores), and on the
# dev splits the last 24 characters match as well as the whole question.
SEMANTIC_MAX_CHARS = 24
# A stored question matched this well by its words (the "sure" level) needs no encoder: on
# the dev splits skipping it changed no answer, and it saves the encoder's ~10 ms.
SEMANTIC_SKIP = 0.75


class Candidate(NamedTuple):
    """One ranked entry. A named tuple, not a dataclass: hundreds are built per question."""

    entry: Entry
    score: float  # bounded [0, 1]: what decisions use
    rank: float  # score plus a BM25 tie-break: what ordering uses
    coverage: float
    fuzzy: float
    bm25: float
    semantic: float = 0.0


class Retriever:
    def __init__(self, kb: KnowledgeBase, tokenizer: Tokenizer, *, semantic: bool = True) -> None:
        self.kb = kb
        self.tokenizer = tokenizer
        self._law_names = {
            law.id: frozenset(
                self.tokenizer.canonical.get(n, n)
                for n in (normalize(a) for a in (law.title, *law.aliases))
                if n
            )
            for law in kb.laws.values()
        }
        self.documents = [self._document(e) for e in kb.entries.values()]
        self.has_phrases = np.array([bool(d.phrases) for d in self.documents], dtype=bool)
        self.position = {d.entry.id: i for i, d in enumerate(self.documents)}
        self.bm25 = BM25(self.documents)
        self.coverage = Coverage(self.documents, tokenizer.subword_spans, tokenizer.weight)
        self.fuzzy = Fuzzy(self.documents)
        self.ngram = NgramBM25(
            [normalize(" ".join((e.title, *e.questions, e.text))) for e in kb.entries.values()]
        )
        self.vocabulary = frozenset(t for d in self.documents for t in d.term_set)
        self.subject_docs = [
            (e.id, tuple(normalize(n) for n in (e.subject, *e.aliases) if n))
            for e in kb.entries.values()
            if e.subject
        ]
        encoder = default_encoder() if semantic else None
        self.semantic = (
            Semantic(self.documents, encoder, VectorCache(cache_dir() / f"{encoder.tag}.npz"))
            if encoder is not None
            else None
        )

    def _terms(self, texts: Iterable[str]) -> tuple[str, ...]:
        out: list[str] = []
        for text in texts:
            out.extend(self.tokenizer.terms(normalize(text)))
        return tuple(out)

    def _document(self, entry: Entry) -> Document:
        names = (*entry.keywords, *((entry.subject,) if entry.subject else ()), *entry.aliases)
        # A law's own title is not what its articles are about: law names scope, not match.
        title = _LAW_TITLE.sub("", entry.title) if entry.law else entry.title
        # Segmented once per paragraph: articles are scored by paragraph as well as whole.
        paragraph_terms = [self._terms([p]) for p in entry.text.split("\n") if p.strip()]
        fields = {
            "title": self._terms([title]),
            "questions": self._terms(entry.questions),
            "keywords": self._terms(names),
            "text": tuple(t for terms in paragraph_terms for t in terms),
        }
        asked = (*entry.questions, title) if entry.kind != "article" else ()
        phrases = tuple(" ".join(self.tokenizer.words(normalize(q))) for q in asked)
        term_set = frozenset(t for terms in fields.values() for t in terms)
        # An article's text is what it is about; a FAQ entry is about its title and questions.
        key_names = (
            ("title", "questions", "keywords", "text")
            if entry.kind == "article"
            else ("title", "questions", "keywords")
        )
        # The law's names, whole: naming the law matches its entries, but a word inside a
        # name (专利 in 专利法) must not match every article of that law.
        names_of_law = self._law_names.get(entry.law or "", frozenset())
        term_set |= names_of_law
        key_set = frozenset(t for name in key_names for t in fields[name]) | names_of_law
        paragraphs: tuple[frozenset[str], ...] = ()
        if entry.kind == "article" and len(paragraph_terms) > 1:
            heading = frozenset(fields["title"]) | names_of_law
            paragraphs = tuple(frozenset(terms) | heading for terms in paragraph_terms)
        return Document(
            entry=entry,
            fields=fields,
            term_set=term_set,
            key_set=key_set,
            phrases=phrases,
            paragraphs=paragraphs,
        )

    def named_subjects(self, text: str) -> frozenset[str]:
        """Duty entries whose subject the question names, longest name only (企业 loses to
        省国资委监管企业 when the question says the latter)."""
        best: list[str] = []
        best_len = 0
        for doc in self.subject_docs:
            for name in doc[1]:
                if name in text and len(name) >= best_len:
                    if len(name) > best_len:
                        best, best_len = [], len(name)
                    best.append(doc[0])
        return frozenset(best)

    def query(self, text: str) -> Query:
        words = self.tokenizer.words(text)
        return Query(
            text=text,
            words=words,
            terms=self.tokenizer.terms(text),
            weights={w: self.weight(w) for w in words},
        )

    def foreign(self, word: str) -> bool:
        """A word the knowledge base never uses, not even in part: a sign of another topic."""
        if word in self.vocabulary or word.isdigit():
            return False
        return not any(c in self.vocabulary for _, _, c in self.tokenizer.subword_spans(word))

    def weight(self, word: str) -> float:
        weight = self.tokenizer.weight(word)
        return weight * FOREIGN_FACTOR if self.foreign(word) else weight

    def search(
        self,
        text: str,
        scope: Scope | None = None,
        laws: frozenset[str] | None = None,
        limit: int = 10,
        *,
        exclusive: bool = False,
    ) -> list[Candidate]:
        """Entries ranked for a normalised question, best first, within `scope` if given;
        with `laws`, entries derived from other laws are left out (`exclusive`: every entry
        not derived from those laws is)."""
        ranked = [
            c
            for c in self.rank(text)
            if (not scope or scope.admits(c.entry.kind, c.entry.tags))
            and (laws is None or c.entry.law in laws or (c.entry.law is None and not exclusive))
        ]
        if laws is None and len(self.kb.laws) > 1:
            # No law named: the base's own material (campaign documents, primary law) comes
            # first among near-equals, other laws after.
            home = {None, self.kb.primary_law}
            ranked.sort(
                key=lambda c: c.rank + (PRIMARY_PREFERENCE if c.entry.law in home else 0.0),
                reverse=True,
            )
        return ranked[:limit]

    @lru_cache(maxsize=2048)  # noqa: B019 - one retriever per knowledge base, bounded cache
    def rank(self, text: str) -> tuple[Candidate, ...]:
        """Every entry sharing anything with the question, best first."""
        query = self.query(text)
        if not query.words:
            return ()
        bm25 = self.bm25.scores(query)
        coverage = np.asarray(self.coverage.scores(query))
        fuzzy = np.asarray(self.fuzzy.scores(query))
        ngram = self.ngram.scores(query)
        # Entries with questions or a title to compare phrasing with, and the rest (articles):
        # those are matched by their words alone, as weaker evidence.
        lexical = np.where(
            self.has_phrases,
            COVERAGE_WEIGHT * coverage + FUZZY_WEIGHT * fuzzy,
            NO_PHRASE_FACTOR * coverage,
        )
        # A stored question matched nearly word for word: the encoder would add nothing.
        sure = bool(np.any(self.has_phrases & (lexical >= SEMANTIC_SKIP)))
        semantic = np.zeros(len(self.documents)) if sure else self._semantic(text)
        score = np.maximum(lexical, SEMANTIC_SCORE_WEIGHT * semantic)
        rank = score + RANK_BM25_WEIGHT * bm25 / (bm25.max() or 1.0)
        rank += SEMANTIC_RANK_WEIGHT * semantic
        # passages without questions: shared character pairs help
        rank += np.where(self.has_phrases, 0.0, RANK_NGRAM_WEIGHT * ngram / (ngram.max() or 1.0))
        for ident in self.named_subjects(text):
            rank[self.position[ident]] += RANK_SUBJECT_BONUS
        kept = np.flatnonzero((coverage > 0) | (fuzzy >= 0.5) | (semantic > 0))
        # stable, like the sort it replaces: equal ranks keep the knowledge base's order
        order = kept[np.argsort(-rank[kept], kind="stable")]
        return tuple(
            Candidate(
                self.documents[i].entry,
                float(score[i]),
                float(rank[i]),
                float(coverage[i]),
                float(fuzzy[i]),
                float(bm25[i]),
                float(semantic[i]),
            )
            for i in order
        )

    def _semantic(self, text: str) -> np.ndarray:
        """Semantic similarity per document on [0, 1]; all zero without an encoder."""
        if self.semantic is None:
            return np.zeros(len(self.documents))
        cosine = self.semantic.scores(text[-SEMANTIC_MAX_CHARS:]).astype(np.float64)
        span = SEMANTIC_CEILING - SEMANTIC_FLOOR
        return np.clip((cosine - SEMANTIC_FLOOR) / span, 0.0, 1.0)
