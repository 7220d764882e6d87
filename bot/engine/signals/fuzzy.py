"""Fuzzy similarity of the question to the ways an entry is asked (its questions and title).

Compared on canonical words (synonyms unified, stop words gone) with rapidfuzz, as characters
and as word sets, so 条例啥时候开始生效 meets 条例什么时候施行 despite the wording. All phrases
are scored in one rapidfuzz call per scorer, in C.
"""

from __future__ import annotations

from rapidfuzz import fuzz, process

from bot.engine.signals import Document, Query


class Fuzzy:
    def __init__(self, documents: list[Document]) -> None:
        self.documents = documents
        self.owner: list[int] = []
        self.spaced: list[str] = []
        self.joined: list[str] = []
        for i, doc in enumerate(documents):
            for phrase in doc.phrases:
                if phrase:
                    self.owner.append(i)
                    self.spaced.append(phrase)
                    self.joined.append(phrase.replace(" ", ""))

    def scores(self, query: Query) -> list[float]:
        out = [0.0] * len(self.documents)
        if not query.words or not self.owner:
            return out
        for needle, haystack, scorer in (
            ("".join(query.words), self.joined, fuzz.ratio),
            (" ".join(query.words), self.spaced, fuzz.token_sort_ratio),
        ):
            for _, score, index in process.extract(
                needle, haystack, scorer=scorer, limit=None, score_cutoff=1
            ):
                doc = self.owner[index]
                if score / 100.0 > out[doc]:
                    out[doc] = score / 100.0
        return out
