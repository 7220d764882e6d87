"""Fuzzy similarity of the question to the ways an entry is asked (its questions and title).

Compared on canonical words (synonyms unified, stop words gone) with rapidfuzz, as characters
and as word sets, so 条例啥时候开始生效 meets 条例什么时候施行 despite the wording.
"""

from __future__ import annotations

from rapidfuzz import fuzz

from bot.engine.signals import Document, Query


class Fuzzy:
    def __init__(self, documents: list[Document]) -> None:
        self.documents = documents

    @staticmethod
    def similarity(query_words: tuple[str, ...], phrase: str) -> float:
        if not query_words or not phrase:
            return 0.0
        joined = "".join(query_words)
        chars = fuzz.ratio(joined, phrase.replace(" ", ""))
        words = fuzz.token_sort_ratio(" ".join(query_words), phrase)
        return max(chars, words) / 100.0

    def scores(self, query: Query) -> list[float]:
        return [
            max((self.similarity(query.words, p) for p in doc.phrases), default=0.0)
            for doc in self.documents
        ]
