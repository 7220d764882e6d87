"""Turning a law text (bulletin plain text or collection Markdown) into a ParsedLaw.

One pass over the lines with a small state machine: title, header (history),
optional table of contents, then chapters/sections/articles. Structure errors
stop the import; anything merely suspicious becomes a warning.
"""

from __future__ import annotations

import re
from pathlib import Path

from bot.importer.decode import normalise_newlines
from bot.importer.errors import LawImportError, LawImportWarning
from bot.importer.lines import (
    ARTICLE_HEAD_RE,
    CJK_GAP_RE,
    END_PUNCT_RE,
    GLUED_HEAD_RE,
    INNER_PUNCT_RE,
    ITEM_RE,
    MD_DETECT_RE,
    MD_HEADING_RE,
    MD_SKIP_RE,
    STRAY_HEADING_MAX,
    STRUCT_RE,
    Heading,
    Line,
    State,
    compact,
    label,
)
from bot.importer.meta import (
    LAW_ID_RE,
    WS,
    adoption_from_history,
    default_aliases,
    find_effective,
    slug_from_stem,
    split_history,
)
from bot.importer.model import Article, Chapter, ParsedLaw, Section
from bot.importer.numerals import DATE_RE
from bot.numerals import parse_number, to_chinese


class _Parser:
    """Parses one text; see parse_law for the contract."""

    def __init__(self, text: str, path: str) -> None:
        self.path = path
        text = normalise_newlines(text).lstrip("\ufeff")
        self.markdown = bool(MD_DETECT_RE.search(text))
        self.lines = [self._classify(i + 1, raw) for i, raw in enumerate(text.split("\n"))]
        self.warnings: list[LawImportWarning] = []
        self.history: list[str] = []
        self.title: str | None = None
        self.s = State()

    # -- helpers -----------------------------------------------------------

    def _classify(self, number: int, raw: str) -> Line:
        core = raw.strip(WS)
        if not core:
            return Line(number, raw, "", blank=True)
        level = 0
        if self.markdown:
            if MD_SKIP_RE.match(core):
                return Line(number, raw, core, skip=True)
            core = re.sub(r"^(?:>[ \t]*)+", "", core)
            heading = MD_HEADING_RE.match(core)
            if heading:
                level = len(heading["hashes"])
                core = heading["text"].rstrip("#").strip(WS)
            core = re.sub(r"^[-+*][ \t]+", "", core).replace("**", "").strip(WS)
        return Line(number, raw, core, md_level=level)

    def warn(self, line: int, message: str) -> None:
        self.warnings.append(LawImportWarning(self.path, line, message))

    def error(self, line: int | None, message: str) -> LawImportError:
        return LawImportError(self.path, line, message)

    def _struct(self, line: Line) -> re.Match[str] | None:
        """A 第N章/第N节 heading, unless the "name" reads like a sentence."""
        match = STRUCT_RE.match(line.core)
        if not match:
            return None
        name = match["name"]
        if re.search("[。；：;:]", name) or len(compact(name)) > 40:
            return None
        if not match["sep"] and not line.md_level and (len(name) > 20 or "，" in name):
            return None
        return match

    def _is_toc(self, line: Line) -> bool:
        return compact(line.core) == "目录"

    def _is_structural(self, line: Line) -> bool:
        """Where the header ends: an article, a chapter/section heading, or 目录."""
        return bool(ARTICLE_HEAD_RE.match(line.raw) or self._struct(line) or self._is_toc(line))

    # -- title and header ---------------------------------------------------

    def parse_header(self) -> int:
        """Read title and history; return the index of the first body line."""
        lines = self.lines
        i = 0
        while i < len(lines) and (lines[i].blank or lines[i].skip):
            i += 1
        if i == len(lines):
            raise self.error(1, "empty file: no text at all")
        first = lines[i]
        starts_block = first.core[0] in "（(" and not first.md_level
        if not self._is_structural(first) and not starts_block:
            if first.md_level > 1:
                self.warn(first.number, f"title is a level-{first.md_level} heading")
            title = CJK_GAP_RE.sub("", first.core).strip("《》")
            self.title = title or None
            i += 1
        while i < len(lines):
            line = lines[i]
            if line.blank or line.skip or "INFO END" in line.raw:
                i += 1
                continue
            if self._is_structural(line):
                break
            if line.core[0] in "（(":
                i = self._read_block(i)
                continue
            if DATE_RE.search(line.core):
                self.history.extend(split_history(line.core))
            elif line.md_level:
                self.warn(
                    line.number, f"unrecognised heading before the first article: {line.core}"
                )
            else:
                self.warn(line.number, f"unrecognised line before the first article: {line.core}")
            i += 1
        return i

    def _read_block(self, i: int) -> int:
        """A parenthesised history block, possibly spanning lines; return the next index."""
        start = self.lines[i]
        parts: list[str] = []
        depth = 0
        while i < len(self.lines):
            line = self.lines[i]
            if parts and self._is_structural(line):
                break
            i += 1
            if line.blank or line.skip:
                continue
            parts.append(line.core)
            depth += sum(line.core.count(c) for c in "（(") - sum(line.core.count(c) for c in "）)")
            if depth <= 0:
                break
        if depth > 0:
            self.warn(start.number, "history parenthesis is never closed")
        self.history.extend(split_history("\n".join(parts)))
        return i

    # -- body -----------------------------------------------------------------

    def parse_body(self, start: int) -> None:
        for line in self.lines[start:]:
            if not (line.blank or line.skip):
                self._body_line(line)
        self._check_empty(final=True)

    def check_blank_runs(self) -> None:
        """Repeated blank lines between text: harmless, but a sign of a sloppy copy."""
        run = 0
        seen_text = False
        for line in self.lines:
            if line.blank:
                run += 1
                continue
            if run >= 2 and seen_text:
                self.warn(line.number - run + 1, f"{run} blank lines in a row")
            run = 0
            seen_text = True

    def _body_line(self, line: Line) -> None:
        s = self.s
        head = ARTICLE_HEAD_RE.match(line.raw)
        if head:
            s.in_toc = False
            self._article(line, head)
            return
        struct = self._struct(line)
        if s.in_toc:
            if struct and struct["kind"] == "章":
                number = self._number(line, struct["num"], "chapter")
                if number not in s.toc_chapters:
                    s.toc_chapters.add(number)
                    return
                s.in_toc = False  # the chapter list repeats: the body starts here
            elif struct:
                return
            else:
                self.warn(line.number, f"unrecognised line in the table of contents: {line.core}")
                return
        if self._is_toc(line):
            if s.articles:
                self.warn(line.number, "目录 after the first article; ignored")
                return
            s.in_toc = True
            s.toc_chapters = set()
            return
        if struct:
            if struct["kind"] == "章":
                self._chapter(line, struct)
            else:
                self._section(line, struct)
            return
        if line.md_level:
            self.warn(line.number, f"unrecognised heading ignored: {line.core}")
            s.article = None  # what follows an unknown heading is no article's text
            return
        if s.article is None:
            where = "before the first article" if not s.articles else "outside any article"
            self.warn(line.number, f"unrecognised line {where}; ignored: {line.core}")
            return
        self._paragraph(line)

    def _number(self, line: Line, text: str, what: str) -> int:
        try:
            return parse_number(text)
        except ValueError:
            raise self.error(line.number, f"cannot read the {what} number {text!r}") from None

    def _chapter(self, line: Line, match: re.Match[str]) -> None:
        s = self.s
        number = self._number(line, match["num"], "chapter")
        name = compact(match["name"])
        if not s.articles and any(c.number == number for c in s.chapters):
            # A chapter list without a 目录 heading: drop it and start over.
            self.warn(
                s.chapters[0].line,
                f"chapter list without articles (lines {s.chapters[0].line}–{line.number - 1}) "
                "taken as a table of contents",
            )
            s.chapters.clear()
            s.headings.clear()
        if s.chapters and number != s.chapters[-1].number + 1:
            self.warn(
                line.number,
                f"第{to_chinese(number)}章 follows 第{to_chinese(s.chapters[-1].number)}章",
            )
        elif not s.chapters and number != 1:
            self.warn(line.number, f"the first chapter heading is 第{to_chinese(number)}章")
        if not name:
            self.warn(line.number, f"第{to_chinese(number)}章 has no name")
        s.chapter = Chapter(number=number, name=name, line=line.number)
        s.chapters.append(s.chapter)
        s.chapter_heading = Heading("章", f"第{to_chinese(number)}章 {name}".strip(), line.number)
        s.headings.append(s.chapter_heading)
        s.section = s.section_heading = None
        s.article = None
        self._check_empty(final=False)

    def _section(self, line: Line, match: re.Match[str]) -> None:
        s = self.s
        number = self._number(line, match["num"], "section")
        name = compact(match["name"])
        if s.chapter is None:
            self.warn(line.number, f"第{to_chinese(number)}节 outside any chapter; ignored")
            return
        previous = s.chapter.sections[-1].number if s.chapter.sections else 0
        if number != previous + 1:
            self.warn(line.number, f"第{to_chinese(number)}节 follows section {previous}")
        s.section = Section(number=number, name=name, line=line.number)
        s.chapter.sections.append(s.section)
        s.section_heading = Heading("节", f"第{to_chinese(number)}节 {name}".strip(), line.number)
        s.headings.append(s.section_heading)
        s.article = None
        self._check_empty(final=False)

    def _check_empty(self, final: bool) -> None:
        """A heading closed without any article is an error (it would make an empty span).

        Before the first article nothing is final yet: a chapter list may still
        turn out to be a table of contents.
        """
        s = self.s
        if not s.articles:
            return
        open_headings = () if final else (s.chapter_heading, s.section_heading)
        for index, heading in enumerate(s.headings):
            if heading.articles or any(heading is h for h in open_headings):
                continue
            following = [
                h for h in s.headings[index + 1 :] if heading.kind == "节" or h.kind == "章"
            ]
            before = (
                f"{following[0].label} (line {following[0].line})" if following else "end of file"
            )
            kind = "chapter" if heading.kind == "章" else "section"
            raise self.error(
                heading.line, f"{kind} {heading.label} has no articles before {before}"
            )

    def _article(self, line: Line, head: re.Match[str]) -> None:
        s = self.s
        number = self._number(line, head["num"], "article")
        suffix = head["suffix"] or ""
        article = Article(
            number=number,
            label=head["label"],
            chapter=s.chapter.number if s.chapter else None,
            section=s.section.number if s.section else None,
            suffix=suffix,
            line=line.number,
        )
        self._check_sequence(article)
        first_article = not s.articles
        s.articles.append(article)
        s.article = article
        for heading in (s.chapter_heading, s.section_heading):
            if heading is not None:
                heading.articles += 1
        for span in (s.chapter, s.section):
            if span is not None:
                span.first_article = span.first_article or number
                span.last_article = number
        if first_article:
            self._check_empty(final=False)
        rest = head["rest"].strip(WS)
        if self.markdown:
            rest = rest.replace("**", "").strip(WS)
            if line.md_level:
                rest = rest.rstrip("#").strip(WS)  # closing hashes of "#### 第一条 … ####"
        if rest:
            self._add_text(line.number, rest)

    def _check_sequence(self, article: Article) -> None:
        s = self.s
        key = article.key
        if not s.articles:
            if key != (1, 0):
                raise self.error(
                    article.line,
                    f"the first article is {article.label} ({article.number}{article.suffix}); "
                    "expected 第一条 (1)",
                )
            return
        prev = s.articles[-1]
        pn, ps = prev.key
        if key in ((pn + 1, 0), (pn, ps + 1)):
            return
        raise self.error(
            article.line,
            f"article {article.label} ({article.number}{article.suffix}) is out of sequence: "
            f"it follows {prev.label} ({prev.number}{prev.suffix}, line {prev.line}); "
            f"expected {label(pn + 1)} ({pn + 1})",
        )

    def _paragraph(self, line: Line) -> None:
        s = self.s
        assert s.article is not None
        text = line.core
        glued = GLUED_HEAD_RE.match(text)
        if glued:
            try:
                number = parse_number(glued["num"])
            except ValueError:
                number = -1
            if number == s.article.number + 1 and not glued["suffix"]:
                self.warn(
                    line.number,
                    f"line starts with {glued.group(0)} but no space follows; "
                    "kept as paragraph text, not as an article",
                )
        self._add_text(line.number, text)

    def _add_text(self, number: int, text: str) -> None:
        """A new paragraph (款), or an item (项) appended to the current paragraph."""
        article = self.s.article
        assert article is not None
        if not END_PUNCT_RE.search(text):
            if len(text) <= STRAY_HEADING_MAX and not INNER_PUNCT_RE.search(text):
                self.warn(number, f"looks like a stray heading inside {article.label}: {text}")
            else:
                self.warn(number, f"no sentence punctuation at the end (a wrapped line?): {text}")
        if ITEM_RE.match(text) and article.paragraphs:
            article.paragraphs[-1] += "\n" + text
        else:
            article.paragraphs.append(text)

    # -- finish -----------------------------------------------------------------

    def finish(self) -> None:
        s = self.s
        if not s.articles:
            last = max((ln.number for ln in self.lines if not ln.blank), default=1)
            raise self.error(last, "no articles found: no line starts with 第一条")
        for article in s.articles:
            if not article.paragraphs:
                raise self.error(article.line, f"{article.label} has no text")
        if s.chapters:
            orphans = [a for a in s.articles if a.chapter is None]
            if orphans:
                self.warn(
                    orphans[0].line,
                    f"{orphans[0].label}–{orphans[-1].label} come before the first chapter "
                    f"heading (line {s.chapters[0].line}); their chapter is left empty (null)",
                )


