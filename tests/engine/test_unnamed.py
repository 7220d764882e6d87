"""Things a follow-up names that the material never does (bot/engine/unnamed.py)."""

from __future__ import annotations

from bot.engine import Engine


def test_a_thing_never_named_asked_on_is_said_not_to_be_there(engine: Engine) -> None:
    reply = engine.answer("微博呢", previous="方案要求通过哪些渠道宣传")
    assert reply.text.startswith("资料中没有提到“微博”")
    # The topic stays for the next follow-up: 官方网站 is one of the channels.
    assert reply.read_as == "方案要求通过哪些渠道宣传"


def test_small_talk_a_place_or_a_question_of_its_own_is_no_thing_never_named(
    engine: Engine,
) -> None:
    for message in ("那算了", "那改天聊", "那你几岁了"):
        assert engine.answer(message, previous="宣传渠道有哪些").kind == "smalltalk", message
    reply = engine.answer("第二个呢", previous="宣贯活动什么时候开始")
    assert "没有提到“第二个”" not in reply.text
