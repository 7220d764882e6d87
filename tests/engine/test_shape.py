"""Fitting the reply to the question (bot/engine/shape.py): what a partial reply names."""

from __future__ import annotations

import pytest

from bot.engine import Engine


@pytest.mark.parametrize(
    ("question", "label"),
    [
        # Shared text widened to whole words of the passage: not 省政府设 of 省政府设立.
        ("省政府设的专利奖，一等奖奖金是多少钱？", "省政府设立"),
        ("失信惩戒具体有哪些措施，会上黑名单吗", "失信行为"),
        ("重复侵权咋罚", "重复侵权"),
    ],
)
def test_a_partial_reply_names_whole_words_of_the_passage(
    engine: Engine, question: str, label: str
) -> None:
    reply = engine.answer(question)
    assert reply.kind == "fallback" and reply.entry is not None
    lead = engine.intents.response("partial_lead").format(topic=label)
    assert reply.text.startswith(lead), reply.text[:40]


def test_two_characters_many_passages_hold_name_nothing(engine: Engine) -> None:
    shaper, entry = engine.shaper, engine.kb.entries["interp-5-service"]
    assert "行为" in entry.text
    assert shaper._label("行为", entry) != "行为"
    assert shaper._label("", entry) == entry.title
    assert shaper._label("不在其中的字", entry) == entry.title


def test_only_a_heading_of_the_material_answers_a_list_by_its_clauses(engine: Engine) -> None:
    # 专利导航制度 is the base's own title: the industries are still not stated.
    assert "未载明" in engine.answer("专利导航制度包括哪些行业").text


def test_a_document_number_nothing_gives_is_said_not_to_be_stated(engine: Engine) -> None:
    for question in (
        "宣贯活动实施方案的文号是多少，冀什么什么〔2023〕几号？",
        "实施方案的文号是多少",
    ):
        reply = engine.answer(question)
        assert reply.kind == "fallback", question
        assert "资料中未载明文号" in reply.text and not reply.suggestions, question
        assert reply.shown_contacts, question  # whom to ask instead
    # 〔2023〕几号 is no day asked: no date passage offered for it.
    assert "时间安排" not in engine.answer("方案文号〔2023〕几号").text
