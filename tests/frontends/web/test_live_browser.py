"""The live quiz in headless Chromium: the host screen at 1920×1080 and three phones at
390×844 play a whole two-question game, with the longest questions of the quiz (the worst
case for the big screen and the buttons). One phone reloads mid-question and carries on with
its score. Screenshots of the host screen (lobby, question, distribution with the top 10,
final ranking) and of a phone go to artifacts/ for a person to look at.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from bot.app import Assistant, EngineHolder
from bot.frontends.web import WebSettings, create_app
from bot.live import LiveService
from bot.quiz import quiz_items
from bot.storage import Database
from tests.browser import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, needs_chromium
from tests.live.support import ADMIN, create_game, lexical_engine

from .harness import Running, serve

pytestmark = needs_chromium
NAMES = ("张三", "李四<b>", "Wang Wu")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Running]:
    engine = lexical_engine()
    items = quiz_items(engine.kb, 0)
    longest = sorted(items, key=lambda i: len(i.question) + sum(map(len, i.options)))[-2:]
    database = Database(f"sqlite:///{tmp_path_factory.mktemp('live') / 'live.db'}")
    live = LiveService(database, lambda: longest, rng=random.Random(3))
    assistant = Assistant(EngineHolder(engine), None, None, live)
    with serve(create_app(assistant, WebSettings(), admin_token=ADMIN)) as running:
        yield running


@pytest.fixture
def browser() -> Iterator[Any]:
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


def open_page(browser: Any, url: str, *, phone: bool) -> Any:
    if phone:
        context = browser.new_context(
            viewport={"width": 390, "height": 844},
            device_scale_factor=2,
            is_mobile=True,
            has_touch=True,
            locale="zh-CN",
        )
    else:
        context = browser.new_context(viewport={"width": 1920, "height": 1080}, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(15_000)
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.on("dialog", lambda d: (problems.append(f"dialog: {d.message}"), d.dismiss()))
    page.problems = problems
    page.goto(url)
    return page


# Text that is cut off: outside the window, or outside a box that clips its content (text
# meant to be shortened, with an ellipsis or a line clamp, excepted).
OVERFLOW = """() => {
  const out = [];
  const w = window.innerWidth, h = window.innerHeight;
  const shortened = s => s.textOverflow === 'ellipsis' || s.webkitLineClamp !== 'none';
  for (const el of document.querySelectorAll('body *')) {
    const text = [...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim());
    const r = el.getBoundingClientRect();
    if (!text || r.width === 0 || r.height === 0 || shortened(getComputedStyle(el))) continue;
    const name = el.id || el.className || el.tagName;
    if (r.right > w + 1 || r.bottom > h + 1 || r.left < -1 || r.top < -1) out.push(name);
    for (let a = el.parentElement; a && a !== document.documentElement; a = a.parentElement) {
      const s = getComputedStyle(a);
      if (s.overflowX === 'visible' && s.overflowY === 'visible') continue;
      if (shortened(s)) break;
      const b = a.getBoundingClientRect();
      if (r.right > b.right + 1 || r.bottom > b.bottom + 1) out.push(name + ' in ' + (a.id || a.className));
    }
  }
  return out;
}"""


def shot(page: Any, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / name
    page.screenshot(path=str(path))
    return path


def answer(phone: Any, index: int) -> None:
    phone.locator("#q-options .lp-option").nth(index).click()
    phone.wait_for_function(
        "() => document.querySelector('#q-status').textContent.includes('已提交')"
    )


def test_a_whole_game_with_a_host_screen_and_three_phones(site: Running, browser: Any) -> None:
    with httpx.Client(base_url=site.url) as client:
        game = create_game(client, questions=2, seconds=90)
    host = open_page(browser, game["host_url"], phone=False)
    host.locator("#h-lobby").wait_for()
    assert "#key=" not in host.url  # the key left the address bar
    assert host.locator("#h-pin").inner_text() == game["pin"]
    host.wait_for_function("() => document.querySelector('#h-qr').naturalWidth > 0")

    phones = []
    for name in NAMES:
        phone = open_page(browser, f"{site.url}/live?pin={game['pin']}", phone=True)
        assert phone.locator("#pin").input_value() == game["pin"]
        phone.fill("#name", name)
        phone.click("#join-button")
        phone.locator("#lobby").wait_for()
        phones.append(phone)
    host.wait_for_function("() => document.querySelectorAll('#h-names li').length === 3")
    shown = host.locator("#h-names li").all_inner_texts()
    assert sorted(shown) == sorted(NAMES)  # markup in a nickname is shown as typed
    assert host.locator("#h-names b").count() == 0
    shot(host, "live-host-lobby.png")
    assert host.evaluate(OVERFLOW) == []

    # Question 1: everyone answers; the host sees the count, never the right answer.
    host.click("#c-start")
    host.locator("#h-question").wait_for()
    for phone in phones:
        phone.locator("#q-options .lp-option").first.wait_for()
    right = None
    with httpx.Client(base_url=site.url) as client:
        state = client.get(
            f"/api/live/{game['pin']}/host", headers={"X-Host-Key": game["host_key"]}
        ).json()
    options = len(state["question"]["options"])
    assert host.locator(".lh-option").count() == options
    answer(phones[0], 0)
    answer(phones[1], 1)
    answer(phones[2], 0)
    phones[0].locator("#q-options .lp-option").nth(1).click(force=True)  # a second tap
    host.wait_for_function(
        "() => document.querySelector('#h-answered').textContent.startsWith('已作答 3')"
    )
    assert host.locator(".lh-right").count() == 0
    shot(host, "live-host-question.png")
    assert host.evaluate(OVERFLOW) == []
    assert phones[1].evaluate(OVERFLOW) == []
    shot(phones[1], "live-phone-question.png")

    # Reveal: distribution, the right answer with its source, the top 10.
    host.click("#c-next")
    host.locator("#h-reveal").wait_for()
    host.locator("#h-top li").first.wait_for()
    right = int(
        host.evaluate(
            "() => [...document.querySelectorAll('.lh-option')]"
            ".findIndex(li => li.classList.contains('lh-right'))"
        )
    )
    counts = host.locator(".lh-num").all_inner_texts()
    assert counts[0] == "2 人" and counts[1] == "1 人"
    assert host.locator("#h-source").inner_text().startswith("来源：《")
    assert host.locator("#h-top li").count() == 3
    shot(host, "live-host-reveal.png")
    assert host.evaluate(OVERFLOW) == []
    for index, phone in enumerate(phones):
        phone.locator("#reveal").wait_for()
        chose = 1 if index == 1 else 0
        verdict = phone.locator("#r-verdict").inner_text()
        assert verdict == ("回答正确！" if chose == right else "回答错误")
        assert phone.locator("#r-source").inner_text().startswith("来源：《")
        assert "第" in phone.locator("#r-rank").inner_text()
    shot(phones[0], "live-phone-reveal.png")
    score_before = phones[2].locator("#me-score").inner_text()

    # Question 2: one phone reloads mid-question and still answers, with its score kept.
    host.click("#c-next")
    host.wait_for_function(
        "() => document.querySelector('#h-progress').textContent.includes('2 /')"
    )
    for phone in phones:
        phone.wait_for_function(
            "() => document.querySelector('#q-progress').textContent.includes('2 /')"
        )
    phones[2].reload()
    phones[2].wait_for_function(
        "() => document.querySelector('#q-progress').textContent.includes('2 /')"
    )
    assert phones[2].locator("#me-score").inner_text() == score_before
    for index, phone in enumerate(phones):
        answer(phone, index)  # three different answers: a ranking with places
    host.wait_for_function(
        "() => document.querySelector('#h-answered').textContent.startsWith('已作答 3')"
    )
    host.click("#c-next")
    host.locator("#h-reveal").wait_for()
    host.click("#c-next")  # after the last question: the final ranking
    host.locator("#h-final").wait_for()
    host.locator("#h-final-top li").first.wait_for()
    assert host.locator("#h-final-top li").count() == 3
    shot(host, "live-host-final.png")
    assert host.evaluate(OVERFLOW) == []
    for phone in phones:
        phone.locator("#final").wait_for()
        assert phone.locator("#f-top li").count() == 3
        assert "分" in phone.locator("#f-rank").inner_text()
    shot(phones[1], "live-phone-final.png")

    with httpx.Client(base_url=site.url) as client:
        results = client.get(f"/api/live/{game['pin']}/results").json()
    assert [q["answered"] for q in results["questions"]] == [3, 3]  # the second tap: once
    for page in [host, *phones]:
        assert page.problems == []
        page.context.close()
