"""Questions generated from the knowledge base, so the quiz grows with what organisers load.

Nothing here states a fact of its own. Every right answer is a field or a verbatim span of the
knowledge base (a law's dates, counts and chapters; a duty entry's subject and text; a
contact's fields; a plan entry's heading; a span of an imported article), and every item
cites where that field or span comes from. Distractors are other values of the same kind taken
from the knowledge base; a distractor never equals, contains or is contained in the right
answer, and for a cloze it never reads as the original text at the blank.

`generate(kb, seed)` is deterministic for a given knowledge base and seed. `QuizGenerator`
keeps the seed-independent analysis (segmentation of articles, candidate blanks) so that many
seeds over one base cost little.
"""

from __future__ import annotations

import logging
import random
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

import jieba

from bot.knowledge.derive import article_id
from bot.knowledge.model import Article, Contact, Entry, KnowledgeBase, Law
from bot.numerals import to_chinese
from bot.quiz.bank import QuizItem, fits_telegram, source_line

jieba.setLogLevel(logging.WARNING)

__all__ = ["BLANK", "QuizGenerator", "generate"]

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

_DATE = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_CN_NUM = "零〇一二两三四五六七八九十百千万亿"
# A count or amount: digits (Arabic or Chinese) and one of the units the issue names.
_NUMBER = re.compile(rf"(第?)([0-9]+(?:\.[0-9]+)?|[{_CN_NUM}]+)(万?元|年|日|条)")
_SENTENCE_END = "。；！？\n"
_CLAUSE_END = "，、：。；！？\n"
_PLAN_TITLE = re.compile(
    r"^(?P<part>[^：:，。]{2,12}?)(?P<ord>[一二三四五六七八九十]+)[：:](?P<heading>.+)$"
)
_ORDINAL_DATE = "{0}年{1}月{2}日"


@dataclass(frozen=True)
class _Fact:
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
class _Blank:
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
class _Group:
    """Facts of which at most `take` become items (clozes of one article: one per seed)."""

    facts: list[_Fact] = field(default_factory=list)
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
    return _ORDINAL_DATE.format(year, month, day)


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
def _segmenter(words: tuple[str, ...]) -> jieba.Tokenizer:
    """A jieba instance that keeps the domain words whole (one per word list)."""
    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()
    for word in words:
        tokenizer.add_word(word, freq=20000)
    return tokenizer


