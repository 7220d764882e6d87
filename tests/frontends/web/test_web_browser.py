"""The chat and quiz pages in headless Chromium (Debian's package, driven by Playwright).

A person's path through the pages: ask, read the 来源 line, open 查看原文, pick a suggestion,
see a fallback's contact card, answer a practice question. Screenshots go to artifacts/ for a
human to look at (CJK glyphs need `fonts-noto-cjk`). Skipped where /usr/bin/chromium is absent;
`playwright install` is never used (its browser download is not reachable here).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from dataclasses import replace

import pytest

from bot.engine import Engine
from bot.quiz import quiz_items
from tests.browser import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, needs_chromium

from .harness import Running, clarify_question

XSS = "<img src=x onerror=alert(1)>"
pytestmark = needs_chromium


@pytest.fixture(scope="module")
def site(serve_app: Callable[..., AbstractContextManager[Running]]) -> Iterator[Running]:
    """The app with its default settings (rate limit and CSP as in production)."""
    with serve_app() as running:
        yield running


@pytest.fixture
def page(site: Running) -> Iterator:  # type: ignore[type-arg]
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        # A phone-sized window: the pages must work there first.
        context = browser.new_context(
            viewport={"width": 390, "height": 844},
            device_scale_factor=2,
            is_mobile=True,
            has_touch=True,
            locale="zh-CN",
        )
        page = context.new_page()
        page.set_default_timeout(15_000)
        problems: list[str] = []
        page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: problems.append(str(e)))
        page.on("dialog", lambda d: (problems.append(f"dialog: {d.message}"), d.dismiss()))
        page.problems = problems  # type: ignore[attr-defined]
        yield page
        context.close()
        browser.close()


def screenshot(page, name: str) -> None:  # type: ignore[no-untyped-def]
    """The whole page at phone width. The window is stretched to the page's height instead of
    using `full_page`, which would paint the sticky header and input box mid-conversation."""
    ARTIFACTS.mkdir(exist_ok=True)
    height = page.evaluate("document.documentElement.scrollHeight")
    page.set_viewport_size({"width": 390, "height": max(844, height)})
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=str(ARTIFACTS / name))


def ask(page, question: str):  # type: ignore[no-untyped-def]
    """Type a question, send it, and return the bot's reply element."""
    replies = page.locator("#log .msg.bot:not(.pending):not(.welcome)")
    before = replies.count()
    page.fill("#q", question)
    page.press("#q", "Enter")
    replies.nth(before).wait_for()
    return replies.nth(before)


def test_chat_page(page, site: Running, web_engine: Engine) -> None:  # type: ignore[no-untyped-def]
    page.goto(site.url + "/")
    welcome = page.locator(".msg.welcome")
    welcome.wait_for()
    assert web_engine.intents.response("greeting") in welcome.inner_text()
    assert welcome.locator(".chip").count() >= 1

    # An answer with its source line; no 查看原文 when the answer is the whole passage.
    question = "条例什么时候施行？"
    expected = web_engine.answer(question)
    reply = ask(page, question)
    assert reply.get_attribute("data-kind") == "answer"
    assert "2023年11月1日" in reply.locator(".text").inner_text()
    source = reply.locator(".source").inner_text()
    assert source.startswith("来源：") and source == expected.text.split("\n\n")[-1]
    assert expected.passage is None and reply.locator(".original").count() == 0

    # A part carved out of a longer passage: the whole passage behind 查看原文.
    question = "河北跟京津在知识产权方面怎么协作"
    expected = web_engine.answer(question)
    assert expected.kind == "answer" and expected.passage
    reply = ask(page, question)
    passage = reply.locator(".original .passage")
    assert not passage.is_visible()
    reply.locator(".original summary", has_text="查看原文").click()
    assert passage.is_visible()
    assert passage.text_content() == expected.passage

    # Markup typed as a question is shown as the characters typed, and runs nothing.
    ask(page, XSS)
    assert page.locator("#log .msg.user .text").last.text_content() == XSS
    assert page.locator("#log img").count() == 0

    # A clarify reply offers chips; clicking one answers that entry.
    vague = clarify_question(web_engine)
    suggestions = web_engine.answer(vague).suggestions
    reply = ask(page, vague)
    assert reply.get_attribute("data-kind") == "clarify"
    chips = reply.locator(".chip")
    assert chips.count() == len(suggestions)
    replies = page.locator("#log .msg.bot:not(.pending):not(.welcome)")
    before = replies.count()
    chips.first.click()
    chosen = replies.nth(before)
    chosen.wait_for()
    assert page.locator("#log .msg.user .text").last.text_content() == suggestions[0].title
    assert chosen.get_attribute("data-kind") == "answer"
    assert chosen.locator(".source").inner_text().startswith("来源：")

    # A fallback shows the contact with a number to tap.
    reply = ask(page, "商标怎么注册")
    assert reply.get_attribute("data-kind") == "fallback"
    assert reply.locator('.contact a[href^="tel:"]').count() >= 1

    # Asking whom to ask: contact cards, each number a tel: link and each address a mailto:.
    expected = web_engine.answer("我要咨询找谁")
    reply = ask(page, "我要咨询找谁")
    cards = reply.locator(".contact")
    assert cards.count() == len(expected.contacts) >= 1
    tel = reply.locator('.contact a[href^="tel:"]')
    assert tel.count() >= 1
    first = expected.contacts[0]
    assert tel.first.get_attribute("href") == "tel:" + first.phone.replace("-", "")
    assert tel.first.inner_text() == first.phone
    if first.email:
        mail = reply.locator('.contact a[href^="mailto:"]').first
        assert mail.get_attribute("href") == f"mailto:{first.email}"

    # Nothing wider than the phone's screen (390 px): the page never scrolls sideways.
    assert page.evaluate("document.scrollingElement.scrollWidth") <= 390
    screenshot(page, "web-chat.png")
    assert page.evaluate("document.scrollingElement.scrollWidth") <= 390
    assert page.problems == []  # no script errors, CSP violations or alert() dialogs


