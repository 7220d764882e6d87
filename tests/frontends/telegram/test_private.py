"""Private chats end to end: the real Application over HTTP against the fake Bot API server.

The fake rejects malformed HTML ("can't parse entities"), texts over 4096 characters and
callback data over 64 bytes like Telegram, so a missed escape or a bad split fails here.
"""

from __future__ import annotations

import os

import pytest
from fakebot.server import FakeBotApi
from telegram.ext import Application

from bot.engine import Engine
from bot.frontends.telegram.app import handlers_of
from bot.frontends.telegram.callbacks import Action, CallbackCodec
from bot.frontends.telegram.render import units
from bot.storage import QuestionLog

from .helpers import (
    CARVED_QUESTION,
    LONG_PART_QUESTION,
    LONG_QUESTION,
    LONG_TITLE,
    buttons,
    collect_errors,
    eventually,
    exchange,
    press,
    replies,
)

ANN = 42


@pytest.fixture
def ann(api: FakeBotApi) -> int:
    api.user(ANN, "Ann", "ann")
    return ANN


async def test_a_question_gets_an_html_answer_ending_with_its_source(
    api: FakeBotApi, bot: Application, tg_engine: Engine, ann: int
) -> None:
    question = "条例什么时候施行？"
    [message] = await exchange(api, ann, question)
    reply = tg_engine.answer(question)
    assert reply.kind == "answer" and reply.citations
    assert message.parse_mode == "HTML"
    assert message.plain_text == reply.text  # what the user reads is the engine's text
    assert message.text is not None and "<i>来源：" in message.text
    assert message.text.startswith("<b>【")
    assert message.plain_text.endswith(reply.citations[0].line)
    assert {e["type"] for e in message.entities} == {"bold", "italic"}
    # The answer is the whole passage and no contact fits it: nothing more to show.
    assert reply.passage is None and list(buttons(message)) == []


async def test_html_characters_from_the_user_are_escaped(
    api: FakeBotApi, bot: Application, tg_engine: Engine, ann: int
) -> None:
    errors = collect_errors(bot)
    nasty = "<script>alert('&')</script> 条例什么时候施行？ <<&&>> &amp; <b>"
    reply = tg_engine.answer(nasty)
    [answer] = await exchange(api, ann, nasty)
    assert answer.parse_mode == "HTML" and answer.plain_text == reply.text
    [usage] = await exchange(api, ann, "/article <b>&</b>")
    assert "“<b>&</b>”" in (usage.plain_text or "") and "/article" in (usage.plain_text or "")
    api.inline_query(ann, "<b>&</b> 条例什么时候施行")
    await api.wait_for(lambda: api.inline_answers, message="inline answer")
    content = api.inline_answers[0]["results"][0]["input_message_content"]
    assert "&lt;b&gt;&amp;&lt;/b&gt;" in content["message_text"]
    assert errors == []


async def test_knowledge_text_with_markup_characters_is_split_on_paragraphs(
    api: FakeBotApi, bot: Application, tg_engine: Engine, ann: int
) -> None:
    reply = tg_engine.answer(LONG_QUESTION)
    assert reply.entry == "test-long-passage" and len(reply.text) > 8000
    api.private_message(ann, LONG_QUESTION)
    await api.wait_for(
        lambda: "\n\n".join(m.plain_text or "" for m in api.messages_to(ann)) == reply.text,
        message="every chunk of the long answer",
    )
    chunks = api.messages_to(ann)
    assert len(chunks) >= 3
    for chunk in chunks:
        assert chunk.text is not None and units(chunk.text) <= 4096
        assert len(chunk.plain_text or "") <= 4096
    # Split only between paragraphs: joining the chunks gives the answer back exactly.
    assert "\n\n".join(c.plain_text or "" for c in chunks) == reply.text
    assert (chunks[0].plain_text or "").startswith(f"【{LONG_TITLE}】")
    assert reply.passage is None and "查看原文" not in buttons(chunks[-1])

    # A part of the long passage: 查看原文 sends the whole passage, in pages.
    reply = tg_engine.answer(LONG_PART_QUESTION)
    assert reply.entry == "test-long-part"
    [part] = await exchange(api, ann, LONG_PART_QUESTION)
    passages = await press(api, ann, part, "查看原文", n=3)
    passage_text = "\n\n".join(m.plain_text or "" for m in passages)
    assert passage_text.startswith(f"原文：{LONG_TITLE}\n\n第1段")
    assert reply.passage is not None and reply.passage in passage_text
    assert passage_text.endswith(reply.citations[0].line)
    assert all(units(m.text or "") <= 4096 for m in passages)


