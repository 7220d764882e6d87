"""Sent polls (bot.quiz.polls): registration is checked and idempotent."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from bot.quiz.results import Round
from bot.quiz.service import QuizService
from tests.quiz.helpers import (
    ADMIN,
    GROUP_A,
    at,
    wrong,
)


async def test_register_poll_checks_and_is_idempotent(
    make_service: Callable[..., QuizService],
) -> None:
    service = make_service()
    round_ = await service.start_round(GROUP_A, ADMIN, n=2, at=at(0))
    assert isinstance(round_, Round)
    q = await service.next_question(round_.id)
    assert q is not None
    with pytest.raises(ValueError):
        await service.register_poll(
            "p", round_.id, GROUP_A, 1, q.item, q.order, wrong(q), at(0), at(30)
        )
    args = ("p", round_.id, GROUP_A, 1, q.item, q.order, q.correct_index, at(0), at(30))
    first = await service.register_poll(*args)
    second = await service.register_poll(*args)
    assert first == second and first.position == 1
