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

import random
import re
from collections import defaultdict
from collections.abc import Iterator, Sequence

from bot.knowledge.derive import article_id
from bot.knowledge.model import Entry, KnowledgeBase, Law
from bot.numerals import to_chinese
from bot.quiz.bank import QuizItem, fits_telegram, source_line
from bot.quiz.facts import (
    BLANK,
    ID_PREFIX,
    MAX_DISTRACTORS,
    PLAN_TITLE,
    Blank,
    Fact,
    Group,
    article_blanks,
    cloze_explanation,
    contact_line,
    distinct,
    iso_to_chinese,
    jieba_for,
    near,
    nearest_dates,
    overlap,
    phrases_of,
    quote,
    sentences,
    stated_dates,
    subject_names,
    subject_question,
)

__all__ = ["BLANK", "QuizGenerator", "generate"]


class QuizGenerator:
    """Analyses one knowledge base once; `generate(seed)` then draws items from it."""

    def __init__(self, kb: KnowledgeBase, *, clozes_per_article: int = 1) -> None:
        self.kb = kb
        self.clozes_per_article = clozes_per_article
        self._groups: list[Group] = []
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
            self._groups.extend(Group([fact]) for fact in facts)
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

    def _assemble(self, fact: Fact, rng: random.Random) -> QuizItem | None:
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

    def _law_facts(self) -> Iterator[Fact]:
        dates = stated_dates(self.kb)
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
                yield Fact(
                    id=f"{ID_PREFIX}:{law.id}:{field_name}",
                    question=f"{title}{ask}",
                    answer=date,
                    distractors=nearest_dates(date, dates),
                    explanation=f"原文：“{quoted}”",
                    source=source,
                    locator=locator,
                    tags=("date", "regulation"),
                    difficulty=1,
                )
            yield from self._structure_facts(law, title)

    def _structure_facts(self, law: Law, title: str) -> Iterator[Fact]:
        cite = {"source": law.citation_source, "locator": law.citation_locator}
        if self.kb.source(law.citation_source) is None:
            return
        chapters = law.chapters
        numbered = [c.number for c in chapters] == list(range(1, len(chapters) + 1))
        if len(chapters) >= 2 and numbered:
            n = len(chapters)
            yield Fact(
                id=f"{ID_PREFIX}:{law.id}:chapter-count",
                question=f"{title}共有几章？",
                answer=f"{to_chinese(n)}章",
                distractors=tuple(f"{to_chinese(m)}章" for m in near(n) if m >= 2),
                explanation=f"{title}共{to_chinese(n)}章。",
                tags=("count", "structure"),
                difficulty=1,
                **cite,
            )
        if law.article_count > 0:
            count = law.article_count
            yield Fact(
                id=f"{ID_PREFIX}:{law.id}:article-count",
                question=f"{title}共有多少条？",
                answer=f"{to_chinese(count)}条",
                distractors=tuple(f"{to_chinese(m)}条" for m in near(count) if m >= 1),
                explanation=f"{title}共{to_chinese(count)}条。",
                tags=("count", "structure"),
                difficulty=1,
                **cite,
            )
        for chapter in chapters:
            others = [c for c in chapters if c.number != chapter.number]
            ordinal = f"第{to_chinese(chapter.number)}章"
            explanation = f"{title}{ordinal}为“{chapter.name}”。"
            yield Fact(
                id=f"{ID_PREFIX}:{law.id}:chapter-{chapter.number}:name",
                question=f"{title}{ordinal}的章名是？",
                answer=chapter.name,
                distractors=tuple(c.name for c in others),
                explanation=explanation,
                tags=("chapter", "structure"),
                difficulty=2,
                **cite,
            )
            yield Fact(
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

    def _duty_facts(self) -> Iterator[Fact]:
        """Which subject a duty phrase belongs to, and which phrase belongs to a subject."""
        duties = [e for e in self.kb.entries.values() if e.kind == "duty" and e.subject]
        by_subject: dict[str, list[Entry]] = defaultdict(list)
        for entry in duties:
            assert entry.subject
            by_subject[entry.subject].append(entry)
        names = {s: subject_names(s, entries) for s, entries in by_subject.items()}
        texts = {s: "\u0000".join(e.text for e in entries) for s, entries in by_subject.items()}
        # Phrases of each subject that no other subject's text holds: distractor material.
        phrases: dict[str, list[tuple[Entry, str]]] = defaultdict(list)
        for subject, entries in by_subject.items():
            for entry in entries:
                for phrase in phrases_of(entry.text):
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
                    and not overlap(names[subject], names[s])
                    and any(e.source == entry.source for e in by_subject[s])
                ]
                for index, phrase in enumerate(phrases_of(entry.text)):
                    question = subject_question(source.short, phrase, subject, names[subject])
                    if question is None:
                        continue
                    others = tuple(
                        s
                        for s in apart
                        if phrase not in texts[s] and not any(n in phrase for n in names[s])
                    )
                    yield Fact(
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
                yield Fact(
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

    def _contact_facts(self) -> Iterator[Fact]:
        contacts = list(self.kb.contacts.values())
        for contact in contacts:
            source = self.kb.source(contact.source)
            if source is None:
                continue
            others = [c for c in contacts if c.id != contact.id]
            explanation = contact_line(contact)
            common = {
                "source": contact.source,
                "locator": contact.locator,
                "explanation": explanation,
                "tags": ("contact",),
                "min_options": 2,
            }
            yield Fact(
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
                yield Fact(
                    id=f"{ID_PREFIX}:{contact.id}:serves",
                    question=f"据{source.short}，“{contact.serves}”应联系谁？",
                    answer=contact.name,
                    distractors=tuple(
                        c.name for c in others if c.serves != contact.serves and c.name
                    ),
                    difficulty=2,
                    **common,  # type: ignore[arg-type]
                )
            yield Fact(
                id=f"{ID_PREFIX}:{contact.id}:phone",
                question=f"据{source.short}，{contact.name}（{contact.organization}）的联系电话是？",
                answer=contact.phone,
                distractors=tuple(c.phone for c in others if c.phone != contact.phone),
                difficulty=2,
                **common,  # type: ignore[arg-type]
            )

    # -- items of the plan --------------------------------------------------------------------

    def _plan_facts(self) -> Iterator[Fact]:
        """Headings of the plan's numbered items (工作重点二：多种形式广泛宣传) ↔ their labels."""
        items: dict[str, list[tuple[Entry, str, str]]] = defaultdict(list)
        for entry in self.kb.entries.values():
            if entry.source != "plan" or entry.kind not in ("faq", "fact"):
                continue
            match = PLAN_TITLE.match(entry.title)
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
                yield Fact(
                    id=f"{ID_PREFIX}:{entry.id}:heading",
                    question=f"{source.short}中，“{label}”是？",
                    answer=heading,
                    distractors=tuple(h for _, h in others if h != heading),
                    **common,  # type: ignore[arg-type]
                )
                yield Fact(
                    id=f"{ID_PREFIX}:{entry.id}:label",
                    question=f"“{heading}”是{source.short}中的哪一项？",
                    answer=label,
                    distractors=tuple(lab for lab, _ in others),
                    **common,  # type: ignore[arg-type]
                )

    # -- clozes from imported articles --------------------------------------------------------

    def _cloze_groups(self) -> None:
        blanks_by_article: list[list[Blank]] = []
        pool: dict[tuple[str, ...], list[Blank]] = defaultdict(list)
        for law in self.kb.laws.values():
            if not law.articles or self.kb.source(law.id) is None:
                continue
            words = tuple(sorted({*self.kb.user_words, *(c.name for c in law.chapters)}))
            segmenter = jieba_for(tuple(w for w in words if len(w) >= 2))
            for article in law.articles:
                chapter = law.chapter(article.chapter) if article.chapter else None
                found = list(
                    article_blanks(
                        law, article, chapter.name if chapter else "", self._domain, segmenter
                    )
                )
                blanks_by_article.append(found)
                for blank in found:
                    pool[blank.kind].append(blank)
        dates = stated_dates(self.kb)
        for found in blanks_by_article:
            group = Group(take=self.clozes_per_article)
            for blank in found:
                fact = self._cloze_fact(blank, pool[blank.kind], dates)
                if fact is not None:
                    group.facts.append(fact)
            if group.facts:
                self._groups.append(group)

    def _cloze_fact(
        self, blank: Blank, same_kind: Sequence[Blank], dates: Sequence[str]
    ) -> Fact | None:
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
            distractors = nearest_dates(blank.text, distractors)
        return Fact(
            id=(
                f"{ID_PREFIX}:{article_id(law.id, article.number, article.suffix)}"
                f":p{blank.paragraph}:s{blank.index}:{blank.start}"
            ),
            question=question,
            answer=blank.text,
            distractors=distractors,
            explanation=cloze_explanation(blank),
            source=law.id,
            locator=article.label,
            tags=("cloze", blank.kind[0]),
            difficulty=3 if blank.kind[0] != "term" else 2,
            rank=0 if blank.kind[0] != "term" or blank.text in self._domain else 1,
        )


def generate(kb: KnowledgeBase, seed: int | str | None = 0) -> list[QuizItem]:
    """Items generated from `kb`, the same for the same base and seed."""
    return QuizGenerator(kb).generate(seed)
