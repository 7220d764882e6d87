"""The pieces quiz generation works with: facts before they become questions, the blanks of
cloze questions, and the text helpers (sentences, quotes, dates, names, distractor checks)
that keep every generated question a verbatim span of the knowledge base (generate.py).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

import jieba

from bot.knowledge.model import Article, Contact, Entry, KnowledgeBase, Law

jieba.setLogLevel(logging.WARNING)

# What stands for the removed words in a cloze question.
BLANK = "____"
# Options per generated item: the right answer and up to this many distractors.
MAX_DISTRACTORS = 3
# A quoted sentence longer than this is narrowed to the clauses around the blank.
MAX_QUOTE = 120
# Sentences shorter than this give too little context for a cloze.
MIN_CLOZE_SENTENCE = 10
# Duty phrases: long enough to say something, short enough to be an option.
MIN_PHRASE, MAX_PHRASE = 8, 90
ID_PREFIX = "gen"

DATE = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_CN_NUM = "零〇一二两三四五六七八九十百千万亿"
# A count or amount: digits (Arabic or Chinese) and one of the units the issue names.
_NUMBER = re.compile(rf"(第?)([0-9]+(?:\.[0-9]+)?|[{_CN_NUM}]+)(万?元|年|日|条)")
_SENTENCE_END = "。；！？\n"
_CLAUSE_END = "，、：。；！？\n"
PLAN_TITLE = re.compile(
    r"^(?P<part>[^：:，。]{2,12}?)(?P<ord>[一二三四五六七八九十]+)[：:](?P<heading>.+)$"
)
ORDINAL_DATE = "{0}年{1}月{2}日"


@dataclass(frozen=True)
class Fact:
    """A question before its options are drawn: the answer and every admissible distractor."""

    id: str
    question: str
    answer: str
    distractors: tuple[str, ...]
    explanation: str
    source: str
    locator: str
    tags: tuple[str, ...]
    difficulty: int
    min_options: int = 3
    # Lower ranks are tried first within a group (domain terms before chapter-name words).
    rank: int = 0


@dataclass(frozen=True)
class Blank:
    """One span of an article that a cloze question may remove."""

    law: str
    article: Article
    paragraph: int
    index: int  # of the sentence within its paragraph
    sentence: str  # the whole sentence holding the span
    start: int  # of the span within `sentence`
    text: str
    kind: tuple[str, ...]

    @property
    def before(self) -> str:
        return self.sentence[: self.start]

    @property
    def after(self) -> str:
        return self.sentence[self.start + len(self.text) :]


@dataclass
class Group:
    """Facts of which at most `take` become items (clozes of one article: one per seed)."""

    facts: list[Fact] = field(default_factory=list)
    take: int = 1


def distinct(candidate: str, answer: str) -> bool:
    """A distractor must differ from the answer and neither contain it nor be contained in it."""
    candidate, answer = candidate.strip(), answer.strip()
    return bool(candidate) and candidate not in answer and answer not in candidate


def iso_to_chinese(value: str | None) -> str | None:
    """2023-11-01 → 2023年11月1日, as the documents write dates."""
    match = _ISO_DATE.match(value or "")
    if not match:
        return None
    year, month, day = (int(g) for g in match.groups())
    return ORDINAL_DATE.format(year, month, day)


def sentences(text: str) -> list[str]:
    """The sentences of a passage, each with its closing punctuation, blanks stripped."""
    out, start = [], 0
    for i, ch in enumerate(text):
        if ch in _SENTENCE_END:
            piece = text[start : i + (ch != "\n")].strip()
            if piece:
                out.append(piece)
            start = i + 1
    tail = text[start:].strip()
    if tail:
        out.append(tail)
    return out


def quote(sentence: str, start: int, end: int, limit: int = MAX_QUOTE) -> tuple[str, int]:
    """The sentence, or the clauses around [start, end) marked with …… where cut.

    Returns the quoted text and the offset of `start` inside it. Nothing is cut silently: a
    cut end carries an ellipsis.
    """
    if len(sentence) <= limit:
        return sentence, start
    bounds = [0] + [i + 1 for i, ch in enumerate(sentence) if ch in _CLAUSE_END] + [len(sentence)]
    bounds = sorted(set(bounds))
    lo = max(b for b in bounds if b <= start)
    hi = min(b for b in bounds if b >= end)
    while True:
        grown = False
        left = [b for b in bounds if b < lo]
        right = [b for b in bounds if b > hi]
        if right and right[0] - lo <= limit:
            hi, grown = right[0], True
        if left and hi - left[-1] <= limit:
            lo, grown = left[-1], True
        if not grown:
            break
    text = sentence[lo:hi].rstrip("，、：")
    prefix = "……" if lo > 0 else ""
    suffix = "……" if hi < len(sentence) else ""
    return f"{prefix}{text}{suffix}", start - lo + len(prefix)


@lru_cache(maxsize=4)
def jieba_for(words: tuple[str, ...]) -> jieba.Tokenizer:
    """A jieba instance that keeps the domain words whole (one per word list)."""
    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()
    for word in words:
        tokenizer.add_word(word, freq=20000)
    return tokenizer


# -- helpers ----------------------------------------------------------------------------------


def near(n: int) -> list[int]:
    """Numbers near n (distractors for a count); n itself excluded."""
    return [m for m in (n - 2, n - 1, n + 1, n + 2, n + 5, n - 5, n + 10) if m != n]


def _day_number(date: str) -> int:
    match = DATE.fullmatch(date)
    if not match:
        return 0
    year, month, day = (int(g) for g in match.groups())
    return year * 372 + month * 31 + day


def nearest_dates(date: str, dates: Iterable[str], keep: int = 5) -> tuple[str, ...]:
    """Other dates, nearest first, at most `keep`: distant years would make a question trivial."""
    others = [d for d in dict.fromkeys(dates) if d != date]
    target = _day_number(date)
    others.sort(key=lambda d: abs(_day_number(d) - target))
    return tuple(others[:keep])


def subject_names(subject: str, entries: Iterable[Entry]) -> list[str]:
    """A subject and its aliases, longest first (so masking takes the longest match)."""
    names = {subject}
    for entry in entries:
        names.update(a for a in entry.aliases if len(a) >= 2)
    return sorted(names, key=lambda n: (-len(n), n))


def phrases_of(text: str) -> list[str]:
    """The sentences of a duty text short enough to quote, without closing punctuation."""
    out = []
    for sentence in sentences(text):
        phrase = sentence.rstrip("。；！？").strip()
        # Items of a list: drop the （一） marker, keep the sentence.
        phrase = re.sub(r"^[（(][一二三四五六七八九十]+[）)]", "", phrase).strip()
        if MIN_PHRASE <= len(phrase) <= MAX_PHRASE and phrase not in out:
            out.append(phrase)
    return out


def subject_question(short: str, phrase: str, subject: str, names: Sequence[str]) -> str | None:
    """ "Whose duty is this phrase?": the phrase as it is, or with the subject blanked.

    The subject is blanked only where it occurs once by its own name; a phrase that still
    names the subject (twice, or by an alias) would give the answer away and is not asked.
    """
    if phrase.count(subject) > 1:
        return None
    masked = phrase.replace(subject, BLANK)
    if any(name in masked for name in names):
        return None
    if masked == phrase:
        return f"据{short}，“{phrase}”是对哪一方的要求？"
    return f"据{short}：“{masked}”横线处是哪一方？"


def _bigrams(words: Iterable[str]) -> set[str]:
    return {w[i : i + 2] for w in words for i in range(len(w) - 1)}


def overlap(names: Sequence[str], other: Sequence[str]) -> bool:
    """Two subjects share two consecutive characters in a name or alias (部门, 企业)."""
    return bool(_bigrams(names) & _bigrams(other))


def contact_line(contact: Contact) -> str:
    parts = [f"{contact.name}（{contact.organization}），电话{contact.phone}"]
    if contact.serves:
        parts.append(f"联系事项：{contact.serves}")
    return "，".join(parts) + "。"


def _kind_of_number(prefix: str, digits: str, unit: str) -> tuple[str, ...]:
    script = "arabic" if digits[0].isdigit() else "chinese"
    return ("number", prefix, unit, script)


def article_blanks(
    law: Law,
    article: Article,
    chapter_name: str,
    domain: frozenset[str],
    segmenter: jieba.Tokenizer,
) -> Iterator[Blank]:
    """Spans of an article a cloze may blank: dates, numbers with 年/日/条/元, domain terms."""
    for index, paragraph in enumerate(article.paragraphs):
        for position, sentence in enumerate(sentences(paragraph)):
            if len(sentence) < MIN_CLOZE_SENTENCE:
                continue
            taken: list[tuple[int, int]] = []

            def free(start: int, end: int, taken: list[tuple[int, int]] = taken) -> bool:
                return all(end <= a or start >= b for a, b in taken)

            tokens = list(segmenter.tokenize(sentence))
            starts = {start for _, start, _ in tokens}
            spans: list[tuple[int, str, tuple[str, ...]]] = []
            for match in DATE.finditer(sentence):
                taken.append(match.span())
                spans.append((match.start(), match.group(0), ("date",)))
            for match in _NUMBER.finditer(sentence):
                # A number starts a word (not 一 of 统一); 条 counts only as 第N条.
                if not free(*match.span()) or not {match.start(), match.start(2)} & starts:
                    continue
                if match[3] == "条" and not match[1]:
                    continue
                taken.append(match.span())
                kind = _kind_of_number(match[1], match[2], match[3])
                spans.append((match.start(), match.group(0), kind))
            for word, start, end in tokens:
                if len(word) < 2 or not free(start, end) or any(ch.isdigit() for ch in word):
                    continue
                if word in domain or (chapter_name and word in chapter_name):
                    spans.append((start, word, ("term",)))
            for start, text, kind in sorted(spans):
                # The answer must occur once: a second occurrence would give it away.
                if sentence.count(text) == 1:
                    yield Blank(law.id, article, index, position, sentence, start, text, kind)


def cloze_explanation(blank: Blank) -> str:
    quoted, _ = quote(blank.sentence, blank.start, blank.start + len(blank.text), limit=150)
    text = f"原文：“{quoted}”"
    if len(text) <= 150:
        return text
    return f"横线处原文为“{blank.text}”。"


def stated_dates(kb: KnowledgeBase) -> list[str]:
    """Every full date the knowledge base states, in a stable order."""
    found: dict[str, None] = {}
    texts: list[str] = [e.text for e in kb.entries.values()]
    for law in kb.laws.values():
        texts.extend(d for d in (iso_to_chinese(law.adopted), iso_to_chinese(law.effective)) if d)
    texts.extend(d for s in kb.sources.values() if (d := iso_to_chinese(s.date)))
    for text in texts:
        for match in DATE.finditer(text):
            year, month, day = (int(g) for g in match.groups())
            found[ORDINAL_DATE.format(year, month, day)] = None
    return list(found)
