"""The WeChat channel's parts on their own: settings, rendering within the reply size, the
dialogue store, the delivery record, link cards, and the conversation over an engine."""

from __future__ import annotations

import asyncio
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest

from bot.app import Assistant, EngineHolder
from bot.engine import Engine
from bot.engine.plain import Labels
from bot.engine.reply import Citation, Heading, Note, Passage, Reply, Suggestion, Suggestions
from bot.frontends.web import WebSettings, create_app
from bot.frontends.web.app import standalone
from bot.frontends.wechat import WeChatSettings
from bot.frontends.wechat.conversation import Conversation
from bot.frontends.wechat.deliveries import Deliveries
from bot.frontends.wechat.dialogue import DialogueStore
from bot.frontends.wechat.links import live_game_link
from bot.frontends.wechat.messages import EVENT, TEXT, Inbound
from bot.frontends.wechat.protocol import link_message, xml_text
from bot.frontends.wechat.render import cut, reply_text, utf8_len
from bot.frontends.wechat.texts import REQUIRED_KEYS, missing_texts
from bot.settings import Settings
from bot.storage.questions import hash_user

from ..web.harness import serve
from .conftest import SECRET, settings_for
from .fake import new_aes_key

REPO = Path(__file__).resolve().parents[3]
KEY = new_aes_key()

# -- settings ------------------------------------------------------------------------------------