async def test_passage_and_contact_buttons(
    api: FakeBotApi, bot: Application, tg_engine: Engine, ann: int
) -> None:
    carved = tg_engine.answer(CARVED_QUESTION)
    assert carved.kind == "answer" and carved.passage
    [part] = await exchange(api, ann, CARVED_QUESTION)
    assert list(buttons(part)) == ["查看原文"]
    [passage] = await press(api, ann, part, "查看原文")
    assert carved.passage.strip() in (passage.plain_text or "")
    assert (passage.plain_text or "").startswith("原文：")

    question = "省国资委的通知要求国企做什么"
    reply = tg_engine.answer(question)
    assert reply.kind == "answer" and [c.name for c in reply.contacts] == ["刘亚强"]
    [answer] = await exchange(api, ann, question)
    assert list(buttons(answer)) == ["联系人"]  # the whole notice is shown: no 查看原文

    [card, native] = await press(api, ann, answer, "联系人", n=2)
    text = card.plain_text or ""
    assert "刘亚强" in text and "0311-87902543" in text and "来源：" in text
    # Then Telegram's own contact card: its number is a tap to call on every client.
    assert native.kind == "contact"
    contact = native.message["contact"]
    assert contact["first_name"] == "刘亚强" and contact["phone_number"] == "0311-87902543"
    assert "TEL;TYPE=WORK,VOICE:0311-87902543" in contact["vcard"]
    assert [a["text"] for a in api.callback_answers] == [None, None]


async def test_contact_answers_offer_a_tap_to_call_card(
    api: FakeBotApi, bot: Application, tg_engine: Engine, ann: int
) -> None:
    question = "我要咨询找谁"
    reply = tg_engine.answer(question)
    shown = [c.name for c in reply.shown_contacts]
    assert len(shown) >= 2, reply  # the contacts are in the text already
    [answer] = await exchange(api, ann, question)
    labels = [label for label in buttons(answer) if label.startswith("📞")]
    assert labels == [f"📞 {name}" for name in shown]
    [native] = await press(api, ann, answer, labels[1])
    contact = native.message["contact"]
    expected = tg_engine.kb.contacts[reply.shown_contacts[1].id]
    assert (contact["first_name"], contact["phone_number"]) == (expected.name, expected.phone)


async def test_clarify_suggestions_answer_when_pressed(
    api: FakeBotApi, bot: Application, tg_engine: Engine, store: QuestionLog, ann: int
) -> None:
    reply = tg_engine.duty(None)  # /duty without a subject: every subject as a suggestion
    assert reply.kind == "clarify" and len(reply.suggestions) > 3
    [menu] = await exchange(api, ann, "/duty")
    titles = [s.title for s in reply.suggestions]
    assert list(buttons(menu)) == titles
    [answer] = await press(api, ann, menu, titles[1])
    chosen = tg_engine.answer_entry(reply.suggestions[1].entry)
    assert answer.plain_text == chosen.text
    await eventually(lambda: _count(store, 2))
    records = await store.recent()
    assert [r.kind for r in records] == ["clarify", "answer"]
    assert records[1].intent == "suggestion" and records[1].entry == reply.suggestions[1].entry
    assert records[1].question == titles[1]


async def _count(store: QuestionLog, n: int) -> bool:
    return await store.count() >= n


async def test_start_offers_example_questions_that_answer(
    api: FakeBotApi, bot: Application, tg_engine: Engine, ann: int
) -> None:
    [start] = await exchange(api, ann, "/start")
    assert (start.plain_text or "").startswith(tg_engine.intents.response("greeting"))
    examples = tg_engine.intents.response("tg_examples").splitlines()
    assert list(buttons(start)) == examples
    [answer] = await press(api, ann, start, examples[0])
    assert answer.plain_text == tg_engine.answer(examples[0]).text


