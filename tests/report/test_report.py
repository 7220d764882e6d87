"""The campaign report: its numbers equal the database's, periods, empty data, fonts, escaping.

The reference numbers are counted here straight from the tables (plain SQL and Python), not
through bot.stats, so a mistake there cannot hide in both.
"""

from __future__ import annotations

import asyncio
import warnings
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from sqlalchemy import func, select

from bot import stats
from bot.cli import main as cli_main
from bot.engine import Engine
from bot.quiz.models import QuizAnswer, QuizPoll, QuizRound
from bot.report import ReportError, write_report
from bot.report import fonts as report_fonts
from bot.report.charts import Charts, inline_svg
from bot.stats import DayCount, KindCounts, Period
from bot.storage import Database, QuestionLog, QuestionRecord
from bot.storage.migrations import current_revision, head_revisions
from tests.databases import drop_all

from .conftest import Demo, Page, fill, read_page

REPO = Path(__file__).resolve().parents[2]


async def truth(url: str, since: date | None = None, until: date | None = None) -> dict[str, Any]:
    """The figures the report must show, counted directly from the tables."""

    def in_period(moment: datetime) -> bool:
        day = moment.astimezone(UTC).date()
        return (since is None or day >= since) and (until is None or day <= until)

    db = Database(url)
    try:
        async with db.session() as session:
            rows = (
                await session.execute(
                    select(
                        QuestionRecord.created_at,
                        QuestionRecord.kind,
                        QuestionRecord.user_hash,
                        QuestionRecord.entry,
                        QuestionRecord.frontend,
                        QuestionRecord.delivered,
                    )
                )
            ).all()
            rounds = (
                await session.execute(select(QuizRound.id, QuizRound.chat_id, QuizRound.started_at))
            ).all()
            answers = (
                await session.execute(
                    select(
                        QuizAnswer.round_id,
                        QuizAnswer.chat_id,
                        QuizAnswer.user_hash,
                        QuizAnswer.points,
                        QuizAnswer.received_at,
                    )
                )
            ).all()
            polls = int(await session.scalar(select(func.count()).select_from(QuizPoll)) or 0)
    finally:
        await db.dispose()
    questions = [r for r in rows if in_period(r.created_at)]
    chosen_rounds = {r.id: r.chat_id for r in rounds if in_period(r.started_at)}
    round_answers = [a for a in answers if a.round_id in chosen_rounds]
    practice = [a for a in answers if a.round_id is None and in_period(a.received_at)]
    points: Counter[int] = Counter()
    for a in round_answers:
        points[a.chat_id] += a.points
    return {
        "questions": len(questions),
        "kinds": Counter(r.kind for r in questions),
        "askers": len({r.user_hash for r in questions}),
        "per_day": Counter(r.created_at.astimezone(UTC).date().isoformat() for r in questions),
        "entries": Counter(r.entry for r in questions if r.kind == "answer" and r.entry),
        "channels": Counter(r.frontend for r in questions),
        "undelivered": sum(1 for r in questions if r.delivered is False),
        "rounds": len(chosen_rounds),
        "rounds_per_group": Counter(chosen_rounds.values()),
        "groups": len(set(chosen_rounds.values())),
        "participants": len({a.user_hash for a in round_answers}),
        "quiz_answers": len(round_answers),
        "points": points,
        "practice": len(practice),
        "polls": polls,
    }


async def revision_of(url: str) -> str | None:
    db = Database(url)
    try:
        async with db.engine.connect() as connection:
            return await connection.run_sync(current_revision)
    finally:
        await db.dispose()


def report(url: str, out: Path, since: date | None = None, until: date | None = None) -> Page:
    write_report(url, out, since=since, until=until)
    return read_page(out)


