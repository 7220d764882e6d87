"""What the importer produces: plain dataclasses, independent of YAML."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from bot.importer.errors import LawImportWarning
from bot.numerals import parse_number


@dataclass
class Article:
    """One 条. `number` is the base number; 第二十条之一 has number 20 and suffix 之一."""

    number: int
    label: str
    chapter: int | None
    section: int | None
    paragraphs: list[str] = field(default_factory=list)
    suffix: str = ""
    line: int = 0  # line of the heading in the input, for messages

    @property
    def key(self) -> tuple[int, int]:
        """Sort/sequence key: (base number, suffix index), 之一 → 1."""
        return (self.number, parse_number(self.suffix[1:]) if self.suffix else 0)


@dataclass
class Section:
    """One 节 inside a chapter; numbering restarts in each chapter."""

    number: int
    name: str
    first_article: int | None = None
    last_article: int | None = None
    line: int = 0


@dataclass
class Chapter:
    """One 章 with its article span (base numbers) and sections."""

    number: int
    name: str
    first_article: int | None = None
    last_article: int | None = None
    sections: list[Section] = field(default_factory=list)
    line: int = 0


@dataclass
class ParsedLaw:
    """A parsed law text, ready to be written as knowledge/laws/<law_id>.yaml."""

    title: str
    law_id: str | None
    aliases: list[str]
    history: list[str]
    adopted: dt.date | None
    effective: dt.date | None
    effective_text: str | None
    chapters: list[Chapter]
    articles: list[Article]
    warnings: list[LawImportWarning]
    adopted_by: str | None = None
    issuer: str | None = None
    path: str = "<text>"

    @property
    def article_count(self) -> int:
        """Articles as the law counts them (共N条): 之一 articles are not counted.

        This matches the knowledge loader; len(articles) counts every heading.
        """
        return sum(1 for a in self.articles if not a.suffix)

    @property
    def source_file(self) -> str | None:
        """The input file's name, or None for text that came from no file."""
        return None if self.path.startswith("<") else Path(self.path).name


@dataclass
class ImportResult:
    """What import_law did: where it wrote, what it parsed, whether it replaced a file."""

    path: Path
    law: ParsedLaw
    replaced: bool

    @property
    def warnings(self) -> list[LawImportWarning]:
        """The parse warnings (empty after a strict import)."""
        return self.law.warnings

    @property
    def law_id(self) -> str:
        """The id the file was written under (its name without .yaml)."""
        return self.path.stem

    @property
    def article_count(self) -> int:
        """Articles as written to article_count (without 之一 articles)."""
        return self.law.article_count
