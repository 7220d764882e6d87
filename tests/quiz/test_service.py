"""QuizService over SQLite (WAL) and, when BOT_TEST_POSTGRES_URL is set, PostgreSQL."""

from __future__ import annotations

import asyncio
import csv
import io
import random
from collections.abc import AsyncIterator, Callable, Sequence
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from bot.quiz.bank import QuizItem, load_bank
from bot.quiz.models import QuizAnswer
from bot.quiz.scoring import BASE_POINTS
from bot.quiz.service import (
    AlreadyRunning,
    PreparedQuestion,
    QuizService,
    Round,
)
from bot.storage import Database, hash_user

T0 = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)
GROUP_A, GROUP_B = -1001, -1002
ADMIN, ALICE, BOB, CAROL = 1, 11, 12, 13


def at(seconds: float) -> datetime:
    return T0 + timedelta(seconds=seconds)


def make_items(count: int) -> list[QuizItem]:
    return [
        QuizItem(
            id=f"q{i}",
            question=f"第{i}题？",
            options=(f"甲{i}", f"乙{i}", f"丙{i}", f"丁{i}"),
            correct=i % 4,
            explanation=f"答案是{'甲乙丙丁'[i % 4]}{i}。",
            source="plan",
            locator="实施方案 二",
            source_line="《实施方案》 二",
        )
        for i in range(count)
    ]


@pytest.fixture
async def make_service(db_url: str) -> AsyncIterator[Callable[..., QuizService]]:
    """Factory: services over the test database, each with its own engine (like a process)."""
    databases: list[Database] = []

    def make(items: Sequence[QuizItem] | None = None, seed: int = 1) -> QuizService:
        db = Database(db_url)
        databases.append(db)
        pool = list(items) if items is not None else make_items(12)
        return QuizService(db, lambda: pool, rng=random.Random(seed), secret="test-secret")

    first = make()
    await first.prepare()
    yield make
    for db in databases:
        await db.dispose()


async def post(
    service: QuizService, round_: Round, poll_id: str, opened: float = 0, seconds: int = 30
) -> PreparedQuestion:
    """Draw the round's next question and register it as sent at `opened`."""
    question = await service.next_question(round_.id)
    assert question is not None
    await service.register_poll(
        poll_id,
        round_.id,
        round_.chat_id,
        100 + len(poll_id),
        question.item,
        question.order,
        question.correct_index,
        at(opened),
        at(opened + seconds),
    )
    return question


def wrong(question: PreparedQuestion) -> int:
    return (question.correct_index + 1) % len(question.options)


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


async def test_round_arguments_are_checked(make_service: Callable[..., QuizService]) -> None:
    service = make_service()
    for n, seconds in ((0, 30), (51, 30), (5, 4), (5, 601)):
        with pytest.raises(ValueError):
            await service.start_round(GROUP_A, ADMIN, n=n, seconds=seconds)
    round_ = await service.start_round(GROUP_A, ADMIN, n=1, seconds=5)
    assert isinstance(round_, Round) and round_.seconds_per_question == 5


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


def test_the_whole_bank_can_be_served(seed_kb) -> None:  # type: ignore[no-untyped-def]
    items = load_bank(seed_kb)
    service = QuizService(Database("sqlite://"), lambda: items, rng=random.Random(3))
    for _ in range(20):
        q = service._prepare(items[0], 1)
        assert q.options[q.correct_index] == items[0].answer
        assert sorted(q.options) == sorted(items[0].options)
