"""More of the last answer (还有呢, 展开讲讲): a list opened or finished, other passages, or
nothing more."""

from __future__ import annotations

import pytest

from bot.engine import Engine
from bot.engine.more import AGAIN, EXPAND, NONE, split_more
from bot.engine.reply import Contacts, ItemList, Passage


@pytest.mark.parametrize(
    ("message", "more", "expand"),
    [
        ("还有呢", True, False),
        ("还有吗？", True, False),
        ("还有别的吗", True, False),
        ("就这些吗😅", True, False),
        ("就这些？", True, False),
        ("没了吗", True, False),
        ("展开讲讲", True, True),
        ("能不能详细说说", True, True),
        ("说详细点吧", True, True),
        ("具体点", True, True),
        ("能详细点吗", True, True),
        ("详细点", True, True),
        # Asking something of its own is no request for more.
        ("还有一个问题", False, False),
        ("还有罚款吗", False, False),
        ("展开讲讲第二条", False, False),
        ("条例什么时候施行", False, False),
        # Closing the talk, or saying fine, is no request either.
        ("没有了", False, False),
        ("完了", False, False),
        ("好嘞", False, False),
        # However long, the patterns never run away (这 many 了吗 once took 20 s).
        ("还有" + "了吗" * 27 + "x", False, False),
        ("详细" + "点" * 400, False, False),
    ],
)
def test_what_asks_for_more_is_data(engine: Engine, message: str, more: bool, expand: bool) -> None:
    assert engine.intents.follow_ups.asks_more(message) == (more, expand)


def test_a_list_shown_by_its_headings_opens_into_its_items(engine: Engine) -> None:
    before = engine.answer("宣贯工作重点有哪些")
    assert before.entry == "plan-focus" and not any(isinstance(b, Passage) for b in before.blocks)
    reply = engine.answer("展开讲讲", previous="宣贯工作重点有哪些")
    passages = [b for b in reply.blocks if isinstance(b, Passage)]
    items = engine.kb.items_of("plan-focus")
    assert reply.kind == "answer" and [p.citation.entry for p in passages] == [i.id for i in items]
    assert "宣传月" in reply.text and "以上率下" in reply.text  # the items' own passages
    assert reply.blocks[0].type == "note" and reply.read_as == "宣贯工作重点有哪些，展开讲讲"
    # Asked for more again, it says there is nothing more instead of opening it again.
    again = engine.answer("还有吗", previous=reply.read_as)
    assert again.kind == "fallback" and again.intent == "more" and "宣传月" not in again.text


def test_more_after_a_whole_list_says_that_is_all_and_it_still_opens(engine: Engine) -> None:
    reply = engine.answer("还有呢", previous="宣贯工作重点有哪些")
    assert reply.kind == "fallback" and reply.intent == "more" and not reply.contacts
    assert "三项" in reply.text and "全面落实普法责任" not in reply.text
    # Told it can, the asker opens it.
    opened = engine.answer("展开讲讲", previous=reply.read_as)
    assert opened.kind == "answer" and "以上率下" in opened.text
    # 那还有吗 asks for more too, not the list again.
    assert engine.answer("那还有吗", previous="宣贯工作重点有哪些").intent == "more"


def test_more_after_part_of_a_list_gives_the_rest(engine: Engine) -> None:
    shown = engine.answer("有关要求的第一条和最后一条")
    listed = next(b for b in shown.blocks if isinstance(b, ItemList))
    assert len(listed.items) == 2
    reply = engine.answer("还有呢", previous="有关要求的第一条和最后一条")
    rest = next(b for b in reply.blocks if isinstance(b, ItemList))
    assert [i.citation.entry for i in rest.items] == ["plan-req-effectiveness"]
    assert "三项" not in reply.text


def test_more_offers_other_passages_never_the_one_given(engine: Engine) -> None:
    given = engine.answer("条例哪天通过的")
    reply = engine.answer("还有吗", previous="条例哪天通过的")
    assert reply.kind == "clarify" and reply.intent == "more"
    offered = [s.entry for s in reply.suggestions]
    assert given.entry not in offered and "regulation-effective" in offered
    assert len(offered) <= 3 and "2023年9月21日" not in reply.text
    # Asked again, nothing more: the same offer is not made twice.
    assert reply.read_as == "条例哪天通过的，还有吗"
    again = engine.answer("还有呢", previous=reply.read_as)
    assert again.kind == "fallback" and again.intent == "more" and not again.suggestions
    # Another follow-up after it reads with the question, not with the request.
    assert engine.answer("那施行呢", previous=reply.read_as).read_as != reply.read_as


def test_what_was_given_is_read_back_from_the_request(engine: Engine) -> None:
    asks = engine.intents.follow_ups.asks_more
    assert split_more(asks, "宣贯工作重点有哪些，展开讲讲") == ("宣贯工作重点有哪些", EXPAND)
    assert split_more(asks, "条例哪天通过的，还有吗") == ("条例哪天通过的", AGAIN)
    assert split_more(asks, "条例几章，几条") == ("条例几章，几条", NONE)
    assert split_more(asks, "") == ("", NONE)


