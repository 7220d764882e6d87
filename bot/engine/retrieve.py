"""Retrieval: index the knowledge base, combine the signals into one bounded score per entry.

The score that decides answer / clarify / fallback is the top entry's own bounded score
(coverage of the question's words and fuzzy similarity to the entry's questions), and its
gap to the best unrelated runner-up. BM25 only breaks near-ties in the ranking.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
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
from bot.engine.signals.semantic import (
    EncoderUnavailable,
    Semantic,
    VectorCache,
    cache_dir,
    default_encoder,
)
from bot.engine.tokenize import MIN_WEIGHT, Tokenizer
from bot.engine.tuning import Tuning
from bot.knowledge.model import Entry, KnowledgeBase

_LAW_TITLE = re.compile(r"^《[^》]*》")
# An article longer than this is answered with its best paragraph (the rest behind 查看原文).
LONG_ARTICLE_CHARS = 300


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
    def __init__(
        self,
        kb: KnowledgeBase,
        tokenizer: Tokenizer,
        tuning: Tuning | None = None,
        *,
        semantic: bool = True,
        examples: Sequence[str] = (),
    ) -> None:
        """`examples`: messages the encoder embeds beside the base (small talk's)."""
        self.kb = kb
        self.tokenizer = tokenizer
        self.tuning = tuning or Tuning()
        # A per-instance cache: one on the method would keep old retrievers alive after a
        # reload (the cache holds `self` in its keys).
        self.rank = lru_cache(maxsize=2048)(self._rank)
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
        self.semantic: Semantic | None = None
        if encoder is not None:
            try:
                cache = VectorCache(cache_dir() / f"{encoder.tag}.npz")
                self.semantic = Semantic(self.documents, encoder, cache, examples=examples)
            except EncoderUnavailable:  # passages to embed, and the model did not load
                self.semantic = None

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
        # A campaign document's passages are in it, said or not (渠道和载体方案咋说): its
        # name matches every one of them alike, so that the rest of the question chooses
        # among them (方案说宣贯时间是什么时候: the schedule, not the notice whose title names
        # the plan). Not a duty's: duties are asked of by who (方案是哪个部门出的 asks the
        # issuer, not the units' duty under the plan). A fact (the law's dates) is only
        # cited from the document: its name matches it as text does, discounted.
        source = self.kb.sources.get(entry.source)
        key_set = frozenset(t for name in key_names for t in fields[name]) | names_of_law
        if source is not None and source.short and entry.kind != "duty":
            # Its words, not the terms inside them (实施方案 holds 施行: no plan passage says
            # when the law takes effect).
            short = frozenset(self.tokenizer.words(normalize(source.short)))
            term_set |= short
            if entry.kind != "fact":
                key_set |= short
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

    def query(self, text: str, frames: tuple[str, ...] = ()) -> Query:
        """The question in matching form; a word inside one of `frames` (the words saying
        what kind of answer is wanted: 哪几点, 一条条列出来) weighs as little as a word can."""
        words = self.tokenizer.words(text)
        return Query(
            text=text,
            words=words,
            terms=self.tokenizer.terms(text),
            weights={
                w: MIN_WEIGHT if any(w in f for f in frames) else self.weight(w) for w in words
            },
        )

    def excerpt(self, text: str, entry: Entry) -> str | None:
        """For a long article, the paragraph that answers the (normalised) question; the
        whole article stays behind 查看原文. None keeps the whole passage."""
        paragraphs = [p for p in entry.text.split("\n") if p.strip()]
        if entry.kind != "article" or len(entry.text) <= LONG_ARTICLE_CHARS or len(paragraphs) < 2:
            return None
        query = self.query(text)
        return max(
            paragraphs,
            key=lambda p: self.coverage.of(query, frozenset(self.tokenizer.terms(normalize(p)))),
        )

    def foreign(self, word: str) -> bool:
        """A word the knowledge base never uses, not even in part: a sign of another topic."""
        if word in self.vocabulary or word.isdigit():
            return False
        return not any(c in self.vocabulary for _, _, c in self.tokenizer.subword_spans(word))

    def weight(self, word: str) -> float:
        weight = self.tokenizer.weight(word)
        return weight * self.tuning.foreign_factor if self.foreign(word) else weight

    def search(
        self,
        text: str,
        scope: Scope | None = None,
        laws: frozenset[str] | None = None,
        limit: int = 10,
        *,
        exclusive: bool = False,
        frames: tuple[str, ...] = (),
    ) -> list[Candidate]:
        """Entries ranked for a normalised question, best first, within `scope` if given;
        with `laws`, entries derived from other laws are left out (`exclusive`: every entry
        not derived from those laws is)."""
        ranked = [
            c
            for c in self.rank(text, frames)
            if (not scope or scope.admits(c.entry.kind, c.entry.tags))
            and (laws is None or c.entry.law in laws or (c.entry.law is None and not exclusive))
        ]
        t = self.tuning
        if laws is None and len(self.kb.laws) > 1:
            # No law named: the base's own material (campaign documents, primary law) comes
            # first among near-equals, other laws after.
            home = {None, self.kb.primary_law}
            ranked.sort(
                key=lambda c: c.rank + (t.primary_preference if c.entry.law in home else 0.0),
                reverse=True,
            )
        return ranked[:limit]

    def _rank(self, text: str, frames: tuple[str, ...] = ()) -> tuple[Candidate, ...]:
        """Every entry sharing anything with the question, best first."""
        query = self.query(text, frames)
        if not query.words:
            return ()
        t = self.tuning
        bm25 = self.bm25.scores(query)
        coverage = np.asarray(self.coverage.scores(query))
        fuzzy = np.asarray(self.fuzzy.scores(query))
        ngram = self.ngram.scores(query)
        # Entries with questions or a title to compare phrasing with, and the rest (articles):
        # those are matched by their words alone, as weaker evidence.
        lexical = np.where(
            self.has_phrases,
            t.coverage_weight * coverage + t.fuzzy_weight * fuzzy,
            t.no_phrase_factor * coverage,
        )
        # A stored question matched nearly word for word: the encoder would add nothing.
        sure = bool(np.any(self.has_phrases & (lexical >= t.semantic_skip)))
        semantic = np.zeros(len(self.documents)) if sure else self._semantic(text)
        score = np.maximum(lexical, t.semantic_score_weight * semantic)
        rank = score + t.rank_bm25_weight * bm25 / (bm25.max() or 1.0)
        rank += t.semantic_rank_weight * semantic
        # passages without questions: shared character pairs help
        rank += np.where(self.has_phrases, 0.0, t.rank_ngram_weight * ngram / (ngram.max() or 1.0))
        for ident in self.named_subjects(text):
            rank[self.position[ident]] += t.subject_bonus
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
        t = self.tuning
        cosine = self.semantic.scores(text[-t.semantic_max_chars :]).astype(np.float64)
        span = t.semantic_ceiling - t.semantic_floor
        return np.clip((cosine - t.semantic_floor) / span, 0.0, 1.0)
