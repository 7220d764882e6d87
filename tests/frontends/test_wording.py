"""Reply wording is data: a template changed in intents/rules.yaml changes what the console,
Telegram and the web page show, with no change to any channel's code — each renders the
reply's blocks with the labels the engine takes from the templates."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from bot.engine import Engine
from bot.frontends.console import render as console_render
from bot.frontends.telegram.render import render_reply
from bot.frontends.web import WebSettings, create_app
from tests.browser import CHROMIUM, CHROMIUM_ARGS, needs_chromium

from .web.harness import serve

QUESTION = "谁负责联系"  # contact cards and a source line: several labels at once


@pytest.fixture(scope="module")
def reworded(tmp_path_factory: pytest.TempPathFactory) -> Engine:
    from tests.conftest import _copy

    kb = _copy(tmp_path_factory.mktemp("reworded"))
    kb.replace("intents/rules.yaml", "label_source: 来源：", "label_source: 出处：")
    kb.replace("intents/rules.yaml", "label_phone: 电话：", "label_phone: 联系电话：")
    return Engine.from_dirs(kb.knowledge, kb.intents, semantic=False)


def test_console_and_telegram_follow_the_templates(reworded: Engine) -> None:
    reply = reworded.answer(QUESTION)
    for shown in (console_render(reply), "\n".join(render_reply(reply, reworded.compose.labels))):
        assert "出处：" in shown and "联系电话：" in shown
        assert "来源：" not in shown and "\n电话：" not in shown


def test_the_web_api_and_page_follow_the_templates(reworded: Engine) -> None:
    with serve(create_app(reworded, WebSettings(rate_limit=0))) as running:
        labels = httpx.get(running.url + "/api/ui").json()["labels"]
        assert labels["source"] == "出处：" and labels["phone"] == "联系电话："
        data = httpx.post(running.url + "/api/ask", json={"question": QUESTION}).json()
        assert "出处：" in data["text"]


@needs_chromium
def test_the_chat_page_shows_the_new_wording(reworded: Engine) -> None:
    sync_api = pytest.importorskip("playwright.sync_api")
    app = create_app(reworded, WebSettings(rate_limit=0))
    with serve(app) as running, sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        page: Any = browser.new_page()
        page.goto(running.url + "/")
        page.locator(".msg.welcome").wait_for()
        page.fill("#q", QUESTION)
        page.press("#q", "Enter")
        reply = page.locator("#log .msg.bot:not(.pending):not(.welcome)").first
        reply.wait_for()
        assert reply.locator(".source").inner_text().startswith("出处：")
        assert "联系电话：" in reply.locator(".contact").first.inner_text()
        browser.close()
