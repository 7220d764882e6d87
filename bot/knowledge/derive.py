"""Entries derived from structured data (law structure, chapters, articles, contacts).

They are composed only from fields of the knowledge base, so they cite what those fields cite.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import replace

from bot.knowledge.model import Chapter, Contact, Entry, KnowledgeBase, Law
from bot.numerals import to_chinese


def structure_id(law_id: str) -> str:
    return f"{law_id}:structure"


def chapter_id(law_id: str, number: int) -> str:
    return f"{law_id}:chapter-{number}"


def article_id(law_id: str, number: int, suffix: str = "") -> str:
    return f"{law_id}:art-{number}{'-' + suffix if suffix else ''}"


def law_display(law: Law) -> str:
    return law.as_source().display


def chapter_heading(chapter: Chapter) -> str:
    return f"第{to_chinese(chapter.number)}章 {chapter.name}"


def chapter_span(chapter: Chapter) -> str:
    if chapter.first_article is None or chapter.last_article is None:
        return ""
    first, last = to_chinese(chapter.first_article), to_chinese(chapter.last_article)
    return f"第{first}条" if first == last else f"第{first}条至第{last}条"


def structure_text(law: Law) -> str:
    count = f"{to_chinese(law.article_count)}条"
    if not law.chapters:
        return f"{law_display(law)}不分章，共{count}。"
    headings = []
    for chapter in law.chapters:
        span = chapter_span(chapter)
        headings.append(chapter_heading(chapter) + (f"（{span}）" if span else ""))
    return (
        f"{law_display(law)}共{to_chinese(len(law.chapters))}章、{count}。"
        f"各章依次为：{'；'.join(headings)}。"
    )


def chapter_text(law: Law, chapter: Chapter) -> str:
    text = f"{law_display(law)}第{to_chinese(chapter.number)}章为“{chapter.name}”"
    span = chapter_span(chapter)
    if span:
        text += f"，包括{span}"
    if chapter.sections:
        names = "、".join(f"第{to_chinese(s.number)}节 {s.name}" for s in chapter.sections)
        text += f"，下设{names}"
    return text + "。"


def law_entries(laws: Iterable[Law]) -> Iterator[Entry]:
    """One structure entry, one per chapter and one per article of each law."""
    for law in laws:
        yield Entry(
            id=structure_id(law.id),
            kind="structure",
            title=f"{law_display(law)}的结构",
            text=structure_text(law),
            source=law.citation_source,
            locator=law.citation_locator,
            keywords=(*law.aliases, "几章", "多少条", "结构"),
            law=law.id,
            file=law.file,
        )
        for chapter in law.chapters:
            yield Entry(
                id=chapter_id(law.id, chapter.number),
                kind="chapter",
                title=f"{law_display(law)}{chapter_heading(chapter)}",
                text=chapter_text(law, chapter),
                source=law.citation_source,
                locator=law.citation_locator,
                keywords=(chapter.name,),
                law=law.id,
                number=chapter.number,
                file=law.file,
            )
        for article in law.articles:
            chapter = law.chapter(article.chapter) if article.chapter else None
            yield Entry(
                id=article_id(law.id, article.number, article.suffix),
                kind="article",
                title=f"{law_display(law)}{article.label}",
                text=article.text,
                source=law.id,
                locator=article.label,
                keywords=(chapter.name,) if chapter else (),
                law=law.id,
                number=article.number,
                file=law.file,
            )


# Entries written here from a law's outline (八章: 第七章为“法律责任”), not quoted from a text.
RESTATED_KINDS = frozenset({"structure", "chapter"})


def restated_from(kb: KnowledgeBase, entry: Entry) -> Entry | None:
    """The stored passage a derived entry restates: one of the same source and place that
    is quoted, not derived (第七章为“法律责任” → 简要解读 引言's own sentence). None for an
    entry that is its own text, or when no such passage is stored."""
    if entry.kind not in RESTATED_KINDS:
        return None
    return next(
        (
            e
            for e in kb.entries.values()
            if e.kind not in RESTATED_KINDS
            and e.source == entry.source
            and e.locator == entry.locator
        ),
        None,
    )


def contact_entry(contact: Contact) -> Entry:
    return Entry(
        id=contact.id,
        kind="contact",
        title=f"联系人：{contact.name}（{contact.organization}）",
        # What retrieval matches; replies show the contact as a card (engine/plain.py).
        text="\n".join(
            f
            for f in (
                contact.name,
                contact.organization,
                contact.phone,
                contact.email,
                contact.serves,
            )
            if f
        ),
        source=contact.source,
        locator=contact.locator,
        keywords=(
            contact.name,
            contact.organization,
            *contact.aliases,
            *contact.topics,
            *contact.audiences,
            "联系人",
            "电话",
            # Where the contact is named (实施方案 联系人): "实施方案的联系人" finds him.
            *contact.locator.split(),
        ),
        contacts=(contact.id,),
    )


def section_texts(kb: KnowledgeBase) -> dict[str, Entry]:
    """Sections without a text of their own, given their items' headings as text: what a
    section holds is its items, and retrieval should see them."""
    derived = {}
    for entry in kb.entries.values():
        if entry.kind == "section" and not entry.text.strip():
            items = kb.items_of(entry.id)
            text = "\n".join((i.heading or i.title) for i in items)
            derived[entry.id] = replace(entry, text=text)
    return derived


def domain_words(kb: KnowledgeBase) -> list[str]:
    """The words the knowledge base names things by (its dictionary, entries' keywords,
    aliases and subjects, laws' aliases, synonyms): jieba keeps them whole, and the typo
    fixer mends towards them."""
    words = list(kb.user_words)
    for entry in kb.entries.values():
        words.extend(entry.keywords)
        words.extend(entry.aliases)
        if entry.subject:
            words.append(entry.subject)
    for law in kb.laws.values():
        words.extend(law.aliases)
    for group in kb.synonyms:
        words.extend(group)
    return [w for w in words if 1 < len(w) <= 12]
