"""Encodings and line endings: the same law, however it was saved, parses the same."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.importer import LawImportError, decode_law_bytes, parse_law, read_law_file


def _variants(text: str) -> dict[str, bytes]:
    crlf = text.replace("\n", "\r\n")
    return {
        "utf8.txt": text.encode("utf-8"),
        "bom.txt": text.encode("utf-8-sig"),
        "gb18030.txt": text.encode("gb18030"),
        "crlf.txt": crlf.encode("utf-8"),
        "bom-crlf.txt": crlf.encode("utf-8-sig"),
        "gb18030-crlf.txt": crlf.encode("gb18030"),
        "utf16.txt": crlf.encode("utf-16"),
    }


@pytest.mark.parametrize("fixture", ["demo_regulation.txt", "demo_regulation.md"])
def test_encodings_decode_identically(fixtures: Path, tmp_path: Path, fixture: str) -> None:
    original = (fixtures / fixture).read_text(encoding="utf-8")
    reference = parse_law(original, path=fixture)
    for name, data in _variants(original).items():
        path = tmp_path / name
        path.write_bytes(data)
        text = read_law_file(path)
        assert text == original, name
        law = parse_law(text, path=str(path))
        assert [(a.label, a.paragraphs) for a in law.articles] == [
            (a.label, a.paragraphs) for a in reference.articles
        ], name
        assert law.warnings == [], name


def test_crlf_line_numbers_match_editor(tmp_path: Path) -> None:
    text = "示范条例\r\n\r\n第一条 甲。\r\n第三条 乙。\r\n"
    path = tmp_path / "crlf.txt"
    path.write_bytes(text.encode("gb18030"))
    with pytest.raises(LawImportError, match=r"crlf\.txt:4: article 第三条"):
        parse_law(read_law_file(path), path=str(path))


def test_bom_in_text_argument_is_ignored() -> None:
    law = parse_law("\ufeff示范条例\n第一条 甲。\n")
    assert law.title == "示范条例"


def test_undecodable_bytes_name_the_line() -> None:
    data = "示范条例\n第一条 甲。\n".encode() + b"\xff\xfe\xff\n"
    # \xff at the start would be a UTF-16 BOM; put the junk on line 3 instead.
    with pytest.raises(LawImportError, match=r"^bad\.txt:3: neither UTF-8 nor GB18030"):
        decode_law_bytes(data, "bad.txt")


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(LawImportError, match="cannot read file"):
        read_law_file(tmp_path / "nope.txt")
