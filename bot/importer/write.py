"""Writing a ParsedLaw as knowledge/laws/<law-id>.yaml (the schema in knowledge/README.md)."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

import yaml

from bot.importer.decode import read_law_file
from bot.importer.errors import LawImportError
from bot.importer.meta import slug_from_stem
from bot.importer.model import Article, Chapter, ImportResult, ParsedLaw
from bot.importer.parse import parse_law


class _Dumper(yaml.SafeDumper):
    """Block style, indented lists, and literal blocks for paragraphs holding items."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        # Indent list items under their key, as knowledge/README.md shows.
        super().increase_indent(flow, False)


def _represent_str(dumper: yaml.SafeDumper, data: str) -> yaml.ScalarNode:
    style = "|" if "\n" in data else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", data, style=style)


_Dumper.add_representer(str, _represent_str)


def _chapter_data(chapter: Chapter) -> dict[str, Any]:
    return {
        "number": chapter.number,
        "name": chapter.name,
        "first_article": chapter.first_article,
        "last_article": chapter.last_article,
        "sections": [
            {
                "number": s.number,
                "name": s.name,
                "first_article": s.first_article,
                "last_article": s.last_article,
            }
            for s in chapter.sections
        ],
    }


def _article_data(article: Article) -> dict[str, Any]:
    data: dict[str, Any] = {"number": article.number, "label": article.label}
    if article.suffix:
        data["suffix"] = article.suffix
    data |= {
        "chapter": article.chapter,
        "section": article.section,
        "paragraphs": list(article.paragraphs),
    }
    return data


def law_data(law: ParsedLaw) -> dict[str, Any]:
    """The YAML document as plain data; optional fields are omitted when unknown."""
    if not law.law_id:
        raise LawImportError(law.path, None, "no law id: pass law_id=")
    head: dict[str, Any] = {"id": law.law_id, "title": law.title, "aliases": list(law.aliases)}
    optional = {
        "issuer": law.issuer,
        "adopted": law.adopted,
        "adopted_by": law.adopted_by,
        "effective": law.effective,
        "effective_text": law.effective_text,
        "source_file": law.source_file,
    }
    head |= {key: value for key, value in optional.items() if value is not None}
    head |= {
        "history": list(law.history),
        "article_count": law.article_count,
        "chapters": [_chapter_data(c) for c in law.chapters],
        # An imported law is its own source for its structure.
        "citation": {"source": law.law_id, "locator": "全文"},
    }
    return {"law": head, "articles": [_article_data(a) for a in law.articles]}


def dump_law(law: ParsedLaw) -> str:
    """YAML text for one law, UTF-8 readable (no \\u escapes), keys in schema order."""
    header = (
        f"# Imported by bot.importer from {law.source_file or law.path}; "
        "re-importing replaces this file.\n"
    )
    body = yaml.dump(
        law_data(law),
        Dumper=_Dumper,
        allow_unicode=True,
        sort_keys=False,
        default_flow_style=False,
        width=10**6,  # one paragraph, one line: greppable and diff-friendly
        indent=2,
    )
    return header + body


def _write_atomic(target: Path, text: str) -> None:
    """Write via a temporary file and rename, so a crash never leaves half a law file."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def import_law(
    path: str | Path,
    out_dir: str | Path,
    *,
    law_id: str | None = None,
    title: str | None = None,
    strict: bool = False,
) -> ImportResult:
    """Parse `path` and write <out_dir>/laws/<law_id>.yaml, replacing an earlier import."""
    path = Path(path)
    if law_id is None:
        law_id = slug_from_stem(path.stem)
        if law_id is None:
            raise LawImportError(
                str(path), None, "cannot derive an ASCII law id from the file name: pass law_id="
            )
    text = read_law_file(path)
    law = parse_law(text, path=str(path), law_id=law_id, title=title, strict=strict)
    target = Path(out_dir) / "laws" / f"{law_id}.yaml"
    replaced = target.exists()
    _write_atomic(target, dump_law(law))
    return ImportResult(path=target, law=law, replaced=replaced)