class QuizGenerator:
    """Analyses one knowledge base once; `generate(seed)` then draws items from it."""

    def __init__(self, kb: KnowledgeBase, *, clozes_per_article: int = 1) -> None:
        self.kb = kb
        self.clozes_per_article = clozes_per_article
        self._groups: list[_Group] = []
        self._domain = frozenset(kb.user_words)
        self._all_articles = "\u0000".join(
            article.text for law in kb.laws.values() for article in law.articles
        )
        for facts in (
            self._law_facts(),
            self._duty_facts(),
            self._contact_facts(),
            self._plan_facts(),
        ):
            self._groups.extend(_Group([fact]) for fact in facts)
        self._cloze_groups()

    # -- drawing ------------------------------------------------------------------------------

    def generate(self, seed: int | str | None = 0) -> list[QuizItem]:
        """Every group's items for this seed, each fitting Telegram's quiz-poll limits."""
        rng = random.Random(seed)
        items: list[QuizItem] = []
        for group in self._groups:
            facts = list(group.facts)
            if len(facts) > 1:
                rng.shuffle(facts)
                facts.sort(key=lambda fact: fact.rank)
            taken = 0
            for fact in facts:
                if taken >= group.take:
                    break
                item = self._assemble(fact, rng)
                if item is not None:
                    items.append(item)
                    taken += 1
        return items

    def _assemble(self, fact: _Fact, rng: random.Random) -> QuizItem | None:
        pool = [d for d in dict.fromkeys(fact.distractors) if distinct(d, fact.answer)]
        # Options must differ from each other too: drop distractors nested in one another.
        count = min(MAX_DISTRACTORS, len(pool))
        if count + 1 < fact.min_options:
            return None
        chosen: list[str] = []
        for candidate in rng.sample(pool, len(pool)):
            if all(distinct(candidate, other) for other in chosen):
                chosen.append(candidate)
            if len(chosen) == count:
                break
        if len(chosen) + 1 < fact.min_options:
            return None
        options = [*chosen, fact.answer]
        rng.shuffle(options)
        item = QuizItem(
            id=fact.id,
            question=fact.question,
            options=tuple(options),
            correct=options.index(fact.answer),
            explanation=fact.explanation,
            source=fact.source,
            locator=fact.locator,
            source_line=source_line(self.kb, fact.source, fact.locator),
            tags=(*fact.tags, "generated"),
            difficulty=fact.difficulty,
            origin="generated",
        )
        # Generated items always carry their citation in the poll's explanation.
        if not fits_telegram(item) or item.poll_explanation == item.explanation:
            return None
        return item

    # -- laws: dates, counts, chapters --------------------------------------------------------

    def _dates(self) -> list[str]:
        """Every full date the knowledge base states, in a stable order."""
        found: dict[str, None] = {}
        texts: list[str] = [e.text for e in self.kb.entries.values()]
        for law in self.kb.laws.values():
            texts.extend(
                d for d in (iso_to_chinese(law.adopted), iso_to_chinese(law.effective)) if d
            )
        texts.extend(d for s in self.kb.sources.values() if (d := iso_to_chinese(s.date)))
        for text in texts:
            for match in _DATE.finditer(text):
                year, month, day = (int(g) for g in match.groups())
                found[_ORDINAL_DATE.format(year, month, day)] = None
        return list(found)

    def _date_support(self, law: Law, date: str, verb: str) -> tuple[str, str, str] | None:
        """(source, locator, sentence) of a text stating `date` with `verb` (施行, 通过).

        The regulation-* fact entries are looked at first, then the law's own articles, then
        every other entry; the sentence must name the date, then the verb, with no other number
        between them, and (outside the law's own articles) the law by its title or an alias.
        """
        # The verb follows the date with no other number in between (no second date).
        pattern = re.compile(rf"{re.escape(date)}[^0-9０-９]{{0,20}}?{verb}")
        entries = sorted(
            self.kb.entries.values(),
            key=lambda e: (not e.id.startswith("regulation-"), e.kind == "article"),
        )
        candidates: list[tuple[str, str, str]] = []
        for entry in entries:
            if entry.kind in ("faq", "fact") and entry.id.startswith("regulation-"):
                candidates.append((entry.source, entry.locator, entry.text))
        candidates.extend((law.id, a.label, a.text) for a in law.articles)
        candidates.extend(
            (e.source, e.locator, e.text)
            for e in entries
            if e.kind in ("faq", "fact") and not e.id.startswith("regulation-")
        )
        names = (law.title, *law.aliases)
        for source, locator, text in candidates:
            if self.kb.source(source) is None:
                continue
            is_article = source == law.id
            for sentence in sentences(text):
                if pattern.search(sentence) and (is_article or any(n in sentence for n in names)):
                    return source, locator, sentence
        return None

    def _law_facts(self) -> Iterator[_Fact]:
        dates = self._dates()
        for law in self.kb.laws.values():
            title = law.as_source().display
            for field_name, verb, ask in (
                ("adopted", "通过", "于哪一天审议通过？"),
                ("effective", "施行", "自哪一天起施行？"),
            ):
                date = iso_to_chinese(getattr(law, field_name))
                support = self._date_support(law, date, verb) if date else None
                if date is None or support is None:
                    continue
                source, locator, sentence = support
                start = sentence.index(date)
                quoted, _ = quote(sentence, start, start + len(date))
                yield _Fact(
                    id=f"{ID_PREFIX}:{law.id}:{field_name}",
                    question=f"{title}{ask}",
                    answer=date,
                    distractors=_nearest_dates(date, dates),
                    explanation=f"原文：“{quoted}”",
                    source=source,
                    locator=locator,
                    tags=("date", "regulation"),
                    difficulty=1,
                )
            yield from self._structure_facts(law, title)

    def _structure_facts(self, law: Law, title: str) -> Iterator[_Fact]:
        cite = {"source": law.citation_source, "locator": law.citation_locator}
        if self.kb.source(law.citation_source) is None:
            return
        chapters = law.chapters
        numbered = [c.number for c in chapters] == list(range(1, len(chapters) + 1))
        if len(chapters) >= 2 and numbered:
            n = len(chapters)
            yield _Fact(
                id=f"{ID_PREFIX}:{law.id}:chapter-count",
                question=f"{title}共有几章？",
                answer=f"{to_chinese(n)}章",
                distractors=tuple(f"{to_chinese(m)}章" for m in _near(n) if m >= 2),
                explanation=f"{title}共{to_chinese(n)}章。",
                tags=("count", "structure"),
                difficulty=1,
                **cite,
            )
        if law.article_count > 0:
            count = law.article_count
            yield _Fact(
                id=f"{ID_PREFIX}:{law.id}:article-count",
                question=f"{title}共有多少条？",
                answer=f"{to_chinese(count)}条",
                distractors=tuple(f"{to_chinese(m)}条" for m in _near(count) if m >= 1),
                explanation=f"{title}共{to_chinese(count)}条。",
                tags=("count", "structure"),
                difficulty=1,
                **cite,
            )
        for chapter in chapters:
            others = [c for c in chapters if c.number != chapter.number]
            ordinal = f"第{to_chinese(chapter.number)}章"
            explanation = f"{title}{ordinal}为“{chapter.name}”。"
            yield _Fact(
                id=f"{ID_PREFIX}:{law.id}:chapter-{chapter.number}:name",
                question=f"{title}{ordinal}的章名是？",
                answer=chapter.name,
                distractors=tuple(c.name for c in others),
                explanation=explanation,
                tags=("chapter", "structure"),
                difficulty=2,
                **cite,
            )
            yield _Fact(
                id=f"{ID_PREFIX}:{law.id}:chapter-{chapter.number}:order",
                question=f"“{chapter.name}”是{title}的第几章？",
                answer=ordinal,
                distractors=tuple(f"第{to_chinese(c.number)}章" for c in others),
                explanation=explanation,
                tags=("chapter", "structure"),
                difficulty=2,
                **cite,
            )

    # -- duties -------------------------------------------------------------------------------

    def _duty_facts(self) -> Iterator[_Fact]:
        """Which subject a duty phrase belongs to, and which phrase belongs to a subject."""
        duties = [e for e in self.kb.entries.values() if e.kind == "duty" and e.subject]
        by_subject: dict[str, list[Entry]] = defaultdict(list)
        for entry in duties:
            assert entry.subject
            by_subject[entry.subject].append(entry)
        names = {s: _names(s, entries) for s, entries in by_subject.items()}
        texts = {s: "\u0000".join(e.text for e in entries) for s, entries in by_subject.items()}
        # Phrases of each subject that no other subject's text holds: distractor material.
        phrases: dict[str, list[tuple[Entry, str]]] = defaultdict(list)
        for subject, entries in by_subject.items():
            for entry in entries:
                for phrase in _phrases(entry.text):
                    if not any(phrase in t for s, t in texts.items() if s != subject):
                        phrases[subject].append((entry, phrase))
        all_names = [n for ns in names.values() for n in ns]
        for subject, entries in by_subject.items():
            # Subjects that share a word with this one (部门, 机构) may overlap in meaning:
            # never offered as its distractors.
            for entry in entries:
                source = self.kb.source(entry.source)
                if source is None:
                    continue
                # Distractors are subjects the same document names, so a question never pits
                # documents against each other.
                apart = [
                    s
                    for s in by_subject
                    if s != subject
                    and not _overlap(names[subject], names[s])
                    and any(e.source == entry.source for e in by_subject[s])
                ]
                for index, phrase in enumerate(_phrases(entry.text)):
                    question = _subject_question(source.short, phrase, subject, names[subject])
                    if question is None:
                        continue
                    others = tuple(
                        s
                        for s in apart
                        if phrase not in texts[s] and not any(n in phrase for n in names[s])
                    )
                    yield _Fact(
                        id=f"{ID_PREFIX}:{entry.id}:phrase-{index}:subject",
                        question=question,
                        answer=subject,
                        distractors=others,
                        explanation=f"{entry.title}：“{phrase}”",
                        source=entry.source,
                        locator=entry.locator,
                        tags=("duty",),
                        difficulty=2,
                        min_options=2,
                    )
                own = [
                    p
                    for e, p in phrases[subject]
                    if e.id == entry.id and not any(n in p for n in all_names)
                ]
                if not own:
                    continue
                distractors = tuple(
                    p
                    for s in apart
                    for e, p in phrases[s]
                    if e.source == entry.source
                    and p not in texts[subject]
                    and not any(n in p for n in all_names)
                )
                yield _Fact(
                    id=f"{ID_PREFIX}:{entry.id}:duty",
                    question=f"据{source.short}，下列哪一项是对{subject}的要求？",
                    answer=own[0],
                    distractors=distractors,
                    explanation=f"{entry.title}：“{own[0]}”",
                    source=entry.source,
                    locator=entry.locator,
                    tags=("duty",),
                    difficulty=2,
                    min_options=2,
                )

    # -- contacts -----------------------------------------------------------------------------

    def _contact_facts(self) -> Iterator[_Fact]:
        contacts = list(self.kb.contacts.values())
        for contact in contacts:
            source = self.kb.source(contact.source)
            if source is None:
                continue
            others = [c for c in contacts if c.id != contact.id]
            explanation = _contact_line(contact)
            common = {
                "source": contact.source,
                "locator": contact.locator,
                "explanation": explanation,
                "tags": ("contact",),
                "min_options": 2,
            }
            yield _Fact(
                id=f"{ID_PREFIX}:{contact.id}:organization",
                question=f"据{source.short}，联系人{contact.name}来自哪个单位？",
                answer=contact.organization,
                distractors=tuple(
                    c.organization for c in others if c.organization != contact.organization
                ),
                difficulty=1,
                **common,  # type: ignore[arg-type]
            )
            if contact.serves:
                yield _Fact(
                    id=f"{ID_PREFIX}:{contact.id}:serves",
                    question=f"据{source.short}，“{contact.serves}”应联系谁？",
                    answer=contact.name,
                    distractors=tuple(
                        c.name for c in others if c.serves != contact.serves and c.name
                    ),
                    difficulty=2,
                    **common,  # type: ignore[arg-type]
                )
            yield _Fact(
                id=f"{ID_PREFIX}:{contact.id}:phone",
                question=f"据{source.short}，{contact.name}（{contact.organization}）的联系电话是？",
                answer=contact.phone,
                distractors=tuple(c.phone for c in others if c.phone != contact.phone),
                difficulty=2,
                **common,  # type: ignore[arg-type]
            )

    # -- items of the plan --------------------------------------------------------------------

    def _plan_facts(self) -> Iterator[_Fact]:
        """Headings of the plan's numbered items (工作重点二：多种形式广泛宣传) ↔ their labels."""
        items: dict[str, list[tuple[Entry, str, str]]] = defaultdict(list)
        for entry in self.kb.entries.values():
            if entry.source != "plan" or entry.kind not in ("faq", "fact"):
                continue
            match = _PLAN_TITLE.match(entry.title)
            if match and match["heading"].strip() in entry.text:
                label = f"{match['part']}{match['ord']}"
                items[entry.source].append((entry, label, match["heading"].strip()))
        for source_id, found in items.items():
            source = self.kb.source(source_id)
            if source is None:
                continue
            for entry, label, heading in found:
                others = [(lab, head) for _, lab, head in found if lab != label]
                common = {
                    "source": entry.source,
                    "locator": entry.locator,
                    "explanation": f"{source.short}{label}：{heading}。",
                    "tags": ("plan",),
                    "difficulty": 2,
                }
                yield _Fact(
                    id=f"{ID_PREFIX}:{entry.id}:heading",
                    question=f"{source.short}中，“{label}”是？",
                    answer=heading,
                    distractors=tuple(h for _, h in others if h != heading),
                    **common,  # type: ignore[arg-type]
                )
                yield _Fact(
                    id=f"{ID_PREFIX}:{entry.id}:label",
                    question=f"“{heading}”是{source.short}中的哪一项？",
                    answer=label,
                    distractors=tuple(lab for lab, _ in others),
                    **common,  # type: ignore[arg-type]
                )

    # -- clozes from imported articles --------------------------------------------------------

    def _cloze_groups(self) -> None:
        blanks_by_article: list[list[_Blank]] = []
        pool: dict[tuple[str, ...], list[_Blank]] = defaultdict(list)
        for law in self.kb.laws.values():
            if not law.articles or self.kb.source(law.id) is None:
                continue
            words = tuple(sorted({*self.kb.user_words, *(c.name for c in law.chapters)}))
            segmenter = _segmenter(tuple(w for w in words if len(w) >= 2))
            for article in law.articles:
                chapter = law.chapter(article.chapter) if article.chapter else None
                found = list(
                    _article_blanks(
                        law, article, chapter.name if chapter else "", self._domain, segmenter
                    )
                )
                blanks_by_article.append(found)
                for blank in found:
                    pool[blank.kind].append(blank)
        dates = self._dates()
        for found in blanks_by_article:
            group = _Group(take=self.clozes_per_article)
            for blank in found:
                fact = self._cloze_fact(blank, pool[blank.kind], dates)
                if fact is not None:
                    group.facts.append(fact)
            if group.facts:
                self._groups.append(group)

    def _cloze_fact(
        self, blank: _Blank, same_kind: Sequence[_Blank], dates: Sequence[str]
    ) -> _Fact | None:
        law = self.kb.laws[blank.law]
        article = blank.article
        quoted, offset = quote(blank.sentence, blank.start, blank.start + len(blank.text))
        shown = quoted[:offset] + BLANK + quoted[offset + len(blank.text) :]
        title = law.as_source().display
        question = f"{title}{article.label}：“{shown}”横线处应为？"
        # The answer must be hidden: not left elsewhere in the question.
        if blank.text in question:
            return None
        candidates = [b.text for b in same_kind if b.article is not article]
        if blank.kind == ("date",):
            candidates.extend(dates)
        # Never a span of this article, never what the original text has at the blank.
        distractors = tuple(
            d
            for d in dict.fromkeys(candidates)
            if distinct(d, blank.text)
            and d not in article.text
            and blank.before + d + blank.after not in self._all_articles
        )
        if blank.kind == ("date",):
            distractors = _nearest_dates(blank.text, distractors)
        return _Fact(
            id=(
                f"{ID_PREFIX}:{article_id(law.id, article.number, article.suffix)}"
                f":p{blank.paragraph}:s{blank.index}:{blank.start}"
            ),
            question=question,
            answer=blank.text,
            distractors=distractors,
            explanation=_cloze_explanation(blank),
            source=law.id,
            locator=article.label,
            tags=("cloze", blank.kind[0]),
            difficulty=3 if blank.kind[0] != "term" else 2,
            rank=0 if blank.kind[0] != "term" or blank.text in self._domain else 1,
        )