def test_settings_turn_on_what_is_configured() -> None:
    assert not WeChatSettings.from_settings(Settings()).enabled
    plain = WeChatSettings.from_settings(Settings(wechat_token="t"))
    assert plain.official is not None and not plain.official.safe_mode and plain.wecom is None
    safe = WeChatSettings.from_settings(
        Settings(wechat_token="t", wechat_app_id="wx1", wechat_encoding_aes_key=KEY)
    )
    assert safe.official is not None and safe.official.safe_mode
    wecom = WeChatSettings.from_settings(
        Settings(wecom_corp_id="ww1", wecom_token="t", wecom_encoding_aes_key=KEY)
    )
    assert wecom.official is None and wecom.wecom is not None and wecom.wecom.path == "/wecom"


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        (Settings(wechat_token="t", wechat_encoding_aes_key=KEY), "WECHAT_APP_ID"),
        (Settings(wechat_token="t", wechat_app_id="wx", wechat_encoding_aes_key="short"), "43"),
        (Settings(wecom_corp_id="ww1", wecom_token="t"), "WECOM_ENCODING_AES_KEY"),
        (Settings(wechat_token="t", wechat_web_url="bot.example.gov.cn"), "WECHAT_WEB_URL"),
    ],
)
def test_wrong_settings_say_what_is_wrong(settings: Settings, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        WeChatSettings.from_settings(settings)


def test_settings_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in {
        "WECHAT_TOKEN": "tok",
        "WECHAT_APP_ID": "wx1",
        "WECHAT_ENCODING_AES_KEY": KEY,
        "WECOM_CORP_ID": "ww1",
        "WECOM_TOKEN": "tok2",
        "WECOM_ENCODING_AES_KEY": KEY,
        "WECHAT_WEB_URL": "https://bot.example.gov.cn/",
    }.items():
        monkeypatch.setenv(name, value)
    settings = WeChatSettings.from_settings(Settings.from_env())
    assert settings.official is not None and settings.official.app_id == "wx1"
    assert settings.wecom is not None and settings.wecom.token == "tok2"
    assert settings.web_url == "https://bot.example.gov.cn"


def test_without_settings_there_is_no_callback(engine: Engine) -> None:
    async def probe() -> int:
        app = create_app(engine, WebSettings(rate_limit=0))
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
            return (await client.get("/wechat")).status_code

    assert asyncio.run(probe()) == 404


def test_every_text_is_in_the_intents_and_a_reload_without_them_is_refused(
    engine: Engine, tmp_kb: Callable[..., Any]
) -> None:
    assert missing_texts(engine) == []
    assert all(key.startswith("wx_") or key == "rate_limited" for key in REQUIRED_KEYS)
    kb = tmp_kb()
    rules = kb.read("intents/rules.yaml")
    kb.write("intents/rules.yaml", rules.replace("  wx_greeting:", "  wx_greeting_old:"))
    broken = Engine.from_dirs(kb.knowledge, kb.intents, semantic=False)
    assert missing_texts(broken) == ["intents: missing response 'wx_greeting' (WeChat channel)"]
    with pytest.raises(ValueError, match="wx_greeting"):
        create_app(standalone(broken), wechat=settings_for(None, None))


# -- rendering -------------------------------------------------------------------------------------


LABELS = Labels()
CITATION = Citation("《实施方案》", "三（一）", "plan-focus")


def long_reply(paragraphs: int = 40) -> Reply:
    text = "\n".join(
        f"第{i}段，这是一段很长的条文内容，用来检验按字节截断。" * 3 for i in range(paragraphs)
    )
    return Reply(
        "q",
        "answer",
        "search",
        [Heading("很长的标题"), Passage(text, CITATION)],
        entry="plan-focus",
    )


def test_a_short_reply_is_its_blocks_and_source_line() -> None:
    reply = Reply("q", "answer", "search", [Heading("标题"), Passage("正文。", CITATION)])
    assert (
        reply_text(reply, LABELS, limit=2000, more="更多")
        == "【标题】\n正文。\n\n来源：《实施方案》 三（一）"
    )


def test_a_long_reply_is_cut_within_the_limit_keeping_its_source_and_link() -> None:
    text = reply_text(
        long_reply(), LABELS, limit=2000, more="完整内容：https://x/wx/passage/plan-focus"
    )
    assert utf8_len(text) <= 2000
    body, source, more = text.split("\n\n")
    assert body.startswith("【很长的标题】\n第0段") and body.endswith("……")
    assert source == "来源：《实施方案》 三（一）"
    assert more.endswith("/wx/passage/plan-focus")
    # Cut at the end of a line, not inside a sentence.
    assert body.removesuffix("……").endswith("。")


def test_numbered_suggestions_get_the_hint() -> None:
    reply = Reply(
        "q",
        "clarify",
        "search",
        [Note("您是不是想问："), Suggestions((Suggestion("a", "甲"), Suggestion("b", "乙")))],
    )
    text = reply_text(reply, LABELS, limit=2000, pick_hint="（回复序号）")
    assert text == "您是不是想问：\n1. 甲\n2. 乙\n（回复序号）"


@pytest.mark.parametrize("limit", [10, 50, 301, 2000])
def test_cut_never_splits_a_character_or_exceeds_the_limit(limit: int) -> None:
    text = "知识产权保护" * 200
    result = cut(text, limit, "……")
    assert utf8_len(result) <= limit and result.endswith("……")
    result.encode("utf-8")  # whole characters only


def test_text_is_made_safe_for_cdata() -> None:
    assert xml_text("a]]>b\x00c\x0bd") == "a]]]]><![CDATA[>bcd"
    root = ET.fromstring(f"<xml><C><![CDATA[{xml_text('x]]>y')}]]></C></xml>")
    assert "".join(root.itertext()) == "x]]>y"


# -- the dialogue store and the delivery record ----------------------------------------------------


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_pending_suggestions_and_practice_expire() -> None:
    clock = Clock()
    store = DialogueStore(suggestions_ttl=60, practice_ttl=120, clock=clock)
    store.offer("u", "问题", ("a", "b"))
    store.ask("u", "poll-1", 4)
    clock.now += 61
    assert store.offered("u") is None
    asked = store.asked("u")
    assert asked is not None and asked.poll_id == "poll-1"
    clock.now += 60
    assert store.asked("u") is None
    assert len(store) == 0  # nothing left: the user is forgotten


def test_the_dialogue_store_is_bounded() -> None:
    store = DialogueStore(capacity=100)
    for i in range(1000):
        store.offer(f"user{i}", "问题", ("a",))
    assert len(store) == 100
    assert store.offered("user999") is not None and store.offered("user0") is None


def test_each_key_is_worked_once_and_retries_get_the_same_result() -> None:
    calls = []

    async def scenario() -> list[str]:
        deliveries = Deliveries()

        async def work() -> str:
            calls.append(1)
            await asyncio.sleep(0.05)
            return f"reply {len(calls)}"

        first = await asyncio.gather(*(deliveries.once("k", work, "") for _ in range(3)))
        later = await deliveries.once("k", work, "")
        other = await deliveries.once("other", work, "")
        return [*first, later, other]

    assert asyncio.run(scenario()) == ["reply 1"] * 4 + ["reply 2"]
    assert len(calls) == 2


def test_a_slow_delivery_gets_the_default_and_the_next_one_the_result() -> None:
    async def scenario() -> tuple[str, str]:
        deliveries = Deliveries(wait=0.05)

        async def work() -> str:
            await asyncio.sleep(0.2)
            return "late reply"

        first = await deliveries.once("k", work, "success")
        await asyncio.sleep(0.3)
        return first, await deliveries.once("k", work, "success")

    assert asyncio.run(scenario()) == ("success", "late reply")


def test_the_delivery_record_expires_and_is_bounded() -> None:
    clock = Clock()

    async def scenario() -> int:
        deliveries = Deliveries(ttl=10, capacity=50, clock=clock)

        async def work() -> str:
            return "r"

        for i in range(200):
            await deliveries.once(f"k{i}", work, "")
        assert len(deliveries) <= 51
        clock.now += 11
        await deliveries.once("fresh", work, "")
        return len(deliveries)

    assert asyncio.run(scenario()) == 1


# -- link cards ----------------------------------------------------------------------------------


def test_a_link_message_renders_a_news_card() -> None:
    xml = link_message(
        "https://bot.example.gov.cn/live/42?x=1&y=2",
        "知识竞赛现场赛 <第1场>",
        to_user="oUser",
        from_user="gh_account",
        description="点击进入",
    )
    root = ET.fromstring(xml)
    assert root.findtext("MsgType") == "news"
    assert root.findtext("ToUserName") == "oUser" and root.findtext("FromUserName") == "gh_account"
    assert root.findtext("ArticleCount") == "1"
    item = root.find("Articles/item")
    assert item is not None
    assert item.findtext("Title") == "知识竞赛现场赛 <第1场>"
    assert item.findtext("Url") == "https://bot.example.gov.cn/live/42?x=1&y=2"
    assert item.findtext("Description") == "点击进入"
    wecom = ET.fromstring(
        link_message("https://x.cn/", "标题", to_user="u", from_user="ww1", agent_id=1000002)
    )
    assert wecom.findtext("AgentID") == "1000002" and wecom.findtext("MsgType") == "news"


@pytest.mark.parametrize(
    ("url", "title"), [("javascript:alert(1)", "t"), ("https://x/ y", "t"), ("https://x/", " ")]
)
def test_a_link_card_needs_an_address_and_a_title(url: str, title: str) -> None:
    with pytest.raises(ValueError):
        live_game_link(url, title)


# -- the conversation ------------------------------------------------------------------------------


def conversation(engine: Engine, **settings: Any) -> Conversation:
    return Conversation(Assistant(EngineHolder(engine)), settings_for(None, None, **settings))


def test_a_long_answer_links_to_its_whole_passage(tmp_kb: Callable[..., Any]) -> None:
    kb = tmp_kb()
    text = "\n\n".join(
        f"      第{i}段：超长微信测试条目的内容，用来检验回复的字节上限。" * 4 for i in range(40)
    )
    kb.write(
        "knowledge/entries/zz-wechat-long.yaml",
        "entries:\n  - id: zz-wechat-long\n    kind: faq\n    title: 超长微信测试条目\n"
        f"    text: |\n{text}\n    source: plan\n    locator: 实施方案 测试\n"
        "    questions: [超长微信测试条目讲了什么]\n    keywords: [超长微信测试条目]\n",
    )
    engine = Engine.from_dirs(kb.knowledge, kb.intents, semantic=False)
    chat = conversation(engine, web_url="https://bot.example.gov.cn")
    inbound = Inbound("wechat", "oLong", TEXT, text="超长微信测试条目讲了什么")
    reply = asyncio.run(chat.handle(inbound, "http://internal:8080/")).text
    assert utf8_len(reply) <= 2000
    assert "第0段" in reply and "第39段" not in reply
    assert "来源：" in reply
    url = "https://bot.example.gov.cn/wx/passage/zz-wechat-long"
    assert reply.endswith(url)
    # The page holds the whole passage.
    app = create_app(standalone(engine), WebSettings(rate_limit=0), wechat=settings_for(None, None))
    with serve(app) as running:
        page = httpx.get(running.url + "/wx/passage/zz-wechat-long")
        assert page.status_code == 200 and "第39段" in page.text and "来源：" in page.text
        assert httpx.get(running.url + "/wx/passage/no-such-entry").status_code == 404
        assert httpx.get(running.url + "/wx/passage/" + "x" * 300).status_code == 404


def test_without_a_web_address_the_link_uses_the_callbacks(engine: Engine) -> None:
    chat = conversation(engine)
    entry = next(iter(engine.kb.entries))
    reply = long_reply()
    reply.entry = entry
    text = chat.render(reply, "https://public.example.cn/bot/")
    assert utf8_len(text) <= 2000
    assert text.endswith(f"https://public.example.cn/bot/wx/passage/{entry}")
    reply.entry = None  # no entry to show whole: the chat page
    assert chat.render(reply, "https://public.example.cn/bot/").endswith(
        "https://public.example.cn/bot/"
    )


def test_the_per_user_limit_notifies_once_then_stays_silent(engine: Engine) -> None:
    chat = conversation(engine, user_rate_limit=2)

    async def ask(user: str) -> str:
        return (
            await chat.handle(Inbound("wechat", user, TEXT, text="条例什么时候施行？"), "/")
        ).text

    async def scenario() -> list[str]:
        return [await ask("oBusy") for _ in range(4)] + [await ask("oCalm")]

    first, second, notice, silent, other = asyncio.run(scenario())
    assert "2023年11月1日" in first and "2023年11月1日" in second
    assert notice == engine.intents.response("rate_limited")
    assert silent == ""  # answered with `success`: nothing shown
    assert "2023年11月1日" in other


def test_unfollowing_forgets_the_user(engine: Engine) -> None:
    chat = conversation(engine)
    key = chat.user_key("wechat:oGone")
    chat.store.offer(key, "问题", ("a",))
    outbound = asyncio.run(chat.handle(Inbound("wechat", "oGone", EVENT, event="unsubscribe"), "/"))
    assert outbound.empty and len(chat.store) == 0
    assert key == hash_user("wechat:oGone", SECRET)


def test_a_bug_answers_with_an_apology(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    chat = conversation(engine)

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("boom")

    monkeypatch.setattr(chat.assistant, "ask", broken)
    outbound = asyncio.run(chat.handle(Inbound("wechat", "oBug", TEXT, text="你好吗"), "/"))
    assert outbound.text == engine.intents.response("wx_error")
