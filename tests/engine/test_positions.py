"""Items of a list asked for by their place (第一、第三部分, 打头那点和收尾那点)."""

from __future__ import annotations

import pytest

from bot.engine import Engine
from bot.engine.normalize import clean
from bot.engine.positions import LAST, at_places, places_asked, the_rest
from bot.engine.reply import ItemList
from bot.knowledge.model import Entry, KnowledgeBase
from tests.engine.entries import make_entry


@pytest.mark.parametrize(
    ("question", "places"),
    [
        ("方案第一、第三部分标题", [1, 3]),
        ("解读第二第三点叫啥", [2, 3]),
        ("第１章和第８章叫啥", [1, 8]),
        ("有关要求的第一条和最后一条", [1, LAST]),
        ("重点规范的六方面里，打头那点和收尾那点是啥", [1, LAST]),
        ("方案第三部分是啥", [3]),
        # 个 only where it asks for the item (第三个是啥), not before a thing (第一个通知).
        ("工作重点第三个是啥", [3]),
        ("工作重点第二个呢", [2]),
        ("第一个通知是谁发的", []),
        # No word for a part of a list after the place: no place asked.
        ("第五次会议是哪天", []),
        ("要第一时间报告吗", []),
        ("最后一次宣传在什么时候", []),
        # First, finally: what follows is the question, not a place.
        ("第一点，宣贯活动持续多久", []),
        ("最后一点问题：活动截止到哪天", []),
        ("宣贯活动开头那段时间做什么", []),
        # A range stands for every place in it.
        ("第一章到第三章叫什么", [1, 2, 3]),
    ],
)
def test_the_places_a_question_asks_for(engine: Engine, question: str, places: list[int]) -> None:
    assert [p.value for p in places_asked(engine.intents.asks, clean(question))] == places


def _section() -> tuple[KnowledgeBase, dict[str, Entry]]:
    kb = KnowledgeBase(directory="x")
    items = {
        f"i{n}": Entry(f"i{n}", "faq", f"i{n}", f"第{n}项。", "plan", "一", item_of="s")
        for n in (1, 2, 3)
    }
    kb.entries = {"s": make_entry("s", "三项。"), **items, "other": make_entry("other", "别的。")}
    return kb, kb.entries


def test_the_items_at_the_places_of_the_section_an_entry_belongs_to() -> None:
    kb, e = _section()
    assert at_places(kb, [e["i2"]], [1, 3]) == (e["s"], [e["i1"], e["i3"]])
    assert at_places(kb, [e["s"]], [LAST, 1]) == (e["s"], [e["i3"], e["i1"]])


def test_no_section_or_too_few_items_is_no_answer() -> None:
    kb, e = _section()
    assert at_places(kb, [e["other"]], [1, 2]) is None
    assert at_places(kb, [e["i1"]], [2, 4]) is None
    # The next entry down may hold the list the first does not.
    assert at_places(kb, [e["other"], e["i1"]], [2]) == (e["s"], [e["i2"]])


def _listed(reply) -> list[str]:  # type: ignore[no-untyped-def]
    return [i.text for b in reply.blocks if isinstance(b, ItemList) for i in b.items]


def test_several_places_list_those_items_each_cited(engine: Engine) -> None:
    reply = engine.answer("方案第一、第三部分的标题是啥")
    assert reply.kind == "answer"
    assert _listed(reply) == ["一、总体要求", "三、工作重点"]
    lists = [b for b in reply.blocks if isinstance(b, ItemList)]
    assert [i.citation.locator for i in lists[0].items] == ["一", "三"]


def test_one_place_answers_with_that_item(engine: Engine) -> None:
    reply = engine.answer("方案第三部分是啥")
    assert reply.entry == "plan-focus"
    assert "全面落实普法责任" in reply.text and "总体要求" not in reply.text


def test_first_and_last_point(engine: Engine) -> None:
    listed = _listed(engine.answer("解读的六方面里，打头那点和收尾那点各是啥"))
    assert len(listed) == 2
    assert "强化立法目的和政府职责" in listed[0] and "严格法律责任" in listed[1]


def test_a_place_naming_the_part_itself_is_that_part(engine: Engine) -> None:
    # 有关要求 is the plan's last part: its items, not the last of them.
    listed = _listed(engine.answer("最后那部分“有关要求”都讲了啥"))
    assert len(listed) == 3 and "高度重视" in listed[0]


def test_several_chapters_by_number(engine: Engine) -> None:
    reply = engine.answer("条例第一章和第八章叫什么")
    listed = _listed(reply)
    assert len(listed) == 2 and "总则" in listed[0] and "附则" in listed[1]


