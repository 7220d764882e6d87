"""Normalisation: what both questions and indexed passages go through before they are compared."""

from __future__ import annotations

import re
import unicodedata

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.engine.normalize import clean, has_content, normalize
from bot.engine.reply import KINDS

INVISIBLE = ("Cc", "Cf", "Co", "Cs")


def test_full_width_becomes_half_width_and_lower_case() -> None:
    assert clean("ＡＢＣ１２３？") == "abc123?"
    assert normalize("ＡＢＣ１２３？") == "abc123"


def test_lower_cases_latin() -> None:
    assert clean("HeLLo Bot") == "hello bot"


@pytest.mark.parametrize(
    ("traditional", "simplified"),
    [
        ("智慧財產權", "知识产权"),  # a Taiwan phrase, not just characters
        ("條例什麼時候施行", "条例什么时候施行"),
        ("資訊", "信息"),
    ],
)
def test_traditional_becomes_simplified(traditional: str, simplified: str) -> None:
    assert clean(traditional) == simplified
    assert normalize(traditional) == normalize(simplified)


@pytest.mark.parametrize(
    ("chinese", "arabic"),
    [
        ("第六十八条", "第68条"),
        ("第五条", "第5条"),
        ("第十条", "第10条"),
        ("第一百条", "第100条"),
        ("第三章", "第3章"),
        ("第二十章", "第20章"),
        ("第六十八條", "第68条"),  # traditional 條 too
    ],
)
def test_ordinals_normalise_alike(chinese: str, arabic: str) -> None:
    assert normalize(chinese) == normalize(arabic) == arabic
    assert clean(f"条例{chinese}讲什么") == f"条例{arabic}讲什么"


def test_full_width_digits_in_ordinals() -> None:
    assert normalize("第６８条") == "第68条"


@pytest.mark.parametrize(
    "dirty",
    [
        "第\u200b五\u200c条",  # zero-width space / non-joiner
        "\u200f第五条\u200e",  # RTL / LTR marks
        "\u202e第五条\u202c",  # RTL override / pop
        "\ufeff第五条",  # BOM
        "第五\x00条\x07",  # control characters
    ],
)
def test_invisible_characters_removed(dirty: str) -> None:
    assert clean(dirty) == "第5条"


def test_line_breaks_and_tabs_become_single_spaces() -> None:
    assert clean("  a \n\t b  \r\n c ") == "a b c"
    assert clean("知识\u3000\u3000产权") == "知识 产权"  # ideographic space is a space
    assert normalize("知识\u3000\u3000产权") == "知识产权"  # spaces between CJK vanish


def test_normalize_drops_punctuation_but_keeps_word_gaps() -> None:
    assert normalize("条例，什么时候施行？！") == "条例什么时候施行"
    assert normalize("hello, world") == "hello world"
    assert normalize("a__b") == "a b"


@pytest.mark.parametrize("text", ["😀", "😀🎉👍", "？！。…", "   ", "", "\u200b\u200f", "*_`[]"])
def test_no_content(text: str) -> None:
    assert has_content(text) is False


@pytest.mark.parametrize("text", ["a", "5", "条", "😀条例", "第五条"])
def test_has_content(text: str) -> None:
    assert has_content(text) is True


# -- Properties -----------------------------------------------------------------------------

WORD_RUNS = re.compile(r"[^\W_]+( [^\W_]+)*")


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_clean_and_normalize_are_total_and_tidy(text: str) -> None:
    """What holds for any text: no exception, no invisible characters, tidy spacing."""
    c, n = clean(text), normalize(text)
    for out in (c, n):
        assert not any(unicodedata.category(ch) in INVISIBLE for ch in out)
        assert out == out.strip()
        assert "  " not in out
    # normalize leaves only word characters separated by single spaces
    assert n == "" or WORD_RUNS.fullmatch(n)
    assert has_content(text) == bool(n)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(max_codepoint=0x2FF) | st.sampled_from("ＡＺ０９？！　")))
def test_idempotent_without_cjk(text: str) -> None:
    """Idempotence does hold for Latin / full-width input (not for all CJK, see below)."""
    assert clean(clean(text)) == clean(text)
    assert normalize(normalize(text)) == normalize(text)


@pytest.mark.parametrize("text", ["尼日", "塔吉克", "麼"])
def test_clean_idempotent_on_cjk(text: str) -> None:
    assert clean(clean(text)) == clean(text)


def test_normalize_idempotent_on_parenthesised_numerals() -> None:
    # Was an expected failure (第㈠条 → NFKC 第(一)条, not arabized, then 第一条 on the next
    # pass); the bracketed ordinal is read as 第一条 in the first pass now.
    assert normalize(normalize("第㈠条")) == normalize("第㈠条") == "第1条"


@pytest.mark.parametrize("word", ["建立", "文件", "核心技术", "效能", "诉讼程序"])
def test_simplified_words_are_kept(word: str) -> None:
    assert clean(word) == word


@settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    st.one_of(
        st.text(),
        st.lists(
            st.sampled_from(
                [
                    *"第条章一二三五十百零〇两的吗？?。 \n0123456789ａ<>&*_`[]\u200b\u200f\u202e\x00",
                    "條例",
                    "条例",
                    "什么时候",
                    "施行",
                    "联系人",
                    "电话",
                    "谁负责",
                    "知识产权",
                    "宣传月",
                    "最后一章",
                    "第六十八条",
                    "北京",
                    "专利法",
                    "😀",
                ]
            ),
            max_size=12,  # too short for a 17-digit 第N条 (see test_core)
        ).map("".join),
    )
)
def test_engine_answers_any_text(engine, text: str) -> None:  # type: ignore[no-untyped-def]
    reply = engine.answer(text)
    assert reply.kind in KINDS
    assert reply.text.strip()
    for citation in reply.citations:
        assert citation.entry in engine.kb.entries or citation.entry.startswith("source:")
    for suggestion in reply.suggestions:
        assert suggestion.entry in engine.kb.entries


def test_a_day_said_hao_matches_the_documents_ri() -> None:
    assert normalize("条例11月1号起施行") == normalize("条例11月1日起施行")
    assert normalize("９月２８号") == "9月28日"
    # Not a number that is no day of a month.
    assert normalize("3号文件") == "3号文件"


def test_a_bracketed_number_after_di_is_the_ordinal() -> None:
    # 第（三）点: the interpretation's (三) counted with 第.
    assert clean("简要解读的第（三）点讲了啥") == "简要解读的第三点讲了啥"
    assert clean("第（六）条") == "第6条"