def check_against(page: Page, expected: dict[str, Any]) -> None:
    data = page.data
    kinds = expected["kinds"]
    assert data["questions"] == expected["questions"]
    assert data["askers"] == expected["askers"]
    assert data["kinds"] == {
        k: kinds.get(k, 0) for k in ("answer", "clarify", "smalltalk", "fallback")
    }
    assert {d["day"]: d["total"] for d in data["per_day"] if d["total"]} == dict(
        expected["per_day"]
    )
    assert sum(d["total"] for d in data["per_day"]) == expected["questions"]
    top = data["top_entries"]
    assert top and all(expected["entries"][e["entry"]] == e["count"] for e in top)
    assert top[0]["count"] == max(expected["entries"].values())
    assert data["unanswered"]["questions"] == kinds.get("fallback", 0)
    assert {c: n for c, n in data["by_channel"].items() if n} == dict(expected["channels"])
    assert data["undelivered"] == expected["undelivered"]
    channel_rows = page.tables["channels-table"][1:]
    assert sum(int(row[1]) for row in channel_rows) == expected["questions"]
    assert len(channel_rows) == len(expected["channels"])
    quiz = data["quiz"]
    assert quiz["rounds"] == expected["rounds"]
    assert quiz["groups"] == expected["groups"]
    assert quiz["participants"] == expected["participants"]
    assert quiz["answers"] == expected["quiz_answers"]
    assert quiz["points"] == sum(expected["points"].values())
    for group in quiz["per_group"]:
        assert group["rounds"] == expected["rounds_per_group"][group["chat_id"]]
        assert group["points"] == expected["points"][group["chat_id"]]
    assert data["practice"]["answers"] == expected["practice"]
    # What a reader sees: the summary cards and the tables hold the same numbers.
    assert page.cards["questions"] == str(expected["questions"])
    assert page.cards["askers"] == str(expected["askers"])
    for kind in ("answer", "clarify", "fallback"):
        assert page.cards[kind] == str(kinds.get(kind, 0))
    assert page.cards["rounds"] == str(expected["rounds"])
    assert page.cards["groups"] == str(expected["groups"])
    assert page.cards["participants"] == str(expected["participants"])
    kinds_table = {row[0]: int(row[1]) for row in page.tables["kinds-table"][1:]}
    assert sum(kinds_table.values()) == expected["questions"]
    quiz_rows = page.tables["quiz-table"][1:]
    assert sum(int(row[1]) for row in quiz_rows) == expected["rounds"]
    assert sum(int(row[9]) for row in quiz_rows) == sum(expected["points"].values())
    day_rows = page.tables["per-day-table"][1:]
    assert sum(int(row[1]) for row in day_rows) == expected["questions"]


# -- the demo campaign -------------------------------------------------------------------------


def test_the_demo_report_matches_the_database(demo_sqlite: Demo, tmp_path: Path) -> None:
    page = report(demo_sqlite.url, tmp_path / "report.html")
    expected = asyncio.run(truth(demo_sqlite.url))
    check_against(page, expected)
    # …and what the demo script says it wrote.
    totals = demo_sqlite.totals
    assert expected["questions"] == totals.questions
    assert dict(expected["kinds"]) == dict(totals.kinds)
    assert expected["rounds"] == totals.rounds and expected["groups"] == totals.groups
    assert expected["quiz_answers"] == totals.quiz_answers
    assert expected["practice"] == totals.practice_answers
    # A realistic campaign: every kind, several weeks, several groups.
    assert all(totals.kinds[k] > 0 for k in ("answer", "clarify", "smalltalk", "fallback"))
    assert len(page.data["per_day"]) == 21 and expected["groups"] == 3
    assert len(page.tables["unanswered-table"]) > 5
    # Every chart is there, with Chinese labels for screen readers.
    titles = ["每日问题数", "回答类型", "热门问题主题", "各群测验轮数", "各群参与人数和得分"]
    for title in titles:
        assert f">{title}</title>" in page.html
    assert page.html.count("<svg") == len(titles)


def test_since_and_until_are_inclusive_utc_days(demo_sqlite: Demo, tmp_path: Path) -> None:
    start = demo_sqlite.totals.first_day
    since, until = start + timedelta(days=3), start + timedelta(days=9)
    page = report(demo_sqlite.url, tmp_path / "period.html", since, until)
    expected = asyncio.run(truth(demo_sqlite.url, since, until))
    assert 0 < expected["questions"] < demo_sqlite.totals.questions
    check_against(page, expected)
    days = [d["day"] for d in page.data["per_day"]]
    assert days[0] == since.isoformat() and days[-1] == until.isoformat() and len(days) == 7
    assert page.data["period"] == {"since": since.isoformat(), "until": until.isoformat()}
    assert f"{since} 至 {until}" in page.html
    # One day: since == until.
    single = report(demo_sqlite.url, tmp_path / "day.html", since, since)
    assert [d["day"] for d in single.data["per_day"]] == [since.isoformat()]
    assert single.data["questions"] == expected["per_day"][since.isoformat()]


