"""Pure parts of the Telegram front end: HTML rendering, callback data, limits, arguments."""

from __future__ import annotations

import string
from datetime import UTC, datetime

import pytest
from fakebot.server import parse_html
from hypothesis import given, settings
from hypothesis import strategies as st
from telegram import Chat, Message, MessageEntity, User

from bot.engine import Engine, Reply
from bot.engine.plain import Labels
from bot.engine.reply import Note
from bot.frontends.telegram.callbacks import MAX_CALLBACK_BYTES, Action, Button, CallbackCodec
from bot.frontends.telegram.handlers import is_reply_to_bot, parse_number, strip_mention
from bot.frontends.telegram.render import (
    Block,
    escape,
    paginate,
    render_reply,
    render_text,
    units,
)

# Text that stresses escaping and splitting: markup characters, entities, CJK, emoji
# (two UTF-16 units each), newlines and sentence ends.
_ALPHABET = st.sampled_from([*"<>&;#abc 条例。！？\n", "&amp;", "&lt;", "😀", "𠀀", "\n\n"])
_TEXT = st.lists(_ALPHABET, min_size=1, max_size=400).map("".join)


def _plain(chunk: str) -> str:
    text, _ = parse_html(chunk)  # raises on anything Telegram would reject
    return text


@settings(max_examples=150, deadline=None)
@given(text=_TEXT, limit=st.integers(min_value=40, max_value=300))
def test_chunks_are_valid_html_within_the_limit_and_lose_nothing(text: str, limit: int) -> None:
    chunks = render_text(text, limit)
    for chunk in chunks:
        assert units(chunk) <= limit
        _plain(chunk)
    squeeze = "".join(text.split())
    assert "".join("".join(_plain(c).split()) for c in chunks) == squeeze


@settings(max_examples=100, deadline=None)
@given(title=_TEXT, body=_TEXT, source=_TEXT)
def test_styled_blocks_never_split_inside_a_tag(title: str, body: str, source: str) -> None:
    blocks = [Block(title, "b"), Block(body), Block(source, "i")]
    for chunk in paginate(blocks, 64):
        assert units(chunk) <= 64
        _plain(chunk)


def test_escape_covers_the_three_markup_characters() -> None:
    assert escape('<b>"A&B"</b>') == '&lt;b&gt;"A&amp;B"&lt;/b&gt;'


def test_paragraphs_are_kept_whole_when_they_fit() -> None:
    paragraphs = ["甲" * 30, "乙" * 30, "丙" * 30]
    chunks = render_text("\n\n".join(paragraphs), limit=70)
    assert chunks == ["甲" * 30 + "\n\n" + "乙" * 30, "丙" * 30]


def test_a_reply_renders_heading_body_and_source(tg_engine: Engine) -> None:
    reply = tg_engine.answer("条例什么时候施行？")
    [html] = render_reply(reply, tg_engine.compose.labels)
    assert html.startswith("<b>【") and "</b>\n" in html
    assert html.endswith("</i>") and "<i>来源：" in html
    assert _plain(html) == reply.text


def test_a_note_is_escaped() -> None:
    reply = Reply(question="q", kind="smalltalk", intent="x", blocks=[Note("a < b & c")])
    assert render_reply(reply, Labels()) == ["a &lt; b &amp; c"]


def test_wording_comes_from_the_templates(tg_engine: Engine) -> None:
    """Labels are template data: a changed wording reaches the Telegram rendering unchanged
    in code."""
    reply = tg_engine.answer("条例什么时候施行？")
    [html] = render_reply(reply, Labels(source="出处："))
    assert "<i>出处：" in html and "来源" not in html


# -- callback data -----------------------------------------------------------------------


def _codec(secret: str = "token") -> CallbackCodec:
    entries = [f"entry-{i}" for i in range(300)]
    return CallbackCodec(entries, ["liu", "wang"], ["条例什么时候施行？"], secret)


def test_callback_data_round_trips_and_fits_64_bytes() -> None:
    codec = _codec()
    for action, target in [
        (Action.PASSAGE, "entry-299"),
        (Action.SUGGESTION, "entry-0"),
        (Action.CONTACT, "wang"),
        (Action.EXAMPLE, "条例什么时候施行？"),
    ]:
        data = codec.encode(action, target)
        assert len(data.encode()) <= MAX_CALLBACK_BYTES
        assert codec.decode(data) == Button(action, target)


