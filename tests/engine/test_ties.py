"""When the best two passages fit alike and the question is offered back (bot/engine/ties.py)."""

from __future__ import annotations

from bot.engine import Engine


def test_one_word_alone_that_several_passages_hold_is_offered_back(engine: Engine) -> None:
    for word in ("条例", "宣贯"):
        reply = engine.answer(word)
        assert reply.kind == "clarify" and len(reply.suggestions) >= 2, word
    # A word one passage answers, or one within the passage of its point, is answered.
    assert engine.answer("专利奖").kind == "answer"
    assert engine.answer("政府职责").entry == "duty-government"
    # Asked what it is, the law's overview answers.
    assert engine.answer("河北省知识产权保护和促进条例是啥").kind == "answer"


def test_a_list_and_its_item_are_no_tie(engine: Engine) -> None:
    assert engine.answer("工作重点").entry == "plan-focus"
