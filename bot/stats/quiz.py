"""The quiz in figures: rounds per group, participants, practice.

Quiz rounds fall in a period by the time they started, and a round's polls, answers and
participants go with their round; practice answers (no round) by the time they arrived.
"""

from __future__ import annotations

from sqlalchemy import case, func, select

from bot.quiz.models import QuizAnswer, QuizPoll, QuizRound
from bot.stats.period import ALL_TIME, Period
from bot.stats.rows import GroupQuiz, PracticeStats
from bot.storage import Database


async def quiz_groups(db: Database, period: Period = ALL_TIME) -> list[GroupQuiz]:
    """Per group: its rounds that started in the period and their polls, answers and points.

    Most rounds first (then most participants, then chat id).
    """
    rounds_where = period.conditions(QuizRound.started_at)
    round_ids = select(QuizRound.id).where(*rounds_where)
    rounds_query = (
        select(
            QuizRound.chat_id,
            func.count(QuizRound.id),
            func.sum(case((QuizRound.status == "finished", 1), else_=0)),
            func.sum(case((QuizRound.status == "stopped", 1), else_=0)),
            func.sum(case((QuizRound.status == "open", 1), else_=0)),
        )
        .where(*rounds_where)
        .group_by(QuizRound.chat_id)
    )
    polls_query = (
        select(QuizPoll.chat_id, func.count(QuizPoll.poll_id))
        .where(QuizPoll.round_id.in_(round_ids))
        .group_by(QuizPoll.chat_id)
    )
    answers_query = (
        select(
            QuizAnswer.chat_id,
            func.count(func.distinct(QuizAnswer.user_hash)),
            func.count(QuizAnswer.id),
            func.sum(case((QuizAnswer.correct, 1), else_=0)),
            func.sum(QuizAnswer.points),
        )
        .where(QuizAnswer.round_id.in_(round_ids))
        .group_by(QuizAnswer.chat_id)
    )
    async with db.session() as session:
        rounds = (await session.execute(rounds_query)).all()
        polls = dict((await session.execute(polls_query)).all())
        answers = {row[0]: row[1:] for row in (await session.execute(answers_query)).all()}
    groups = []
    for chat_id, total, finished, stopped, still_open in rounds:
        participants, count, correct, points = answers.get(chat_id, (0, 0, 0, 0))
        groups.append(
            GroupQuiz(
                chat_id=int(chat_id),
                rounds=int(total),
                finished=int(finished or 0),
                stopped=int(stopped or 0),
                open=int(still_open or 0),
                questions=int(polls.get(chat_id, 0)),
                participants=int(participants or 0),
                answers=int(count or 0),
                correct=int(correct or 0),
                points=int(points or 0),
            )
        )
    groups.sort(key=lambda g: (-g.rounds, -g.participants, g.chat_id))
    return groups


async def quiz_participants(db: Database, period: Period = ALL_TIME) -> int:
    """Distinct users who answered in any group's rounds that started in the period."""
    round_ids = select(QuizRound.id).where(*period.conditions(QuizRound.started_at))
    query = select(func.count(func.distinct(QuizAnswer.user_hash))).where(
        QuizAnswer.round_id.in_(round_ids)
    )
    async with db.session() as session:
        return int(await session.scalar(query) or 0)


async def practice_stats(db: Database, period: Period = ALL_TIME) -> PracticeStats:
    """Practice answers (no round) received in the period."""
    query = select(
        func.count(QuizAnswer.id),
        func.count(func.distinct(QuizAnswer.user_hash)),
        func.sum(case((QuizAnswer.correct, 1), else_=0)),
    ).where(QuizAnswer.round_id.is_(None), *period.conditions(QuizAnswer.received_at))
    async with db.session() as session:
        answers, users, correct = (await session.execute(query)).one()
    return PracticeStats(int(answers or 0), int(users or 0), int(correct or 0))
