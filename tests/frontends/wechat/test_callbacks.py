"""End to end: a fake WeChat platform (signing and encrypting as documented) calls the served
web app's `/wechat` and `/wecom` callbacks, in plaintext and safe mode."""

from __future__ import annotations

import asyncio
import concurrent.futures
import resource
import time
from pathlib import Path
from typing import Any

import httpx
import pytest

from bot.app.quizitems import quiz_items_of
from bot.engine import Engine
from bot.frontends.web import WebSettings, create_app
from bot.live import LiveService
from bot.stats.channels import by_channel, channel_counts
from bot.storage import Database
from bot.storage.questions import hash_user

from ..web.harness import clarify_question, serve
from .conftest import APP_ID, SECRET, TOKEN, Stack, assistant_over, settings_for
from .fake import FakeWeChat, sign

BILLION_LAUGHS = (
    '<?xml version="1.0"?>\n<!DOCTYPE lolz [\n <!ENTITY lol "lol">\n'
    + "".join(
        f' <!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">\n'
        for i in range(1, 10)
    )
    + "]>\n<xml><ToUserName>gh</ToUserName><FromUserName>o</FromUserName>"
    "<CreateTime>1</CreateTime><MsgType>text</MsgType><Content>&lol9;</Content>"
    "<MsgId>1</MsgId></xml>"
)


def fakes(stack: Stack) -> list[FakeWeChat]:
    return [f for f in (stack.official, stack.wecom) if f is not None]


@pytest.fixture(params=["plain", "safe", "wecom"])
def platform(request: pytest.FixtureRequest) -> tuple[Stack, FakeWeChat]:
    """Each way of calling: official account in plaintext, in safe mode, and WeCom."""
    if request.param == "plain":
        stack: Stack = request.getfixturevalue("plain")
        return stack, stack.official
    stack = request.getfixturevalue("safe")
    fake = stack.wecom if request.param == "wecom" else stack.official
    assert fake is not None
    return stack, fake


# -- the handshake -----------------------------------------------------------------------------


def test_the_handshake_echoes(platform: tuple[Stack, FakeWeChat]) -> None:
    _, fake = platform
    response, echo = fake.handshake()
    assert response.status_code == 200
    assert response.text == echo


def test_a_forged_handshake_is_refused(platform: tuple[Stack, FakeWeChat]) -> None:
    _, fake = platform
    request, _ = fake.handshake_request()
    name = "msg_signature" if fake.wecom else "signature"
    forged = {**request.params, name: "0" * 40}
    response = httpx.get(fake.base_url + fake.path, params=forged)
    assert response.status_code == 403
    stale, _ = fake.handshake_request(timestamp=int(time.time()) - 301)
    assert fake.send(stale).status_code == 403


# -- questions ---------------------------------------------------------------------------------


def test_a_question_is_answered_with_its_facts_and_source(
    platform: tuple[Stack, FakeWeChat],
) -> None:
    stack, fake = platform
    delivery = fake.text("oAskUser1", "条例什么时候施行？")
    assert delivery.status == 200
    assert delivery.reply["MsgType"] == "text"
    assert "2023年11月1日" in delivery.content
    assert "来源：" in delivery.content
    # Addressed back to the user, from the account.
    assert delivery.reply["ToUserName"] == "oAskUser1"
    assert delivery.reply["FromUserName"] == fake.account
    if fake.wecom:
        assert delivery.reply["AgentID"] == str(fake.agent_id)
    assert stack.app.state.internal_errors == 0


def test_a_follow_up_is_read_with_the_user_s_previous_question(
    platform: tuple[Stack, FakeWeChat],
) -> None:
    _, fake = platform
    fake.text("oFollowUser", "企业有什么职责")
    delivery = fake.text("oFollowUser", "那高校呢")
    assert delivery.content.startswith("（接上一问，按“高校有什么职责”理解）")
    assert "高等学校" in delivery.content
    assert not fake.text("oOtherUser", "那高校呢").content.startswith("（接上一问")


