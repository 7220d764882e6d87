"""Segmentation into canonical content words: jieba with the domain dictionary, synonyms, stop words.

Every word also carries a weight: its self-information in general Chinese (from jieba's own
frequency table), so a rare, specific word like 年费 counts for more than a common one like 时候.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Iterable
from functools import lru_cache

import jieba

# Words jieba has never seen are as specific as the rarest words it knows.
_UNKNOWN_INFORMATION = 16.0
# Subtracted so that common words weigh little next to specific ones; floor keeps them above 0.
_INFORMATION_OFFSET = 5.0
_MIN_WEIGHT = 0.5
_USER_WORD_FREQ = 20000

jieba.setLogLevel(logging.WARNING)


class Tokenizer:
    """Turns text (already normalised) into canonical words and search terms."""

    def __init__(
        self,
        user_words: Iterable[str] = (),
        synonyms: Iterable[Iterable[str]] = (),
        stopwords: Iterable[str] = (),
    ) -> None:
        self._jieba = jieba.Tokenizer()
        self._jieba.initialize()
        self._base_total = self._jieba.total
        self._base_freq: dict[str, int] = {}
        self.canonical: dict[str, str] = {}
        self.stopwords = frozenset(stopwords)
        groups = [tuple(g) for g in synonyms]
        for group in groups:
            for word in group[1:]:
                self.canonical[word] = group[0]
        words = {w for w in user_words if w} | {w for g in groups for w in g if len(w) > 1}
        for word in sorted(words):
            self._base_freq[word] = self._jieba.FREQ.get(word, 0)
            self._jieba.add_word(word, freq=_USER_WORD_FREQ)
        self.words = lru_cache(maxsize=8192)(self._words)
        self.terms = lru_cache(maxsize=8192)(self._terms)

    def add_words(self, words: Iterable[str]) -> None:
        """Teach jieba more domain words (entry keywords, names) so they stay whole."""
        for word in words:
            if len(word) > 1 and word not in self._base_freq:
                self._base_freq[word] = self._jieba.FREQ.get(word, 0)
                self._jieba.add_word(word, freq=_USER_WORD_FREQ)
        self.words.cache_clear()
        self.terms.cache_clear()

    def _canon(self, word: str) -> str:
        return self.canonical.get(word, word)

    def _words(self, text: str) -> tuple[str, ...]:
        """Canonical content words in order, stop words and separators removed."""
        out = []
        for piece in self._jieba.cut(text, HMM=True):
            word = self._canon(piece.strip())
            if word and word not in self.stopwords and any(ch.isalnum() for ch in word):
                out.append(word)
        return tuple(out)

    def _terms(self, text: str) -> tuple[str, ...]:
        """Words plus their dictionary sub-words (知识产权 → 知识, 产权), for partial overlap."""
        out = list(self._words(text))
        for word in list(out):
            out.extend(self.subwords(word))
        return tuple(out)

    def subwords(self, word: str) -> list[str]:
        """The 2- and 3-character dictionary words inside a longer word."""
        if len(word) < 3:
            return []
        found = []
        for size in (2, 3):
            for i in range(len(word) - size + 1):
                gram = word[i : i + size]
                if gram != word and self._jieba.FREQ.get(gram):
                    canon = self._canon(gram)
                    if canon not in self.stopwords:
                        found.append(canon)
        return found

    def weight(self, word: str) -> float:
        """How much a word says: self-information in general Chinese, offset and floored."""
        freq = self._base_freq.get(word)
        if freq is None:
            freq = self._jieba.FREQ.get(word, 0)
        information = math.log(self._base_total / freq) if freq else _UNKNOWN_INFORMATION
        return max(_MIN_WEIGHT, information - _INFORMATION_OFFSET)

    def knows(self, word: str) -> bool:
        return bool(self._jieba.FREQ.get(word))
