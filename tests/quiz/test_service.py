"""QuizService end to end: a round from start to summary, and a restart in the middle.

Runs over SQLite (WAL) and, when BOT_TEST_POSTGRES_URL is set, PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable

from bot.quiz.results import Round
from bot.quiz.service import QuizService
from tests.quiz.helpers import (
    ADMIN,
    ALICE,
    BOB,
    CAROL,
    GROUP_A,
    at,
    post,
    wrong,
)


async def test_full_round_with_three_users(make_service: Callable[..., QuizService]) -> None:
    service = make_service()
    round_ = await service.start_round(GROUP_A, ADMIN, n=2, seconds=30, at=at(0))
    assert isinstance(round_, Round) and round_.status == "open" and round_.remaining == 2

    q1 = await post(service, round_, "poll-1", opened=0)
    right1 = q1.correct_index
    assert q1.options[right1] == q1.item.answer
    outcome = await service.record_answer("poll-1", ALICE, "Alice", [right1], at(3))
    assert outcome.status == "recorded" and outcome.correct and outcome.points == 15
    assert outcome.round_id == round_.id and outcome.chat_id == GROUP_A
    bob = await service.record_answer("poll-1", BOB, "Bob", [wrong(q1)], at(5))
    assert bob.status == "recorded" and not bob.correct and bob.points == 0
    late = await service.record_answer("poll-1", CAROL, "Carol", [right1], at(31))
    assert late.status == "late" and late.points == 0
    again = await service.record_answer("poll-1", ALICE, "Alice", [right1], at(3))
    assert again.status == "duplicate" and again.points == 0
    await service.close_poll("poll-1", at=at(30))

    q2 = await post(service, round_, "poll-2", opened=35)
    assert q2.item.id != q1.item.id and q2.position == 2
    await service.record_answer("poll-2", CAROL, "Carol", [q2.correct_index], at(35))  # 15
    await service.record_answer("poll-2", BOB, "Bob", [q2.correct_index], at(50))  # 10 + 3
    await service.record_answer("poll-2", ALICE, "Alice", [wrong(q2)], at(40))
    assert await service.next_question(round_.id) is None  # both questions asked

    summary = await service.finish_round(round_.id, "finished", at=at(66))
    assert summary is not None
    assert summary.round.status == "finished" and summary.round.ended_at == at(66)
    # Alice and Carol tie: same rank, Carol first as her last answer came earlier.
    assert [(r.rank, r.display_name, r.points, r.correct) for r in summary.ranking] == [
        (1, "Carol", 15, 1),
        (1, "Alice", 15, 1),
        (3, "Bob", 13, 1),
    ]
    assert summary.participants == 3
    assert [(q.position, q.question_id, q.answer) for q in summary.questions] == [
        (1, q1.item.id, q1.item.answer),
        (2, q2.item.id, q2.item.answer),
    ]
    assert summary.questions[0].source_line == q1.item.source_line
    assert (summary.questions[0].answered, summary.questions[0].correct) == (2, 1)
    # Polls are closed with the round; answers after the end do not count.
    late_after_end = await service.record_answer("poll-2", 99, "Dave", [q2.correct_index], at(67))
    assert late_after_end.status == "late"
    assert await service.open_polls() == []
    # Finishing again changes nothing and returns the same summary.
    again_summary = await service.finish_round(round_.id, "stopped", at=at(500))
    assert again_summary is not None and again_summary.round.status == "finished"
    assert again_summary.ranking == summary.ranking


async def test_a_restart_keeps_open_rounds_and_polls_and_scores_them(
    make_service: Callable[..., QuizService],
) -> None:
    before = make_service()
    round_ = await before.start_round(GROUP_A, ADMIN, n=2, seconds=30, at=at(0))
    assert isinstance(round_, Round)
    q1 = await post(before, round_, "poll-1", opened=0)
    await before.record_answer("poll-1", ALICE, "Alice", [q1.correct_index], at(1))
    await before.close()
    await before.db.dispose()

    after = make_service()  # a new process over the same database
    polls = await after.open_polls()
    assert [(p.poll_id, p.round_id, p.chat_id, p.answer) for p in polls] == [
        ("poll-1", round_.id, GROUP_A, q1.item.answer)
    ]
    assert (polls[0].question, polls[0].source_line) == (q1.item.question, q1.item.source_line)
    assert polls[0].options == q1.options and polls[0].closes_at == at(30)
    states = await after.open_rounds()
    assert len(states) == 1 and states[0].round.id == round_.id
    assert states[0].round.asked == 1 and states[0].current is not None
    assert states[0].current.poll_id == "poll-1" and states[0].current.position == 1
    # Answers to the open poll still count, and the redelivered one still counts once.
    assert (await after.record_answer("poll-1", BOB, "Bob", [q1.correct_index], at(20))).counted
    assert (
        await after.record_answer("poll-1", ALICE, "Alice", [q1.correct_index], at(1))
    ).status == "duplicate"
    await after.close_poll("poll-1", at=at(30))
    q2 = await post(after, round_, "poll-2", opened=31)
    assert q2.item.id != q1.item.id and q2.position == 2
    await after.record_answer("poll-2", ALICE, "Alice", [q2.correct_index], at(32))
    summary = await after.finish_round(round_.id, at=at(61))
    assert summary is not None
    assert [(r.display_name, r.points, r.correct) for r in summary.ranking] == [
        ("Alice", 15 + 15, 2),
        ("Bob", 12, 1),
    ]
    assert await after.open_rounds() == []
    # Summaries keep the questions as sent, whatever the bank holds now.
    emptied = make_service([])
    kept = await emptied.round_summary(round_.id)
    assert kept is not None and kept.ranking == summary.ranking
    assert (kept.questions[0].question, kept.questions[0].source_line) == (
        q1.item.question,
        q1.item.source_line,
    )
    assert await emptied.next_question(round_.id) is None
