"""What a matched rule's action does (bot/engine/routes.py)."""

from __future__ import annotations

from bot.engine import Engine


def test_a_bare_rule_question_gets_its_menu(engine: Engine) -> None:
    duties = engine.answer("谁负责")
    assert duties.kind == "clarify" and duties.intent == "duty" and duties.suggestions
    assert len(duties.suggestions) <= 3
    contacts = engine.answer("联系人电话")
    assert contacts.intent == "contact" and len(contacts.contacts) == len(engine.kb.contacts)


def test_a_number_alone_names_whose_it_is(engine: Engine) -> None:
    contact = next(iter(engine.kb.contacts.values()))
    reply = engine.answer(f"{contact.phone}是谁的电话")
    assert [c.id for c in reply.contacts] == [contact.id]


def test_off_topic_is_refused_without_a_card_and_another_place_s_law_is_named(
    engine: Engine,
) -> None:
    weather = engine.answer("今天天气怎么样")
    assert weather.kind == "fallback" and weather.intent == "out_of_scope"
    assert not weather.contacts  # the campaign contact is no help with the weather
    # About the rule's topic, whatever common word the base shares (中国).
    football = engine.answer("中国足球啥时候能进世界杯啊")
    assert football.kind == "fallback" and not football.contacts
    other = engine.answer("上海市专利条例全文")
    assert other.kind == "fallback" and "上海市" in other.text


def test_a_task_the_assistant_does_not_do_is_declined_without_a_card(engine: Engine) -> None:
    for question in (
        "帮我写一篇800字的条例宣传稿",
        "把实施方案翻译成英文给我",
        "帮我把条例打印出来寄给我",
    ):
        reply = engine.answer(question)
        assert reply.kind == "fallback" and reply.intent == "cannot_do", question
        assert not reply.contacts, question
    # Asking what the plan requires to be written is a question, not a chore.
    assert engine.answer("方案要求写什么总结").kind == "answer"