def generate(kb: KnowledgeBase, seed: int | str | None = 0) -> list[QuizItem]:
    """Items generated from `kb`, the same for the same base and seed."""
    return QuizGenerator(kb).generate(seed)


# -- helpers ----------------------------------------------------------------------------------


def _near(n: int) -> list[int]:
    """Numbers near n (distractors for a count); n itself excluded."""
    return [m for m in (n - 2, n - 1, n + 1, n + 2, n + 5, n - 5, n + 10) if m != n]


def _day_number(date: str) -> int:
    match = _DATE.fullmatch(date)
    if not match:
        return 0
    year, month, day = (int(g) for g in match.groups())
    return year * 372 + month * 31 + day


def _nearest_dates(date: str, dates: Iterable[str], keep: int = 5) -> tuple[str, ...]:
    """Other dates, nearest first, at most `keep`: distant years would make a question trivial."""
    others = [d for d in dict.fromkeys(dates) if d != date]
    target = _day_number(date)
    others.sort(key=lambda d: abs(_day_number(d) - target))
    return tuple(others[:keep])


def _names(subject: str, entries: Iterable[Entry]) -> list[str]:
    """A subject and its aliases, longest first (so masking takes the longest match)."""
    names = {subject}
    for entry in entries:
        names.update(a for a in entry.aliases if len(a) >= 2)
    return sorted(names, key=lambda n: (-len(n), n))


