"""Every file of the shared corpus imports cleanly (skipped where the corpus is absent)."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from bot.importer import count_article_headings, import_law, read_law_file

CORPUS = Path(__file__).parents[2].parent / "shared" / "corpus"
FILES = sorted(CORPUS.iterdir()) if CORPUS.is_dir() else []

pytestmark = pytest.mark.skipif(not FILES, reason=f"no corpus at {CORPUS}")


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_corpus_file_imports(path: Path, tmp_path: Path) -> None:
    result = import_law(path, tmp_path)
    law = result.law
    text = read_law_file(path)
    headings = count_article_headings(text)
    assert law.article_count == headings
    assert len(law.articles) == headings
    assert [a.number for a in law.articles] == list(range(1, headings + 1))
    assert all(a.paragraphs for a in law.articles)
    assert law.title and law.effective_text
    assert result.path.is_file()


def test_corpus_import_time(tmp_path: Path) -> None:
    start = time.perf_counter()
    for path in FILES:
        import_law(path, tmp_path)
    elapsed = time.perf_counter() - start
    print(f"imported {len(FILES)} corpus files in {elapsed:.3f} s")
    assert elapsed < 5.0
