"""Plain data classes for what the knowledge base holds; no behaviour beyond lookups."""

from __future__ import annotations

from dataclasses import dataclass, field

# `section`: a part of a document whose content is its items (entries with `item_of` it), such
# as the plan's 工作重点: asked about, it is answered with every item in order.
ENTRY_KINDS = ("faq", "fact", "duty", "section")
# Kinds the loader derives from laws and contacts; data files never declare them.
DERIVED_KINDS = ("structure", "chapter", "article", "contact")


@dataclass(frozen=True)
class Source:
    """A document that entries cite."""

    id: str
    short: str
    title: str
    issuer: str | None = None
    date: str | None = None
    disclosure: str | None = None
    note: str | None = None
    addressees: str | None = None
    # What the document names as its attachment (附件：《条例》简要解读).
    attachment: str | None = None

    @property
    def display(self) -> str:
        """The title in book-title marks, nested marks turned into 〈〉 as Chinese style asks."""
        inner = self.title.replace("《", "〈").replace("》", "〉")
        return f"《{inner}》"


@dataclass(frozen=True)
class Section:
    number: int
    name: str
    first_article: int | None = None
    last_article: int | None = None


@dataclass(frozen=True)
class Chapter:
    number: int
    name: str
    first_article: int | None = None
    last_article: int | None = None
    sections: tuple[Section, ...] = ()


@dataclass(frozen=True)
class Article:
    number: int
    label: str
    chapter: int | None
    section: int | None
    paragraphs: tuple[str, ...]
    suffix: str = ""

    @property
    def text(self) -> str:
        return "\n".join(self.paragraphs)


@dataclass(frozen=True)
class Law:
    """A law or regulation: its structure always, its articles once imported."""

    id: str
    title: str
    aliases: tuple[str, ...]
    article_count: int
    chapters: tuple[Chapter, ...]
    articles: tuple[Article, ...]
    citation_source: str
    citation_locator: str
    adopted: str | None = None
    adopted_by: str | None = None
    effective: str | None = None
    effective_text: str | None = None
    history: tuple[str, ...] = ()
    issuer: str | None = None
    file: str = ""

    def article(self, number: int) -> Article | None:
        for article in self.articles:
            if article.number == number and not article.suffix:
                return article
        return None

    def chapter(self, number: int) -> Chapter | None:
        for chapter in self.chapters:
            if chapter.number == number:
                return chapter
        return None

    @property
    def has_text(self) -> bool:
        return bool(self.articles)

    def as_source(self) -> Source:
        return Source(id=self.id, short=self.title, title=self.title, issuer=self.issuer)


@dataclass(frozen=True)
class Contact:
    id: str
    name: str
    organization: str
    phone: str
    source: str
    locator: str
    aliases: tuple[str, ...] = ()
    email: str | None = None
    serves: str = ""
    topics: tuple[str, ...] = ()
    audiences: tuple[str, ...] = ()


@dataclass(frozen=True)
class Entry:
    """Something the bot can answer with: a passage, fact, duty, article, chapter or contact."""

    id: str
    kind: str
    title: str
    text: str
    source: str
    locator: str
    questions: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    contacts: tuple[str, ...] = ()
    parent: str | None = None
    # An item of a section (a numbered point of a list) and the words that head it there, as
    # the source prints them: "（一）全面落实普法责任。". Items keep the order of the files.
    item_of: str | None = None
    heading: str | None = None
    subject: str | None = None
    aliases: tuple[str, ...] = ()
    law: str | None = None
    number: int | None = None
    file: str = ""
    line: int = 0


@dataclass(frozen=True)
class QuizQuestion:
    id: str
    question: str
    options: tuple[str, ...]
    answer: int
    explanation: str
    source: str
    locator: str
    tags: tuple[str, ...] = ()
    difficulty: int = 1


@dataclass
class KnowledgeBase:
    """Everything loaded from one knowledge directory, indexed by id."""

    directory: str
    sources: dict[str, Source] = field(default_factory=dict)
    laws: dict[str, Law] = field(default_factory=dict)
    entries: dict[str, Entry] = field(default_factory=dict)
    contacts: dict[str, Contact] = field(default_factory=dict)
    quiz: dict[str, QuizQuestion] = field(default_factory=dict)
    synonyms: tuple[tuple[str, ...], ...] = ()
    user_words: tuple[str, ...] = ()
    stopwords: frozenset[str] = frozenset()
    primary_law: str | None = None
    default_contact: str | None = None
    _items: dict[str, list[Entry]] | None = field(default=None, repr=False, compare=False)

    def replace_entries(self, entries: dict[str, Entry]) -> None:
        """Put changed entries in place (and forget the item index built from the old ones)."""
        self.entries.update(entries)
        self._items = None

    def items_of(self, entry_id: str) -> list[Entry]:
        """The items of a section entry, in the order the knowledge files give them."""
        if self._items is None:
            index: dict[str, list[Entry]] = {}
            for entry in self.entries.values():
                if entry.item_of:
                    index.setdefault(entry.item_of, []).append(entry)
            self._items = index
        return self._items.get(entry_id, [])

    def source(self, source_id: str) -> Source | None:
        if source_id in self.sources:
            return self.sources[source_id]
        law = self.laws.get(source_id)
        return law.as_source() if law else None

    @property
    def primary(self) -> Law | None:
        if self.primary_law and self.primary_law in self.laws:
            return self.laws[self.primary_law]
        return next(iter(self.laws.values()), None)
