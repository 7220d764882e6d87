"""Homophone typo repair: a run of characters that sounds like a domain term becomes that term.

Chinese input methods produce typos that sound right and look wrong (只是产权 for 知识产权,
调查关 for 调查官). Comparing toneless pinyin against the knowledge base's own terms fixes them
before segmentation. Readings come from pypinyin's character table; it is read directly so the
phrase dictionary (tens of MB, not needed per character) is never loaded.
"""

from __future__ import annotations

import importlib.util
import itertools
import json
import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from functools import lru_cache
from pathlib import Path

from bot.engine.slips import Slip, mend

MIN_TERM = 3
MAX_TERM = 8
# At most this many reading combinations are tried per window (polyphonic characters multiply).
_MAX_COMBINATIONS = 16
# A run of Latin letters standing as a word: not part of an address, a number or a name
# written in Latin (153627456@qq.com, www.x.cn, A股).
_LATIN = re.compile(r"(?<![A-Za-z0-9@./_:-])[A-Za-z]{3,24}(?![A-Za-z0-9@./_:-])")
_CJK = re.compile(r"[\u4e00-\u9fff]")
# Initials only from this many letters: two (qq, ip) are too often a Latin word of their own.
_MIN_INITIALS = 3
# A whole reading only from this many letters (youxiang, tiaoli; not fuze, dizhi).
_MIN_SPELLING = 6


@lru_cache(maxsize=1)
def _reading_table() -> dict[str, str]:
    """pypinyin's readings by code point, toned and comma-separated as it stores them."""
    spec = importlib.util.find_spec("pypinyin")
    if spec is None or not spec.submodule_search_locations:
        return {}
    path = Path(next(iter(spec.submodule_search_locations))) / "pinyin_dict.json"
    table: dict[str, str] = json.loads(path.read_text(encoding="utf-8"))
    return table


def _toneless(readings: str) -> tuple[str, ...]:
    out = []
    for reading in readings.split(","):
        plain = "".join(
            ch for ch in unicodedata.normalize("NFD", reading) if not unicodedata.combining(ch)
        )
        if plain and plain not in out:
            out.append(plain)
    return tuple(out)


@lru_cache(maxsize=16384)
def readings(ch: str) -> tuple[str, ...]:
    """Toneless pinyin readings of one character (empty for non-Chinese); made toneless on
    first use, not for all 40,000 characters at start-up."""
    toned = _reading_table().get(str(ord(ch)))
    return _toneless(toned) if toned else ()


def _keys(chars: str) -> list[tuple[str, ...]]:
    options = [readings(ch) for ch in chars]
    if not all(options):
        return []
    return list(itertools.islice(itertools.product(*options), _MAX_COMBINATIONS))


def _first_key(chars: str) -> tuple[str, ...]:
    """The first reading of each character in pypinyin's table; empty when one has none."""
    key = tuple(next(iter(readings(ch)), "") for ch in chars)
    return key if all(key) else ()