def test_the_cli_writes_the_report(demo_sqlite: Demo, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "nested" / "cli.html"
    assert cli_main(["report", "--out", str(out), "--database", demo_sqlite.url]) == 0
    printed = capsys.readouterr().out
    assert printed.startswith(f"wrote {out}: {demo_sqlite.totals.questions} questions")
    assert out.is_file() and read_page(out).data["questions"] == demo_sqlite.totals.questions
    assert (
        cli_main(["report", "--out", str(out), "--database", demo_sqlite.url, "--since", "x"]) == 2
    )


async def test_the_report_reads_postgresql_too(
    empty_url: str, engine: Engine, demo_module: ModuleType, tmp_path: Path
) -> None:
    """The same demo campaign in whichever database: the report equals the database."""
    totals = await fill(empty_url, engine, demo_module)
    page = await asyncio.to_thread(report, empty_url, tmp_path / "report.html")
    expected = await truth(empty_url)
    check_against(page, expected)
    assert expected["questions"] == totals.questions


# -- edge cases ----------------------------------------------------------------------------------


async def test_an_empty_database_gives_a_page_saying_so(empty_url: str, tmp_path: Path) -> None:
    out = tmp_path / "empty.html"
    summary = await asyncio.to_thread(write_report, empty_url, out)
    assert summary.startswith("no data")
    page = read_page(out)
    assert page.html.startswith("<!doctype html>") and page.html.rstrip().endswith("</html>")
    assert "所选时间内没有数据。" in page.texts
    assert page.data["questions"] == 0 and page.data["per_day"] == []
    assert page.data["quiz"]["rounds"] == 0
    assert all(value == "0" for value in page.cards.values())
    assert "<svg" not in page.html
    # A period with no data in a database with data says the same.
    assert "no-data" in page.ids


def test_a_period_without_data_says_there_is_none(demo_sqlite: Demo, tmp_path: Path) -> None:
    page = report(demo_sqlite.url, tmp_path / "x.html", date(2030, 1, 1), date(2030, 1, 31))
    assert "所选时间内没有数据。" in page.texts and page.data["questions"] == 0


def test_a_reversed_period_is_a_report_error(demo_sqlite: Demo, tmp_path: Path) -> None:
    with pytest.raises(ReportError, match="after"):
        write_report(demo_sqlite.url, tmp_path / "x.html", date(2024, 5, 2), date(2024, 5, 1))


def test_a_missing_database_file_is_created_and_reported_empty(tmp_path: Path) -> None:
    """A fresh checkout: no data/ directory, no database file; the report is the empty one."""
    missing = tmp_path / "nowhere" / "bot.db"
    out = tmp_path / "x.html"
    assert write_report(f"sqlite:///{missing}", out) == "no data in period 全部"
    page = read_page(out)
    assert "所选时间内没有数据。" in page.texts and page.data["questions"] == 0
    assert page.data["by_channel"] == dict.fromkeys(stats.CHANNELS, 0)
    assert missing.is_file()  # created with the schema, at the newest revision
    assert asyncio.run(revision_of(f"sqlite:///{missing}")) == head_revisions()[0]


def test_a_bad_database_url_is_a_report_error(tmp_path: Path) -> None:
    with pytest.raises(ReportError, match="bad database URL"):
        write_report("mysql://nowhere/db", tmp_path / "x.html")
    assert not (tmp_path / "x.html").exists()


def test_without_a_cjk_font_the_report_fails_clearly(
    demo_sqlite: Demo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:  # type: ignore[no-untyped-def]
    latin_only = [e for e in report_fonts._entries() if "DejaVu" in e.name]
    monkeypatch.setattr(report_fonts, "_entries", lambda: latin_only)
    out = tmp_path / "report.html"
    with pytest.raises(ReportError, match="fonts-noto-cjk"):
        write_report(demo_sqlite.url, out)
    assert not out.exists()  # no page with empty boxes
    assert cli_main(["report", "--out", str(out), "--database", demo_sqlite.url]) == 1
    assert "no font with Chinese glyphs" in capsys.readouterr().err


def test_a_font_without_chinese_glyphs_is_not_taken() -> None:
    entries = report_fonts._entries()
    dejavu = [e for e in entries if e.name == "DejaVu Sans"]
    assert dejavu, "matplotlib ships DejaVu Sans"
    # Even when it claims a CJK family name, a font must hold the glyphs.
    fake = [type(e)(**{**vars(e), "name": "Noto Sans CJK SC"}) for e in dejavu]
    with pytest.raises(report_fonts.NoCjkFont):
        report_fonts.find_cjk_font(fake)


def test_user_text_is_escaped(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'xss.db'}"

    async def fill_xss() -> None:
        log = QuestionLog(Database(url), "s")
        await log.prepare()
        for text in ("<script>alert(1)</script>", "</script><img src=x onerror=alert(2)>"):
            await log.record(
                user_id=1,
                chat_type="private",
                frontend="web",
                question=text,
                kind="fallback",
                intent="search",
                entry=None,
                confidence=0.0,
            )
        await log.close()

    asyncio.run(fill_xss())
    page = report(url, tmp_path / "xss.html")
    assert "<script>alert" not in page.html and "<img src=x" not in page.html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.html
    assert page.html.count("</script>") == 1  # only the data block's own end tag
    assert page.data["unanswered"]["top"][0]["text"].startswith(("<", "</"))
    assert "script-src" not in page.html and "default-src 'none'" in page.html


async def test_questions_per_channel(empty_url: str, tmp_path: Path) -> None:
    """Two channels: a chart and a table per channel, kinds and undelivered replies counted."""
    log = QuestionLog(Database(empty_url), "s")
    await log.prepare()
    when = datetime(2024, 5, 6, 9, tzinfo=UTC)
    written = [
        ("telegram", 1, "answer", None),
        ("telegram", 2, "fallback", False),
        ("telegram", 2, "answer", True),
        ("web", "token-a", "answer", None),
        ("web", "token-b", "clarify", False),
    ]
    for channel, user, kind, delivered in written:
        await log.record(
            user_id=user,
            chat_type="private" if channel == "telegram" else "page",
            frontend=channel,
            question="问",
            kind=kind,
            intent="search",
            entry="e1" if kind == "answer" else None,
            confidence=0.9,
            created_at=when,
            delivered=delivered,
        )
    await log.close()
    page = await asyncio.to_thread(report, empty_url, tmp_path / "channels.html")
    expected = await truth(empty_url)
    assert dict(expected["channels"]) == {"telegram": 3, "web": 2}
    assert expected["undelivered"] == 2
    assert page.data["by_channel"] == {**dict.fromkeys(stats.CHANNELS, 0), "telegram": 3, "web": 2}
    assert page.data["undelivered"] == 2
    telegram, web = page.data["channels"]
    assert telegram == {
        "channel": "telegram",
        "questions": 3,
        "askers": 2,
        "kinds": {"answer": 2, "clarify": 0, "smalltalk": 0, "fallback": 1},
        "undelivered": 1,
    }
    assert (web["channel"], web["questions"], web["askers"], web["undelivered"]) == ("web", 2, 2, 1)
    rows = page.tables["channels-table"]
    assert rows[0][:4] == ["渠道", "问题数", "占比", "提问人数"] and rows[0][-1] == "未送达"
    assert rows[1][:4] == ["Telegram", "3", "60.0%", "2"] and rows[1][-1] == "1"
    assert rows[2][:4] == ["网页", "2", "40.0%", "2"]
    assert ">各渠道问题数</title>" in page.html
    assert "其中 2 次回答未能送达用户。" in page.texts


# -- charts ------------------------------------------------------------------------------------------


def test_charts_draw_chinese_with_the_cjk_font() -> None:
    font = report_fonts.find_cjk_font()
    charts = Charts(font)
    kinds = KindCounts({"answer": 7, "clarify": 2, "smalltalk": 1, "fallback": 3})
    days = [
        DayCount(date(2024, 5, 1) + timedelta(days=i), 3, {"answer": 2, "fallback": 1})
        for i in range(5)
    ]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        svgs = [charts.answer_kinds(kinds), charts.questions_per_day(days)]
    missing = [str(w.message) for w in caught if "missing from" in str(w.message).lower()]
    assert missing == []
    for svg in svgs:
        assert svg.startswith("<svg") and "<?xml" not in svg and "<!--" not in svg
        assert 'style="width:100%;height:auto"' in svg
    # Glyph outlines come from the CJK font, not from DejaVu boxes.
    assert "CJK" in svgs[0] or "Han" in svgs[0] or "Hei" in svgs[0]


def test_inline_svgs_get_unique_ids() -> None:
    svg = (
        '<?xml version="1.0"?>\n<svg width="10pt" height="5pt" viewBox="0 0 10 5">'
        '<defs><path id="g1"/><clipPath id="c1"/></defs>'
        '<use xlink:href="#g1"/><g clip-path="url(#c1)"/><a href="#elsewhere"/></svg>'
    )
    one, two = inline_svg(svg, "chart1", "甲"), inline_svg(svg, "chart2", "<乙>")
    assert 'id="chart1-g1"' in one and 'xlink:href="#chart1-g1"' in one
    assert "url(#chart1-c1)" in one and 'href="#elsewhere"' in one
    assert 'id="chart2-g1"' in two and "&lt;乙&gt;" in two
    assert 'width="10pt"' not in one and 'viewBox="0 0 10 5"' in one


def test_page_ids_are_unique(demo_sqlite: Demo, tmp_path: Path) -> None:
    page = report(demo_sqlite.url, tmp_path / "ids.html")
    duplicated = [i for i, n in Counter(page.ids).items() if n > 1]
    assert duplicated == []


def test_period_texts() -> None:
    assert str(Period()) == "全部"
    assert str(Period(date(2024, 5, 1), None)) == "2024-05-01 至 …"


async def test_tables_created_later_read_as_empty(tmp_path: Path) -> None:
    """An older database holding only the question log still gets a report."""
    url = f"sqlite:///{tmp_path / 'old.db'}"
    db = Database(url)
    async with db.engine.begin() as connection:
        await connection.run_sync(QuestionRecord.__table__.create)  # type: ignore[attr-defined]
    await db.dispose()
    out = tmp_path / "old.html"
    await asyncio.to_thread(write_report, url, out)
    assert read_page(out).data["quiz"]["rounds"] == 0
    await drop_all(url)


# -- groups by name, and readable axes -------------------------------------------------------------


def test_groups_are_named_by_their_titles_or_a_short_label(
    demo_sqlite: Demo, tmp_path: Path
) -> None:
    """A group is called by the title Telegram last gave it (stored by the quiz commands),
    else 群 1, 群 2, …; a raw chat id never shows on the page."""
    import shutil

    from bot.quiz.titles import remember_title

    copy = tmp_path / "titled.db"
    shutil.copy(demo_sqlite.url.removeprefix("sqlite:///"), copy)
    url = f"sqlite:///{copy}"

    async def name_groups() -> list[int]:
        db = Database(url)
        try:
            groups = await stats.quiz_groups(db, stats.ALL_TIME)
            await remember_title(db, groups[0].chat_id, "石家庄 宣贯<群>")
            await remember_title(db, groups[1].chat_id, "石家庄 宣贯<群>")  # two of a name
            return [g.chat_id for g in groups]
        finally:
            await db.dispose()

    chat_ids = asyncio.run(name_groups())
    assert len(chat_ids) == 3
    page = report(url, tmp_path / "titled.html")
    names = [row[0] for row in page.tables["quiz-table"][1:]]
    assert names == ["石家庄 宣贯<群>", "石家庄 宣贯<群>（2）", "群 1"]
    assert [g["name"] for g in page.data["quiz"]["per_group"]] == names
    assert "石家庄 宣贯&lt;群&gt;" in page.html  # escaped like every stored text
    visible = "\n".join(page.texts)
    assert not any(str(chat_id) in visible for chat_id in chat_ids)
    assert "群 -100" not in page.html


def test_count_axes_have_few_ticks_with_readable_numbers() -> None:
    from matplotlib.figure import Figure

    from bot.report.charts import COUNT_TICKS, count_axis, thousands

    assert [thousands(v) for v in (0, 7, 1600, 24000, 125000)] == [
        "0",
        "7",
        "1,600",
        "24,000",
        "12.5万",
    ]
    figure = Figure(figsize=(3.5, 2))
    axes = figure.subplots()
    axes.barh(["a", "b"], [4917, 1828])
    axes.set_xlim(0, 4917 * 1.6)
    count_axis(axes.xaxis)
    ticks = [t for t in axes.get_xticks() if 0 <= t <= 4917 * 1.6]
    assert 2 <= len(ticks) <= COUNT_TICKS + 1
    labels = [axes.xaxis.get_major_formatter()(t, i) for i, t in enumerate(ticks)]
    assert labels[:3] == ["0", "2,000", "4,000"]
