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
    again, places_again = base_dictionary(cache)
    assert again.FREQ == first.FREQ and again.total == first.total and places_again == places
    assert again.FREQ is not first.FREQ  # each tokenizer adds its own words to its own table


def test_a_stale_or_broken_cache_is_rebuilt(tmp_path: Path) -> None:
    cache = tmp_path / "dict"
    cache.write_bytes(marshal.dumps(("another jieba", {"x": 1}, 1, ())))
    segmenter, _ = base_dictionary(cache)
    assert segmenter.FREQ.get("知识") and "x" not in segmenter.FREQ
    cache.write_bytes(b"not marshal data")
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
