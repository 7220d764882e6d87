"""Importer for Chinese law texts → knowledge/laws/<law-id>.yaml.

Why a separate importer: the bot never states a law's text from memory; it reads the
official text once, checks its structure (numbering, chapters) and stores it in the
knowledge base, so answers can cite 《title》第N条 verbatim.

Inputs
  * Plain text as bulletins print it: title line, parenthesised history
    (（…通过　根据…修正）, may span lines), optional 目录 (skipped), headings
    第一章　总　　则 / 第一节　…, articles "　　第一条　…", one paragraph per line.
  * Markdown as law collections store it: "# title", metadata lines up to
    "<!-- INFO END -->", "## 第一章 总则", "### 第一节 …", "第一条 …" (bold allowed).
  * UTF-8, UTF-8 with BOM or GB18030 (tried in that order, strictly); CRLF or LF.

Decisions (the output format, knowledge/README.md, is authoritative)
  * Paragraphs (款): every non-blank line after an article heading starts one.
    Items (项: （一）…, (一)…, （1）…, 1．…) stay INSIDE the paragraph they follow, one
    per line, joined with "\\n" — so a paragraph is always a single string.
  * Names of chapters and sections lose all whitespace: "总　　则" → "总则".
  * 第二十条之一: number 20, suffix "之一", label verbatim. Sequence: each article is
    either the next base number or the next suffix of the previous one.
    `article_count` counts articles without suffix (共N条, as the knowledge loader
    does); count_article_headings() counts every heading line.
  * Articles before the first chapter heading of a law that has chapters get
    chapter null (with a warning); nothing is guessed.
  * history: the header's clauses verbatim (outer/stray parentheses dropped).
    adopted/adopted_by: the first clause with 通过; issuer: that body without
    届/会议 (or 国务院 for 国务院令…公布). effective/effective_text: the last
    本法/本条例…自…起施行 sentence; effective only when it names a date.
  * Default law id: ASCII slug of the file stem (patent_law_2020.md → patent-law-2020).
  * Default aliases: title; title without 中华人民共和国; for 省/市 regulations the
    region without 省/市 (北京市…条例 → 北京…条例). No region-less form: regions share it.

Errors raise LawImportError ("path:line: message"): empty file, no articles, article
out of sequence, a chapter/section without articles, an article without text, bad
encoding. Warnings (LawImportWarning, in ParsedLaw.warnings): unrecognised lines,
stray-heading-like or unpunctuated paragraph lines, repeated blank lines, odd chapter
numbering; strict=True raises on the first one instead.
"""

from __future__ import annotations

from bot.importer.decode import decode_law_bytes, read_law_file
from bot.importer.errors import LawImportError, LawImportWarning
from bot.importer.lines import count_article_headings
from bot.importer.model import Article, Chapter, ImportResult, ParsedLaw, Section
from bot.importer.parse import parse_law
from bot.importer.write import dump_law, import_law, law_data

__all__ = [
    "Article",
    "Chapter",
    "ImportResult",
    "LawImportError",
    "LawImportWarning",
    "ParsedLaw",
    "Section",
    "count_article_headings",
    "decode_law_bytes",
    "dump_law",
    "import_law",
    "law_data",
    "parse_law",
    "read_law_file",
]
