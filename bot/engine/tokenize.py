"""Segmentation into canonical content words: jieba with the domain dictionary, synonyms, stop words.

Every word also carries a weight: its self-information in general Chinese (from jieba's own
frequency table), so a rare, specific word like 年费 counts for more than a common one like 时候.

jieba's dictionary (half a million words and prefixes) is the largest thing a start-up reads:
it is kept, with the place names drawn from it, in one file in the cache directory
(BOT_CACHE_DIR, beside the vector cache) and read back whole, which takes a quarter of the
time jieba's own cache in the system temp directory does (marshal reads a file object in
small pieces) and survives a container's fresh /tmp.
"""

from __future__ import annotations

import logging
import marshal
import math
import os
import re
import sys
import weakref
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

from bot.engine.days import MONTH


def _import_jieba():  # type: ignore[no-untyped-def]
    """jieba opens its data files through pkg_resources when that imports (80 ms of start-up,
    and deprecated), by path when it does not: import it without, unless it is already in."""
    if "pkg_resources" in sys.modules:
        import jieba

        return jieba
    sys.modules["pkg_resources"] = None  # type: ignore[assignment]  # makes its import fail
    try:
        import jieba
    finally:
        del sys.modules["pkg_resources"]
    return jieba


jieba = _import_jieba()

log = logging.getLogger(__name__)

# Words jieba has never seen are as specific as the rarest words it knows.
_UNKNOWN_INFORMATION = 16.0
# Subtracted so that common words weigh little next to specific ones; floor keeps them above 0.
_INFORMATION_OFFSET = 5.0
MIN_WEIGHT = 0.5
_USER_WORD_FREQ = 20000
# Place names restrict a question to a place (北京的专利条例): never a minor word.
_PLACE_MIN_WEIGHT = 8.0
_PLACE_LINE = re.compile(rb"^(\S+) \d+ ns\r?$", re.MULTILINE)


def _place_names() -> frozenset[str]:
    """Words jieba's dictionary tags as place names (ns)."""
    with jieba.get_dict_file() as handle:
        data = handle.read()
    return frozenset(m.decode("utf-8") for m in _PLACE_LINE.findall(data))


_NUMBER_WEIGHT = 2.0

jieba.setLogLevel(logging.WARNING)


def _dictionary_stamp() -> str:
    """What the cached dictionary was read from: jieba's version and its dictionary file."""
    source = Path(jieba.__file__).with_name(jieba.DEFAULT_DICT_NAME)
    stat = source.stat()
    return f"jieba {jieba.__version__} {stat.st_size} {stat.st_mtime_ns} short {_SHORT}"


# Prefix entries up to this length are left out of the segmenter's table (138,000 of them):
# words that short are each looked up; longer ones are walked to as jieba does.
_SHORT = 3


class Segmenter(jieba.Tokenizer):
    """jieba's segmenter without the prefix entries of up to three characters its table holds
    only to know when to stop looking for a longer word (138,000 entries, a fifth of its
    memory): from each position the words of up to three characters are looked up (no
    further than the longest word starting with that character), then longer ones walked to
    through their stored prefixes, as jieba does. Segmentation is the same."""

    def __init__(
        self,
        freq: dict[str, int],
        total: int,
        longest: dict[str, int],
        places: frozenset[str],
        stamp: str,
    ) -> None:
        super().__init__()
        self.FREQ, self.total, self.longest = freq, total, longest
        self.initialized = True
        self.places, self.stamp, self.base_total = places, stamp, total
        # What add_word changed, with the value before (None: the key was absent), so the
        # next segmenter can start from this one's table as it was read (see `pristine`).
        self._freq_before: dict[str, int | None] = {}
        self._longest_before: dict[str, int | None] = {}

    def pristine(self) -> tuple[dict[str, int], dict[str, int]]:
        """Copies of the word table and longest-word index without this segmenter's words:
        new tables holding the same word and count objects."""
        freq, longest = dict(self.FREQ), dict(self.longest)
        for table, before in ((freq, self._freq_before), (longest, self._longest_before)):
            for key, value in before.items():
                if value is None:
                    table.pop(key, None)
                else:
                    table[key] = value
        return freq, longest

    def get_DAG(self, sentence: str) -> dict[int, list[int]]:
        """For each position, the ends of the dictionary words starting there (jieba's)."""
        freq = self.FREQ
        get = freq.get
        longest = self.longest
        size = len(sentence)
        dag: dict[int, list[int]] = {}
        for k in range(size):
            reach = longest.get(sentence[k], 1)
            if reach == 1:
                dag[k] = [k]
                continue
            stop = min(size, k + reach)
            ends = [k] if get(sentence[k]) else []
            i = k + 1
            short = min(stop, k + _SHORT)
            while i < short:
                if get(sentence[k : i + 1]):
                    ends.append(i)
                i += 1
            while i < stop:
                frag = sentence[k : i + 1]
                if frag not in freq:
                    break
                if freq[frag]:
                    ends.append(i)
                i += 1
            dag[k] = ends or [k]
        return dag

    def add_word(self, word: str, freq: int | None = None, tag: str | None = None) -> None:
        for end in range(1, len(word) + 1):  # jieba stores the word and its prefixes
            self._freq_before.setdefault(word[:end], self.FREQ.get(word[:end]))
        super().add_word(word, freq, tag)
        if word and len(word) > self.longest.get(word[0], 0):
            self._longest_before.setdefault(word[0], self.longest.get(word[0]))
            self.longest[word[0]] = len(word)


