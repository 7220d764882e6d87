"""Coverage: the posting-list accumulation equals scoring every unit one by one."""

from __future__ import annotations

import pytest

from bot.engine.signals import Document, Query
from bot.engine.signals.coverage import Coverage, units_of
from bot.knowledge.model import Entry

LEXICON = {"专利", "侵权", "重复", "多少", "赔偿", "期限"}
WEIGHTS = {"专利": 2.0, "侵权": 3.0, "重复": 2.5, "多少": 0.5, "赔偿": 3.0, "期限": 2.0}


def spans(word: str) -> tuple[tuple[int, int, str], ...]:
    """Two-character parts of a longer word that the lexicon knows."""
    if len(word) <= 2:
        return ()
    return tuple(
        (i, i + 2, word[i : i + 2]) for i in range(len(word) - 1) if word[i : i + 2] in LEXICON
    )


def weight(word: str) -> float:
    return WEIGHTS.get(word, 1.5)


def document(ident: str, key: list[str], paragraphs: list[list[str]]) -> Document:
    entry = Entry(id=ident, kind="article", title=ident, text="", source="s", locator="l")
    text = [t for p in paragraphs for t in p]
    term_set = frozenset(key) | frozenset(text)
    return Document(
        entry=entry,
        fields={"title": tuple(key), "text": tuple(text)},
        term_set=term_set,
        key_set=frozenset(key),
        phrases=(),
        paragraphs=tuple(frozenset(p) | frozenset(key) for p in paragraphs)
        if len(paragraphs) > 1
        else (),
    )


DOCS = [
    document("a", ["专利"], [["侵权", "赔偿"], ["期限", "专利"]]),
    document("b", ["商标"], [["重复", "侵权", "多少"]]),
    document("c", [], [["多少", "期限"], ["赔偿"]]),
    document("d", ["著作权"], [["登记"]]),
]


@pytest.mark.parametrize(
    "words",
    [
        ("专利", "重复侵权", "多少钱"),
        ("侵权赔偿", "期限"),
        ("著作权", "登记", "多少"),
        ("没有", "的词"),
    ],
)
def test_accumulated_scores_equal_unit_by_unit_scores(words: tuple[str, ...]) -> None:
    coverage = Coverage(DOCS, spans, weight)
    query = Query(
        text="".join(words), words=words, terms=words, weights={w: weight(w) for w in words}
    )
    expected = [
        max(factor * coverage.of(query, terms) for terms, factor in units_of(doc)) for doc in DOCS
    ]
    assert coverage.scores(query) == pytest.approx(expected)


def test_a_long_word_is_explained_by_its_parts() -> None:
    coverage = Coverage(DOCS, spans, weight)
    terms = frozenset({"侵权"})
    assert coverage.word_match("重复侵权", frozenset({"重复侵权"})) == 1.0
    share = coverage.word_match("重复侵权", terms)
    # half of the characters, at the specificity of 侵权 (3.0) next to the word's own weight
    assert share == pytest.approx(0.5 * min(1.0, 3.0 / 1.5))
    assert coverage.word_match("重复侵权", frozenset({"登记"})) == 0.0