def test_quiz_page(page, site: Running, web_engine: Engine) -> None:  # type: ignore[no-untyped-def]
    page.goto(site.url + "/quiz")
    options = page.locator("#options button.option")
    options.first.wait_for()
    text = page.locator("#question").inner_text()
    item = next(i for i in quiz_items(web_engine.kb, 0) if i.question == text)
    assert options.count() == len(item.options)
    assert page.locator("#score").inner_text() == "我的得分：0 / 0"

    options.first.click()
    page.locator("#result").wait_for(state="visible")
    assert page.locator("#explanation").inner_text() == item.explanation
    assert page.locator("#citation").inner_text().startswith("来源：《")
    shown = [b.inner_text().split("\n")[-1].strip() for b in options.all()]
    right = shown[0].endswith(item.answer)
    assert page.locator("#verdict").inner_text().startswith("回答正确" if right else "回答错误")
    assert page.locator("#score").inner_text() == f"我的得分：{int(right)} / 1"
    assert page.locator("#options button.option.right").count() == 1

    screenshot(page, "web-quiz.png")

    # The next question is a different one.
    page.click("#next")
    page.wait_for_function(
        "text => document.querySelector('#question').textContent !== text "
        "&& document.querySelectorAll('#options button.option').length > 0",
        arg=text,
    )
    assert page.problems == []


def test_a_refused_question_stays_in_the_box(  # type: ignore[no-untyped-def]
    serve_app: Callable[..., AbstractContextManager[Running]],
) -> None:
    """After a 429 (too many questions) the question is back in the input box, so the user
    sends it again instead of typing it again; the refusal reads without template marks."""
    sync_api = pytest.importorskip("playwright.sync_api")
    with serve_app(rate_limit=1) as limited, sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        try:
            context = browser.new_context(
                viewport={"width": 390, "height": 844}, is_mobile=True, locale="zh-CN"
            )
            page = context.new_page()
            page.set_default_timeout(15_000)
            page.goto(limited.url + "/")
            page.locator(".msg.welcome").wait_for()
            first = ask(page, "条例什么时候施行？")
            assert first.get_attribute("data-kind") == "answer"
            assert page.input_value("#q") == ""  # answered: the box is cleared
            refused = ask(page, "宣贯活动有哪些工作重点？")
            assert "error" in (refused.get_attribute("class") or "")
            text = refused.inner_text()
            assert "提问太频繁" in text and "{" not in text and "}" not in text
            page.wait_for_function("document.querySelector('#q').value !== ''")
            assert page.input_value("#q") == "宣贯活动有哪些工作重点？"
            assert page.evaluate("document.scrollingElement.scrollWidth") <= 390
            screenshot(page, "web-chat-refused.png")
            context.close()
        finally:
            browser.close()


def test_a_gathered_list_and_small_talk(page, site: Running, web_engine: Engine) -> None:  # type: ignore[no-untyped-def]
    """Every place a quoted term occurs, each item with its own source; small talk by
    meaning, without a contact card."""
    page.goto(site.url + "/")
    page.locator(".msg.welcome").wait_for()
    question = "方案里有两处讲要营造“氛围”，分别是啥样的氛围？"
    expected = web_engine.answer(question)
    listing = next(b for b in expected.blocks if b.type == "list")
    reply = ask(page, question)
    assert reply.get_attribute("data-kind") == "answer"
    text = reply.inner_text()
    for item in listing.items:
        assert item.text in text
    assert len(listing.items) == 2
    if web_engine.chatter.semantic is not None:
        saved = web_engine.tuning
        # The served engine is the one the test holds; a value the tuner tries.
        web_engine.tuning = replace(saved, smalltalk_similarity=0.9)
        try:
            chat = ask(page, "那我先闪了")
            assert chat.get_attribute("data-kind") == "smalltalk"
            assert chat.locator(".contact").count() == 0
        finally:
            web_engine.tuning = saved
    assert page.evaluate("document.scrollingElement.scrollWidth") <= 390
    screenshot(page, "web-chat-gathered.png")
    assert page.problems == []


def test_a_follow_up_says_how_it_was_read(page, site: Running, web_engine: Engine) -> None:  # type: ignore[no-untyped-def]
    """那高校呢 after a question about enterprises: the note first, then the universities'."""
    page.goto(site.url + "/")
    page.locator(".msg.welcome").wait_for()
    ask(page, "企业有什么职责")
    reply = ask(page, "那高校呢")
    expected = web_engine.answer("那高校呢", previous="企业有什么职责")
    text = reply.inner_text()
    assert text.startswith("（接上一问，按“高校有什么职责”理解）")
    assert expected.blocks[1].text in text  # the heading of the universities' duties
    screenshot(page, "web-chat-follow-up.png")
    assert page.problems == []
