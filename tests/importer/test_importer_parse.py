"""Parsing: structure, items, numbering, header facts, warnings and errors."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from bot.importer import (
    LawImportError,
    ParsedLaw,
    count_article_headings,
    parse_law,
    read_law_file,
)
from bot.importer.meta import default_aliases, slug_from_stem
from bot.numerals import to_chinese


def parse_fixture(fixtures: Path, name: str, *, strict: bool = False) -> ParsedLaw:
    path = fixtures / name
    return parse_law(read_law_file(path), path=str(path), strict=strict)


def article_tuples(law: ParsedLaw) -> list[tuple[object, ...]]:
    return [
        (a.number, a.label, a.suffix, a.chapter, a.section, tuple(a.paragraphs))
        for a in law.articles
    ]


def chapter_tuples(law: ParsedLaw) -> list[tuple[object, ...]]:
    return [
        (
            c.number,
            c.name,
            c.first_article,
            c.last_article,
            tuple((s.number, s.name, s.first_article, s.last_article) for s in c.sections),
        )
        for c in law.chapters
    ]


def test_plain_fixture_structure(fixtures: Path) -> None:
    law = parse_fixture(fixtures, "demo_regulation.txt")
    assert law.warnings == []
    assert law.title == "某某省示范条例"
    assert law.law_id == "demo-regulation"
    # The 目录 block lists the chapters again; it must not create chapters.
    assert chapter_tuples(law) == [
        (1, "总则", 1, 3, ()),
        (2, "示范与推广", 4, 9, ((1, "示范项目", 4, 6), (2, "推广应用", 7, 9))),
        (3, "附则", 10, 12, ()),
    ]
    assert law.article_count == 12
    assert len(law.articles) == 13
    assert [a.label for a in law.articles][4:7] == ["第五条", "第五条之一", "第六条"]
    suffixed = law.articles[5]
    assert (suffixed.number, suffixed.suffix) == (5, "之一")


def test_items_stay_inside_their_paragraph(fixtures: Path) -> None:
    law = parse_fixture(fixtures, "demo_regulation.txt")
    fourth = law.articles[3]
    assert fourth.paragraphs == [
        "示范项目包括下列类型：\n（一）技术示范项目；\n（二）管理示范项目；\n（三）其他示范项目。",
        "示范项目的具体认定办法由省人民政府制定。",
    ]
    assert (
        law.articles[2].paragraphs[1] == "县级以上人民政府有关部门按照各自职责，做好示范相关工作。"
    )


def test_header_facts(fixtures: Path) -> None:
    law = parse_fixture(fixtures, "demo_regulation.txt")
    assert law.history == [
        "2023年9月21日某某省第十四届人民代表大会常务委员会第五次会议通过",
        "根据2024年5月30日某某省第十四届人民代表大会常务委员会第九次会议"
        "《关于修改〈某某省示范条例〉的决定》修正",
    ]
    assert law.adopted == dt.date(2023, 9, 21)
    assert law.adopted_by == "某某省第十四届人民代表大会常务委员会第五次会议"
    assert law.issuer == "某某省人民代表大会常务委员会"
    assert law.effective == dt.date(2024, 1, 1)
    assert law.effective_text == "本条例自2024年1月1日起施行。"


def test_markdown_and_plain_agree(fixtures: Path) -> None:
    plain = parse_fixture(fixtures, "demo_regulation.txt")
    markdown = parse_fixture(fixtures, "demo_regulation.md")
    assert markdown.warnings == []
    assert article_tuples(markdown) == article_tuples(plain)
    assert chapter_tuples(markdown) == chapter_tuples(plain)
    assert (markdown.title, markdown.adopted, markdown.effective, markdown.effective_text) == (
        plain.title,
        plain.adopted,
        plain.effective,
        plain.effective_text,
    )
    assert len(markdown.history) == 2


@pytest.mark.parametrize("name", ["demo_regulation.txt", "demo_regulation.md", "no_chapters.txt"])
def test_heading_count_matches_articles(fixtures: Path, name: str) -> None:
    text = read_law_file(fixtures / name)
    law = parse_law(text, path=name)
    assert count_article_headings(text) == len(law.articles)


def test_law_without_chapters(fixtures: Path) -> None:
    law = parse_fixture(fixtures, "no_chapters.txt")
    assert law.chapters == []
    assert all(a.chapter is None and a.section is None for a in law.articles)
    assert law.article_count == 4
    assert law.articles[2].paragraphs == [
        "有下列情形之一的，不予认定：\n（一）材料不齐全的；\n（二）弄虚作假的。"
    ]
    # Chinese-numeral date in the history; no date in 自公布之日起施行.
    assert law.adopted == dt.date(1990, 9, 7)
    assert law.effective is None
    assert law.effective_text == "本办法自公布之日起施行。"


def test_chapter_names_lose_full_width_spaces() -> None:
    text = (
        "示范条例\n\n第一章　总　　则\n\n　　第一条　为了示范，制定本条例。\n\n"
        "第二章  附 \u3000则\n\n　　第二条　本条例自2024年1月1日起施行。\n"
    )
    law = parse_law(text)
    assert [c.name for c in law.chapters] == ["总则", "附则"]


def test_large_article_numbers() -> None:
    labels = [f"第{to_chinese(n)}条" for n in range(1, 121)]
    text = "示范法\n\n" + "".join(
        f"　　{label}　第{n}条的内容。\n" for n, label in enumerate(labels, 1)
    )
    law = parse_law(text)
    assert [a.number for a in law.articles] == list(range(1, 121))
    by_number = {a.number: a.label for a in law.articles}
    assert by_number[10] == "第十条"
    assert by_number[21] == "第二十一条"
    assert by_number[105] == "第一百零五条"
    assert by_number[110] == "第一百一十条"
    assert law.article_count == 120


def test_thousand_articles_and_arabic_numbers() -> None:
    text = "示范法\n" + "".join(f"第{n}条 内容{n}。\n" for n in range(1, 1001))
    law = parse_law(text)
    assert law.articles[-1].number == 1000
    assert law.articles[-1].label == "第1000条"
    assert to_chinese(1000) == "一千"


@pytest.mark.parametrize(
    "line",
    [
        "第一条 为了示范，制定本条例。",
        "　　第一条　为了示范，制定本条例。",
        "**第一条** 为了示范，制定本条例。",
        "**第一条**为了示范，制定本条例。",
        "**第一条 为了示范，制定本条例。**",
        "- 第一条 为了示范，制定本条例。",
        "> 第一条 为了示范，制定本条例。",
        "#### 第一条 为了示范，制定本条例。 ####",
    ],
)
def test_article_heading_markup(line: str) -> None:
    text = f"# 示范条例\n\n{line}\n"
    assert count_article_headings(text) == 1
    law = parse_law(text)
    assert law.articles[0].label == "第一条"
    assert law.articles[0].paragraphs == ["为了示范，制定本条例。"]


def test_citing_an_article_does_not_start_one() -> None:
    text = (
        "示范条例\n\n　　第一条　为了示范，制定本条例。\n　　第二条　有关事项。\n"
        "第一条规定的事项，依照本条例办理。\n"
    )
    assert count_article_headings(text) == 2
    law = parse_law(text)
    assert law.articles[1].paragraphs == ["有关事项。", "第一条规定的事项，依照本条例办理。"]
    assert law.warnings == []


def test_sub_items_and_decimals() -> None:
    text = "示范条例\n第一条 费用如下：\n1．申请费；\n2．年费。\n1.5倍的费用由申请人承担。\n"
    law = parse_law(text)
    assert law.articles[0].paragraphs == [
        "费用如下：\n1．申请费；\n2．年费。",
        "1.5倍的费用由申请人承担。",
    ]


def test_glued_heading_is_warned() -> None:
    text = (
        "示范条例\n\n　　第一条　为了示范，制定本条例。\n　　第二条本条例自2024年1月1日起施行。\n"
    )
    law = parse_law(text)
    assert len(law.articles) == 1
    assert any("no space follows" in w.message and w.line == 4 for w in law.warnings)


def test_chapter_list_without_toc_heading_is_skipped() -> None:
    text = (
        "示范条例\n\n第一章　总则\n第二章　附则\n\n第一章　总则\n"
        "　　第一条　为了示范，制定本条例。\n第二章　附则\n　　第二条　本条例自公布之日起施行。\n"
    )
    law = parse_law(text)
    assert [(c.number, c.first_article, c.last_article) for c in law.chapters] == [
        (1, 1, 1),
        (2, 2, 2),
    ]
    assert any("table of contents" in w.message for w in law.warnings)


def test_multi_line_history_with_markdown_metadata_noise() -> None:
    text = (
        "某某法\n（1984年3月12日第六届全国人民代表大会常务委员会第四次会议通过\n"
        "根据1992年9月4日第七届全国人民代表大会常务委员会第二十七次会议"
        "《关于修改〈某某法〉的决定》第一次修正）\n\n　　第一条　为了示范，制定本法。\n"
    )
    law = parse_law(text)
    assert len(law.history) == 2
    assert law.history[1].startswith("根据1992年9月4日")
    assert law.issuer == "全国人民代表大会常务委员会"


def test_stray_closing_parenthesis_dropped_from_history() -> None:
    text = (
        "# 某某细则\n\n2001年6月15日 中华人民共和国国务院令第306号公布\n\n"
        "2023年12月11日 某决定第三次修订）\n\n<!-- INFO END -->\n\n"
        "第一条 为了示范，制定本细则。\n"
    )
    law = parse_law(text)
    assert law.history[-1] == "2023年12月11日 某决定第三次修订"
    assert law.adopted is None  # 公布 by order is not adoption
    assert law.issuer == "国务院"


def test_aliases_and_slugs() -> None:
    assert default_aliases("中华人民共和国专利法") == ["中华人民共和国专利法", "专利法"]
    assert default_aliases("北京市专利保护和促进条例") == [
        "北京市专利保护和促进条例",
        "北京专利保护和促进条例",
    ]
    assert default_aliases("黑龙江省专利条例")[1] == "黑龙江专利条例"
    assert default_aliases("示范条例") == ["示范条例"]
    assert slug_from_stem("patent_law_2020") == "patent-law-2020"
    assert slug_from_stem("Beijing Patent--2013") == "beijing-patent-2013"
    assert slug_from_stem("专利法") is None


# -- errors -------------------------------------------------------------------


def test_error_empty_file(fixtures: Path) -> None:
    path = fixtures / "empty.txt"
    with pytest.raises(LawImportError) as info:
        parse_law(read_law_file(path), path=str(path))
    assert str(info.value) == f"{path}:1: empty file: no text at all"
    with pytest.raises(LawImportError, match=r"^x\.txt:1: empty file"):
        parse_law(" \n\u3000\n\n", path="x.txt")


def test_error_no_articles(fixtures: Path) -> None:
    path = fixtures / "broken_no_articles.txt"
    with pytest.raises(LawImportError) as info:
        parse_law(read_law_file(path), path=str(path))
    assert (info.value.path, info.value.line) == (str(path), 5)
    assert str(info.value).startswith(f"{path}:5: no articles found")


def test_error_out_of_sequence(fixtures: Path) -> None:
    path = fixtures / "broken_sequence.txt"
    with pytest.raises(LawImportError) as info:
        parse_law(read_law_file(path), path=str(path))
    message = str(info.value)
    assert message.startswith(f"{path}:8: ")
    assert "第七条 (7)" in message and "第五条 (5" in message and "expected 第六条" in message


@pytest.mark.parametrize(
    ("body", "line", "fragment"),
    [
        ("第二条 重复。\n", 2, "the first article is 第二条"),
        ("第一条 甲。\n第一条 乙。\n", 3, "第一条 (1) is out of sequence"),
        ("第一条 甲。\n第二条之二 乙。\n", 3, "第二条之二"),
        ("第一条 甲。\n第一条之二 乙。\n", 3, "expected 第二条"),
        ("第一条 甲。\n第二条\n第三条 丙。\n", 3, "第二条 has no text"),
    ],
)
def test_error_sequence_variants(body: str, line: int, fragment: str) -> None:
    with pytest.raises(LawImportError) as info:
        parse_law("示范条例\n" + body, path="t.txt")
    assert info.value.line == line
    assert fragment in str(info.value)


def test_suffix_sequence_accepted() -> None:
    law = parse_law("示范条例\n第一条 甲。\n第一条之一 乙。\n第一条之二 丙。\n第二条 丁。\n")
    assert [(a.number, a.suffix) for a in law.articles] == [
        (1, ""),
        (1, "之一"),
        (1, "之二"),
        (2, ""),
    ]
    assert law.article_count == 2


def test_error_chapter_without_articles(fixtures: Path) -> None:
    path = fixtures / "broken_empty_chapter.md"
    with pytest.raises(LawImportError) as info:
        parse_law(read_law_file(path), path=str(path))
    assert str(info.value) == (
        f"{path}:11: chapter 第二章 示范项目 has no articles before 第三章 附则 (line 13)"
    )


def test_error_chapter_without_articles_at_end() -> None:
    text = "示范条例\n第一章 总则\n第一条 甲。\n第二章 附则\n"
    with pytest.raises(
        LawImportError, match=r"^t\.txt:4: chapter 第二章 附则 has no articles before end of file"
    ):
        parse_law(text, path="t.txt")


def test_error_section_without_articles() -> None:
    text = "示范条例\n第一章 总则\n第一节 甲\n第二节 乙\n第一条 甲。\n"
    with pytest.raises(
        LawImportError, match=r"^t\.txt:3: section 第一节 甲 has no articles before 第二节 乙"
    ):
        parse_law(text, path="t.txt")


def test_error_no_title() -> None:
    with pytest.raises(LawImportError, match="no title"):
        parse_law("第一条 甲。\n", path="t.txt")
    assert parse_law("第一条 甲。\n", title="示范条例").title == "示范条例"


def test_invalid_law_id() -> None:
    with pytest.raises(LawImportError, match="invalid law id"):
        parse_law("示范条例\n第一条 甲。\n", law_id="../evil")


# -- warnings and strict mode ----------------------------------------------------


def test_warnings_name_file_and_line(fixtures: Path) -> None:
    law = parse_fixture(fixtures, "warnings.txt")
    found = [(w.line, w.message.split(":")[0]) for w in law.warnings]
    assert found == [
        (5, "unrecognised line before the first article"),
        (8, "looks like a stray heading inside 第一条"),
        (10, "2 blank lines in a row"),
    ]
    assert str(law.warnings[0]).startswith(f"{fixtures / 'warnings.txt'}:5: ")
    # Warnings never lose text: the stray line stays in its article.
    assert law.articles[0].paragraphs == ["为了规范示范工作，制定本条例。", "示范推广"]


def test_strict_turns_warnings_into_errors(fixtures: Path) -> None:
    with pytest.raises(LawImportError) as info:
        parse_fixture(fixtures, "warnings.txt", strict=True)
    assert info.value.line == 5
    assert "[strict]" in str(info.value) and "2 more warnings" in str(info.value)
    # A clean text passes strict mode.
    assert parse_fixture(fixtures, "demo_regulation.md", strict=True).article_count == 12


def test_unclosed_history_and_blank_runs_in_header() -> None:
    text = "示范条例\n\n\n（2023年9月21日某某会议通过\n第一条 甲。\n"
    law = parse_law(text)
    assert [(w.line, w.message) for w in law.warnings] == [
        (3, "2 blank lines in a row"),
        (4, "history parenthesis is never closed"),
    ]
    assert law.history == ["2023年9月21日某某会议通过"]
    assert law.articles[0].paragraphs == ["甲。"]


def test_articles_before_first_chapter_warned() -> None:
    text = "# 示范法\n\n第一条 甲。\n\n## 第二章 乙\n\n第二条 乙。\n"
    law = parse_law(text)
    assert law.articles[0].chapter is None and law.articles[1].chapter == 2
    assert [w.line for w in law.warnings] == [3, 5]
