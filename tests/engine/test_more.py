"""More of the last answer (还有呢, 展开讲讲): a list opened, other passages, or nothing more."""

from __future__ import annotations

import pytest

from bot.engine import Engine
from bot.engine.reply import Contacts, Passage, Suggestions


@pytest.mark.parametrize(
    ("message", "more", "expand"),
    [
        ("还有呢", True, False),
        ("还有吗？", True, False),
        ("还有别的吗", True, False),
        ("就这些吗😅", True, False),
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


def test_more_after_a_whole_list_says_that_is_all(engine: Engine) -> None:
    reply = engine.answer("还有呢", previous="宣贯工作重点有哪些")
    assert reply.kind == "fallback" and reply.intent == "more" and not reply.contacts
    assert "三项" in reply.text and "全面落实普法责任" not in reply.text


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
    assert again.read_as.startswith("条例哪天通过的，")
    # Another follow-up after it reads with the question, not with the request.
    assert engine.answer("那施行呢", previous=reply.read_as).read_as != reply.read_as


def test_nothing_more_is_said_plainly(engine: Engine) -> None:
    reply = engine.answer("还有呢", previous="联系人是谁")
    assert reply.kind == "fallback" and reply.intent == "more"
    assert not reply.contacts and not any(isinstance(b, Contacts) for b in reply.blocks)
    assert reply.text == engine.intents.response("follow_up_no_more_contacts")
    # A passage with no other passage on what it is about: said so, with whom to ask.
    reply = engine.answer("还有别的吗", previous="宣传渠道有哪些")
    if reply.kind == "fallback":
        assert reply.intent == "more" and [c.id for c in reply.contacts] == ["wang-guoqiang"]
    else:
        assert reply.kind == "clarify" and any(isinstance(b, Suggestions) for b in reply.blocks)
    assert "报纸、电视" not in reply.text  # never the last reply again


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
    reply = engine.answer("还有吗", previous="条例什么时候开始施行啊")
    assert reply.intent == "more"
    for pick in reply.suggestions:
        assert "施行" in engine.kb.entries[pick.entry].text
