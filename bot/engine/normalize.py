"""Text normalisation shared by questions and indexed passages, so both sides compare alike.

NFKC turns full-width letters, digits and punctuation into their plain forms; OpenCC with
Taiwan phrases turns traditional text (智慧財產權) into simplified (知识产权); ordinals
become Arabic (第六十八条 → 第68条); control and direction marks go; case folds.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import opencc

from bot.numerals import arabize_days, arabize_ordinals

# The longest question answered (a longer one is told the limit); a previous question
# longer than this frames no follow-up either.
MAX_QUESTION_CHARS = 500

_taiwan_to_mainland = opencc.OpenCC("tw2sp")
_traditional_to_simplified = opencc.OpenCC("t2s")
# 第 5 条 / 第五 章: spaces inside an ordinal are typing noise.
_SPACED_ORDINAL = re.compile(r"第\s*([0-9零〇一二两三四五六七八九十百千]+)\s*([条章节])")
# 第（三）点: the interpretation's (三) counted with 第 — the brackets are its numbering.
_BRACKETED_ORDINAL = re.compile(r"第\s*\(\s*([0-9零〇一二两三四五六七八九十百千]+)\s*\)")

# Everything that is not a letter, digit or CJK ideograph separates words.
_SEPARATORS = re.compile(r"[^\w\u4e00-\u9fff]+|_+")
_SPACES = re.compile(r"\s+")


def _visible(text: str) -> str:
    """Drop control, format (RTL/zero-width) and private-use characters, and pictographs
    (emoji say how, not what: 好滴👌 is 好滴); keep line breaks as space."""
    out = []
    for ch in text:
        category = unicodedata.category(ch)
        if category in ("Cc", "Cf", "Co", "Cs", "So") or ch == "\ufe0f":
            out.append(" " if ch in "\n\r\t" else "")
        else:
            out.append(ch)
    return "".join(out)


def _simplified(text: str) -> str:
    """Traditional text becomes simplified, Taiwan phrases included (智慧財產權 → 知识产权).

    Phrase conversion runs only on text that holds traditional characters: applied to
    simplified text it would rewrite mainland words (文件 → 文档, 建立 → 创建).
    """
    if _traditional_to_simplified.convert(text) == text:
        return text
    return _taiwan_to_mainland.convert(text)


@lru_cache(maxsize=4096)
def clean(text: str) -> str:
    """Readable form of user text: visible characters, NFKC, simplified, single spaces.

    Keeps punctuation, so it is what the bot may echo back and what patterns see.
    """
    text = unicodedata.normalize("NFKC", _visible(text))
    text = _simplified(text)
    text = _SPACED_ORDINAL.sub(r"第\1\2", _BRACKETED_ORDINAL.sub(r"第\1", text))
    text = arabize_days(arabize_ordinals(text))
    return _SPACES.sub(" ", text).strip().lower()


_DAY_HAO = re.compile(r"(\d{1,2})月(\d{1,2})号")


@lru_cache(maxsize=4096)
def normalize(text: str) -> str:
    """Matching form: `clean` without punctuation or spaces between CJK characters."""
    text = _SEPARATORS.sub(" ", clean(text))
    # A day of a month said 号 is written 日 (11月1号 → 11月1日), as the documents write it.
    text = _DAY_HAO.sub(r"\1月\2日", text)
    # Spaces only matter between Latin words and digits; CJK runs are joined.
    text = re.sub(r"(?<=[\u4e00-\u9fff]) (?=[\u4e00-\u9fff])", "", text)
    return _SPACES.sub(" ", text).strip()


def has_content(text: str) -> bool:
    """True when the text holds a CJK character, letter or digit worth answering."""
    return any(ch.isalnum() or "\u4e00" <= ch <= "\u9fff" for ch in normalize(text))