def test_a_clarify_reply_then_a_number_picks_that_suggestion(
    platform: tuple[Stack, FakeWeChat], engine: Engine
) -> None:
    _, fake = platform
    question = clarify_question(engine)
    expected = engine.answer(question)
    first = fake.text("oClarifyUser", question)
    lines = first.content.splitlines()
    for number, suggestion in enumerate(expected.suggestions, 1):
        assert f"{number}. {suggestion.title}" in lines
    picked = fake.text("oClarifyUser", "2")
    second = expected.suggestions[1]
    answer = engine.answer_entry(second.entry, question)
    assert picked.content.splitlines()[0] == answer.text.splitlines()[0]
    assert "来源：" in picked.content
    # The list stays on screen: another number picks another suggestion.
    other = fake.text("oClarifyUser", "1")
    first_answer = engine.answer_entry(expected.suggestions[0].entry, question)
    assert other.content.splitlines()[0] == first_answer.text.splitlines()[0]
    # Another user has nothing to pick from.
    nothing = fake.text("oSomeoneElse", "2")
    assert "序号" in nothing.content and nothing.content != picked.content


def test_three_deliveries_of_one_message_are_answered_and_recorded_once(
    platform: tuple[Stack, FakeWeChat],
) -> None:
    stack, fake = platform
    question = f"宣贯活动有哪些工作重点？{fake.path}{time.time_ns()}"
    xml = fake.text_xml("oRetryUser", question)
    replies = [fake.deliver(fake.post_request(xml)) for _ in range(3)]
    assert all(r.status == 200 for r in replies)
    texts = {r.content for r in replies if not r.success}
    assert len(texts) == 1  # the same reply each time (or `success`)
    rows = [row for row in stack.rows(fake) if row.question == question]
    assert len(rows) == 1
    assert rows[0].frontend == ("wecom" if fake.wecom else "wechat")


def test_a_redelivery_that_reaches_another_process_is_answered_once(
    plain: Stack, engine: Engine
) -> None:
    """Two web processes on one database: WeChat's retry of a message the first one
    answered goes to the second, which sends the same reply and records nothing."""
    question = f"宣贯活动有哪些工作重点？{time.time_ns()}"
    xml = plain.official.text_xml("oTwoProcesses", question)
    first = plain.official.deliver(plain.official.post_request(xml))
    assert first.content and not first.success
    other = create_app(
        assistant_over(engine, plain.database_url),
        WebSettings(rate_limit=0),
        wechat=settings_for(None, None),
    )
    with serve(other) as running:
        fake = FakeWeChat(running.url, token=TOKEN, aes_key=None, app_id=APP_ID)
        time.sleep(0.5)  # the first process stores its reply just after sending it
        again = fake.deliver(fake.post_request(xml))
    assert again.status == 200 and again.content == first.content
    assert len([row for row in plain.rows() if row.question == question]) == 1


def test_deliveries_that_overlap_wait_for_the_same_reply(safe: Stack) -> None:
    fake = safe.official
    question = f"亮点工作报给谁？{time.time_ns()}"
    xml = fake.text_xml("oOverlapUser", question)
    requests = [fake.post_request(xml) for _ in range(3)]
    with concurrent.futures.ThreadPoolExecutor(3) as pool:
        replies = list(pool.map(fake.deliver, requests))
    assert {r.status for r in replies} == {200}
    assert len({r.content for r in replies if not r.success}) == 1
    rows = [row for row in safe.rows() if row.question == question]
    assert len(rows) == 1


def test_questions_are_recorded_per_channel_with_hashed_users(safe: Stack) -> None:
    assert safe.wecom is not None
    safe.official.text("oHashMe-official", "宣传月有哪些形式？")
    safe.wecom.text("HashMeWeCom", "高校有哪些职责？")
    rows = safe.rows()
    mine = {
        row.question: row
        for row in rows
        if row.question in ("宣传月有哪些形式？", "高校有哪些职责？")
    }
    assert mine["宣传月有哪些形式？"].frontend == "wechat"
    assert mine["宣传月有哪些形式？"].user_hash == hash_user("wechat:oHashMe-official", SECRET)
    assert mine["高校有哪些职责？"].frontend == "wecom"
    assert mine["高校有哪些职责？"].user_hash == hash_user("wecom:HashMeWeCom", SECRET)
    # The ids themselves are nowhere in the database file.
    data = Path(safe.database_url.removeprefix("sqlite:///")).read_bytes()
    assert b"oHashMe-official" not in data and b"HashMeWeCom" not in data

    async def counts() -> dict[str, int]:
        database = Database(safe.database_url)
        try:
            return by_channel(await channel_counts(database))
        finally:
            await database.dispose()

    found = asyncio.run(counts())
    assert found["wechat"] >= 1 and found["wecom"] >= 1


