"""Builds replies from knowledge-base entries: the passage verbatim, then its source line.

Nothing here states a fact of its own: every sentence is an entry's text, a field of a
contact or law, or a fixed response from the intents data.
"""

from __future__ import annotations

from collections.abc import Iterable

from bot.engine.reply import Citation, ContactCard, Reply, Suggestion
from bot.knowledge.model import Contact, Entry, KnowledgeBase


def citation(kb: KnowledgeBase, source_id: str, locator: str, entry_id: str) -> Citation:
    """A citation with the document's title and a locator without the repeated short name."""
    source = kb.source(source_id)
    if source is None:
        return Citation(source=source_id, locator=locator, entry=entry_id)
    if locator.startswith(source.short) and locator != source.short:
        locator = locator[len(source.short) :].strip()
    return Citation(source=source.display, locator=locator, entry=entry_id)


def entry_citation(kb: KnowledgeBase, entry: Entry) -> Citation:
    return citation(kb, entry.source, entry.locator, entry.id)


def source_lines(citations: Iterable[Citation]) -> str:
    lines = []
    for c in citations:
        if c.line not in lines:
            lines.append(c.line)
    return "来源：" + "；".join(lines) if lines else ""


def card(contact: Contact) -> ContactCard:
    return ContactCard(
        id=contact.id,
        name=contact.name,
        organization=contact.organization,
        phone=contact.phone,
        email=contact.email,
        serves=contact.serves,
    )


def contact_citation(kb: KnowledgeBase, contact: Contact) -> Citation:
    return citation(kb, contact.source, contact.locator, contact.id)


def heading(entry: Entry) -> str:
    return "联系人" if entry.kind == "contact" else entry.title


def passage_of(kb: KnowledgeBase, entry: Entry) -> str:
    """The full passage behind 查看原文: the paragraph a carved-out entry comes from."""
    parent = kb.entries.get(entry.parent) if entry.parent else None
    return parent.text if parent else entry.text


def finish(
    question: str,
    kind: str,
    intent: str,
    body: str,
    citations: list[Citation],
    *,
    confidence: float = 1.0,
    contacts: Iterable[Contact] = (),
    passage: str | None = None,
    suggestions: list[Suggestion] | None = None,
) -> Reply:
    """Assemble the user-visible text: body, a blank line, the source line."""
    sources = source_lines(citations)
    text = f"{body}\n\n{sources}" if sources else body
    return Reply(
        question=question,
        kind=kind,
        intent=intent,
        text=text,
        citations=citations,
        confidence=confidence,
        suggestions=suggestions or [],
        contacts=[card(c) for c in contacts],
        passage=passage,
        body=body,
    )


def answer(
    kb: KnowledgeBase,
    question: str,
    intent: str,
    entry: Entry,
    confidence: float,
    *,
    body: str | None = None,
) -> Reply:
    contacts = [kb.contacts[c] for c in entry.contacts if c in kb.contacts]
    return finish(
        question,
        "answer",
        intent,
        body if body is not None else f"【{heading(entry)}】\n{entry.text}",
        [entry_citation(kb, entry)],
        confidence=confidence,
        contacts=contacts,
        passage=passage_of(kb, entry),
    )


SUGGESTION_PREVIEW = 24


def suggestion_title(entry: Entry) -> str:
    """What a suggestion button says: an article's number alone tells nothing, so its
    opening words follow."""
    if entry.kind != "article":
        return entry.title
    first = entry.text.split("\n", 1)[0]
    preview = first if len(first) <= SUGGESTION_PREVIEW else first[:SUGGESTION_PREVIEW] + "…"
    return f"{entry.title}：{preview}"


def clarify(
    question: str,
    intent: str,
    prompt: str,
    entries: list[Entry],
    confidence: float,
    *,
    limit: int | None = 3,
) -> Reply:
    """Suggestions to choose from; `limit=None` lists every entry given (a menu)."""
    chosen = entries if limit is None else entries[:limit]
    suggestions = [Suggestion(entry=e.id, title=suggestion_title(e)) for e in chosen]
    lines = [prompt, *(f"{i}. {s.title}" for i, s in enumerate(suggestions, 1))]
    return finish(
        question,
        "clarify",
        intent,
        "\n".join(lines),
        [],
        confidence=confidence,
        suggestions=suggestions,
    )


def fallback(
    kb: KnowledgeBase, question: str, intent: str, message: str, confidence: float = 0.0
) -> Reply:
    """Says plainly the bot has no answer, and names the contact to ask, with its source."""
    contact = kb.contacts.get(kb.default_contact or "")
    if contact is None:
        return finish(question, "fallback", intent, message, [], confidence=confidence)
    body = f"{message}\n\n{contact.card()}"
    return finish(
        question,
        "fallback",
        intent,
        body,
        [contact_citation(kb, contact)],
        confidence=confidence,
        contacts=[contact],
    )


def smalltalk(question: str, intent: str, message: str) -> Reply:
    return finish(question, "smalltalk", intent, message, [], confidence=1.0)
