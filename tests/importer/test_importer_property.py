"""Property: any well-formed law rendered as text parses back to the same articles."""

from __future__ import annotations

from dataclasses import dataclass

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.importer import count_article_headings, parse_law
from bot.numerals import parse_number, to_chinese

# Ordinary law vocabulary; no 第 (could form a heading) and no brackets (items).
_CHARS = "本法条例规定人民政府部门应当依照有关单位个人权利义务管理保护促进发展专利商标著作"
_SENTENCE = st.text(alphabet=_CHARS, min_size=1, max_size=12)


@st.composite
def _paragraph(draw: st.DrawFn) -> str:
    """A 款: a sentence, sometimes with 项 lines (the importer's one-string form)."""
    lead = draw(_SENTENCE) + "，" + draw(_SENTENCE)
    items = draw(st.lists(_SENTENCE, max_size=3))
    if not items:
        return lead + "。"
    lines = [f"（{to_chinese(i)}）{text}；" for i, text in enumerate(items, 1)]
    return "\n".join([lead + "：", *lines])


@dataclass
class _Art:
    number: int
    suffix: str
    paragraphs: list[str]

    @property
    def label(self) -> str:
        return f"第{to_chinese(self.number)}条{self.suffix}"


@st.composite
def _law(draw: st.DrawFn) -> tuple[list[_Art], list[int]]:
    """Articles 1..N with occasional 之一/之二, and chapter start indexes."""
    count = draw(st.integers(min_value=1, max_value=40))
    articles: list[_Art] = []
    for number in range(1, count + 1):
        articles.append(_Art(number, "", draw(st.lists(_paragraph(), min_size=1, max_size=2))))
        for extra in range(draw(st.sampled_from([0, 0, 0, 0, 1, 2]))):
            suffix = f"之{to_chinese(extra + 1)}"
            articles.append(_Art(number, suffix, [draw(_paragraph())]))
    # Chapters start at base articles only (a chapter never opens with 第N条之一).
    bases = [i for i, a in enumerate(articles) if not a.suffix and i > 0]
    chosen = draw(st.sets(st.sampled_from(bases), max_size=6)) if bases else set()
    starts = sorted(chosen | {0})
    with_chapters = draw(st.booleans())
    return articles, starts if with_chapters else []


def _render_plain(articles: list[_Art], starts: list[int]) -> str:
    out = ["某某示范条例", ""]
    for index, art in enumerate(articles):
        if index in starts:
            chapter = starts.index(index) + 1
            out.append(f"第{to_chinese(chapter)}章　名　　称{chapter}")
        first, *rest = art.paragraphs
        lines = first.split("\n")
        out.append(f"　　{art.label}　{lines[0]}")
        out.extend(f"　　{line}" for line in lines[1:])
        for paragraph in rest:
            out.extend(f"　　{line}" for line in paragraph.split("\n"))
    return "\n".join(out) + "\n"


def _render_markdown(articles: list[_Art], starts: list[int]) -> str:
    out = ["# 某某示范条例", "", "<!-- INFO END -->", ""]
    for index, art in enumerate(articles):
        if index in starts:
            chapter = starts.index(index) + 1
            out += [f"## 第{to_chinese(chapter)}章 名称{chapter}", ""]
        first, *rest = art.paragraphs
        lines = first.split("\n")
        out += [f"{art.label} {lines[0]}", ""]
        for line in [*lines[1:], *(x for p in rest for x in p.split("\n"))]:
            out += [line, ""]
    return "\n".join(out)


@settings(max_examples=60, deadline=None)
@given(_law())
def test_rendered_law_parses_back(law: tuple[list[_Art], list[int]]) -> None:
    articles, starts = law
    for text in (_render_plain(articles, starts), _render_markdown(articles, starts)):
        parsed = parse_law(text, path="generated.txt", strict=True)
        assert [(a.number, a.suffix, a.label) for a in parsed.articles] == [
            (a.number, a.suffix, a.label) for a in articles
        ]
        assert [a.paragraphs for a in parsed.articles] == [a.paragraphs for a in articles]
        assert count_article_headings(text) == len(parsed.articles)
        assert parsed.article_count == sum(1 for a in articles if not a.suffix)
        assert [c.number for c in parsed.chapters] == list(range(1, len(starts) + 1))
        assert [c.name for c in parsed.chapters] == [f"名称{i}" for i in range(1, len(starts) + 1)]
        for chapter, start in zip(parsed.chapters, starts, strict=True):
            assert chapter.first_article == articles[start].number


@given(st.integers(min_value=1, max_value=1000))
def test_numerals_round_trip(number: int) -> None:
    assert parse_number(to_chinese(number)) == number
    assert parse_number(str(number)) == number