def test_an_article_number_after_a_part_of_the_plan_is_no_article(engine: Engine) -> None:
    reply = engine.answer("有关要求的第一条和最后一条是啥")
    assert _listed(reply) == ["（一）高度重视，加强领导", "（三）注重总结，强化提升"]


def test_the_rest_of_a_list_without_the_item_named(engine: Engine) -> None:
    expected = ["（二）多措并举，提高实效", "（三）注重总结，强化提升"]
    assert _listed(engine.answer("有关要求第一条我知道是高度重视，剩下的两条呢")) == expected
    assert _listed(engine.answer("有关要求里我就记住了高度重视，其余两条是啥")) == expected


def test_the_rest_of_an_item_of_no_list_is_no_list() -> None:
    kb, e = _section()
    assert the_rest(kb, [e["other"]]) is None
    assert the_rest(kb, [e["i1"]]) == (e["s"], [e["i2"], e["i3"]])
    assert the_rest(kb, [e["i1"], e["i3"]]) == (e["s"], [e["i2"]])


def test_places_in_different_parts_or_another_document_are_not_read(engine: Engine) -> None:
    # 方案第一部分 and 解读第三点 are two lists: not the plan's parts one and three.
    reply = engine.answer("方案第一部分和解读第三点分别讲什么")
    assert _listed(reply) != ["一、总体要求", "三、工作重点"]
    # The law has no parts of the plan's: not the plan's 二、时间安排.
    assert engine.answer("条例第二部分是啥").entry != "plan-schedule"


@pytest.mark.parametrize(
    ("question", "entry"),
    [
        ("第一点，宣贯活动持续多久", "plan-schedule"),  # a place asking a value: the value
        ("工作重点第三条是啥", "plan-focus-implementation"),  # within the part named
        ("有关要求第三条和最后一条", "plan-req-summary"),  # one item, once
        ("工作重点剩下两项是什么", "plan-focus"),  # a part is no item of its sisters
    ],
)
def test_what_a_place_names(engine: Engine, question: str, entry: str) -> None:
    assert engine.answer(question).entry == entry


def test_chapters_by_range_once_each_with_the_note_that_only_names_are_held(
    engine: Engine,
) -> None:
    reply = engine.answer("第一章到第三章叫什么")
    assert len(_listed(reply)) == 3 and "这几章的名称" in reply.text
    assert engine.answer("第八章和最后一章").entry == "hebei-ip-regulation:chapter-8"


def test_a_place_past_the_end_of_the_part_named_gets_all_of_it_said_so(engine: Engine) -> None:
    reply = engine.answer("有关要求第四条是啥")
    assert len(_listed(reply)) == 3
    assert "全部三项" in reply.text and "没有第四项" in reply.text


@pytest.mark.parametrize(
    ("question", "entry"),
    [
        # The place names the part holding the item the heading names: that item.
        ("方案第四部分“注重总结，强化提升”讲了什么", "plan-req-summary"),
        ("方案第三部分“多种形式广泛宣传”具体说了啥", "plan-focus-publicity"),
        # Places after a list's title count in it, though the law is named in the title.
        ("《条例》重点规范的内容第四部分", "interp-4-protection"),
    ],
)
def test_a_place_with_the_heading_of_an_item_in_it(
    engine: Engine, question: str, entry: str
) -> None:
    reply = engine.answer(question)
    assert reply.kind == "answer" and reply.entry == entry


def test_a_place_asked_after_a_list_is_its_item(engine: Engine) -> None:
    reply = engine.answer("第四部分说啥", previous="条例重点规范了哪些内容")
    assert reply.entry == "interp-4-protection"


@pytest.mark.parametrize(
    ("question", "entry"),
    [
        # A place within a place: the item of the part, not the law's article 2.
        ("方案第三部分第二条讲的是啥", "plan-focus-publicity"),
        ("方案第四部分第一条", "plan-req-leadership"),
        # An item as the material numbers it.
        ("解读（五）讲了什么？", "interp-5-service"),
        ("解读(二)说的啥", "interp-2-creation"),
    ],
)
def test_a_place_within_a_place_and_a_numbered_item(
    engine: Engine, question: str, entry: str
) -> None:
    reply = engine.answer(question)
    assert reply.kind == "answer" and reply.entry == entry


def test_a_heading_named_with_a_wrong_place_is_that_heading_s_item(engine: Engine) -> None:
    reply = engine.answer("方案第二部分“高度重视，加强领导”讲了什么")
    assert reply.entry == "plan-req-leadership"
    # Places of two documents are no place within a place.
    assert engine.answer("方案第三部分和解读第二点讲了什么").entry != "plan-focus-publicity"
