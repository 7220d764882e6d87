"""Answers (bot.quiz.answers): retracted, unknown, late and repeated votes; a burst of 500."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from sqlalchemy import func, select

from bot.quiz.models import QuizAnswer
from bot.quiz.results import Round
from bot.quiz.service import QuizService
from bot.storage import hash_user
from tests.quiz.helpers import (
    ADMIN,
    ALICE,
    BOB,
    GROUP_A,
    at,
    post,
)


async def test_a_retracted_vote_changes_nothing(make_service: Callable[..., QuizService]) -> None:
    service = make_service()
    round_ = await service.start_round(GROUP_A, ADMIN, n=1, at=at(0))
    assert isinstance(round_, Round)
    q = await post(service, round_, "poll-r")
    assert (await service.record_answer("poll-r", ALICE, "Alice", [], at(1))).status == "retracted"
    first = await service.record_answer("poll-r", ALICE, "Alice", [q.correct_index], at(2))
    assert first.status == "recorded"
    retract = await service.record_answer("poll-r", ALICE, "Alice", [], at(3))
    assert retract.status == "retracted"
    summary = await service.finish_round(round_.id, at=at(40))
    assert summary is not None
    assert [(r.display_name, r.points) for r in summary.ranking] == [("Alice", first.points)]


async def test_unknown_polls_are_ignored(make_service: Callable[..., QuizService]) -> None:
    service = make_service()
    outcome = await service.record_answer("no-such-poll", ALICE, "Alice", [0], at(0))
    assert outcome.status == "unknown" and not outcome.counted


async def test_a_poll_stopped_early_ignores_later_answers(
    make_service: Callable[..., QuizService],
) -> None:
    service = make_service()
    round_ = await service.start_round(GROUP_A, ADMIN, n=3, at=at(0))
    assert isinstance(round_, Round)
    q = await post(service, round_, "poll-s")
    summary = await service.finish_round(round_.id, "stopped", at=at(10))
    assert summary is not None and summary.round.status == "stopped"
    late = await service.record_answer("poll-s", ALICE, "Alice", [q.correct_index], at(11))
    assert late.status == "late"
    # Received before the stop (processed after it): still counts.
    early = await service.record_answer("poll-s", BOB, "Bob", [q.correct_index], at(9))
    assert early.status == "recorded"
    assert await service.next_question(round_.id) is None


async def test_500_answers_at_once_are_each_scored_once(
    make_service: Callable[..., QuizService],
) -> None:
    service = make_service()
    round_ = await service.start_round(GROUP_A, ADMIN, n=1, seconds=60, at=at(0))
    assert isinstance(round_, Round)
    q = await post(service, round_, "poll-crowd", seconds=60)
    outcomes = await asyncio.gather(
        *(
            service.record_answer("poll-crowd", 10_000 + u, f"user{u}", [u % 4], at(1))
            for u in range(500)
        )
    )
    assert [o.status for o in outcomes] == ["recorded"] * 500
    assert sum(o.correct is True for o in outcomes) == 125
    # 50 redeliveries of one user's answer, through two processes: one row.
    other = make_service()
    repeats = await asyncio.gather(
        *(
            (service if i % 2 else other).record_answer(
                "poll-crowd", 77, "Repeat", [q.correct_index], at(2)
            )
            for i in range(50)
        )
    )
    assert sorted(o.status for o in repeats) == ["duplicate"] * 49 + ["recorded"]
    async with service.db.session() as session:
        total = await session.scalar(select(func.count(QuizAnswer.id)))
        repeat_rows = await session.scalar(
            select(func.count(QuizAnswer.id)).where(
                QuizAnswer.user_hash == hash_user(77, "test-secret")
            )
        )
    assert (total, repeat_rows) == (501, 1)
