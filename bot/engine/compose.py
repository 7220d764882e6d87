"""Builds replies from knowledge-base entries as blocks: passages verbatim, each cited.

Nothing here states a fact of its own: every passage and list item is an entry's text, every
card a contact's fields, every note a reply template from the intents data.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence

from bot.engine.fit import enumerated
from bot.engine.plain import Labels, cited_places, render
from bot.engine.reply import (
    Block,
    Citation,
    ContactCard,
    Contacts,
    Heading,
    ItemList,
    ListItem,
    Note,
    Passage,
    Reply,
    Suggestion,
    Suggestions,
)
from bot.knowledge.model import Contact, Entry, KnowledgeBase
from bot.numerals import chinese_date

SUGGESTION_PREVIEW = 24


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


def card(kb: KnowledgeBase, contact: Contact) -> ContactCard:
    return ContactCard(
        id=contact.id,
        name=contact.name,
        organization=contact.organization,
        phone=contact.phone,
        email=contact.email,
        serves=contact.serves,
        citation=citation(kb, contact.source, contact.locator, contact.id),
    )


def suggestion_title(entry: Entry) -> str:
    """What a suggestion button says: an article's number alone tells nothing, so its
    opening words follow."""
    if entry.kind != "article":
        return entry.title
    first = entry.text.split("\n", 1)[0]
    preview = first if len(first) <= SUGGESTION_PREVIEW else first[:SUGGESTION_PREVIEW] + "…"
    return f"{entry.title}：{preview}"


class Composer:
    """Turns entries, contacts and templates into replies; owns the plain rendering."""

    def __init__(self, kb: KnowledgeBase, texts: Callable[[str], str]) -> None:
        self.kb = kb
        self.texts = texts
        self.labels = Labels.from_texts(texts)

    # -- pieces ----------------------------------------------------------------------------------

    def cite(self, entry: Entry) -> Citation:
        return entry_citation(self.kb, entry)

    def cards(self, contacts: Iterable[Contact]) -> list[ContactCard]:
        return [card(self.kb, c) for c in contacts]

    def entry_contacts(self, entry: Entry) -> list[Contact]:
        return [self.kb.contacts[c] for c in entry.contacts if c in self.kb.contacts]

    def default_contact(self) -> Contact | None:
        return self.kb.contacts.get(self.kb.default_contact or "")

    def full_passage(self, entry: Entry, shown: str) -> str | None:
        """The passage behind 查看原文: the paragraph a carved-out entry comes from, or the
        whole of an excerpted article; None when it holds nothing more than was shown."""
        parent = self.kb.entries.get(entry.parent) if entry.parent else None
        full = parent.text if parent else entry.text
        return full if full.strip() != shown.strip() else None

    # -- replies ---------------------------------------------------------------------------------

    def finish(
        self,
        question: str,
        kind: str,
        intent: str,
        blocks: Sequence[Block],
        *,
        confidence: float = 1.0,
        contacts: Iterable[ContactCard] = (),
        passage: str | None = None,
        entry: str | None = None,
    ) -> Reply:
        """A reply with its plain text; `contacts` adds offered contacts to the shown ones."""
        reply = Reply(
            question=question,
            kind=kind,
            intent=intent,
            blocks=list(blocks),
            confidence=confidence,
            passage=passage,
            entry=entry,
        )
        offered = list(reply.shown_contacts)
        offered += [c for c in contacts if c.id not in {o.id for o in offered}]
        reply.contacts = offered
        reply.sources = cited_places(reply.citations, self.labels.locator_separator)
        reply.text = render(reply.blocks, reply.citations, self.labels)
        return reply

    def answer(
        self,
        question: str,
        intent: str,
        entry: Entry,
        confidence: float,
        *,
        excerpt: str | None = None,
        lead: str | None = None,
        also: tuple[str, Sequence[Entry]] = ("", ()),
    ) -> Reply:
        """An entry's passage under its title; `excerpt` shows one part of a long article,
        `lead` puts a template sentence first (and drops the title); `also` offers other
        entries after it, under a note."""
        if entry.kind == "contact" and entry.id in self.kb.contacts:
            contact = self.kb.contacts[entry.id]
            blocks: list[Block] = [Heading(self.texts("contact_heading") or entry.title)]
            blocks.append(Contacts(tuple(self.cards([contact]))))
            return self.finish(
                question, "answer", intent, blocks, confidence=confidence, entry=entry.id
            )
        cite = self.cite(entry)
        blocks = [Note(lead)] if lead else [Heading(entry.title)]
        if excerpt is not None:
            blocks.append(Passage(excerpt, cite, excerpt=True))
            # An article's part (再问“第N条”), or a sentence of a campaign passage.
            note = self.texts("excerpt_note" if entry.kind == "article" else "excerpt_note_passage")
            if note:
                blocks.append(Note(note))
        else:
            blocks.append(Passage(entry.text.strip("\n"), cite))
        law = self.kb.laws.get(entry.law or "")
        unloaded = self.texts("chapter_not_loaded")
        if entry.kind == "chapter" and law is not None and not law.has_text and unloaded:
            # A chapter's name is all the base holds of it: say so (附则写了啥).
            blocks.append(Note(unloaded.format(law=law.as_source().display)))
        note, others = also
        if others:
            picks = tuple(Suggestion(entry=e.id, title=suggestion_title(e)) for e in others)
            blocks += [Note(note), Suggestions(picks)]
        related = self.cards(self.entry_contacts(entry))
        return self.finish(
            question,
            "answer",
            intent,
            blocks,
            confidence=confidence,
            contacts=related,
            passage=self.full_passage(entry, excerpt if excerpt is not None else entry.text),
            entry=entry.id,
        )

    def noted(self, question: str, reply: Reply, note: str, read_as: str, at: int = 0) -> Reply:
        """The reply to another reading of the question (`read_as`), that note first (or
        after the first `at` blocks)."""
        blocks = list(reply.blocks)
        if note:
            blocks.insert(at, Note(note))
        noted = self.finish(
            question,
            reply.kind,
            reply.intent,
            blocks,
            confidence=reply.confidence,
            contacts=reply.contacts,
            passage=reply.passage,
            entry=reply.entry,
        )
        noted.read_as = read_as
        return noted

    def joined(
        self, question: str, intent: str, replies: Sequence[Reply], kind: str = "answer"
    ) -> Reply:
        """Answers to the questions of one message, one after the other, each with its own
        blocks and citations; the first's entry is the reply's. Cards the last reply shows
        are not shown before it too (a not-stated part's contact, then the contact asked)."""
        last = {c.id for b in replies[-1].blocks if isinstance(b, Contacts) for c in b.cards}
        blocks = [
            b
            for r in replies
            for b in r.blocks
            if r is replies[-1] or not (isinstance(b, Contacts) and {c.id for c in b.cards} <= last)
        ]
        # A note closing on its colon (…如需进一步了解，请联系：) leads into the next cards
        # itself: the next reply's own lead (可以联系：) is not said after it.
        lead = self.texts("contacts_lead")
        blocks = [
            b
            for i, b in enumerate(blocks)
            if not (
                isinstance(b, Note)
                and b.text == lead
                and i
                and isinstance(blocks[i - 1], Note)
                and blocks[i - 1].text.endswith("：")
            )
        ]
        # Two notes leading into the cards (未载明责任的具体内容…请联系：, then 未载明专门的…
        # 电话…请联系：): the lead-in (`contact_lead_in`) is said once, by the one right
        # before them.
        lead_in = self.texts("contact_lead_in")
        blocks = [
            Note(b.text.removesuffix(lead_in))
            if lead_in
            and isinstance(b, Note)
            and b.text.endswith(lead_in)
            and i + 1 < len(blocks)
            and isinstance(blocks[i + 1], Note)
            and blocks[i + 1].text.endswith(lead_in)
            else b
            for i, b in enumerate(blocks)
        ]
        offered = [c for r in replies for c in r.contacts]
        return self.finish(
            question,
            kind,
            intent,
            blocks,
            confidence=min(r.confidence for r in replies),
            contacts=offered,
            entry=replies[0].entry,
        )

    def listing(
        self,
        question: str,
        intent: str,
        section: Entry,
        items: Sequence[Entry],
        confidence: float,
        note: str = "",
    ) -> Reply:
        """Every item of a section, in order, each under its own heading and citation; a
        `note` after them says what they leave out (chapters known by name only)."""
        lines = [(e.heading or e.text).strip("\n") for e in items]
        listed = ItemList(
            tuple(ListItem(line, self.cite(e)) for line, e in zip(lines, items, strict=True)),
            numbered=not all(enumerated(line) for line in lines),
        )
        contacts: list[Contact] = []
        for e in items:
            contacts += [c for c in self.entry_contacts(e) if c not in contacts]
        return self.finish(
            question,
            "answer",
            intent,
            [Heading(section.title), listed, *([Note(note)] if note else [])],
            confidence=confidence,
            contacts=self.cards(contacts),
            entry=section.id,
        )

    def mentions(
        self,
        question: str,
        intent: str,
        term: str,
        found: Sequence[tuple[str, Entry]],
        confidence: float,
    ) -> Reply:
        """Every sentence of the material holding a term, in order, each cited."""
        listed = ItemList(tuple(ListItem(s, self.cite(e)) for s, e in found), numbered=True)
        heading = Heading(self.texts("mentions_heading").format(term=term))
        return self.finish(question, "answer", intent, [heading, listed], confidence=confidence)

    def contact_list(
        self,
        question: str,
        intent: str,
        people: Sequence[Contact],
        confidence: float,
        *,
        note: str | None = None,
        kind: str | None = None,
    ) -> Reply:
        """Contact cards as the answer (who to call); after a `note` saying what the
        material does not give (举报电话), as a fallback unless `kind` says otherwise (a
        note saying whose contact is whose answers)."""
        blocks: list[Block] = []
        lead = note or self.texts("contacts_lead")
        if lead:
            blocks.append(Note(lead))
        blocks.append(Contacts(tuple(self.cards(people))))
        kind = kind or ("fallback" if note else "answer")
        return self.finish(question, kind, intent, blocks, confidence=confidence)

    def directions(
        self,
        question: str,
        intent: str,
        sentences: Sequence[tuple[str, Entry]],
        people: Sequence[Contact],
        confidence: float,
    ) -> Reply:
        """Whom the material says a matter goes to, each sentence cited and, when it is a
        duty of someone's, saying whose (a 街道 is not sent to 省国资委 by a line addressed to
        its enterprises), then the cards."""
        whose = self.texts("directions_whose")

        def line(text: str, entry: Entry) -> str:
            if whose and entry.kind == "duty" and entry.subject:
                return whose.format(line=text, subject=entry.subject)
            return text

        listed = ItemList(tuple(ListItem(line(t, e), self.cite(e)) for t, e in sentences))
        blocks: list[Block] = [Note(self.texts("directions_lead")), listed]
        blocks.append(Contacts(tuple(self.cards(people))))
        return self.finish(question, "answer", intent, blocks, confidence=confidence)

    def clarify(
        self,
        question: str,
        intent: str,
        prompt: str,
        entries: Sequence[Entry],
        confidence: float,
        *,
        limit: int | None = 3,
    ) -> Reply:
        """Suggestions to choose from; `limit=None` lists every entry given (a menu)."""
        chosen = entries if limit is None else entries[:limit]
        picks = tuple(Suggestion(entry=e.id, title=suggestion_title(e)) for e in chosen)
        return self.finish(
            question,
            "clarify",
            intent,
            [Note(prompt), Suggestions(picks)],
            confidence=confidence,
        )

    def fallback(
        self,
        question: str,
        intent: str,
        message: str,
        confidence: float = 0.0,
        *,
        card: bool = True,
    ) -> Reply:
        """Says plainly the bot has no answer, and names the contact to ask (`card`): the
        campaign's contact is for questions about the material, not about the weather."""
        blocks: list[Block] = [Note(message)]
        contact = self.default_contact() if card else None
        if contact is not None:
            blocks.append(Contacts(tuple(self.cards([contact]))))
        return self.finish(question, "fallback", intent, blocks, confidence=confidence)

    def partial(
        self,
        question: str,
        intent: str,
        entry: Entry,
        confidence: float,
        *,
        topic: str,
        missing: str,
        shown: str,
    ) -> Reply:
        """What the material says about the topic (`shown`: the sentences of the entry that
        mention it), and plainly that it does not state what was asked (an amount, an
        address, a procedure…), with whom to ask."""
        whole = shown.strip() == entry.text.strip()
        topic = re.sub("[“”\"'‘’「」『』]", "", topic)  # the lead quotes it: not twice
        blocks: list[Block] = [
            Note(self.texts("partial_lead").format(topic=topic)),
            Passage(shown.strip("\n"), self.cite(entry), excerpt=not whole),
            Note(self.texts("partial_missing").format(topic=topic, missing=missing)),
        ]
        people = self.entry_contacts(entry) or [c for c in [self.default_contact()] if c]
        if people:
            blocks.append(Contacts(tuple(self.cards(people))))
        return self.finish(
            question, "fallback", intent, blocks, confidence=confidence, entry=entry.id
        )

    def contact_missing(
        self, question: str, intent: str, entry: Entry, confidence: float, missing: str
    ) -> Reply:
        """A contact's card, and plainly that the base does not state what was asked."""
        contact = self.kb.contacts[entry.id]
        blocks: list[Block] = [
            Heading(self.texts("contact_heading") or entry.title),
            Contacts(tuple(self.cards([contact]))),
            Note(self.texts("contact_missing").format(name=contact.name, missing=missing)),
        ]
        return self.finish(
            question, "fallback", intent, blocks, confidence=confidence, entry=entry.id
        )

    def smalltalk(self, question: str, intent: str, message: str) -> Reply:
        return self.finish(question, "smalltalk", intent, [Note(message)], confidence=1.0)

    def notes(
        self,
        question: str,
        kind: str,
        intent: str,
        lead: str,
        items: Sequence[tuple[str, Citation]],
        confidence: float = 1.0,
    ) -> Reply:
        """A template sentence and a cited list (the documents the base cites)."""
        listed = ItemList(tuple(ListItem(text, cite) for text, cite in items))
        return self.finish(question, kind, intent, [Note(lead), listed], confidence=confidence)

    def attachments(self, question: str, intent: str, named: frozenset[str]) -> Reply:
        """Each document's attachment, as the document names it, cited to that document; only
        the `named` documents' when the question names some that have one (实施方案的附件).
        Named documents with none (领导小组办公室的通知有附件吗) are said to list none first."""
        attaching = [s for s in self.kb.sources.values() if s.attachment]
        lead = self.texts("attachments_intro")
        bare = [self.kb.source(i) for i in sorted(named) if i not in {s.id for s in attaching}]
        if named and all(s.id not in named for s in attaching):
            shown = "、".join(s.display for s in bare if s is not None)
            lead = self.texts("attachments_none").format(documents=shown) + lead
        attaching = [s for s in attaching if s.id in named] or attaching
        items = [
            (
                self.texts("attachment_item").format(
                    document=source.display, attachment=source.attachment
                ),
                citation(self.kb, source.id, "附件", f"source:{source.id}"),
            )
            for source in attaching
        ]
        if not items:
            return self.fallback(question, intent, self.texts("fallback"))
        return self.notes(question, "answer", intent, lead, items)

    def sources(
        self,
        question: str,
        intent: str,
        lead: str = "sources_intro",
        first: frozenset[str] = frozenset(),
    ) -> Reply:
        """The documents the knowledge base cites, with issuer and date, and each law loaded;
        `lead`, the response that introduces them. Those the question names (`first`: 方案是谁
        制定的 → the plan) come first, so what was asked is the first thing read."""
        items = []
        ordered = sorted(self.kb.sources.values(), key=lambda s: s.id not in first)
        for source in ordered:
            date = chinese_date(source.date) if source.date else None
            facts = [f for f in (source.issuer, date) if f]
            if source.disclosure:
                facts.append(f"信息公开类型：{source.disclosure}")
            detail = f"（{'，'.join(facts)}）" if facts else ""
            cite = citation(self.kb, source.id, "", f"source:{source.id}")
            items.append((f"{source.display}{detail}", cite))
        for law in self.kb.laws.values():
            if law.has_text:
                cite = citation(self.kb, law.id, "", f"source:{law.id}")
                items.append((f"{law.as_source().display}（全文）", cite))
        return self.notes(question, "answer", intent, self.texts(lead), items)
