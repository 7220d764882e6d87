"""Standings from the stored answers: round summaries, leaderboards and personal figures.

Everything here is computed from `quiz_answers` at read time (after the answer queue is
flushed), so every process sharing the database shows the same standings. Order, best
first: more points, then more right answers, then whoever finished first; equal points and
right answers share a rank.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, case, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.quiz.answers import NAMELESS, AnswerRecorder
from bot.quiz.models import PracticeScore, QuizAnswer, QuizPoll, QuizRound
from bot.quiz.results import (
    Leaderboard,
    PracticeTotals,
    QuestionSummary,
    RankingRow,
    RoundSummary,
    UserStats,
)
from bot.quiz.store import QuizStore, aware, round_of

RANKING_SIZE = 10


@dataclass(frozen=True)
class Standing:
    """One user's totals over some answers, with the display name of their latest answer."""

    user_hash: str
    display_name: str
    points: int
    correct: int
    answered: int
    last_answer_at: datetime


class Standings:
    """Rankings and figures over the answers; each read first writes the queued answers."""

    def __init__(self, store: QuizStore, answers: AnswerRecorder) -> None:
        self.store = store
        self.answers = answers

    async def round_summary(self, round_id: int, limit: int = RANKING_SIZE) -> RoundSummary | None:
        """Ranking (top `limit`) and every question of the round with its answer and source."""
        await self.answers.flush()
        async with self.store.db.session() as session:
            row = await session.get(QuizRound, round_id)
            if row is None:
                return None
            where = QuizAnswer.round_id == round_id
            ranking = await self._ranking(session, where, limit)
            participants = int(
                await session.scalar(
                    select(func.count(func.distinct(QuizAnswer.user_hash))).where(where)
                )
                or 0
            )
            stats = {
                poll_id: (int(total), int(right or 0))
                for poll_id, total, right in (
                    await session.execute(
                        select(
                            QuizAnswer.poll_id,
                            func.count(QuizAnswer.id),
                            func.sum(case((QuizAnswer.correct, 1), else_=0)),
                        )
                        .where(where)
                        .group_by(QuizAnswer.poll_id)
                    )
                ).all()
            }
            polls = (
                await session.scalars(
                    select(QuizPoll)
                    .where(QuizPoll.round_id == round_id)
                    .order_by(QuizPoll.position, QuizPoll.opened_at)
                )
            ).all()
            questions = []
            for poll in polls:
                answered, right = stats.get(poll.poll_id, (0, 0))
                questions.append(
                    QuestionSummary(
                        position=poll.position,
                        question_id=poll.question_id,
                        question=poll.question,
                        answer=poll.options[poll.correct_index],
                        source_line=poll.source_line,
                        answered=answered,
                        correct=right,
                    )
                )
            return RoundSummary(await round_of(session, row), ranking, questions, participants)

    async def leaderboard(self, chat_id: int, limit: int = RANKING_SIZE) -> Leaderboard:
        """The chat's standings: its current round series (the latest round's) and all time."""
        await self.answers.flush()
        async with self.store.db.session() as session:
            series_id = await session.scalar(
                select(QuizRound.series_id)
                .where(QuizRound.chat_id == chat_id)
                .order_by(QuizRound.id.desc())
                .limit(1)
            )
            in_chat = (QuizAnswer.chat_id == chat_id) & QuizAnswer.round_id.is_not(None)
            series: list[RankingRow] = []
            if series_id is not None:
                rounds = select(QuizRound.id).where(
                    QuizRound.chat_id == chat_id, QuizRound.series_id == series_id
                )
                series = await self._ranking(
                    session, in_chat & QuizAnswer.round_id.in_(rounds), limit
                )
            all_time = await self._ranking(session, in_chat, limit)
            return Leaderboard(series_id, series, all_time)

    async def chat_standings(self, chat_id: int) -> list[Standing]:
        """Every user's totals over the chat's round answers, best first (for the export)."""
        await self.answers.flush()
        async with self.store.db.session() as session:
            return await self._standings(
                session, (QuizAnswer.chat_id == chat_id) & QuizAnswer.round_id.is_not(None), None
            )

    async def user_stats(self, user_id: int | str) -> UserStats:
        """The user's totals over group rounds in every chat, and their practice score."""
        await self.answers.flush()
        user_hash = self.store.user_hash(user_id)
        async with self.store.db.session() as session:
            answered, correct, points, rounds, groups, last = (
                await session.execute(
                    select(
                        func.count(QuizAnswer.id),
                        func.sum(case((QuizAnswer.correct, 1), else_=0)),
                        func.sum(QuizAnswer.points),
                        func.count(func.distinct(QuizAnswer.round_id)),
                        func.count(func.distinct(QuizAnswer.chat_id)),
                        func.max(QuizAnswer.received_at),
                    ).where(QuizAnswer.user_hash == user_hash, QuizAnswer.round_id.is_not(None))
                )
            ).one()
            practice = await _practice(session, user_hash)
        return UserStats(
            answered=int(answered or 0),
            correct=int(correct or 0),
            points=int(points or 0),
            rounds=int(rounds or 0),
            groups=int(groups or 0),
            last_answer_at=aware(last),
            practice=practice,
        )

    async def practice_score(self, user_id: int | str) -> PracticeTotals:
        await self.answers.flush()
        async with self.store.db.session() as session:
            return await _practice(session, self.store.user_hash(user_id))

    async def _standings(
        self, session: AsyncSession, where: Any, limit: int | None
    ) -> list[Standing]:
        """Per user: points, right answers, answers, last answer and latest display name.

        Best first: more points, then more right answers, then whoever finished first.
        """
        query: Select[Any] = (
            select(
                QuizAnswer.user_hash,
                func.sum(QuizAnswer.points).label("points"),
                func.sum(case((QuizAnswer.correct, 1), else_=0)).label("correct"),
                func.count(QuizAnswer.id).label("answered"),
                func.max(QuizAnswer.received_at).label("last"),
                func.max(QuizAnswer.id).label("last_id"),
            )
            .where(where)
            .group_by(QuizAnswer.user_hash)
            .order_by(
                func.sum(QuizAnswer.points).desc(),
                func.sum(case((QuizAnswer.correct, 1), else_=0)).desc(),
                func.max(QuizAnswer.received_at),
                QuizAnswer.user_hash,
            )
        )
        if limit is not None:
            query = query.limit(limit)
        rows = (await session.execute(query)).all()
        names = dict(
            (
                await session.execute(
                    select(QuizAnswer.id, QuizAnswer.display_name).where(
                        QuizAnswer.id.in_([row.last_id for row in rows])
                    )
                )
            ).all()
        )
        return [
            Standing(
                user_hash=row.user_hash,
                display_name=names.get(row.last_id, NAMELESS),
                points=int(row.points or 0),
                correct=int(row.correct or 0),
                answered=int(row.answered),
                last_answer_at=aware(row.last) or self.store.clock(),
            )
            for row in rows
        ]

    async def _ranking(self, session: AsyncSession, where: Any, limit: int) -> list[RankingRow]:
        ranking: list[RankingRow] = []
        for index, row in enumerate(await self._standings(session, where, limit)):
            previous = ranking[-1] if ranking else None
            tied = previous and (previous.points, previous.correct) == (row.points, row.correct)
            rank = previous.rank if tied and previous else index + 1
            ranking.append(
                RankingRow(rank, row.display_name, row.points, row.correct, row.answered)
            )
        return ranking


async def _practice(session: AsyncSession, user_hash: str) -> PracticeTotals:
    row = await session.get(PracticeScore, user_hash)
    if row is None:
        return PracticeTotals()
    return PracticeTotals(row.answered, row.correct, row.points)