def parse_law(
    text: str,
    *,
    path: str = "<text>",
    law_id: str | None = None,
    title: str | None = None,
    strict: bool = False,
) -> ParsedLaw:
    """Parse a law text; LawImportError on structure errors (or any warning when strict).

    `path` only names the text in messages and provides the default law id.
    """
    if law_id is not None and not LAW_ID_RE.match(law_id):
        raise LawImportError(path, None, f"invalid law id {law_id!r}: use letters, digits, _ . : -")
    parser = _Parser(text, path)
    body = parser.parse_header()
    parser.parse_body(body)
    parser.finish()
    parser.check_blank_runs()
    final_title = title or parser.title
    if not final_title:
        raise LawImportError(path, 1, "no title line before the first article: pass title=")
    if law_id is None and not path.startswith("<"):
        law_id = slug_from_stem(Path(path).stem)
    warnings = sorted(parser.warnings, key=lambda w: w.line)
    if strict and warnings:
        first = warnings[0]
        more = f" (and {len(warnings) - 1} more warnings)" if len(warnings) > 1 else ""
        raise LawImportError(path, first.line, f"{first.message} [strict]{more}")
    articles = parser.s.articles
    effective_text, effective = find_effective(
        [p for a in reversed(articles) for p in reversed(a.paragraphs)]
    )
    adoption = adoption_from_history(parser.history)
    return ParsedLaw(
        title=final_title,
        law_id=law_id,
        aliases=default_aliases(final_title),
        history=parser.history,
        adopted=adoption.adopted,
        effective=effective,
        effective_text=effective_text,
        chapters=parser.s.chapters,
        articles=articles,
        warnings=warnings,
        adopted_by=adoption.adopted_by,
        issuer=adoption.issuer,
        path=path,
    )
