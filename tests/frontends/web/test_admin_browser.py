"""The admin console in headless Chromium, the way an organiser uses it: log in, open the
unanswered questions, attach one to an entry with the search box, apply (the evaluation
runs), then ask the same question on the chat page and get the answer. A question typed by
the public that holds markup is shown as text. Screenshots of every page go to artifacts/
for a person to look at."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bot.evaluation import load_items
from tests.admin.support import (
    NAME,
    PASSWORD,
    REPO,
    Console,
    add_admin,
    assistant_over,
    cheap_hashes,
    console,
    seed,
    tiny_kb,
)
from tests.browser import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, needs_chromium

pytestmark = needs_chromium
# A colloquial wording of the schedule the small base leaves unsure (lexical engine).
QUESTION = "宣贯搞到啥时候拉倒"
XSS = '<img src=x onerror="alert(1)">专利年费怎么交'


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Console]:
    root = tmp_path_factory.mktemp("admin-browser")
    knowledge, evals = tiny_kb(root)
    url = f"sqlite:///{root / 'bot.db'}"
    with cheap_hashes(), pytest.MonkeyPatch.context() as patch:
        patch.setenv("BOT_EVAL_DIR", str(evals))
        add_admin(url)
        assistant = assistant_over(knowledge, REPO / "intents", url)
        asked = [(QUESTION, "web", "a"), (QUESTION + "？", "wechat", "b"), (XSS, "web", "c")]
        asked += [("条例重点管的是哪些方面的事", "telegram", "d")]
        seed(url, assistant.engine, asked)
        with console(assistant, url) as served:
            served.evals = evals  # type: ignore[attr-defined]
            yield served


DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


def open_tab(viewport: dict[str, int]) -> Iterator[Any]:
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        context = browser.new_context(
            viewport=viewport, locale="zh-CN", is_mobile=viewport == PHONE
        )
        tab = context.new_page()
        tab.set_default_timeout(20_000)
        problems: list[str] = []
        tab.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
        tab.on("pageerror", lambda e: problems.append(str(e)))
        tab.on("dialog", lambda d: (problems.append(f"dialog: {d.message}"), d.dismiss()))
        tab.problems = problems
        yield tab
        browser.close()


@pytest.fixture
def page(site: Console) -> Iterator[Any]:
    yield from open_tab(DESKTOP)


@pytest.fixture
def phone(site: Console) -> Iterator[Any]:
    yield from open_tab(PHONE)


def shot(page: Any, name: str, *, full: bool = True) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / name
    if full:  # the sticky bar would be drawn where the page is scrolled to
        page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=str(path), full_page=full)
    return path


def test_log_in_attach_apply_and_the_chat_answers(site: Console, page: Any) -> None:
    page.goto(site.base + "/admin/questions")
    page.wait_for_url("**/admin/login?next=questions")
    page.fill("#name", NAME)
    page.fill("#password", "not the password")
    page.click("#login button")
    page.locator("#login-error").wait_for()
    assert page.locator("#login-error").text_content() == "用户名或密码不正确。"
    page.fill("#password", PASSWORD)
    shot(page, "admin-login.png")
    page.click("#login button")
    page.wait_for_url("**/admin/questions")

    group = page.locator(".group", has_text=QUESTION)
    group.wait_for()
    # The question with markup is shown as the text it is, never run.
    assert page.locator(".group-question", has_text="<img src=x").count() == 1
    assert page.locator(".group img").count() == 0
    shot(page, "admin-questions.png")

    group.get_by_role("button", name="查找其他条目…").click()
    search = group.locator(".picker input")
    search.fill("时间安排")
    hit = group.locator('.picker li[data-entry="plan-schedule"]')
    hit.wait_for()
    shot(page, "admin-attach-search.png")
    hit.get_by_role("button", name="关联").click()
    page.locator("#pending-list td", has_text=QUESTION).wait_for()
    assert page.locator("#pending-count").text_content() == "1"

    page.click("#apply")
    page.locator("#apply-result .notice", has_text="已应用").wait_for(timeout=60_000)
    figures = page.locator("#apply-result tbody tr").first.locator("td").all_text_contents()
    assert figures[0] == "宣贯资料题集"
    shot(page, "admin-applied.png")

    # An attachment that makes a held-out question worse is refused, and the page says which
    # question and which attachment.
    engine = site.assistant.engine
    held_out = load_items(site.evals / "seed.yaml")  # type: ignore[attr-defined]
    right = next(
        i
        for i in held_out
        if i.split == "test"
        and i.in_scope
        and engine.answer(i.question).entry == i.expect[0]
        and i.expect[0] != "plan-purpose"
    )
    page.evaluate(
        "q => window.ipregAdmin.call('questions/attach', {question: q, entry: 'plan-purpose'})",
        right.question,
    )
    page.reload()
    page.locator("#pending-list td", has_text=right.question).wait_for()
    page.click("#apply")
    page.locator("#apply-result .worse-list li", has_text=right.question).wait_for(timeout=60_000)
    suspect = page.locator("#pending-list tr.suspect", has_text=right.question)
    assert "可能导致下降" in suspect.text_content()
    shot(page, "admin-apply-refused.png")
    suspect.get_by_role("button", name="移除").click()
    page.locator("#pending-count", has_text="0").wait_for()

    page.goto(site.base + "/")
    page.fill("#q", QUESTION)
    page.click("#ask button")
    answer = page.locator(".msg.bot").last
    answer.locator(".source").wait_for()
    assert "2023年9月28日至10月31日" in answer.text_content()
    shot(page, "admin-chat-answered.png", full=False)
    # Chromium logs the refused login's 401 as a failed resource; nothing else went wrong.
    assert [p for p in page.problems if "status of 401" not in p] == []
    assert len(page.problems) == 1


def test_the_other_pages(site: Console, page: Any) -> None:
    page.goto(site.base + "/admin/login")
    page.fill("#name", NAME)
    page.fill("#password", PASSWORD)
    page.click("#login button")
    page.wait_for_url("**/admin/dashboard")
    page.locator("#chart-days svg").wait_for()
    assert page.locator("#figures .figure").count() == 8
    assert page.locator("#who").text_content() == NAME
    shot(page, "admin-dashboard.png")

    page.click("nav >> text=知识库")
    page.wait_for_url("**/admin/knowledge")
    page.locator("#entries tbody tr", has_text="plan-schedule").click()
    page.locator("#detail h3", has_text="宣贯活动的时间安排").wait_for()
    page.click("#check")
    page.locator("#check-result .notice", has_text="没有问题").wait_for()
    shot(page, "admin-knowledge.png")

    page.click("nav >> text=题库与竞赛")
    page.wait_for_url("**/admin/quiz")
    page.locator("#items tbody tr").first.wait_for()
    page.fill("#live-questions", "3")
    page.click("#live button")
    page.locator("#live-pin").wait_for()
    shot(page, "admin-quiz.png", full=False)

    page.click("nav >> text=操作记录")
    page.wait_for_url("**/admin/audit")
    page.locator("#audit tbody tr", has_text="创建现场竞赛").wait_for()
    shot(page, "admin-audit.png")

    page.click("#logout")
    page.wait_for_url("**/admin/login")
    page.goto(site.base + "/admin/dashboard")
    page.wait_for_url("**/admin/login?next=dashboard")
    assert page.problems == []


def overflow(page: Any) -> int:
    """How far the page is wider than the window (a phone would scroll sideways)."""
    return int(page.evaluate("document.documentElement.scrollWidth - window.innerWidth"))


def test_the_console_on_a_phone(site: Console, phone: Any) -> None:
    phone.goto(site.base + "/admin/login")
    phone.fill("#name", NAME)
    phone.fill("#password", PASSWORD)
    phone.click("#login button")
    phone.wait_for_url("**/admin/dashboard")
    phone.locator("#chart-days svg").wait_for()
    assert overflow(phone) <= 0
    shot(phone, "admin-phone-dashboard.png")
    phone.goto(site.base + "/admin/questions")
    phone.locator(".group").first.wait_for()
    assert overflow(phone) <= 0
    shot(phone, "admin-phone-questions.png")
    phone.goto(site.base + "/admin/knowledge")
    phone.locator("#entries tbody tr").first.wait_for()
    assert overflow(phone) <= 0
    shot(phone, "admin-phone-knowledge.png", full=False)
    assert phone.problems == []
