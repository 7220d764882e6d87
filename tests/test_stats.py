"""bot.stats over SQLite and, when BOT_TEST_POSTGRES_URL is set, PostgreSQL.

Records are written with known times through the real QuestionLog and QuizService, and each
figure is checked against what was written: UTC day boundaries, inclusive periods, grouping
of unanswered questions, quiz figures per group.
"""

from __future__ import annotations

import random
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bot import stats
from bot.quiz.bank import QuizItem
from bot.quiz.models import QuizAnswer
from bot.quiz.service import QuizService, Round
from bot.stats import Period
from bot.storage import Database, QuestionLog
from tests.databases import backends as _backends
from tests.databases import scratch_url

NOW = datetime(2024, 5, 10, 9, 30, tzinfo=UTC)  # 17:30 in Beijing
SECRET = "stats-test-secret"
GROUP_A, GROUP_B = -100111, -100222


@pytest.fixture(params=_backends())
async def db(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Database]:
    """An empty database with every table: an SQLite file, or the PostgreSQL test database."""
    async with scratch_url(request.param, tmp_path / "stats.db") as url:
        database = Database(url)
        await database.create_all()
        yield database
        await database.dispose()


async def ask(
    log: QuestionLog,
    when: datetime,
    question: str = "条例什么时候施行",
    kind: str = "answer",
    entry: str | None = "regulation-effective",
    user: int = 1,
) -> None:
    await log.record(
        user_id=user,
        chat_type="private",
        frontend="telegram",
        question=question,
        kind=kind,
        intent="search",
        entry=entry,
        confidence=0.9,
        created_at=when,
    )


@pytest.fixture
def log(db: Database) -> QuestionLog:
    return QuestionLog(db, SECRET)


# -- questions -------------------------------------------------------------------------------------


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


# -- quiz ------------------------------------------------------------------------------------------


def _items(count: int = 6) -> list[QuizItem]:
    return [
        QuizItem(
            id=f"q{i}",
            question=f"第{i}题？",
            options=("甲", "乙", "丙", "丁"),
            correct=i % 4,
            explanation="解析。",
            source="plan",
            locator="实施方案 二",
            source_line="《实施方案》 二",
        )
        for i in range(count)
    ]


async def _round(
    service: QuizService,
    chat_id: int,
    started: datetime,
    answers: list[tuple[int, bool]],
    status: str = "finished",
) -> None:
    """One round of one poll; `answers` are (user, right?) received 3 s after opening."""
    opened = await service.start_round(chat_id, 1, n=1, seconds=30, at=started)
    assert isinstance(opened, Round)
    question = await service.next_question(opened.id)
    assert question is not None
    poll_id = f"poll-{chat_id}-{opened.id}"
    await service.register_poll(
        poll_id,
        opened.id,
        chat_id,
        opened.id,
        question.item,
        question.order,
        question.correct_index,
        started,
        started + timedelta(seconds=30),
    )
    for user, right in answers:
        option = question.correct_index if right else (question.correct_index + 1) % 4
        await service.record_answer(
            poll_id, user, f"用户{user}", [option], started + timedelta(seconds=3)
        )
    if status != "open":
        await service.finish_round(opened.id, status, at=started + timedelta(seconds=40))  # type: ignore[arg-type]


async def test_quiz_figures_per_group(db: Database) -> None:
    items = _items()
    service = QuizService(db, lambda: items, secret=SECRET, rng=random.Random(3))
    may1 = datetime(2024, 5, 1, 10, tzinfo=UTC)
    # Group A: three rounds (one stopped), users 11, 12, 13.
    await _round(service, GROUP_A, may1, [(11, True), (12, False)])
    await _round(service, GROUP_A, may1 + timedelta(days=1), [(11, True), (13, True)], "stopped")
    await _round(service, GROUP_A, may1 + timedelta(days=5), [(12, True)])
    # Group B: one round still open; user 11 plays here too.
    await _round(service, GROUP_B, may1 + timedelta(days=1), [(11, False), (14, True)], "open")
    # Practice outside rounds.
    practice = await service.practice_question(99)
    assert practice is not None
    await service.register_poll(
        "practice-1",
        None,
        99,
        1,
        practice.item,
        practice.order,
        practice.correct_index,
        may1,
        None,
    )
    await service.record_answer("practice-1", 99, "练习者", [practice.correct_index], may1)
    await service.close()

    groups = await stats.quiz_groups(db)
    by_chat = {g.chat_id: g for g in groups}
    a, b = by_chat[GROUP_A], by_chat[GROUP_B]
    assert [g.chat_id for g in groups] == [GROUP_A, GROUP_B]  # most rounds first
    assert (a.rounds, a.finished, a.stopped, a.open, a.questions) == (3, 2, 1, 0, 3)
    assert (a.participants, a.answers, a.correct) == (3, 5, 4)
    assert (b.rounds, b.open, b.participants, b.answers, b.correct) == (1, 1, 2, 2, 1)
    # Points equal the database's sum per chat (round answers only).
    async with db.session() as session:
        for group in groups:
            points = await session.scalar(
                select(func.sum(QuizAnswer.points)).where(
                    QuizAnswer.chat_id == group.chat_id, QuizAnswer.round_id.is_not(None)
                )
            )
            assert group.points == points
    assert a.points == 4 * 15  # right 3 s into a 30 s poll: 10 + 4.5 rounded half up
    assert a.average_points == pytest.approx(a.points / 3)
    assert a.accuracy == pytest.approx(0.8)
    assert await stats.quiz_participants(db) == 4  # user 11 counted once over both groups
    assert await stats.practice_stats(db) == stats.PracticeStats(answers=1, users=1, correct=1)

    # Rounds count in the period they started in, with their answers.
    first_two_days = Period(date(2024, 5, 1), date(2024, 5, 2))
    groups = {g.chat_id: g for g in await stats.quiz_groups(db, first_two_days)}
    assert (groups[GROUP_A].rounds, groups[GROUP_A].answers) == (2, 4)
    assert groups[GROUP_B].rounds == 1
    later = await stats.quiz_groups(db, Period(since=date(2024, 5, 3)))
    assert [(g.chat_id, g.rounds, g.participants) for g in later] == [(GROUP_A, 1, 1)]

    overview = await stats.overview(db)
    assert (overview.rounds, overview.groups, overview.participants) == (4, 2, 4)
    assert overview.quiz_answers == 7 and overview.practice.answers == 1
