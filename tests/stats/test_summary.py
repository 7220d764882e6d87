"""bot.stats.summary and bot.stats.text: what /stats shows, its JSON object and its plain
text, the same figures as the functions they are built from and as the Telegram message."""

from __future__ import annotations

import html
import json
import re
from datetime import date, timedelta

from bot import stats
from bot.frontends.telegram.admin import stats_html
from bot.stats import Period
from bot.storage import Database, QuestionLog

from .conftest import NOW, ask

JSON_KEYS = {
    "period",
    "questions",
    "today",
    "last_7_days",
    "askers",
    "by_kind",
    "by_channel",
    "channels",
    "top_entries",
    "unanswered_top",
    "undelivered",
    "records_lost",
    "quiz",
    "live",
}


async def test_the_json_of_an_empty_database(db: Database) -> None:
    data = stats.stats_json(await stats.admin_summary(db, now=NOW))
    assert set(data) == JSON_KEYS
    assert data["questions"] == 0 and data["askers"] == 0
    assert data["by_kind"] == {"answer": 0, "clarify": 0, "smalltalk": 0, "fallback": 0}
    assert data["by_channel"] == dict.fromkeys(stats.CHANNELS, 0)
    assert data["unanswered_top"] == [] and data["top_entries"] == []
    assert data["undelivered"] == 0 and data["records_lost"] == 0
    assert data["quiz"]["rounds"] == 0 and data["quiz"]["practice"]["answers"] == 0
    assert data["live"] == {
        "games": 0,
        "finished": 0,
        "players": 0,
        "answers": 0,
        "correct": 0,
        "points": 0,
    }
    assert data["period"] == {"since": None, "until": None}
    json.dumps(data)  # serialisable as it is


async def _campaign(log: QuestionLog) -> None:
    """Questions through Telegram and the web page over two weeks."""
    await ask(log, NOW, entry="a-entry", user=1)
    await ask(log, NOW, entry="a-entry", user=2, channel="web")
    await ask(log, NOW - timedelta(days=1), entry="b-entry", user=3, channel="web")
    await ask(log, NOW - timedelta(days=2), "专利年费多少钱", "fallback", None, user=4)
    await ask(log, NOW - timedelta(days=2), "专利年费多少钱呢", "fallback", None, 5, "web")
    await ask(log, NOW - timedelta(days=9), "商标怎么注册", "fallback", None, user=6)
    await ask(log, NOW - timedelta(days=9), "你好", "smalltalk", None, user=6, delivered=False)
    await ask(log, NOW, "说明", "clarify", None, user=7, channel="web", delivered=False)


async def test_the_json_holds_the_same_figures_as_the_functions(
    db: Database, log: QuestionLog
) -> None:
    await _campaign(log)
    summary = await stats.admin_summary(db, {"a-entry": "甲"}, now=NOW)
    data = stats.stats_json(summary, records_lost=4)
    assert set(data) == JSON_KEYS
    assert (data["questions"], data["today"], data["last_7_days"]) == (8, 3, 6)
    assert data["askers"] == await stats.askers(db) == 7
    assert data["by_kind"] == dict((await stats.kind_counts(db)).counts)
    assert data["by_kind"] == {"answer": 3, "clarify": 1, "smalltalk": 1, "fallback": 3}
    assert data["by_channel"] == {**dict.fromkeys(stats.CHANNELS, 0), "telegram": 4, "web": 4}
    assert sum(data["by_channel"].values()) == data["questions"]
    assert data["channels"]["web"] == {
        "questions": 4,
        "askers": 4,
        "by_kind": {"answer": 2, "clarify": 1, "smalltalk": 0, "fallback": 1},
        "undelivered": 1,
    }
    assert data["channels"]["telegram"]["undelivered"] == 1
    assert data["channels"]["live"]["questions"] == 0
    assert data["top_entries"][0] == {"entry": "a-entry", "title": "甲", "count": 2}
    top = data["unanswered_top"]
    assert [(q["question"], q["count"], q["users"], q["channels"]) for q in top] == [
        ("专利年费多少钱", 2, 2, {"telegram": 1, "web": 1}),
        ("商标怎么注册", 1, 1, {"telegram": 1}),
    ]
    assert sum(q["count"] for q in top) == data["by_kind"]["fallback"]
    assert data["undelivered"] == 2 and data["records_lost"] == 4


async def test_a_period_bounds_every_figure(db: Database, log: QuestionLog) -> None:
    await _campaign(log)
    last_three_days = Period(NOW.date() - timedelta(days=2), NOW.date())
    summary = await stats.admin_summary(db, now=NOW, period=last_three_days)
    data = stats.stats_json(summary)
    assert data["period"] == {
        "since": (NOW.date() - timedelta(days=2)).isoformat(),
        "until": NOW.date().isoformat(),
    }
    assert (data["questions"], data["today"], data["last_7_days"]) == (6, 3, 6)
    assert data["by_kind"]["smalltalk"] == 0 and data["undelivered"] == 1
    assert [q["question"] for q in data["unanswered_top"]] == ["专利年费多少钱"]
    # A period that ended before today has no "today".
    past = await stats.admin_summary(db, now=NOW, period=Period(until=date(2024, 5, 3)))
    assert (past.counts.total, past.counts.today, past.counts.last_7_days) == (2, 0, 0)


async def test_the_text_shows_the_channels(db: Database, log: QuestionLog) -> None:
    await _campaign(log)
    text = stats.stats_text(await stats.admin_summary(db, {"a-entry": "甲"}, now=NOW))
    lines = text.splitlines()
    assert lines[0] == "问答统计（按 UTC 日计）"
    assert "今天 3　近 7 天 6　累计 8" in lines
    assert "已回答 3（38%）　需澄清 1（12%）　未能回答 3（38%）　寒暄 1（12%）" in lines
    assert "提问人数 7" in lines and "回复未能送达 2" in lines
    at = lines.index("各渠道")
    assert lines[at + 1] == "Telegram 4 问，3 人：已回答 1　需澄清 0　未能回答 2　寒暄 1　未送达 1"
    assert lines[at + 2] == "网页 4 问，4 人：已回答 2　需澄清 1　未能回答 1　寒暄 0　未送达 1"
    assert "1. 甲 — 2 次" in lines
    assert "1. 专利年费多少钱 — 2 次（Telegram 1、网页 1）" in lines
    assert lines[-1] == "测验：0 个群 0 轮，0 人参与，作答 0 次；练习作答 0 次"
    assert "<" not in text  # plain text, no markup
    assert not any(line.startswith("未能记录") for line in lines)
    summary = await stats.admin_summary(db, now=NOW)
    assert "未能记录的提问 3" in stats.stats_text(summary, records_lost=3).splitlines()
    period = await stats.admin_summary(db, now=NOW, period=Period(since=date(2024, 5, 1)))
    assert "统计期间：2024-05-01 至 …" in stats.stats_text(period).splitlines()


async def test_telegram_shows_the_same_lines(db: Database, log: QuestionLog) -> None:
    await _campaign(log)
    await ask(log, NOW, "<b>怎么</b> & 办", "fallback", None, user=8)
    summary = await stats.admin_summary(db, now=NOW)
    message = stats_html(summary)
    assert "&lt;b&gt;怎么&lt;/b&gt; &amp; 办" in message and "<b>各渠道</b>" in message
    plain = html.unescape(re.sub(r"</?b>", "", message))
    assert plain == stats.stats_text(summary).replace(
        "未能回答最多的问题", "未能回答最多的问题（/unanswered 导出全部）"
    )
    assert "未能记录的提问 2" in stats_html(summary, records_lost=2)
