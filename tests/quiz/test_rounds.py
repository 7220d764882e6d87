"""Rounds (bot.quiz.rounds): one open round per group, drawing questions, arguments."""

from __future__ import annotations

import asyncio
import random
from collections.abc import Callable

import pytest

from bot.quiz.bank import load_bank
from bot.quiz.results import AlreadyRunning, Round
from bot.quiz.service import QuizService
from bot.storage import Database
from tests.quiz.helpers import (
    ADMIN,
    ALICE,
    BOB,
    GROUP_A,
    GROUP_B,
    at,
    make_items,
    post,
    wrong,
)


async def test_one_round_per_group_two_groups_at_once(
    make_service: Callable[..., QuizService],
) -> None:
    service = make_service()
    a = await service.start_round(GROUP_A, ADMIN, n=1, at=at(0))
    b = await service.start_round(GROUP_B, ADMIN, n=1, at=at(0))
    assert isinstance(a, Round) and isinstance(b, Round)
    refused = await service.start_round(GROUP_A, BOB, n=3, at=at(1))
    assert isinstance(refused, AlreadyRunning) and refused.round.id == a.id
    assert (await service.running_round(GROUP_A)) == refused.round
    qa = await post(service, a, "poll-a")
    qb = await post(service, b, "poll-b")
    await asyncio.gather(
        service.record_answer("poll-a", ALICE, "Alice", [qa.correct_index], at(1)),
        service.record_answer("poll-b", ALICE, "Alice", [wrong(qb)], at(1)),
        service.record_answer("poll-b", BOB, "Bob", [qb.correct_index], at(2)),
    )
    sa = await service.finish_round(a.id, at=at(31))
    sb = await service.finish_round(b.id, at=at(31))
    assert sa is not None and sb is not None
    assert [(r.display_name, r.points) for r in sa.ranking] == [("Alice", 15)]
    assert [(r.display_name, r.points) for r in sb.ranking] == [("Bob", 15), ("Alice", 0)]
    # Ended rounds no longer block a new one.
    assert isinstance(await service.start_round(GROUP_A, ADMIN, at=at(40)), Round)


async def test_two_processes_cannot_open_two_rounds_in_one_group(
    make_service: Callable[..., QuizService],
) -> None:
    first, second = make_service(), make_service()
    results = await asyncio.gather(
        first.start_round(GROUP_A, ADMIN, at=at(0)), second.start_round(GROUP_A, BOB, at=at(0))
    )
    assert sorted(type(r).__name__ for r in results) == ["AlreadyRunning", "Round"]


async def test_questions_do_not_repeat_until_the_bank_is_used_up(
    make_service: Callable[..., QuizService],
) -> None:
    service = make_service(make_items(5))
    seen: list[str] = []
    for r in range(4):
        round_ = await service.start_round(GROUP_A, ADMIN, n=3, at=at(100 * r))
        assert isinstance(round_, Round)
        in_round = []
        for i in range(3):
            q = await post(service, round_, f"poll-{r}-{i}", opened=100 * r + 10 * i)
            in_round.append(q.item.id)
        assert len(set(in_round)) == 3  # never twice in one round
        seen += in_round
        await service.finish_round(round_.id, at=at(100 * r + 50))
    assert len(set(seen[:5])) == 5  # the whole bank before any repeat
    assert set(seen) == {f"q{i}" for i in range(5)}
    # Another group has its own record.
    other = await service.start_round(GROUP_B, ADMIN, n=5, at=at(0))
    assert isinstance(other, Round)
    ids = [(await post(service, other, f"b-{i}", opened=i)).item.id for i in range(5)]
    assert sorted(ids) == [f"q{i}" for i in range(5)]


async def test_round_arguments_are_checked(make_service: Callable[..., QuizService]) -> None:
    service = make_service()
    for n, seconds in ((0, 30), (51, 30), (5, 4), (5, 601)):
        with pytest.raises(ValueError):
            await service.start_round(GROUP_A, ADMIN, n=n, seconds=seconds)
    round_ = await service.start_round(GROUP_A, ADMIN, n=1, seconds=5)
    assert isinstance(round_, Round) and round_.seconds_per_question == 5


def test_the_whole_bank_can_be_served(seed_kb) -> None:  # type: ignore[no-untyped-def]
    items = load_bank(seed_kb)
    service = QuizService(Database("sqlite://"), lambda: items, rng=random.Random(3))
    for _ in range(20):
        q = service.rounds.prepare(items[0], 1)
        assert q.options[q.correct_index] == items[0].answer
        assert sorted(q.options) == sorted(items[0].options)
