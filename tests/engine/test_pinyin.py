"""Homophone typo repair: windows that sound like a domain term become that term."""

from __future__ import annotations

import pytest

from bot.engine.pinyin import HomophoneFixer, readings
from bot.engine.slips import read_slips

TERMS = ["知识产权", "调查官", "宣传月", "技术调查官"]


@pytest.fixture(scope="module")
def fixer() -> HomophoneFixer:
    return HomophoneFixer(TERMS)


@pytest.mark.parametrize(
    ("typo", "fixed"),
    [
        ("只是产权", "知识产权"),
        ("调查关", "调查官"),
        ("宣传越", "宣传月"),
        ("只是产权保护", "知识产权保护"),
        ("宣传越有哪些形式", "宣传月有哪些形式"),
        ("技术调查关是什么", "技术调查官是什么"),
    ],
)
def test_fixes_sound_alike_typos(fixer: HomophoneFixer, typo: str, fixed: str) -> None:
    assert fixer.fix(typo) == fixed


@pytest.mark.parametrize(
    "text",
    [
        "知识产权",
        "技术调查官",
        "宣传月有哪些形式",
        "条例什么时候施行",
        "支持产权",  # zhichi ≠ zhishi: does not sound like 知识产权
        "hello 123",
        "",
    ],
)
def test_leaves_correct_text_alone(fixer: HomophoneFixer, text: str) -> None:
    assert fixer.fix(text) == text


@pytest.mark.parametrize(
    "text",
    [
        "织事产全",  # zhi shi chan quan, but only 产 is right: 1 of 4
        "喧船越",  # xuan chuan yue, none right
    ],
)
def test_no_replacement_when_fewer_than_half_match(fixer: HomophoneFixer, text: str) -> None:
    assert fixer.fix(text) == text


def test_exactly_half_right_is_enough() -> None:
    # 只是产权 keeps 产权 (2 of 4) and is fixed; a 3-character term needs 2 of 3.
    assert HomophoneFixer(["知识产权"]).fix("只是产权") == "知识产权"
    assert HomophoneFixer(["宣传月"]).fix("喧传越") == "喧传越"  # 1 of 3 < half
    assert HomophoneFixer(["宣传月"]).fix("宣船越") == "宣船越"


def test_two_character_terms_need_one_character_right_and_others_are_ignored() -> None:
    fixer = HomophoneFixer(["产权", "abc", "知识产权保护和促进条例的", "条例"])
    assert fixer.fix("禅泉") == "禅泉"  # sounds like 产权 but keeps none of its characters
    assert fixer.fix("只是") == "只是"


def test_a_two_character_term_is_fixed_only_where_no_word_is() -> None:
    words = {"化解", "起来", "版权"}
    fixer = HomophoneFixer(["施行", "宣贯", "解读", "盗版"], is_word=words.__contains__)
    assert fixer.fix("条例几号起施形") == "条例几号起施行"
    assert fixer.fix("这次要搞宣灌") == "这次要搞宣贯"
    # 化解 holds the 解 of 解都: no 解读 there.
    assert fixer.fix("纠纷多元化解都有哪几种") == "纠纷多元化解都有哪几种"
    # Only the commonest reading counts: 受 (shou) is not 盗 (dao).
    assert fixer.fix("新闻受版权保护吗") == "新闻受版权保护吗"


def test_no_terms_no_change() -> None:
    assert HomophoneFixer([]).fix("只是产权") == "只是产权"


def test_readings() -> None:
    assert readings("知") == ("zhi",)
    assert "yue" in readings("月")
    assert readings("a") == ()


def test_engine_fixer_knows_domain_terms(engine) -> None:  # type: ignore[no-untyped-def]
    assert engine.fixer.fix("只是产权保护") == "知识产权保护"
    assert engine.fixer.fix("技术调查关") == "技术调查官"
    assert engine.fixer.fix("宣传越") == "宣传月"


def test_engine_answers_through_a_typo(engine) -> None:  # type: ignore[no-untyped-def]
    plain = engine.answer("宣传月有哪些形式")
    typo = engine.answer("宣传越有哪些形式")
    assert typo.kind == plain.kind
    assert [c.entry for c in typo.citations] == [c.entry for c in plain.citations]


