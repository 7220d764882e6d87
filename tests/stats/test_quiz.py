"""bot.stats.quiz: rounds per group, participants and practice, written through the real
QuizService."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from bot import stats
from bot.quiz.bank import QuizItem
from bot.quiz.models import QuizAnswer
from bot.quiz.service import QuizService, Round
from bot.stats import Period
from bot.storage import Database

from .conftest import GROUP_A, GROUP_B, SECRET


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