def _longest(freq: dict[str, int]) -> dict[str, int]:
    longest: dict[str, int] = {}
    for word in freq:
        if len(word) > longest.get(word[0], 0):
            longest[word[0]] = len(word)
    return longest


def base_dictionary(cache: Path | None) -> tuple[Segmenter, frozenset[str]]:
    """A segmenter over jieba's default dictionary (a fresh table: each tokenizer adds its own
    words to it) and the dictionary's place names; from `cache` when that file was written
    from the same dictionary, else built by jieba and written there."""
    stamp = _dictionary_stamp()
    last = _last() if _LAST is not None else None
    if last is not None and last.stamp == stamp:
        freq, longest = last.pristine()
        return _remember(Segmenter(freq, last.base_total, longest, last.places, stamp))
    if cache is not None and cache.is_file():
        try:
            saved, freq, total, places, *kept = marshal.loads(cache.read_bytes())
            if saved == stamp:
                # The longest word per first character is kept too (older caches lack it):
                # working it out again took a fifth of a second of every start.
                longest = kept[0] if kept else _longest(freq)
                return _remember(Segmenter(freq, total, longest, frozenset(places), stamp))
        except Exception as exc:  # a bad cache is rebuilt, never fatal
            log.warning("ignoring unreadable dictionary cache %s (%s)", cache, exc)
    built = jieba.Tokenizer()
    built.initialize()
    freq = {word: n for word, n in built.FREQ.items() if n or len(word) > _SHORT}
    places = _place_names()
    if cache is not None:
        try:
            cache.parent.mkdir(parents=True, exist_ok=True)
            tmp = cache.with_name(f"{cache.name}.{os.getpid()}.tmp")
            kept = (stamp, freq, built.total, tuple(sorted(places)), _longest(freq))
            tmp.write_bytes(marshal.dumps(kept))
            os.replace(tmp, cache)
        except OSError as exc:  # a read-only location only costs jieba's slower load next time
            log.warning("could not write dictionary cache %s (%s)", cache, exc)
    return _remember(Segmenter(freq, built.total, _longest(freq), frozenset(places), stamp))


# The newest segmenter, while its engine lives: a reload's tokenizer copies its table rather
# than reading the dictionary again, so the half million word strings and counts stay the
# same objects. Reading them anew at each reload freed the old ones in scattered pieces the
# allocator could not hand back: RSS after 20 reloads was ×1.2–1.3 of after one with nothing
# kept alive (benchmarks/reload_memory.py). A weak reference keeps no engine alive.
_LAST: weakref.ref[Segmenter] | None = None


def _last() -> Segmenter | None:
    return _LAST() if _LAST is not None else None


def _remember(segmenter: Segmenter) -> tuple[Segmenter, frozenset[str]]:
    global _LAST
    _LAST = weakref.ref(segmenter)
    return segmenter, segmenter.places


def dictionary_cache() -> Path:
    """Where the dictionary is cached: the cache directory of the vector cache."""
    from bot.engine.signals.semantic import cache_dir

    # v2: with the longest word per first character (a v1 file is still read).
    return cache_dir() / f"jieba-{jieba.__version__}.v2.dict"


