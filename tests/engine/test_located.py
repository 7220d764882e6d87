"""A numbered place of a document asked by its number (bot/engine/located.py)."""

from __future__ import annotations

from bot.engine import Engine


def test_a_bracketed_place_of_a_named_document_is_its_whole_item(engine: Engine) -> None:
    for question, entry in (
        ("方案三（二）讲的什么", "plan-focus-publicity"),
        ("方案四（三）讲的什么", "plan-req-summary"),
        ("解读（五）讲了啥", "interp-5-service"),
    ):
        reply = engine.answer(question)
        assert reply.kind == "answer" and reply.entry == entry, question


def test_a_thing_asked_at_that_place_is_left_to_retrieval(engine: Engine) -> None:
    # 技术调查官 is what is asked: not the whole of (四) by its number alone.
    from bot.engine.located import located
    from bot.engine.normalize import clean

    text = clean("解读（四）里技术调查官是干啥的")
    assert located(engine, text, text) is None
    # A bare （二） names no place of any one document.
    assert located(engine, "（二）讲的什么", clean("（二）讲的什么")) is None


def test_a_two_level_place_with_no_document_named_is_the_only_document_s(engine: Engine) -> None:
    # Only the plan numbers places 四（三）: asked bare, its passage; a bare （三）, no place.
    assert engine.answer("四（三）说了啥").entry == "plan-req-summary"
    assert engine.answer("那四（一）呢", previous="四（三）说了啥").entry == "plan-req-leadership"
    assert engine.answer("（三）说了啥").entry is None
