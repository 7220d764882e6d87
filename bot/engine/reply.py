"""The platform-free reply every channel renders: a kind, and ordered blocks of content.

A reply is data, not text. Each block is one thing a channel lays out its own way: a heading,
a quoted passage with its citation, a list whose items each carry their citation, a note in
the assistant's own (template) words, suggestions to pick from, contact cards. `text` is the
plain rendering (console, `ask`, logs, evaluation); no channel cuts it apart again.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar

KINDS = ("answer", "clarify", "smalltalk", "fallback")


@dataclass(frozen=True)
class Citation:
    """Where a stated fact comes from: the document's title, a locator and the entry id."""

    source: str
    locator: str
    entry: str

    @property
    def line(self) -> str:
        glue = "" if not self.locator or self.locator[0] in "第（(" else " "
        return f"{self.source}{glue}{self.locator}"

    def to_json(self) -> dict[str, str]:
        # Spelled out: dataclasses.asdict deep-copies, a tenth of a web answer's time.
        return {
            "source": self.source,
            "locator": self.locator,
            "entry": self.entry,
            "line": self.line,
        }


@dataclass(frozen=True)
class Suggestion:
    entry: str
    title: str

    def to_json(self) -> dict[str, str]:
        return {"entry": self.entry, "title": self.title}


@dataclass(frozen=True)
class ContactCard:
    """A person to contact, with only the fields the knowledge base holds."""

    id: str
    name: str
    organization: str
    phone: str
    email: str | None = None
    serves: str = ""
    citation: Citation | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "organization": self.organization,
            "phone": self.phone,
            "email": self.email,
            "serves": self.serves,
            "citation": self.citation.to_json() if self.citation else None,
        }


# -- blocks ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Heading:
    """The title of what follows (an entry's title, a list's name)."""

    text: str
    type: ClassVar[str] = "heading"


@dataclass(frozen=True)
class Passage:
    """Knowledge-base text quoted verbatim; `excerpt` marks a part cut from a longer passage."""

    text: str
    citation: Citation
    excerpt: bool = False
    type: ClassVar[str] = "passage"


@dataclass(frozen=True)
class ListItem:
    text: str
    citation: Citation


@dataclass(frozen=True)
class ItemList:
    """Every item of an enumeration, in the source's order, each with its own citation."""

    items: tuple[ListItem, ...]
    # False when the items carry their own numbering (（一）…, 一、…): not numbered twice.
    numbered: bool = True
    type: ClassVar[str] = "list"


@dataclass(frozen=True)
class Note:
    """The assistant's own words from the reply templates (never a stated fact)."""

    text: str
    type: ClassVar[str] = "note"


@dataclass(frozen=True)
class Suggestions:
    """Entries to pick from; a channel without buttons numbers them."""

    items: tuple[Suggestion, ...]
    type: ClassVar[str] = "suggestions"


@dataclass(frozen=True)
class Contacts:
    """Contact cards shown in the reply itself."""

    cards: tuple[ContactCard, ...]
    type: ClassVar[str] = "contacts"


Block = Heading | Passage | ItemList | Note | Suggestions | Contacts


def block_json(block: Block) -> dict[str, Any]:
    """One block as JSON: `type` plus its fields, citations with their rendered line."""
    data: dict[str, Any] = {"type": block.type}
    if isinstance(block, Heading | Note):
        data["text"] = block.text
    elif isinstance(block, Passage):
        data.update(text=block.text, citation=block.citation.to_json(), excerpt=block.excerpt)
    elif isinstance(block, ItemList):
        data["items"] = [{"text": i.text, "citation": i.citation.to_json()} for i in block.items]
        data["numbered"] = block.numbered
    elif isinstance(block, Suggestions):
        data["items"] = [s.to_json() for s in block.items]
    else:
        data["cards"] = [c.to_json() for c in block.cards]
    return data


@dataclass
class Reply:
    """One answer: what kind it is, how sure, and its blocks in reading order.

    `text` is the plain rendering of the blocks, source line included (set by the composer,
    which owns the wording of labels). `entry` is the knowledge-base entry the reply answers
    with, for statistics and 查看原文. `contacts` are the contacts that fit the reply, shown
    as a card or offered (a button); `passage` is the full passage behind 查看原文 when it
    holds more than the reply shows.
    """

    question: str
    kind: str
    intent: str
    blocks: list[Block] = field(default_factory=list)
    text: str = ""
    confidence: float = 0.0
    contacts: list[ContactCard] = field(default_factory=list)
    passage: str | None = None
    entry: str | None = None
    # The cited places as the source line lists them (one per document), without its label.
    sources: list[str] = field(default_factory=list)
    # The question as answered when it was read with the asker's previous one (那高校呢 →
    # 高校有什么职责); None when it was answered as asked.
    read_as: str | None = None

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown reply kind {self.kind!r}")

    @property
    def citations(self) -> list[Citation]:
        """Every citation of the reply in reading order, each once."""
        found: list[Citation] = []
        for block in self.blocks:
            if isinstance(block, Passage):
                found.append(block.citation)
            elif isinstance(block, ItemList):
                found.extend(item.citation for item in block.items)
            elif isinstance(block, Contacts):
                found.extend(c.citation for c in block.cards if c.citation)
        unique: list[Citation] = []
        for c in found:
            if c not in unique:
                unique.append(c)
        return unique

    @property
    def suggestions(self) -> list[Suggestion]:
        return [s for b in self.blocks if isinstance(b, Suggestions) for s in b.items]

    @property
    def shown_contacts(self) -> list[ContactCard]:
        """Contact cards in the reply's blocks (not merely offered)."""
        return [c for b in self.blocks if isinstance(b, Contacts) for c in b.cards]

    def to_json(self) -> dict[str, Any]:
        """The public JSON contract of `ask --json` and the HTTP API."""
        return {
            "question": self.question,
            "kind": self.kind,
            "intent": self.intent,
            "text": self.text,
            "citations": [c.to_json() for c in self.citations],
            "confidence": round(self.confidence, 4),
            "suggestions": [s.to_json() for s in self.suggestions],
            "contacts": [c.to_json() for c in self.contacts],
            "passage": self.passage,
            "entry": self.entry,
            "sources": self.sources,
            "read_as": self.read_as,
            "blocks": [block_json(b) for b in self.blocks],
        }
