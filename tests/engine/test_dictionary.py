"""jieba's dictionary as the tokenizer loads it: from a cache file, without the short prefix
entries, segmenting exactly as jieba does."""

from __future__ import annotations

import marshal
from pathlib import Path

import pytest

from bot.engine import tokenize
from bot.engine.tokenize import Segmenter, Tokenizer, base_dictionary, jieba
from bot.knowledge.loader import load_knowledge

ROOT = Path(__file__).resolve().parents[2]

QUESTIONS = [
    "听说知识产权条例11月1号起就生效了，是真的吗",
    "我在农贸市场开了个小门面，听说这个条例宣传还要进市场，是要我做点啥吗",
    "中华人民共和国专利法实施细则第十二条怎么规定的",
    "别人抄了我的发明怎么办？技术调查官能帮忙吗",
    "ＩＰ主管部门有啥职责 2023年 abc-123",
]


@pytest.fixture(autouse=True)
def no_live_segmenter(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test reads the dictionary as a first start does (not from a live segmenter)."""
    monkeypatch.setattr(tokenize, "_LAST", None)


@pytest.fixture(scope="module")
def stock() -> jieba.Tokenizer:
    built = jieba.Tokenizer()
    built.initialize()
    return built


def test_segmentation_is_jiebas_own(stock: jieba.Tokenizer, tmp_path: Path) -> None:
    kb = load_knowledge(ROOT / "knowledge")
    texts = QUESTIONS + [t for e in kb.entries.values() for t in (e.title, e.text, *e.questions)]
    ours, _ = base_dictionary(tmp_path / "dict")
    words = ["技术调查官", "宣贯", "知识产权保护和促进条例"]
    for word in words:
        ours.add_word(word, freq=20000)
    reference = jieba.Tokenizer()
    reference.FREQ, reference.total = dict(stock.FREQ), stock.total
    reference.initialized = True
    for word in words:
        reference.add_word(word, freq=20000)
    for text in texts:
        for hmm in (True, False):
            assert list(ours.cut(text, HMM=hmm)) == list(reference.cut(text, HMM=hmm)), text
    # Without the short prefix entries: about 138,000 fewer.
    assert len(reference.FREQ) - len(ours.FREQ) > 100_000


def test_the_dictionary_is_cached_and_read_back(tmp_path: Path) -> None:
    cache = tmp_path / "sub" / "dict"
    first, places = base_dictionary(cache)
    assert cache.is_file() and "北京" in places
    tokenize._LAST = None  # a new process, not a reload (reset by the fixture after the test)
    again, places_again = base_dictionary(cache)
    assert again.FREQ == first.FREQ and again.total == first.total and places_again == places
    assert again.FREQ is not first.FREQ  # each tokenizer adds its own words to its own table
    assert again.longest == first.longest  # kept in the cache, not worked out again


def test_a_cache_without_the_longest_words_is_read_still(tmp_path: Path) -> None:
    cache = tmp_path / "dict"
    first, _ = base_dictionary(cache)
    stamp, freq, total, places, _longest = marshal.loads(cache.read_bytes())
    cache.write_bytes(marshal.dumps((stamp, freq, total, places)))  # an older cache's layout
    tokenize._LAST = None  # (reset by the fixture after the test)
    again, _ = base_dictionary(cache)
    assert again.longest == first.longest and again.FREQ == first.FREQ


def test_a_stale_or_broken_cache_is_rebuilt(tmp_path: Path) -> None:
    cache = tmp_path / "dict"
    cache.write_bytes(marshal.dumps(("another jieba", {"x": 1}, 1, ())))
    segmenter, _ = base_dictionary(cache)
    assert segmenter.FREQ.get("知识") and "x" not in segmenter.FREQ
    cache.write_bytes(b"not marshal data")
    tokenize._LAST = None  # (reset by the fixture after the test)
    segmenter, _ = base_dictionary(cache)
    assert segmenter.FREQ.get("知识")
    assert marshal.loads(cache.read_bytes())[0] == tokenize._dictionary_stamp()


def test_an_unwritable_cache_only_costs_time(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    segmenter, _ = base_dictionary(blocker / "dict")  # parent is a file: cannot be written
    assert isinstance(segmenter, Segmenter) and segmenter.FREQ.get("知识")


def test_tokenizers_do_not_share_their_tables() -> None:
    one = Tokenizer(["甲乙丙丁戊"])
    other = Tokenizer()
    assert one.knows("甲乙丙丁戊") and not other.knows("甲乙丙丁戊")
    assert one.words("甲乙丙丁戊己") != other.words("甲乙丙丁戊己")


def test_a_reloads_tokenizer_shares_the_words_but_not_the_table(stock: jieba.Tokenizer) -> None:
    """A second tokenizer (a reload) starts from the live one's table without its words:
    the same table and segmentation as one read from the dictionary, the same string
    objects, its own dict."""
    texts = [*QUESTIONS, "甲乙丙丁戊己庚", "技术调查官怎么选出来的"]
    first = Tokenizer(["甲乙丙丁戊", "技术调查官"])
    second = Tokenizer(["乙丙丁戊己庚"])
    tokenize._LAST = None
    fresh = Tokenizer(["乙丙丁戊己庚"])
    assert second._jieba.FREQ == fresh._jieba.FREQ
    assert second._jieba.longest == fresh._jieba.longest
    assert second._jieba.total == fresh._jieba.total
    assert [second.words(t) for t in texts] == [fresh.words(t) for t in texts]
    assert not second.knows("甲乙丙丁戊") and first.knows("甲乙丙丁戊")
    assert second._jieba.FREQ is not first._jieba.FREQ
    word = next(w for w in first._jieba.FREQ if len(w) > 3)
    shared = next(k for k in second._jieba.FREQ if k == word)
    assert shared is next(k for k in first._jieba.FREQ if k == word)
    assert shared is not next(k for k in fresh._jieba.FREQ if k == word)


def test_words_named_no_place_are_not_places() -> None:
    assert "沾边" in Tokenizer().places
    assert "沾边" not in Tokenizer(not_places=["沾边"]).places
