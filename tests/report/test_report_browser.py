"""The demo report in headless Chromium (Debian's package): it renders, charts and all.

Saves artifacts/report.png for a human to look at (the charts' Chinese labels are glyph
outlines, so they show even without fonts; the page text needs `fonts-noto-cjk`). Skipped
where /usr/bin/chromium is absent; `playwright install` is never used.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.report import write_report
from tests.browser import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, needs_chromium

from .conftest import Demo

pytestmark = needs_chromium


def test_the_report_renders_in_chromium(demo_sqlite: Demo, tmp_path: Path) -> None:
    sync_api = pytest.importorskip("playwright.sync_api")
    out = tmp_path / "report.html"
    write_report(demo_sqlite.url, out)
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        try:
            page = browser.new_page(viewport={"width": 1000, "height": 900}, locale="zh-CN")
            problems: list[str] = []
            page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda e: problems.append(str(e)))
            requests: list[str] = []
            page.on("request", lambda r: requests.append(r.url))
            page.goto(out.as_uri())
            # Every chart is laid out at a real size.
            sizes = page.eval_on_selector_all(
                "svg",
                "els => els.map(e => [e.getBoundingClientRect().width, "
                "e.getBoundingClientRect().height])",
            )
            assert len(sizes) == 5
            assert all(w > 500 and h > 100 for w, h in sizes), sizes
            # The page's own text has a CJK font to use.
            assert page.evaluate("document.fonts.check('16px \"Noto Sans CJK SC\"', '问题')")
            assert page.inner_text("h1") == "条例宣贯助手 · 活动报告"
            total = page.inner_text('[data-key="questions"]')
            assert total == str(demo_sqlite.totals.questions)
            page.screenshot(path=str(ARTIFACTS / "report.png"), full_page=True)
        finally:
            browser.close()
    assert problems == []
    assert requests == [out.as_uri()]  # self-contained: nothing else is fetched
    assert (ARTIFACTS / "report.png").stat().st_size > 50_000


def test_the_report_fits_a_phone_and_prints_every_table(demo_sqlite: Demo, tmp_path: Path) -> None:
    """At 390×844 (a phone) nothing is wider than the screen: wide tables scroll in their own
    box. Printed, the collapsed data tables are on paper too. Saves artifacts/report-phone.png
    and artifacts/report-print.png."""
    sync_api = pytest.importorskip("playwright.sync_api")
    out = tmp_path / "report.html"
    write_report(demo_sqlite.url, out)
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        try:
            context = browser.new_context(
                viewport={"width": 390, "height": 844},
                device_scale_factor=2,
                is_mobile=True,
                has_touch=True,
                locale="zh-CN",
            )
            page = context.new_page()
            page.goto(out.as_uri())
            assert page.evaluate("document.scrollingElement.scrollWidth") <= 390
            # Every chart is drawn at the column's width, and the wide quiz table scrolls
            # inside its box rather than widening the page.
            widths = page.eval_on_selector_all(
                "svg", "els => els.map(e => e.getBoundingClientRect().width)"
            )
            assert widths and all(300 < w <= 390 for w in widths), widths
            box = page.eval_on_selector(
                "#quiz-table", "t => [t.parentElement.clientWidth, t.scrollWidth]"
            )
            assert box[0] <= 390
            # Groups are named, not numbered by chat id.
            assert page.inner_text("#quiz-table tbody tr:first-child td:first-child") == "群 1"
            page.screenshot(path=str(ARTIFACTS / "report-phone.png"), full_page=True)
            context.close()

            paper = browser.new_page(viewport={"width": 794, "height": 1123}, locale="zh-CN")
            paper.goto(out.as_uri())
            paper.emulate_media(media="print")
            heights = paper.eval_on_selector_all(
                "table", "els => els.map(e => [e.id, e.getBoundingClientRect().height])"
            )
            assert heights and all(h > 0 for _, h in heights), heights
            assert paper.evaluate("document.scrollingElement.scrollWidth") <= 794
            height = paper.evaluate("document.documentElement.scrollHeight")
            paper.set_viewport_size({"width": 794, "height": height})
            paper.screenshot(path=str(ARTIFACTS / "report-print.png"))
            assert len(paper.pdf(format="A4", print_background=True)) > 50_000
        finally:
            browser.close()