async def test_forged_or_stale_callback_data_gets_a_polite_answer(
    api: FakeBotApi, bot: Application, tg_engine: Engine, ann: int
) -> None:
    errors = collect_errors(bot)
    [answer] = await exchange(api, ann, CARVED_QUESTION)
    codec = handlers_of(bot).codec
    stale = CallbackCodec(["another-entry"], [], [], secret=api.token)
    real = buttons(answer)["查看原文"]
    forged = [
        os.urandom(16).hex(),
        os.urandom(24).decode("latin-1"),
        "x" + real[1:],  # wrong prefix
        real[:-1] + ("0" if real[-1] != "0" else "1"),  # tampered signature
        real.rsplit("|", 1)[0],  # no signature
        codec.pack(Action.PASSAGE, 9999),  # validly signed, index out of range
        codec.pack(Action.CONTACT, len(tg_engine.kb.contacts)),
        stale.encode(Action.PASSAGE, "another-entry"),  # signed for another knowledge base
        "查看原文",
        "v|" + "9" * 70,
    ]
    for data in forged:
        api.callback_query(ann, answer.message_id, data, check_button=False)
    await api.wait_for(lambda: len(api.callback_answers) >= len(forged), message="answers")
    expired = tg_engine.intents.response("tg_button_expired")
    assert [a["text"] for a in api.callback_answers] == [expired] * len(forged)
    assert len(api.messages_to(ann)) == 1  # nothing was sent for them
    assert errors == []


async def test_non_text_and_unknown_commands_get_a_hint(
    api: FakeBotApi, bot: Application, tg_engine: Engine, ann: int
) -> None:
    [unknown] = await exchange(api, ann, "/frobnicate")
    assert unknown.plain_text == tg_engine.intents.response("tg_unknown_command")
    sticker = {
        "message_id": 999,
        "from": {"id": ann, "is_bot": False, "first_name": "Ann"},
        "chat": {"id": ann, "type": "private", "first_name": "Ann"},
        "date": 1_700_000_000,
        "sticker": {
            "file_id": "CAACAgIAAxkBAAIBfake",
            "file_unique_id": "AgADfake",
            "type": "regular",
            "width": 512,
            "height": 512,
            "is_animated": False,
            "is_video": False,
        },
    }
    before = len(api.messages_to(ann))
    api.enqueue_raw({"message": sticker})
    [hint] = await replies(api, ann, before)
    assert hint.plain_text == tg_engine.intents.response("no_content")


async def test_redelivered_update_is_answered_once(
    api: FakeBotApi, bot: Application, ann: int
) -> None:
    original = api.private_message(ann, "条例什么时候施行？")
    await replies(api, ann, 0)
    api.enqueue_raw(original)  # Telegram sends the same update_id again
    await exchange(api, ann, "宣贯活动什么时候开展？")
    assert len(api.messages_to(ann)) == 2


async def test_answers_in_one_chat_keep_the_order_of_questions(
    api: FakeBotApi, bot: Application, tg_engine: Engine, ann: int
) -> None:
    questions = ["条例什么时候施行？", "宣贯活动什么时候开展？", "高校有哪些职责？", "你好", "宣传"]
    for question in questions:
        api.private_message(ann, question)
    sent = await replies(api, ann, 0, n=len(questions))
    assert [m.plain_text for m in sent] == [tg_engine.answer(q).text for q in questions]


async def test_an_edited_question_is_not_answered_again(
    api: FakeBotApi, bot: Application, ann: int
) -> None:
    original = api.private_message(ann, "条例什么时候施行？")
    await replies(api, ann, 0)
    edited = {**original["message"], "text": "宣贯活动什么时候开展？", "edit_date": 1_800_000_000}
    api.enqueue_raw({"edited_message": edited})
    await exchange(api, ann, "你好")  # handled after the edit: the edit was seen and skipped
    assert len(api.messages_to(ann)) == 2


async def test_a_follow_up_is_read_with_the_previous_question(
    api: FakeBotApi, bot: Application, tg_engine: Engine, ann: int
) -> None:
    await exchange(api, ann, "企业有什么职责")
    [message] = await exchange(api, ann, "那高校呢")
    reply = tg_engine.answer("那高校呢", previous="企业有什么职责")
    assert reply.read_as == "高校有什么职责"
    assert message.plain_text == reply.text
    assert message.plain_text.startswith("（接上一问，按“高校有什么职责”理解）")
    # Another user's same message is answered on its own.
    api.user(43, "Bob", "bob")
    [other] = await exchange(api, 43, "那高校呢")
    alone = tg_engine.answer("那高校呢")
    assert alone.read_as is None and not (other.plain_text or "").startswith("（接上一问")