def test_nothing_more_is_said_plainly(engine: Engine) -> None:
    reply = engine.answer("还有呢", previous="联系人是谁")
    assert reply.kind == "fallback" and reply.intent == "more"
    assert not reply.contacts and not any(isinstance(b, Contacts) for b in reply.blocks)
    assert reply.text == engine.intents.response("follow_up_no_more_contacts")
    # Nothing else on what a passage is about: said so, with whom to ask, never repeated.
    reply = engine.answer("还有别的吗", previous="条例什么时候开始施行啊")
    assert reply.kind == "fallback" and reply.intent == "more"
    assert [c.id for c in reply.contacts] == ["wang-guoqiang"]
    assert "2023年11月1日" not in reply.text


def test_more_after_no_answer_says_there_is_nothing_to_add(engine: Engine) -> None:
    for previous in ("今天天气怎么样", "知识产权保护中心的地址在哪里"):
        reply = engine.answer("还有呢", previous=previous)
        assert reply.intent == "more" and reply.kind == "fallback" and not reply.contacts
        assert reply.text == engine.intents.response("follow_up_nothing")
    # Nothing asked before: no request for more.
    assert engine.answer("还有呢", previous="你好").intent != "more"
    assert engine.answer("还有呢").intent != "more"


def test_other_passages_name_what_the_question_is_about_as_written(engine: Engine) -> None:
    # 实施 is a synonym of 施行 for retrieval, but a passage on 实施 is no more on 施行.
    for previous in ("条例什么时候开始施行啊", "高校有什么职责"):
        reply = engine.answer("还有吗", previous=previous)
        assert reply.intent == "more", previous
        key = "施行" if "施行" in previous else "高"
        for pick in reply.suggestions:
            assert key in engine.kb.entries[pick.entry].text, (previous, pick.entry)
    offered = engine.answer("还有吗", previous="高校有什么职责").suggestions
    if engine.retriever.semantic is not None:
        assert offered  # the 约谈 passage and others name 高校


def test_more_of_a_chapter_is_no_other_chapter(engine: Engine) -> None:
    # 第五章 + 还有呢: the passages naming its subject were offered with it; other chapters
    # and the list of them all are no more of it.
    reply = engine.answer("还有呢", previous="第五章呢")
    offered = [s.entry for s in reply.suggestions]
    assert not any(e.startswith("hebei-ip-regulation:") for e in offered)
    assert "regulation-overview" not in offered


def test_more_after_an_item_asked_by_its_place_is_the_items_after_it(engine: Engine) -> None:
    after = engine.answer("还有呢", previous="宣贯活动的工作重点第二点")
    assert after.kind == "answer" and after.entry == "plan-focus"
    listed = next(b for b in after.blocks if isinstance(b, ItemList))
    assert [i.citation.entry for i in listed.items] == ["plan-focus-implementation"]
    # Given once, or after the last item: the list has no more.
    for previous in ("宣贯活动的工作重点第二点，还有呢", "宣贯活动的工作重点第三点"):
        done = engine.answer("还有呢", previous=previous)
        assert done.kind == "fallback" and "这三项" in done.text, previous
    # More of an item asked by its topic, or its passage opened, is not the list's next item.
    assert engine.answer("还有呢", previous="宣传月是什么").entry != "plan-focus"
    assert engine.answer("展开讲讲", previous="宣贯活动的工作重点第二点").entry != "plan-focus"


def test_a_list_asked_in_the_source_s_words_is_opened_into_its_items(engine: Engine) -> None:
    reply = engine.answer("把实施方案三个工作重点的原文全部给我")
    items = engine.kb.items_of("plan-focus")
    assert [c.entry for c in reply.citations] == [e.id for e in items]
    assert all(e.text.strip() in reply.text for e in items)
    assert not any(isinstance(b, ItemList) for b in reply.blocks)
    # Asked without 原文, the headings.
    headings = engine.answer("实施方案三个工作重点是什么")
    assert any(isinstance(b, ItemList) for b in headings.blocks)


def test_a_list_asked_without_its_source_s_words_keeps_its_headings(engine: Engine) -> None:
    reply = engine.answer("工作重点有哪些，不要原文，只要标题")
    assert any(isinstance(b, ItemList) for b in reply.blocks)


def test_other_contacts_asked_after_cards_are_the_ones_not_shown(engine: Engine) -> None:
    one = engine.answer("还有别的联系人吗", "方案的联系人是谁")
    assert one.kind == "answer" and [c.id for c in one.shown_contacts] == ["liu-yaqiang"]
    # The next follow-up builds on the people now shown: 他 is 刘亚强.
    assert engine.answer("他电话呢", one.read_as).shown_contacts[0].id == "liu-yaqiang"
    assert one.text.startswith(engine.intents.response("follow_up_other_contacts"))
    every = engine.answer("还有别的联系人吗", "王国强、刘亚强的电话")
    assert every.text == engine.intents.response("follow_up_no_more_contacts")


def test_more_of_a_passage_cut_from_a_longer_one_is_that_one_whole(engine: Engine) -> None:
    reply = engine.answer("还有呢", "工作人员不履职呢")
    assert reply.kind == "answer" and reply.entry == "interp-6-liability"
    assert "全文如下" in reply.text and "失信" in reply.text
    # More detail (具体点) is not more of the passage around it.
    assert engine.answer("具体点", "工作人员不履职呢").entry != "interp-6-liability"


def test_more_after_a_card_is_other_contacts_only_when_asked_so(engine: Engine) -> None:
    other = engine.intents.response("follow_up_other_contacts")
    assert other not in engine.answer("还有别的要求吗", "刘亚强电话").text
    assert other not in engine.answer("还有吗", "国企宣贯中遇到问题找谁").text