class Tokenizer:
    """Turns text (already normalised) into canonical words and search terms."""

    def __init__(
        self,
        user_words: Iterable[str] = (),
        synonyms: Iterable[Iterable[str]] = (),
        stopwords: Iterable[str] = (),
        not_places: Iterable[str] = (),
    ) -> None:
        """`not_places`: words jieba's dictionary tags as places that name no place (沾边)."""
        self._jieba, places = base_dictionary(dictionary_cache())
        self.places = places - frozenset(not_places)
        self._base_total = self._jieba.total
        self._base_freq: dict[str, int] = {}
        self._user_words: set[str] = set()
        self.canonical: dict[str, str] = {}
        self.stopwords = frozenset(stopwords)
        groups = [tuple(g) for g in synonyms]
        for group in groups:
            for word in group[1:]:
                self.canonical[word] = group[0]
        words = {w for w in user_words if w} | {w for g in groups for w in g if len(w) > 1}
        for word in sorted(words):
            self._base_freq[word] = self._jieba.FREQ.get(word, 0)
            self._user_words.add(word)
            self._jieba.add_word(word, freq=_USER_WORD_FREQ)
        # Per-instance caches: a cache on the method would be shared by every tokenizer and
        # keep old ones (and their engines) alive after a reload.
        self.words = lru_cache(maxsize=8192)(self._words)
        self.terms = lru_cache(maxsize=8192)(self._terms)
        self.subword_spans = lru_cache(maxsize=8192)(self._subword_spans)

    def add_words(self, words: Iterable[str]) -> None:
        """Teach jieba more domain words (entry keywords, names) so they stay whole."""
        for word in words:
            if len(word) > 1 and word not in self._base_freq:
                self._base_freq[word] = self._jieba.FREQ.get(word, 0)
                self._user_words.add(word)
                self._jieba.add_word(word, freq=_USER_WORD_FREQ)
        self.words.cache_clear()
        self.terms.cache_clear()
        self.subword_spans.cache_clear()

    def cut(self, text: str) -> list[str]:
        """jieba's pieces of a text, every character kept (separators too), in order."""
        return list(self._jieba.cut(text, HMM=True))

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
            out.extend(canon for _, _, canon in self.subword_spans(word))
        return tuple(out)

    def _subword_spans(self, word: str) -> tuple[tuple[int, int, str], ...]:
        """(start, end, canonical form) of the 2- and 3-character dictionary words in a word."""
        if len(word) < 3:
            return ()
        found = []
        for size in (2, 3):
            for i in range(len(word) - size + 1):
                gram = word[i : i + size]
                if gram != word and self._jieba.FREQ.get(gram):
                    canon = self._canon(gram)
                    if canon not in self.stopwords:
                        found.append((i, i + size, canon))
        return tuple(found)

    def _information(self, word: str) -> float | None:
        freq = self._base_freq.get(word)
        if freq is None:
            freq = self._jieba.FREQ.get(word, 0)
        return math.log(self._base_total / freq) if freq else None

    def weight(self, word: str) -> float:
        """How much a word says: self-information in general Chinese, offset and floored.

        Numbers say little on their own (1, 2023). Domain terms jieba does not know (宣贯,
        技术调查官) are as specific as its rarest words. A word jieba only guessed by its HMM
        (归谁, 这活) is usually common characters glued together: it weighs as its rarest
        character. Place names weigh at least _PLACE_MIN_WEIGHT.
        """
        if word.isdigit() or MONTH.fullmatch(word):
            return _NUMBER_WEIGHT  # 十一月份 is a value, no topic: rare as jieba counts it
        information = self._information(word)
        if information is None:
            if word in self._user_words or not all("\u4e00" <= ch <= "\u9fff" for ch in word):
                information = _UNKNOWN_INFORMATION
            else:
                known = [i for i in map(self._information, word) if i is not None]
                information = max(known, default=_UNKNOWN_INFORMATION)
        weight = max(MIN_WEIGHT, information - _INFORMATION_OFFSET)
        return max(weight, _PLACE_MIN_WEIGHT) if word in self.places else weight

    @property
    def term_weight(self) -> float:
        """What a domain term jieba does not know weighs (宣贯, 技术调查官制度): a word this
        heavy names a thing of the material, not a verb or a filler around it."""
        return max(MIN_WEIGHT, _UNKNOWN_INFORMATION - _INFORMATION_OFFSET)

    def knows(self, word: str) -> bool:
        return bool(self._jieba.FREQ.get(word))