# -- refusals ----------------------------------------------------------------------------------


def test_a_forged_signature_gets_403_and_is_not_recorded(
    platform: tuple[Stack, FakeWeChat],
) -> None:
    stack, fake = platform
    question = f"伪造的问题{time.time_ns()}"
    delivery = fake.deliver(fake.post_request(fake.text_xml("oForger", question), forge=True))
    assert delivery.status == 403
    assert "Traceback" not in delivery.body
    assert all(row.question != question for row in stack.rows(fake))
    assert stack.app.state.internal_errors == 0


def test_a_replayed_timestamp_is_refused(platform: tuple[Stack, FakeWeChat]) -> None:
    stack, fake = platform
    question = f"重放的问题{time.time_ns()}"
    old = int(time.time()) - 5 * 60 - 1
    delivery = fake.deliver(fake.post_request(fake.text_xml("oReplay", question), timestamp=old))
    assert delivery.status == 403
    future = int(time.time()) + 5 * 60 + 30
    ahead = fake.deliver(fake.post_request(fake.text_xml("oReplay", question), timestamp=future))
    assert ahead.status == 403
    assert all(row.question != question for row in stack.rows(fake))


def _peak_rss_kb() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def test_a_billion_laughs_body_is_refused_quickly_with_memory_flat(
    platform: tuple[Stack, FakeWeChat],
) -> None:
    stack, fake = platform
    before = _peak_rss_kb()
    start = time.perf_counter()
    if fake.safe_mode:
        # Inside the encryption (only a token holder could send it), and as the outer body.
        inner = fake.deliver(fake.post_request(BILLION_LAUGHS))
        assert inner.status == 400
        request = fake.post_request(fake.text_xml("o", "x"), raw_body=BILLION_LAUGHS.encode())
    else:
        request = fake.post_request(BILLION_LAUGHS)
    delivery = fake.deliver(request)
    took = time.perf_counter() - start
    assert delivery.status in (400, 403)
    assert "Traceback" not in delivery.body
    assert took < 1.0
    assert _peak_rss_kb() - before < 20_000  # KB: nothing was expanded
    assert stack.app.state.internal_errors == 0


@pytest.mark.parametrize(
    "body",
    [
        b"<xml><ToUserName>gh</ToUserName>",  # truncated
        b"not xml at all",
        b"\xff\xfe<xml></xml>",  # not UTF-8
        b"<root><a>1</a></root>",  # not a WeChat message
        b"<xml><FromUserName><a>nested</a></FromUserName><MsgType>text</MsgType></xml>",
        b"",
    ],
)
def test_malformed_bodies_are_refused_without_a_traceback(plain: Stack, body: bytes) -> None:
    fake = plain.official
    delivery = fake.deliver(fake.post_request("", raw_body=body))
    assert delivery.status == 400
    assert "Traceback" not in delivery.body
    assert plain.app.state.internal_errors == 0


def test_a_ciphertext_that_is_not_one_is_refused(safe: Stack) -> None:
    fake = safe.official
    request = fake.post_request(fake.text_xml("oGarbage", "你好"))
    for garbage in ("AAAA", "not base64!", "QUJD" * 7):
        body = f"<xml><ToUserName>gh</ToUserName><Encrypt>{garbage}</Encrypt></xml>"
        # Signed correctly over the garbage, so only decryption can refuse it.
        params = dict(request.params)
        params["msg_signature"] = sign(fake.token, params["timestamp"], params["nonce"], garbage)
        response = httpx.post(fake.base_url + fake.path, params=params, content=body.encode())
        assert response.status_code == 400, garbage
    assert safe.app.state.internal_errors == 0


