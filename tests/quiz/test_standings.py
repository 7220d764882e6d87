"""Standings (bot.quiz.standings): leaderboards, ranking size, practice and personal figures."""

from __future__ import annotations

from collections.abc import Callable

from bot.quiz.results import Round
from bot.quiz.scoring import BASE_POINTS
from bot.quiz.service import QuizService
from tests.quiz.helpers import (
    ADMIN,
    ALICE,
    BOB,
    CAROL,
    GROUP_A,
    GROUP_B,
    at,
    make_items,
    post,
    wrong,
)


async def test_leaderboard_series_and_all_time(make_service: Callable[..., QuizService]) -> None:
    service = make_service()

    async def play(start: float, answers: dict[int, bool], new_series: bool = False) -> None:
        round_ = await service.start_round(GROUP_A, ADMIN, n=1, at=at(start), new_series=new_series)
        assert isinstance(round_, Round)
        q = await post(service, round_, f"poll-{start}", opened=start)
        for user, right in answers.items():
            choice = q.correct_index if right else wrong(q)
            # Half the period left: 10 + 3 points for a right answer.
            await service.record_answer(f"poll-{start}", user, f"u{user}", [choice], at(start + 15))
        await service.finish_round(round_.id, at=at(start + 30))

    await play(0, {ALICE: True, BOB: True, CAROL: False})
    await play(100, {ALICE: True, CAROL: True})
    await play(200, {BOB: True, CAROL: False}, new_series=True)
    board = await service.leaderboard(GROUP_A)
    assert [(r.rank, r.display_name, r.points) for r in board.series] == [
        (1, "u12", 13),
        (2, "u13", 0),
    ]
    # Equal points and right answers share a rank; whoever got there first is listed first.
    assert [(r.rank, r.display_name, r.points, r.correct, r.answered) for r in board.all_time] == [
        (1, "u11", 26, 2, 2),
        (1, "u12", 26, 2, 2),
        (3, "u13", 13, 1, 3),
    ]
    # A later round after a long pause starts a new series by itself.
    later = await service.start_round(GROUP_A, ADMIN, n=1, at=at(230 + 13 * 3600))
    assert isinstance(later, Round) and later.series_id == later.id
    assert board.series_id is not None and later.series_id != board.series_id
    empty = await service.leaderboard(GROUP_B)
    assert (empty.series_id, empty.series, empty.all_time) == (None, [], [])


async def test_ranking_keeps_the_top_ten(make_service: Callable[..., QuizService]) -> None:
    service = make_service()
    round_ = await service.start_round(GROUP_A, ADMIN, n=1, seconds=30, at=at(0))
    assert isinstance(round_, Round)
    q = await post(service, round_, "poll-top")
    # User u answers at second u: earlier answers score more.
    for u in range(15):
        await service.record_answer("poll-top", 500 + u, f"n{u}", [q.correct_index], at(2 * u))
    summary = await service.finish_round(round_.id, at=at(31))
    assert summary is not None and summary.participants == 15
    assert len(summary.ranking) == 10
    points = [r.points for r in summary.ranking]
    assert points == sorted(points, reverse=True) and points[0] == 15
    assert summary.ranking[0].display_name == "n0"


async def test_practice_and_personal_stats(make_service: Callable[..., QuizService]) -> None:
    service = make_service(make_items(3))
    asked = []
    for i in range(4):
        q = await service.practice_question(ALICE)
        assert q is not None and q.position is None
        asked.append(q.item.id)
        await service.register_poll(
            f"practice-{i}", None, ALICE, 7, q.item, q.order, q.correct_index, at(i), None
        )
        choice = q.correct_index if i != 1 else wrong(q)
        outcome = await service.record_answer(
            f"practice-{i}", ALICE, "Alice", [choice], at(i + 600)
        )
        assert outcome.counted and outcome.practice and outcome.round_id is None
        assert outcome.points == (BASE_POINTS if i != 1 else 0)  # no speed bonus in practice
    assert len(set(asked[:3])) == 3
    assert await service.open_polls() == []  # untimed practice polls need no closing
    again = await service.record_answer("practice-0", ALICE, "Alice", [0, 1], at(700))
    assert again.status == "duplicate"
    totals = await service.practice_score(ALICE)
    assert (totals.answered, totals.correct, totals.points) == (4, 3, 30)

    round_ = await service.start_round(GROUP_A, ADMIN, n=1, at=at(0))
    assert isinstance(round_, Round)
    q = await post(service, round_, "poll-g")
    await service.record_answer("poll-g", ALICE, "Alice", [q.correct_index], at(0))
    stats = await service.user_stats(ALICE)
    assert (stats.answered, stats.correct, stats.points, stats.rounds, stats.groups) == (
        1,
        1,
        15,
        1,
        1,
    )
    assert stats.last_answer_at == at(0)
    assert stats.practice == totals
    nobody = await service.user_stats(424242)
    assert (nobody.answered, nobody.points, nobody.last_answer_at) == (0, 0, None)
