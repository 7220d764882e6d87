"""bot.stats.questions: counts, kinds, askers, top entries, unanswered and per-day figures,
checked against what was written: UTC day boundaries, inclusive periods, grouping of
unanswered questions."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from bot import stats
from bot.stats import Period
from bot.storage import Database, QuestionLog

from .conftest import NOW, ask


async def test_an_empty_database_has_zero_everywhere(db: Database) -> None:
    assert await stats.question_counts(db, now=NOW) == stats.QuestionCounts(0, 0, 0)
    kinds = await stats.kind_counts(db)
    assert kinds.total == 0 and kinds.share("answer") == 0.0
    assert dict(kinds.counts) == dict.fromkeys(stats.KINDS, 0)
    assert await stats.top_entries(db) == []
    assert await stats.unanswered(db) == []
    assert await stats.questions_per_day(db) == []
    assert await stats.quiz_groups(db) == []
    overview = await stats.overview(db)
    assert (overview.questions, overview.askers, overview.rounds, overview.participants) == (
        0,
        0,
        0,
        0,
    )
    summary = await stats.admin_summary(db, now=NOW)
    assert summary.counts.total == 0 and summary.unanswered == []


async def test_today_and_the_last_seven_days_are_utc_days(db: Database, log: QuestionLog) -> None:
    today = datetime(2024, 5, 10, tzinfo=UTC)
    times = [
        today,  # first moment of today: today
        NOW,  # today
        today - timedelta(microseconds=1),  # 23:59:59.999999 yesterday: not today
        today - timedelta(days=6),  # first moment of the 7-day window
        today - timedelta(days=6, seconds=1),  # just before it
        today - timedelta(days=40),
    ]
    for when in times:
        await ask(log, when)
    counts = await stats.question_counts(db, now=NOW)
    assert counts == stats.QuestionCounts(today=2, last_7_days=4, total=6)
    # At 23:59 UTC it is still the same day; a minute later it is the next.
    late = await stats.question_counts(db, now=today + timedelta(hours=23, minutes=59))
    assert late.today == 2
    next_day = await stats.question_counts(db, now=today + timedelta(days=1))
    assert (next_day.today, next_day.last_7_days) == (0, 3)


async def test_kinds_and_shares_with_an_inclusive_period(db: Database, log: QuestionLog) -> None:
    may1 = datetime(2024, 5, 1, tzinfo=UTC)
    await ask(log, may1, kind="answer")  # first moment of since: in
    await ask(log, may1 + timedelta(hours=5), kind="clarify", entry=None)
    await ask(log, may1 + timedelta(days=1, hours=23, minutes=59), kind="fallback", entry=None)
    await ask(log, may1 + timedelta(days=1, hours=23, minutes=59), kind="answer")
    await ask(log, may1 - timedelta(seconds=1), kind="smalltalk", entry=None)  # before since
    await ask(log, may1 + timedelta(days=2), kind="answer")  # after until
    all_time = await stats.kind_counts(db)
    assert dict(all_time.counts) == {"answer": 3, "clarify": 1, "smalltalk": 1, "fallback": 1}
    assert all_time.share("answer") == pytest.approx(0.5)
    period = Period(date(2024, 5, 1), date(2024, 5, 2))
    kinds = await stats.kind_counts(db, period)
    assert dict(kinds.counts) == {"answer": 2, "clarify": 1, "smalltalk": 0, "fallback": 1}
    assert kinds.share("fallback") == pytest.approx(0.25)
    assert (await stats.kind_counts(db, Period(since=date(2024, 5, 3)))).total == 1
    assert (await stats.kind_counts(db, Period(until=date(2024, 4, 30)))).total == 1


def test_a_reversed_period_is_refused() -> None:
    with pytest.raises(ValueError, match="after"):
        Period(date(2024, 5, 2), date(2024, 5, 1))


async def test_askers_are_distinct_hashed_users(db: Database, log: QuestionLog) -> None:
    for user in (1, 2, 2, 3, 3, 3):
        await ask(log, NOW, user=user)
    assert await stats.askers(db) == 3


async def test_top_entries_count_answers_only_with_titles(db: Database, log: QuestionLog) -> None:
    for _ in range(3):
        await ask(log, NOW, entry="b-entry")
    for _ in range(3):
        await ask(log, NOW, entry="a-entry")
    await ask(log, NOW, entry="c-entry")
    # A fallback citing a contact is not a topic people got answers on.
    for _ in range(5):
        await ask(log, NOW, kind="fallback", entry="some-contact")
    top = await stats.top_entries(db, titles={"a-entry": "甲条目", "b-entry": "乙条目"})
    assert [(e.entry, e.title, e.count) for e in top] == [
        ("a-entry", "甲条目", 3),  # ties: by id
        ("b-entry", "乙条目", 3),
        ("c-entry", "c-entry", 1),  # no title known: the id
    ]
    assert len(await stats.top_entries(db, limit=1)) == 1


def test_entry_titles_cover_entries_and_contacts(engine) -> None:  # type: ignore[no-untyped-def]
    titles = stats.entry_titles(engine.kb)
    entry = next(iter(engine.kb.entries.values()))
    assert titles[entry.id] == entry.title
    assert all(contact_id in titles for contact_id in engine.kb.contacts)


async def test_unanswered_questions_are_grouped_by_normalised_text(
    db: Database, log: QuestionLog
) -> None:
    base = datetime(2024, 5, 1, 8, tzinfo=UTC)
    variants = [
        ("专利申请要交多少钱", 1),
        ("專利申請要交多少錢？", 2),  # traditional, full-width question mark
        ("专利申请要交多少钱呢", 3),  # a trailing particle
        ("专利申请 要交多少钱!", 1),  # spacing and punctuation; the same user again
        ("专利申请要交多少钱", 4),
    ]
    for i, (text, user) in enumerate(variants):
        await ask(log, base + timedelta(hours=i), text, kind="fallback", entry=None, user=user)
    await ask(log, base, "ＡＢＣ", kind="fallback", entry=None)
    await ask(log, base + timedelta(days=1), "abc", kind="fallback", entry=None)
    await ask(log, base, "商标注册要多久", kind="fallback", entry=None)
    await ask(log, base, "条例什么时候施行")  # answered: not listed
    groups = await stats.unanswered(db)
    assert [(g.text, g.count, g.users) for g in groups] == [
        ("专利申请要交多少钱", 5, 4),  # the most frequent wording shows
        ("ＡＢＣ", 2, 1),  # equally frequent wordings: the earliest
        ("商标注册要多久", 1, 1),
    ]
    assert groups[0].first_asked == base and groups[0].last_asked == base + timedelta(hours=4)
    assert groups[1].last_asked == base + timedelta(days=1)
    # Every fallback question is in exactly one group.
    assert sum(g.count for g in groups) == (await stats.kind_counts(db))["fallback"]
    assert len(await stats.unanswered(db, limit=2)) == 2
    in_may_1 = await stats.unanswered(db, period=Period(date(2024, 5, 1), date(2024, 5, 1)))
    assert [(g.normalized, g.count) for g in in_may_1] == [
        ("专利申请要交多少钱", 5),
        ("abc", 1),
        ("商标注册要多久", 1),
    ]


async def test_questions_per_utc_day_are_zero_filled(db: Database, log: QuestionLog) -> None:
    # 23:30 UTC on May 1 is May 2 in Beijing, but the report counts UTC days.
    await ask(log, datetime(2024, 5, 1, 23, 30, tzinfo=UTC), kind="answer")
    await ask(log, datetime(2024, 5, 1, 0, 0, tzinfo=UTC), kind="fallback", entry=None)
    await ask(log, datetime(2024, 5, 4, 12, 0, tzinfo=UTC), kind="clarify", entry=None)
    days = await stats.questions_per_day(db)
    assert [(d.day, d.total) for d in days] == [
        (date(2024, 5, 1), 2),
        (date(2024, 5, 2), 0),
        (date(2024, 5, 3), 0),
        (date(2024, 5, 4), 1),
    ]
    assert days[0].kinds == {"answer": 1, "clarify": 0, "smalltalk": 0, "fallback": 1}
    # A period's bounds are filled even where no one asked.
    period = Period(date(2024, 4, 30), date(2024, 5, 2))
    assert [(d.day, d.total) for d in await stats.questions_per_day(db, period)] == [
        (date(2024, 4, 30), 0),
        (date(2024, 5, 1), 2),
        (date(2024, 5, 2), 0),
    ]
    empty = Period(date(2024, 6, 1), date(2024, 6, 2))
    assert [d.total for d in await stats.questions_per_day(db, empty)] == [0, 0]
    total = sum(d.total for d in await stats.questions_per_day(db))
    assert total == (await stats.question_counts(db, now=NOW)).total