def test_oversized_bodies_are_refused(plain: Stack) -> None:
    fake = plain.official
    huge = fake.text_xml("oHuge", "大" * 40_000).encode()
    assert len(huge) > 64 * 1024
    assert fake.deliver(fake.post_request("", raw_body=huge)).status == 413
    request = fake.post_request("")

    def chunks() -> Any:  # no Content-Length: the stream is cut at the limit
        for _ in range(100):
            yield b"x" * 4096

    response = httpx.post(fake.base_url + fake.path, params=request.params, content=chunks())
    assert response.status_code == 413


def test_missing_parameters_are_refused(plain: Stack) -> None:
    url = plain.official.base_url + "/wechat"
    assert httpx.post(url, content=b"<xml/>").status_code == 403
    assert httpx.get(url).status_code == 403


# -- events and other messages -------------------------------------------------------------------


def test_subscribe_gets_the_greeting_with_examples(platform: tuple[Stack, FakeWeChat]) -> None:
    _, fake = platform
    delivery = fake.event("oNewFollower", "subscribe")
    assert "条例什么时候施行" in delivery.content
    assert "开始答题" in delivery.content


def test_unsupported_messages_get_a_polite_text(platform: tuple[Stack, FakeWeChat]) -> None:
    stack, fake = platform
    image = fake.message_xml(
        "oPhoto", "image", PicUrl="http://x/y.jpg", MediaId="m", MsgId=fake.next_msg_id()
    )
    voice = fake.message_xml("oPhoto", "voice", MediaId="m", Format="amr", MsgId=fake.next_msg_id())
    location = fake.message_xml(
        "oPhoto",
        "location",
        Location_X="38.0",
        Location_Y="114.5",
        Scale="15",
        Label="石家庄",
        MsgId=fake.next_msg_id(),
    )
    texts = {fake.deliver(fake.post_request(xml)).content for xml in (image, voice, location)}
    assert len(texts) == 1
    (text,) = texts
    assert "文字" in text
    assert stack.app.state.internal_errors == 0


def test_menu_clicks_are_commands(platform: tuple[Stack, FakeWeChat]) -> None:
    _, fake = platform
    schedule = fake.event("oMenuUser", "CLICK", "SCHEDULE")
    assert "10月31日" in schedule.content and "来源：" in schedule.content
    contacts = fake.event("oMenuUser", "CLICK", "CONTACTS")
    assert "电话" in contacts.content
    practice = fake.event("oMenuUser", "CLICK", "PRACTICE")
    assert "【答题练习】" in practice.content and "\nA. " in practice.content
    # A key that is no command is asked as it is.
    asked = fake.event("oMenuUser", "CLICK", "条例什么时候施行？")
    assert "2023年11月1日" in asked.content
    # Opening a link and other events need no reply.
    assert fake.event("oMenuUser", "VIEW", "https://example.org/").success


# -- live games ----------------------------------------------------------------------------------


async def _new_game(stack: Stack, *, finished: bool = False) -> str:
    """A live game made the way the host's page makes one (another process, same database)."""
    database = Database(stack.database_url)
    live = LiveService(database, quiz_items_of(stack.assistant.holder), listen=False)
    try:
        created = await live.create_game(3, 20)
        if finished:
            game = await live.game(created.pin)
            assert game is not None
            await live.act(game, "end")
        return created.pin
    finally:
        await live.close()
        await database.dispose()


def test_a_live_games_pin_gets_a_link_card_to_join_it(platform: tuple[Stack, FakeWeChat]) -> None:
    stack, fake = platform
    pin = asyncio.run(_new_game(stack))
    delivery = fake.text("oHallGuest", pin)
    assert delivery.reply["MsgType"] == "news", delivery.reply
    (card,) = delivery.articles
    assert card["Url"] == f"{stack.running.url}/live?pin={pin}"
    assert pin in card["Title"] and card["Description"]
    # Opening the card's page joins that game.
    assert httpx.get(f"{stack.running.url}/api/live/{pin}", timeout=10).status_code == 200
    # A finished game's PIN says so; six digits that are no game's PIN are a number as before.
    ended = asyncio.run(_new_game(stack, finished=True))
    assert ended in fake.text("oHallGuest", ended).content
    other = next(str(n) for n in range(100000, 100100) if str(n) not in (pin, ended))
    assert fake.text("oHallGuest", other).reply["MsgType"] == "text"