class HomophoneFixer:
    """Rewrites windows of a question that sound exactly like a known term: of three or more
    characters anywhere a word does not straddle a changed edge; of two only in a window no
    dictionary knows, by each character's first reading in pypinyin's table."""

    def __init__(
        self,
        terms: Iterable[str],
        is_word: Callable[[str], bool] = lambda _: False,
        slips: Sequence[Slip] = (),
        stopwords: Iterable[str] = (),
    ) -> None:
        # A per-instance cache: one on the method would keep old fixers alive after reloads.
        self.fix = lru_cache(maxsize=4096)(self._fix)
        self.is_word = is_word
        self.slips = tuple(slips)
        self.stopwords = frozenset(stopwords)
        self._by_sound: dict[tuple[str, ...], set[str]] = {}
        self._lengths: set[int] = set()
        for term in set(terms):
            if MIN_TERM <= len(term) <= MAX_TERM and all("\u4e00" <= ch <= "\u9fff" for ch in term):
                for key in _keys(term):
                    self._by_sound.setdefault(key, set()).add(term)
                self._lengths.add(len(term))
        # Two-character terms (施行, 宣贯) are fixed only in a window no dictionary knows as a
        # word (施形, 宣灌): among two characters a sound-alike is too often a real word.
        # Each character's first reading in pypinyin's table only, mostly the commonest (受
        # also reads dao, 都 du).
        self._pairs: dict[tuple[str, ...], set[str]] = {}
        for term in set(terms):
            key = _first_key(term)
            if len(term) == 2 and key:
                self._pairs.setdefault(key, set()).add(term)
        self._pair_terms = frozenset(t for ts in self._pairs.values() for t in ts)
        self._terms = frozenset(t for ts in self._by_sound.values() for t in ts)
        # Windows whose first character cannot start any term are skipped cheaply.
        self._first_sounds = frozenset(key[0] for key in self._by_sound)
        # Terms typed as pinyin in a Chinese message (省国资委youxiang, zscq保护中心): by the
        # whole toneless reading or by its initials; a spelling more than one term shares
        # stays as typed.
        spelled: dict[str, set[str]] = {}
        for term in set(terms):
            key = _first_key(term) if 2 <= len(term) <= MAX_TERM else ()
            if not key:
                continue
            # By each character's commonest reading only (不 is bu, not fou), and the whole
            # reading from six letters: a short one is as often an everyday word's (fuze is
            # 负责 far more often than 附则).
            if len("".join(key)) >= _MIN_SPELLING:
                spelled.setdefault("".join(key), set()).add(term)
            if len(key) >= _MIN_INITIALS:
                spelled.setdefault("".join(k[0] for k in key), set()).add(term)
        self._spelled = {k: next(iter(v)) for k, v in spelled.items() if len(v) == 1}

    def _fix(self, text: str) -> str:
        """The text with its known slips mended, then sound-alike windows replaced, longest
        terms first."""
        out = self._unspell(mend(text, self.slips))
        for size in sorted(self._lengths, reverse=True):
            i = 0
            while i + size <= len(out):
                if not self._first_sounds.intersection(readings(out[i])):
                    i += 1
                    continue
                window = out[i : i + size]
                term = self._match(window)
                if term is not None and (
                    self._splits_word(out, i, i + size, term) or self._stop_and_word(window, term)
                ):
                    term = None
                if term is not None:
                    out = out[:i] + term + out[i + size :]
                    i += size
                else:
                    i += 1
        return self._fix_pairs(out)

    def _unspell(self, text: str) -> str:
        """Latin runs of a Chinese message that spell one known term, as that term."""
        if not self._spelled or not _CJK.search(text):
            return text
        return _LATIN.sub(lambda m: self._spelled.get(m.group(0).lower(), m.group(0)), text)

    def _fix_pairs(self, text: str) -> str:
        """Two-character windows no dictionary knows that sound exactly like a two-character
        term and keep one of its characters (施形 → 施行)."""
        if not self._pairs:
            return text
        out = text
        i = 0
        while i + 2 <= len(out):
            window = out[i : i + 2]
            term = None
            # Not where a word runs across either edge (化解都有: 化解 holds the 解).
            alone = not (
                (i > 0 and self.is_word(out[i - 1 : i + 1]))
                or (i + 2 < len(out) and self.is_word(out[i + 1 : i + 3]))
            )
            if alone and window not in self._pair_terms and not self.is_word(window):
                found = self._pairs.get(_first_key(window), set())
                same = sorted(
                    t for t in found if sum(a == b for a, b in zip(t, window, strict=True)) == 1
                )
                term = same[0] if len(same) == 1 else None
            if term is not None:
                out = out[:i] + term + out[i + 2 :]
                i += 2
            else:
                i += 1
        return out

    def _splits_word(self, text: str, start: int, end: int, term: str) -> bool:
        """True when a real word straddles an edge of the window whose character the term
        would change (专利罚款: 罚款 is a word, so 专利罚 is not a typo of 专利法); an edge the
        term keeps leaves such a word whole (宣惯活动到: 动到 stays)."""
        left = start > 0 and term[0] != text[start] and self.is_word(text[start - 1 : start + 1])
        right = (
            end < len(text) and term[-1] != text[end - 1] and self.is_word(text[end - 1 : end + 1])
        )
        return left or right

    def _stop_and_word(self, window: str, term: str) -> bool:
        """True when the term would change only a stopword at an edge of the window whose
        rest is a word (是政府 is 是 + 政府, no typo of 市政府)."""
        if window[0] != term[0] and window[1:] == term[1:]:
            return window[0] in self.stopwords and self.is_word(window[1:])
        if window[-1] != term[-1] and window[:-1] == term[:-1]:
            return window[-1] in self.stopwords and self.is_word(window[:-1])
        return False

    def _match(self, window: str) -> str | None:
        if window in self._terms:
            return None
        # Protect the text when a known term overlaps the window: it is not a typo of another.
        candidates: set[str] = set()
        for key in _keys(window):
            candidates |= self._by_sound.get(key, set())
        for term in sorted(candidates):
            shared = sum(a == b for a, b in zip(term, window, strict=True))
            # A typo keeps at least half of the characters right.
            if shared * 2 >= len(term) and shared < len(term):
                return term
        return None
