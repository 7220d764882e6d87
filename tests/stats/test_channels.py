"""bot.stats.channels: questions per channel with their kinds and askers, undelivered replies,
and the channel breakdown of unanswered questions."""

from __future__ import annotations

from datetime import date, timedelta

from bot import stats
from bot.stats import Period
from bot.storage import Database, QuestionLog

from .conftest import NOW, ask


async def test_an_empty_database_has_no_channels(db: Database) -> None:
    assert await stats.channel_counts(db) == []
    assert await stats.undelivered(db) == 0
    assert stats.by_channel([]) == dict.fromkeys(stats.CHANNELS, 0)
    assert list(stats.CHANNELS) == ["telegram", "web", "console", "wechat", "wecom", "live"]


async def test_questions_kinds_and_askers_per_channel(db: Database, log: QuestionLog) -> None:
    for user in (1, 2, 2):
        await ask(log, NOW, user=user)  # telegram answers
    await ask(log, NOW, kind="fallback", entry=None, user=2)
    for token in ("a", "b", "c", "a"):
        await ask(log, NOW, kind="clarify", entry=None, user=token, channel="web")
    await ask(log, NOW, user="a", channel="web")
    await ask(log, NOW, kind="smalltalk", entry=None, channel="wecom")
    channels = await stats.channel_counts(db)
    # Most questions first.
    assert [(c.channel, c.total, c.askers) for c in channels] == [
        ("web", 5, 3),
        ("telegram", 4, 2),
        ("wecom", 1, 1),
    ]
    web, telegram, wecom = channels
    assert dict(web.kinds.counts) == {"answer": 1, "clarify": 4, "smalltalk": 0, "fallback": 0}
    assert dict(telegram.kinds.counts) == {"answer": 3, "clarify": 0, "smalltalk": 0, "fallback": 1}
    assert wecom.kinds["smalltalk"] == 1
    # The channels add up to the kinds of every question.
    kinds = await stats.kind_counts(db)
    for kind in stats.KINDS:
        assert sum(c.kinds[kind] for c in channels) == kinds[kind]
    assert stats.by_channel(channels) == {
        "telegram": 4,
        "web": 5,
        "console": 0,
        "wechat": 0,
        "wecom": 1,
        "live": 0,
    }


async def test_equal_channels_keep_the_known_order(db: Database, log: QuestionLog) -> None:
    for channel in ("live", "web", "telegram"):
        await ask(log, NOW, channel=channel)
    assert [c.channel for c in await stats.channel_counts(db)] == ["telegram", "web", "live"]


async def test_channels_in_a_period(db: Database, log: QuestionLog) -> None:
    await ask(log, NOW, channel="web")
    await ask(log, NOW - timedelta(days=3), channel="telegram")
    today = NOW.date()
    channels = await stats.channel_counts(db, Period(since=today))
    assert [(c.channel, c.total) for c in channels] == [("web", 1)]
    before = await stats.channel_counts(db, Period(until=today - timedelta(days=1)))
    assert [(c.channel, c.total) for c in before] == [("telegram", 1)]
    assert await stats.channel_counts(db, Period(date(2030, 1, 1), date(2030, 1, 2))) == []


async def test_only_delivered_false_counts_as_undelivered(db: Database, log: QuestionLog) -> None:
    await ask(log, NOW, delivered=None)  # not known: delivered
    await ask(log, NOW, delivered=True)
    await ask(log, NOW, delivered=False)
    await ask(log, NOW, channel="web", delivered=False)
    await ask(log, NOW - timedelta(days=2), channel="web", delivered=False)
    assert await stats.undelivered(db) == 3
    assert await stats.undelivered(db, Period(since=NOW.date())) == 2
    per_channel = {c.channel: c.undelivered for c in await stats.channel_counts(db)}
    assert per_channel == {"telegram": 1, "web": 2}


async def test_unanswered_groups_count_their_channels(db: Database, log: QuestionLog) -> None:
    for channel, text in (
        ("web", "专利申请要交多少钱"),
        ("telegram", "專利申請要交多少錢？"),
        ("web", "专利申请要交多少钱呢"),
        ("wechat", "商标注册要多久"),
    ):
        await ask(log, NOW, text, kind="fallback", entry=None, channel=channel)
    groups = await stats.unanswered(db)
    assert [(g.normalized, g.count, dict(g.channels)) for g in groups] == [
        ("专利申请要交多少钱", 3, {"web": 2, "telegram": 1}),
        ("商标注册要多久", 1, {"wechat": 1}),
    ]
