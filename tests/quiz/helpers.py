"""Helpers shared by the quiz service tests: a fixed clock, made-up questions, posting polls."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.quiz import PreparedQuestion, QuizItem, QuizService, Round

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
