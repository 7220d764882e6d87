"""The line-level pieces of the law parser: the patterns that recognise headings, articles
and items, and the small records the state machine in parse.py keeps."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from bot.importer.decode import normalise_newlines
from bot.importer.meta import WS
from bot.importer.model import Article, Chapter, Section
from bot.importer.numerals import NUMERAL_CHARS
from bot.numerals import to_chinese

NUM = f"[{NUMERAL_CHARS}]+"
SUFFIX = "之[一二三四五六七八九十]+"

# An article heading: 第N条 (or 第N条之一) at the start of a line, after optional
# indentation and Markdown markup (quote, heading hashes, list marker, bold), and
# followed by a separator (space, closing bold, or end of line). The separator
# keeps "第十条规定的……" — a paragraph citing an article — from starting one.
ARTICLE_HEAD_RE = re.compile(
    rf"^[{WS}]*(?:>[{WS}]*)*(?:#{{1,6}}[{WS}]+)?(?:[-+*][{WS}]+)?(?:\*\*|__)?"
    rf"(?P<label>第(?P<num>{NUM})条(?P<suffix>{SUFFIX})?)"
    rf"(?:\*\*|__|(?=[{WS}]|$))[{WS}]*(?P<rest>.*)$"
)
# 第N条 glued to its text (no separator): not a heading, but worth a warning.
GLUED_HEAD_RE = re.compile(rf"^第(?P<num>{NUM})条(?P<suffix>{SUFFIX})?")
STRUCT_RE = re.compile(rf"^第(?P<num>{NUM})(?P<kind>[章节])(?P<sep>[{WS}]*)(?P<name>.*)$")
MD_HEADING_RE = re.compile(rf"^(?P<hashes>#{{1,6}})(?:[{WS}]+|$)(?P<text>.*)$")
MD_DETECT_RE = re.compile(r"^#{1,6}[ \t]|<!--\s*INFO END\s*-->", re.MULTILINE)
MD_SKIP_RE = re.compile(r"^(?:<!--.*-->|[-*_]{3,})$")
ITEM_RE = re.compile(
    r"^(?:[（(][一二三四五六七八九十百]+[）)]|[（(][0-9０-９]+[）)]|[0-9０-９]+[.．](?![0-9０-９]))"
)
END_PUNCT_RE = re.compile(r"[。；：！？…;:!?][”’」』）)\]】]*$")
INNER_PUNCT_RE = re.compile(r"[。，；：、,;:]")
WS_RUN_RE = re.compile(f"[{WS}]+")
CJK_GAP_RE = re.compile(rf"(?<=[^\x00-\x7f])[{WS}]+(?=[^\x00-\x7f])")

STRAY_HEADING_MAX = 20  # a short unpunctuated line this long or shorter looks like a heading


def count_article_headings(text: str) -> int:
    """Lines that start an article, by the same rule the parser uses.

    Tests compare it with the parsed articles to prove no heading was lost or invented.
    """
    text = normalise_newlines(text).lstrip("\ufeff")
    return sum(1 for line in text.split("\n") if ARTICLE_HEAD_RE.match(line))


def compact(text: str) -> str:
    """Text without any whitespace: "总　　则" → "总则" (names never hold spaces)."""
    return WS_RUN_RE.sub("", text)


def label(number: int, suffix: str = "") -> str:
    return f"第{to_chinese(number)}条{suffix}"


@dataclass(eq=False)
class Heading:
    """A chapter or section heading, with how many articles followed it."""

    kind: str  # "章" or "节"
    label: str  # 第二章 专利管理, for messages
    line: int
    articles: int = 0


@dataclass
class Line:
    """One input line, pre-classified."""

    number: int  # 1-based
    raw: str
    core: str  # stripped of indentation and Markdown markup
    md_level: int = 0  # Markdown heading level, 0 when not a heading
    blank: bool = False
    skip: bool = False  # HTML comment, horizontal rule: markup only


@dataclass
class State:
    """Mutable parse state, kept apart from the control flow in _Parser."""

    chapters: list[Chapter] = field(default_factory=list)
    articles: list[Article] = field(default_factory=list)
    headings: list[Heading] = field(default_factory=list)
    chapter: Chapter | None = None
    section: Section | None = None
    chapter_heading: Heading | None = None
    section_heading: Heading | None = None
    article: Article | None = None
    in_toc: bool = False
    toc_chapters: set[int] = field(default_factory=set)