def test_a_word_across_an_edge_the_fix_keeps_does_not_block_it() -> None:
    words = {"动到", "罚款"}
    fixer = HomophoneFixer(["宣贯活动", "专利法"], words.__contains__)
    # 动 stays 动: 动到 is left whole, so 宣惯 is fixed.
    assert fixer.fix("宣惯活动到啥时候为止") == "宣贯活动到啥时候为止"
    # 罚 would become 法: 罚款 would be split, so 专利罚 stays.
    assert fixer.fix("专利罚款多少") == "专利罚款多少"


def test_engine_fixes_a_typo_beside_a_word(engine) -> None:  # type: ignore[no-untyped-def]
    assert engine.fixer.fix("宣惯活动到啥时候为止").startswith("宣贯活动")


@pytest.mark.parametrize(
    ("text", "fixed"),
    [
        # A measure word sounding like the part it should count, where it counts one.
        ("条例一共分几张？每张叫啥", "条例一共分几章？每章叫啥"),
        ("第五张讲啥", "第5章讲啥"),
        ("条列啥时候生效的", "条例啥时候生效的"),
        # Where it is the measure word or the verb, left alone.
        ("宣传月印几张海报", "宣传月印几张海报"),
        ("一条条列出来", "一条条列出来"),
        ("帮我条列出来", "帮我条列出来"),
        # dh, the shorthand for 电话, in a Chinese message only.
        ("刘亚强dh多少", "刘亚强电话多少"),
        ("dh", "dh"),
        ("邮箱是dhx@qq.com吗", "邮箱是dhx@qq.com吗"),
    ],
)
def test_the_engine_mends_known_slips_in_their_context(
    engine,  # type: ignore[no-untyped-def]
    text: str,
    fixed: str,
) -> None:
    assert engine.fixer.fix(text) == fixed


def test_slips_are_data_and_bad_ones_are_reported() -> None:
    problems: list = []
    slips = read_slips(
        [{"pattern": "几张$", "to": "几章"}, {"pattern": "(", "to": "x"}, {"to": "y"}, "z"],
        "rules.yaml",
        1,
        problems,
    )
    assert len(slips) == 1 and len(problems) == 3
    assert HomophoneFixer([], slips=slips).fix("条例一共几张") == "条例一共几章"
    assert read_slips("not a list", "rules.yaml", 1, problems) == []


def test_a_slip_mended_finds_the_answer(engine) -> None:  # type: ignore[no-untyped-def]
    assert engine.answer("条列几张").entry == "hebei-ip-regulation:structure"
    assert engine.answer("第五张讲啥").entry == "hebei-ip-regulation:chapter-5"
    assert engine.answer("无进是啥").entry == "plan-focus-publicity"


@pytest.mark.parametrize(
    ("text", "fixed"),
    [
        ("省国资委 youxiang 是多少", "省国资委 邮箱 是多少"),  # whole reading
        ("zscq保护中心地址", "知识产权保护中心地址"),  # initials
        ("XUANGUAN活动啥时候结束", "宣贯活动啥时候结束"),
        # Latin of its own, a reading two terms share, and addresses stay as typed.
        ("QQ邮箱是多少", "QQ邮箱是多少"),
        ("IP是什么", "IP是什么"),
        ("153627456@qq.com是谁的邮箱", "153627456@qq.com是谁的邮箱"),
        ("youxiang", "youxiang"),  # no Chinese around it: not a Chinese message
        ("宣贯工作谁fuze", "宣贯工作谁fuze"),  # short: 负责 far more often than 附则
    ],
)
def test_a_term_typed_in_pinyin_is_read_as_the_term(
    engine,  # type: ignore[no-untyped-def]
    text: str,
    fixed: str,
) -> None:
    assert engine.fixer.fix(text) == fixed


def test_a_spelling_two_terms_share_stays() -> None:
    fixer = HomophoneFixer(["施行", "实行", "宣贯"])
    assert fixer.fix("条例shixing了吗") == "条例shixing了吗"
    assert fixer.fix("xuanguan啥时候") == "宣贯啥时候"


def test_a_stopword_beside_a_word_is_no_typo_of_a_term() -> None:
    words = {"政府", "市政"}
    fixer = HomophoneFixer(["市政府"], words.__contains__, (), ["是"])
    assert fixer.fix("基金是政府设立的吗") == "基金是政府设立的吗"  # 是 + 政府
    assert fixer.fix("市政付") == "市政府"  # 付 is kept by nobody: a typo