@pytest.mark.parametrize(
    "data",
    [
        None,
        b"v|1|x",
        "",
        "v|1",
        "v|1|",
        "v|1|0000000000000",
        "z|1|abcdefabcdef",
        "v|-1|ab",
        "é|1|ab",
    ],
)
def test_malformed_callback_data_is_refused(data: object) -> None:
    assert _codec().decode(data) is None


@settings(max_examples=200)
@given(st.text(alphabet=string.printable + "条例é😀", max_size=80))
def test_arbitrary_callback_data_never_raises(data: str) -> None:
    assert _codec().decode(data) is None


def test_out_of_range_other_secret_and_stale_tables_are_refused() -> None:
    codec = _codec()
    assert codec.decode(codec.pack(Action.CONTACT, 2)) is None
    assert codec.decode(codec.pack(Action.CONTACT, 1)) == Button(Action.CONTACT, "wang")
    assert codec.decode(_codec("other-token").encode(Action.CONTACT, "wang")) is None
    changed = CallbackCodec([f"entry-{i}" for i in range(301)], ["liu", "wang"], [], "token")
    assert codec.decode(changed.encode(Action.CONTACT, "wang")) is None


# -- per-user limit ----------------------------------------------------------------------


# -- command arguments -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("argument", "unit", "expected"),
    [
        ("5", "条", 5),
        ("五", "条", 5),
        ("第五条", "条", 5),
        ("第 68 条", "条", 68),
        ("六十八", "条", 68),
        ("５", "条", 5),
        ("第二章", "章", 2),
        ("第二章", "条", None),
        ("0", "条", None),
        ("abc", "条", None),
        ("5.5", "条", None),
        ("", "条", None),
        ("<b>&</b>", "条", None),
    ],
)
def test_article_and_chapter_numbers(argument: str, unit: str, expected: int | None) -> None:
    assert parse_number(argument, unit) == expected


# -- delivery and group addressing -------------------------------------------------------


def test_only_timeouts_that_prove_nothing_was_sent_count_as_never_sent() -> None:
    import httpx
    from telegram.error import NetworkError, TimedOut

    from bot.frontends.telegram.send import never_sent

    def caused(error: Exception, cause: Exception) -> Exception:
        error.__cause__ = cause
        return error

    assert never_sent(caused(TimedOut(), httpx.PoolTimeout("pool")))
    assert never_sent(caused(TimedOut(), httpx.ConnectTimeout("connect")))
    assert never_sent(caused(NetworkError("x"), httpx.ConnectError("refused")))
    assert not never_sent(caused(TimedOut(), httpx.ReadTimeout("read")))
    assert not never_sent(caused(TimedOut(), httpx.WriteTimeout("write")))
    assert not never_sent(TimedOut())


def _message(text: str, **fields: object) -> Message:
    chat = Chat(-100, "supergroup")
    user = User(7, "Bob", False)
    return Message(1, datetime.now(UTC), chat, from_user=user, text=text, **fields)  # type: ignore[arg-type]


BOT = User(123, "IPReg Test Bot", True, username="ipreg_test_bot")


def test_mentions_of_the_bot_are_found_and_stripped() -> None:
    assert strip_mention(
        _message("@IPReg_Test_Bot，条例什么时候施行？"), "ipreg_test_bot", 123
    ) == (
        "条例什么时候施行？",
        True,
    )
    assert (
        strip_mention(_message("问一下 @ipreg_test_botx 好吗"), "ipreg_test_bot", 123)[1] is False
    )
    by_name = _message(
        "IPReg Test Bot 施行日期",
        entities=[MessageEntity(MessageEntity.TEXT_MENTION, 0, 14, user=BOT)],
    )
    assert strip_mention(by_name, "ipreg_test_bot", 123) == ("施行日期", True)


def test_a_forum_topic_starter_is_not_a_reply_to_the_bot() -> None:
    starter = Message(5, datetime.now(UTC), Chat(-100, "supergroup"), from_user=BOT)
    real = _message("好的", reply_to_message=starter)
    topic = _message("好的", reply_to_message=starter, is_topic_message=True, message_thread_id=5)
    assert is_reply_to_bot(real, 123) is True
    assert is_reply_to_bot(topic, 123) is False
    assert is_reply_to_bot(_message("好的"), 123) is False
