"""The CSV export (bot.quiz.export) through QuizService.export_csv."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable

from bot.quiz.results import Round
from bot.quiz.service import QuizService
from tests.quiz.helpers import (
    ADMIN,
    ALICE,
    BOB,
    CAROL,
    GROUP_A,
    GROUP_B,
    at,
    post,
    wrong,
)


async def test_export_csv(make_service: Callable[..., QuizService]) -> None:
    service = make_service()
    round_ = await service.start_round(GROUP_A, ADMIN, n=2, at=at(0))
    assert isinstance(round_, Round)
    q1 = await post(service, round_, "poll-e1", opened=0)
    await service.record_answer("poll-e1", ALICE, "Alice", [q1.correct_index], at(0))
    await service.record_answer("poll-e1", BOB, "=cmd|' /C calc'!A0", [wrong(q1)], at(6))
    await service.close_poll("poll-e1", at=at(30))
    q2 = await post(service, round_, "poll-e2", opened=40)
    await service.record_answer("poll-e2", ALICE, "Alice 张", [q2.correct_index], at(55))
    await service.finish_round(round_.id, at=at(70))
    # Another group's answers stay out of this group's export.
    other = await service.start_round(GROUP_B, ADMIN, n=1, at=at(0))
    assert isinstance(other, Round)
    qb = await post(service, other, "poll-other")
    await service.record_answer("poll-other", CAROL, "Carol", [qb.correct_index], at(1))

    rows = list(csv.reader(io.StringIO(await service.export_csv(GROUP_A))))
    assert rows == [
        ["用户", "答题数", "答对数", "得分", "最后答题时间（北京时间）"],
        ["Alice 张", "2", "2", "28", "2024-05-01 20:00:55"],
        ["'=cmd|' /C calc'!A0", "1", "0", "0", "2024-05-01 20:00:06"],
    ]
