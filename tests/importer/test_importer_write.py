"""Writing knowledge/laws/<law-id>.yaml: schema, readability, replacement."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from bot.importer import LawImportError, import_law


def _load(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def test_import_writes_schema(fixtures: Path, tmp_path: Path) -> None:
    result = import_law(fixtures / "demo_regulation.txt", tmp_path / "knowledge")
    target = tmp_path / "knowledge" / "laws" / "demo-regulation.yaml"
    assert result.path == target
    assert not result.replaced
    assert (result.law_id, result.article_count) == ("demo-regulation", 12)
    data = _load(target)
    law = data["law"]
    assert list(law) == [
        "id",
        "title",
        "aliases",
        "issuer",
        "adopted",
        "adopted_by",
        "effective",
        "effective_text",
        "source_file",
        "history",
        "article_count",
        "chapters",
        "citation",
    ]
    assert law["id"] == "demo-regulation"
    assert law["source_file"] == "demo_regulation.txt"
    assert law["citation"] == {"source": "demo-regulation", "locator": "全文"}
    assert law["article_count"] == 12
    assert str(law["adopted"]) == "2023-09-21"
    assert str(law["effective"]) == "2024-01-01"
    assert list(law["chapters"][1]) == [
        "number",
        "name",
        "first_article",
        "last_article",
        "sections",
    ]
    assert law["chapters"][1]["sections"][0] == {
        "number": 1,
        "name": "示范项目",
        "first_article": 4,
        "last_article": 6,
    }
    articles = data["articles"]
    assert len(articles) == 13
    assert list(articles[0]) == ["number", "label", "chapter", "section", "paragraphs"]
    assert articles[5] == {
        "number": 5,
        "label": "第五条之一",
        "suffix": "之一",
        "chapter": 2,
        "section": 1,
        "paragraphs": ["示范项目认定结果应当向社会公布，接受社会监督。"],
    }
    assert articles[3]["paragraphs"][0].splitlines()[1] == "（一）技术示范项目；"


def test_yaml_is_readable(fixtures: Path, tmp_path: Path) -> None:
    result = import_law(fixtures / "demo_regulation.md", tmp_path)
    text = result.path.read_text(encoding="utf-8")
    assert "\\u" not in text  # allow_unicode: Chinese stays Chinese
    assert "title: 某某省示范条例" in text
    assert "      - |-\n        示范项目包括下列类型：\n        （一）技术示范项目；" in text
    assert "{" not in text.split("articles:")[0].split("citation:")[0]  # block style


def test_optional_fields_omitted(fixtures: Path, tmp_path: Path) -> None:
    result = import_law(fixtures / "no_chapters.txt", tmp_path, law_id="demo-measures")
    law = _load(result.path)["law"]
    assert "effective" not in law
    assert law["effective_text"] == "本办法自公布之日起施行。"
    assert law["chapters"] == []
    assert result.path.name == "demo-measures.yaml"


def test_reimport_replaces(fixtures: Path, tmp_path: Path) -> None:
    source = tmp_path / "demo_regulation.txt"
    shutil.copy(fixtures / "demo_regulation.txt", source)
    first = import_law(source, tmp_path / "out")
    assert not first.replaced
    edited = source.read_text(encoding="utf-8").replace("不得收取费用", "不得收取任何费用")
    source.write_text(edited, encoding="utf-8")
    second = import_law(source, tmp_path / "out", title="某某省示范条例（修正）")
    assert second.replaced and second.path == first.path
    data = _load(second.path)
    assert data["law"]["title"] == "某某省示范条例（修正）"
    assert data["articles"][6]["paragraphs"] == ["示范项目的认定不得收取任何费用。"]
    assert sorted(p.name for p in (tmp_path / "out" / "laws").iterdir()) == ["demo-regulation.yaml"]


def test_failed_import_keeps_previous_file(fixtures: Path, tmp_path: Path) -> None:
    source = tmp_path / "demo_regulation.txt"
    shutil.copy(fixtures / "demo_regulation.txt", source)
    result = import_law(source, tmp_path)
    before = result.path.read_bytes()
    source.write_text("某某省示范条例\n第一条 甲。\n第三条 乙。\n", encoding="utf-8")
    with pytest.raises(LawImportError):
        import_law(source, tmp_path)
    assert result.path.read_bytes() == before


def test_strict_import(fixtures: Path, tmp_path: Path) -> None:
    with pytest.raises(LawImportError, match=r"warnings\.txt:5: "):
        import_law(fixtures / "warnings.txt", tmp_path, strict=True)
    assert not (tmp_path / "laws" / "warnings.yaml").exists()
    result = import_law(fixtures / "warnings.txt", tmp_path)
    assert len(result.warnings) == 3


def test_non_ascii_file_name_needs_law_id(tmp_path: Path) -> None:
    source = tmp_path / "示范条例.txt"
    source.write_text("示范条例\n第一条 甲。\n", encoding="utf-8")
    with pytest.raises(LawImportError, match="pass law_id"):
        import_law(source, tmp_path)
    assert import_law(source, tmp_path, law_id="demo").path.name == "demo.yaml"
