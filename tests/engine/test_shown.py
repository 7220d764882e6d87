"""Follow-ups read against what the last answer showed (bot/engine/shown.py): the people on
its cards, an item of its list or of its passage's one series."""

from __future__ import annotations

import pytest

from bot.engine import Engine


@pytest.mark.parametrize(
    ("message", "previous", "entry"),
    [
        ("第三点呢", "宣贯工作重点有哪些", "plan-focus-implementation"),
        # 第二条 after a list is its second item, not the law's Article 2.
        ("第二条呢", "有关要求有哪些", "plan-req-effectiveness"),
        # A place alone, or with another particle, after a list: that item of the list
        # shown, whatever the last question named (实施方案的 + 第三个: not the plan's part).
        ("第4点", "简要解读里都说了啥", "interp-4-protection"),
        ("第三个呢", "实施方案的有关要求是啥", "plan-req-summary"),
        ("第二条捏", "有关要求有几条", "plan-req-effectiveness"),
        # A place and only what is asked of it (展开讲讲, 是什么): that item too.
        ("第二条展开讲讲", "宣贯活动的工作重点有哪些", "plan-focus-publicity"),
        ("第三条是什么", "方案的有关要求有哪些", "plan-req-summary"),
        ("第六点详细说一下", "简要解读讲了哪几点", "interp-6-liability"),
    ],
)
def test_a_place_after_a_list_is_that_item_of_it(
    engine: Engine, message: str, previous: str, entry: str
) -> None:
    reply = engine.answer(message, previous=previous)
    assert reply.kind == "answer" and reply.entry == entry and reply.read_as


def test_a_place_beyond_the_list_shown_is_the_article(engine: Engine) -> None:
    reply = engine.answer("第十条是什么", previous="工作重点有哪些")
    assert reply.read_as is None and reply.intent == "article"


def test_he_after_contact_cards_is_the_people_shown(engine: Engine) -> None:
    reply = engine.answer("他是哪个单位的", "宣贯有问题找谁，电话多少")
    assert reply.kind == "answer" and {c.id for c in reply.shown_contacts} == set(
        engine.kb.contacts
    )
    they = engine.answer("他们是哪个单位的", "宣贯有问题找谁")
    assert len(they.shown_contacts) == len(engine.kb.contacts) and they.read_as
    one = engine.answer("他是哪个单位的", "方案的联系人是谁，电话多少")
    assert one.read_as == "王国强是哪个单位的" and one.entry == "wang-guoqiang"
    # A person's name gives way to an organisation named after it.
    swapped = engine.answer("那市场监管局那边呢", "刘亚强的邮箱")
    assert swapped.read_as == "市场监管局的邮箱" and swapped.entry == "wang-guoqiang"


def test_a_place_after_a_passage_s_one_series_is_that_item(engine: Engine) -> None:
    item = engine.answer("第二个呢", "公共服务机构有哪些")
    assert item.read_as == "快速维权中心" and item.kind == "answer"  # was small talk
    # Nothing asked a list of: no item.
    assert engine.answer("第二点呢", "知识产权保护中心是什么").read_as != "快速维权中心"
    # Its phone, asked next, is not the campaign's contacts: the material gives none.
    phone = engine.answer("电话多少", "快速维权中心")
    assert phone.kind == "fallback" and phone.entry == "interp-public-service"


def test_a_place_counted_in_ge_after_the_chapters_asked_is_that_chapter(engine: Engine) -> None:
    reply = engine.answer("第二个具体说说", "条例分别是哪几章")
    assert reply.entry == "hebei-ip-regulation:chapter-2" and reply.read_as == "第二章具体说说"
    assert engine.answer("第二个呢", "条例分别是哪几章").entry == "hebei-ip-regulation:chapter-2"


def test_a_sibling_in_the_material_s_series_takes_the_place_of_the_one_named(
    engine: Engine,
) -> None:
    # 保护中心、快速维权中心、信息服务机构: the place asked of one is asked of the other.
    reply = engine.answer("那信息服务机构呢", "快速维权中心在哪")
    assert reply.read_as == "信息服务机构在哪" and "未载明" in reply.text
    assert engine.answer("那快速维权中心呢", "保护中心在哪").read_as == "快速维权中心在哪"
    # A duty subject is swapped as before, not by the series' trailing words.
    swapped = engine.answer("那专业市场呢", "展会要承担什么保护责任")
    assert swapped.read_as == "专业市场要承担什么保护责任"


def test_a_sibling_is_put_in_the_clause_naming_the_one_it_replaces(engine: Engine) -> None:
    reply = engine.answer("那进社区呢", "条例进学校具体怎么搞，学生要考试吗")
    assert reply.read_as == "条例进社区具体怎么搞"
