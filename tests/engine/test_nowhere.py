"""A question asking a value nothing in the material holds is told so, not offered a menu
(bot/engine/nowhere.py), and a document number is such a value (intents/asks.yaml)."""

from __future__ import annotations

from bot.engine.core import Engine


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


def test_a_menu_stands_when_a_value_asked_is_held_somewhere(engine: Engine) -> None:
    # Days are held (the schedule): a menu for a vague day question is no "not stated".
    reply = engine.answer("那个几号来着")
    assert "资料中未载明" not in reply.text