# -- practice ------------------------------------------------------------------------------------


def _question_of(content: str) -> tuple[str, dict[str, str]]:
    """The practice question and its options by letter, from a reply."""
    lines = content.splitlines()
    start = max(i for i, line in enumerate(lines) if line.startswith("【答题练习】"))
    question = lines[start].removeprefix("【答题练习】")
    options = {}
    for line in lines[start + 1 :]:
        if len(line) > 2 and line[1:3] == ". " and line[0].isupper():
            options[line[0]] = line[3:]
    return question, options


def test_practice_in_chat_is_scored_per_user(
    platform: tuple[Stack, FakeWeChat], engine: Engine
) -> None:
    stack, fake = platform
    items = {item.question: item for item in quiz_items_of(engine)()}
    user = f"oPractice{time.time_ns()}"
    first = fake.text(user, "开始答题")
    question, options = _question_of(first.content)
    assert question in items and len(options) >= 2
    right = next(letter for letter, text in options.items() if text == items[question].answer)
    feedback = fake.text(user, right.lower())  # a lower-case letter answers too
    assert feedback.content.startswith("回答正确！")
    assert items[question].explanation.strip()[:20] in feedback.content
    assert "来源：" + items[question].source_line in feedback.content
    assert "共答 1 道，答对 1 道" in feedback.content
    assert "下一题" in feedback.content
    assert len(feedback.content.encode()) <= 2000
    question, options = _question_of(feedback.content)
    wrong = next(letter for letter, text in options.items() if text != items[question].answer)
    second = fake.text(user, wrong)
    assert second.content.startswith("回答错误。正确答案：")
    assert items[question].answer in second.content.splitlines()[0]
    assert "共答 2 道，答对 1 道" in second.content
    # Stopping says the score; a letter afterwards is a question again, not an answer.
    stopped = fake.text(user, "结束答题")
    assert "共答 2 道，答对 1 道" in stopped.content
    assert not fake.text(user, "A").content.startswith("回答")
    # Another user's score is their own.
    other = fake.text(user + "-other", "开始答题")
    _, options = _question_of(other.content)
    assert "共答 1 道" in fake.text(user + "-other", next(iter(options))).content
    assert stack.app.state.internal_errors == 0


def test_practice_answers_are_not_recorded_as_questions(safe: Stack) -> None:
    fake = safe.official
    user = f"oPracticeLog{time.time_ns()}"
    fake.text(user, "开始答题")
    fake.text(user, "B")
    rows = [r for r in safe.rows() if r.user_hash == hash_user(f"wechat:{user}", SECRET)]
    assert rows == []


# -- modes and accounts ----------------------------------------------------------------------------


def test_safe_mode_also_answers_a_plaintext_message_in_plaintext(safe: Stack) -> None:
    """兼容模式 (or switching modes): a plaintext callback, signed with the token, is answered
    in plaintext even when the EncodingAESKey is set."""
    fake = FakeWeChat(safe.official.base_url, token=safe.official.token)
    delivery = fake.text("oCompatible", "条例什么时候施行？")
    assert delivery.status == 200 and "2023年11月1日" in delivery.content
    assert "<Encrypt>" not in delivery.body


def test_a_message_encrypted_for_another_account_is_refused(safe: Stack) -> None:
    fake = safe.official
    assert fake.cryptor is not None
    encrypted = fake.cryptor.encrypt(fake.text_xml("oOther", "你好"), receive_id="wxsomeoneelse")
    request = fake.post_request("")
    params = dict(request.params)
    params["msg_signature"] = sign(fake.token, params["timestamp"], params["nonce"], encrypted)
    body = f"<xml><ToUserName>gh</ToUserName><Encrypt>{encrypted}</Encrypt></xml>".encode()
    response = httpx.post(fake.base_url + fake.path, params=params, content=body)
    assert response.status_code == 403
    assert safe.app.state.internal_errors == 0