def _phrases(text: str) -> list[str]:
    """The sentences of a duty text short enough to quote, without closing punctuation."""
    out = []
    for sentence in sentences(text):
        phrase = sentence.rstrip("。；！？").strip()
        # Items of a list: drop the （一） marker, keep the sentence.
        phrase = re.sub(r"^[（(][一二三四五六七八九十]+[）)]", "", phrase).strip()
        if MIN_PHRASE <= len(phrase) <= MAX_PHRASE and phrase not in out:
            out.append(phrase)
    return out


def _subject_question(short: str, phrase: str, subject: str, names: Sequence[str]) -> str | None:
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


def _overlap(names: Sequence[str], other: Sequence[str]) -> bool:
    """Two subjects share two consecutive characters in a name or alias (部门, 企业)."""
    return bool(_bigrams(names) & _bigrams(other))


def _contact_line(contact: Contact) -> str:
    parts = [f"{contact.name}（{contact.organization}），电话{contact.phone}"]
    if contact.serves:
        parts.append(f"联系事项：{contact.serves}")
    return "，".join(parts) + "。"


def _kind_of_number(prefix: str, digits: str, unit: str) -> tuple[str, ...]:
    script = "arabic" if digits[0].isdigit() else "chinese"
    return ("number", prefix, unit, script)


def _article_blanks(
    law: Law,
    article: Article,
    chapter_name: str,
    domain: frozenset[str],
    segmenter: jieba.Tokenizer,
) -> Iterator[_Blank]:
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
            for match in _DATE.finditer(sentence):
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
                    yield _Blank(law.id, article, index, position, sentence, start, text, kind)


def _cloze_explanation(blank: _Blank) -> str:
    quoted, _ = quote(blank.sentence, blank.start, blank.start + len(blank.text), limit=150)
    text = f"原文：“{quoted}”"
    if len(text) <= 150:
        return text
    return f"横线处原文为“{blank.text}”。"
