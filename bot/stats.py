"""Statistics over the database, for the admin commands and the campaign report.

Platform-free: every function takes a `bot.storage.Database` and reads the question log
(`questions`) and the quiz tables; none knows Telegram or HTML.

Days are UTC calendar days. "Today" is the current UTC day (00:00–24:00 UTC, which is
08:00–08:00 Beijing time); "the last 7 days" are today and the six UTC days before it;
questions per day are counted per UTC day; a `Period(since, until)` holds both of its UTC
days (inclusive). Quiz rounds fall in a period by the time they started, and a round's
answers and participants go with their round.

"Unanswered" means a reply of kind `fallback` (the bot said it could not answer and named
the contact); such questions are grouped by their matching form (`bot.engine.normalize`:
full-width, traditional characters, punctuation and spacing do not split a group; nor does
a trailing sentence particle such as 呢 or 吗, see `group_key`).
Shares are fractions of every recorded question (small talk included).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import ColumnElement, case, func, select

from bot.engine.normalize import normalize
from bot.quiz.models import QuizAnswer, QuizPoll, QuizRound
from bot.storage import Database, QuestionRecord
from bot.storage.models import utcnow

KINDS = ("answer", "clarify", "smalltalk", "fallback")
UNANSWERED_KIND = "fallback"
BLANK = "（空白）"  # how a question of only spaces is shown
# Sentence-final particles that do not change what is asked (专利年费多少钱呢 = 专利年费多少钱).
TRAILING_PARTICLES = "呢吗嘛啊呀吧哦呗啦"
# The longest span `questions_per_day` fills with zero days (ten years).
MAX_DAYS = 3660


@dataclass(frozen=True)
class Period:
    """UTC days from `since` to `until`, both included; None leaves that side open."""

    since: date | None = None
    until: date | None = None

    def __post_init__(self) -> None:
        if self.since and self.until and self.since > self.until:
            raise ValueError(f"since ({self.since}) is after until ({self.until})")

    @property
    def start(self) -> datetime | None:
        return day_start(self.since) if self.since else None

    @property
    def end(self) -> datetime | None:
        """The first moment after the period (exclusive)."""
        return day_start(self.until + timedelta(days=1)) if self.until else None

    def conditions(self, column: Any) -> list[ColumnElement[bool]]:
        out: list[ColumnElement[bool]] = []
        if self.start is not None:
            out.append(column >= self.start)
        if self.end is not None:
            out.append(column < self.end)
        return out

    def __str__(self) -> str:
        if not self.since and not self.until:
            return "全部"
        return f"{self.since or '…'} 至 {self.until or '…'}"


ALL_TIME = Period()


def day_start(day: date) -> datetime:
    """00:00 UTC of a day."""
    return datetime.combine(day, time(0), tzinfo=UTC)


def utc_day(moment: datetime) -> date:
    return moment.astimezone(UTC).date()


# -- what the functions return ----------------------------------------------------------------


@dataclass(frozen=True)
class QuestionCounts:
    today: int
    last_7_days: int
    total: int


@dataclass(frozen=True)
class KindCounts:
    """Questions by reply kind (answer, clarify, smalltalk, fallback)."""

    counts: Mapping[str, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def __getitem__(self, kind: str) -> int:
        return self.counts.get(kind, 0)

    def share(self, kind: str) -> float:
        """The kind's fraction of all questions (0.0 when there are none)."""
        return self[kind] / self.total if self.total else 0.0


@dataclass(frozen=True)
class EntryCount:
    entry: str
    title: str
    count: int


@dataclass(frozen=True)
class UnansweredQuestion:
    """Fallback questions with one matching form: the most frequent wording, and counts."""

    text: str
    normalized: str
    count: int
    users: int
    first_asked: datetime
    last_asked: datetime


@dataclass(frozen=True)
class DayCount:
    day: date
    total: int
    kinds: Mapping[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class GroupQuiz:
    """One group's quiz rounds and results (rounds that started in the period)."""

    chat_id: int
    rounds: int
    finished: int
    stopped: int
    open: int
    questions: int  # polls sent
    participants: int  # distinct users who answered
    answers: int
    correct: int
    points: int

    @property
    def accuracy(self) -> float:
        return self.correct / self.answers if self.answers else 0.0

    @property
    def average_points(self) -> float:
        return self.points / self.participants if self.participants else 0.0


@dataclass(frozen=True)
class PracticeStats:
    """Private practice (polls outside rounds)."""

    answers: int
    users: int
    correct: int


@dataclass(frozen=True)
class Overview:
    questions: int
    askers: int
    kinds: KindCounts
    rounds: int
    groups: int
    participants: int  # distinct users over all groups' rounds
    quiz_answers: int
    quiz_points: int
    practice: PracticeStats


@dataclass(frozen=True)
class AdminSummary:
    """What /stats shows."""

    counts: QuestionCounts
    kinds: KindCounts
    top_entries: list[EntryCount]
    unanswered: list[UnansweredQuestion]
    overview: Overview


def group_key(question: str) -> str:
    """The form unanswered questions are grouped by: normalised, without trailing particles."""
    key = normalize(question)
    stripped = key.rstrip(TRAILING_PARTICLES + " ")
    return stripped or key


# -- questions ---------------------------------------------------------------------------------


def _day_expression(db: Database) -> Any:
    """The UTC day of `created_at` as SQL: stored UTC text on SQLite, timestamptz on PostgreSQL."""
    column = QuestionRecord.created_at
    if db.is_sqlite:
        return func.date(column)
    return func.date(func.timezone("UTC", column))


def _as_date(value: Any) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def _as_utc(value: Any) -> datetime:
    """Aggregates (min/max) bypass UtcDateTime on SQLite: parse and mark them UTC."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


async def question_counts(db: Database, *, now: datetime | None = None) -> QuestionCounts:
    """Questions today (UTC), in the last 7 UTC days (today included) and in total."""
    today = utc_day(now or utcnow())
    start_today = day_start(today)
    start_week = day_start(today - timedelta(days=6))
    column = QuestionRecord.created_at
    query = select(
        func.count(QuestionRecord.id),
        func.coalesce(func.sum(case((column >= start_today, 1), else_=0)), 0),
        func.coalesce(func.sum(case((column >= start_week, 1), else_=0)), 0),
    )
    async with db.session() as session:
        total, day, week = (await session.execute(query)).one()
    return QuestionCounts(today=int(day), last_7_days=int(week), total=int(total))


async def kind_counts(db: Database, period: Period = ALL_TIME) -> KindCounts:
    """Questions per reply kind in the period; every kind in `KINDS` is present."""
    query = (
        select(QuestionRecord.kind, func.count(QuestionRecord.id))
        .where(*period.conditions(QuestionRecord.created_at))
        .group_by(QuestionRecord.kind)
    )
    async with db.session() as session:
        rows = (await session.execute(query)).all()
    counts = dict.fromkeys(KINDS, 0)
    counts.update({kind: int(n) for kind, n in rows})
    return KindCounts(counts)


async def askers(db: Database, period: Period = ALL_TIME) -> int:
    """Distinct (hashed) users who asked in the period."""
    query = select(func.count(func.distinct(QuestionRecord.user_hash))).where(
        *period.conditions(QuestionRecord.created_at)
    )
    async with db.session() as session:
        return int(await session.scalar(query) or 0)


async def top_entries(
    db: Database,
    limit: int | None = 10,
    period: Period = ALL_TIME,
    titles: Mapping[str, str] | None = None,
) -> list[EntryCount]:
    """The entries answers cited most, most first (ties by entry id); titles from `titles`
    (see `entry_titles`), else the id."""
    count = func.count(QuestionRecord.id)
    query = (
        select(QuestionRecord.entry, count)
        .where(
            QuestionRecord.kind == "answer",
            QuestionRecord.entry.is_not(None),
            *period.conditions(QuestionRecord.created_at),
        )
        .group_by(QuestionRecord.entry)
        .order_by(count.desc(), QuestionRecord.entry)
    )
    if limit is not None:
        query = query.limit(limit)
    async with db.session() as session:
        rows = (await session.execute(query)).all()
    names = titles or {}
    return [EntryCount(entry, names.get(entry, entry), int(n)) for entry, n in rows]


def entry_titles(kb: Any) -> dict[str, str]:
    """Entry id → title for a `KnowledgeBase` (contacts by name and organisation)."""
    titles = {
        contact.id: f"{contact.name}（{contact.organization}）"
        if contact.organization
        else contact.name
        for contact in kb.contacts.values()
    }
    titles.update({entry.id: entry.title for entry in kb.entries.values()})
    return titles


async def unanswered(
    db: Database, limit: int | None = None, period: Period = ALL_TIME
) -> list[UnansweredQuestion]:
    """Fallback questions grouped by matching form, most asked first (then most recent).

    A group shows the wording asked most often (the earliest of equally frequent ones).
    """
    query = (
        select(QuestionRecord.question, QuestionRecord.user_hash, QuestionRecord.created_at)
        .where(
            QuestionRecord.kind == UNANSWERED_KIND,
            *period.conditions(QuestionRecord.created_at),
        )
        .order_by(QuestionRecord.created_at, QuestionRecord.id)
    )
    groups: dict[str, dict[str, Any]] = {}
    async with db.session() as session:
        result = await session.stream(query.execution_options(yield_per=1000))
        async for question, user_hash, created_at in result:
            # Every fallback question is counted, so the groups add up to the fallback count.
            key = group_key(question) or question.strip()
            group = groups.get(key)
            if group is None:
                group = groups[key] = {
                    "wordings": Counter(),
                    "users": set(),
                    "first": created_at,
                    "last": created_at,
                }
            group["wordings"][question.strip() or BLANK] += 1
            group["users"].add(user_hash)
            group["last"] = created_at
    out = [
        UnansweredQuestion(
            text=group["wordings"].most_common(1)[0][0],
            normalized=key,
            count=sum(group["wordings"].values()),
            users=len(group["users"]),
            first_asked=_as_utc(group["first"]),
            last_asked=_as_utc(group["last"]),
        )
        for key, group in groups.items()
    ]
    out.sort(key=lambda q: (-q.count, -q.last_asked.timestamp(), q.normalized))
    return out[:limit] if limit is not None else out


async def questions_per_day(db: Database, period: Period = ALL_TIME) -> list[DayCount]:
    """Questions per UTC day with their kinds, every day from the first to the last.

    The range is the period's bounds where given, else the first and last day with
    questions; days without questions count 0. Empty when there is nothing to show.
    """
    day = _day_expression(db).label("day")
    query = (
        select(day, QuestionRecord.kind, func.count(QuestionRecord.id))
        .where(*period.conditions(QuestionRecord.created_at))
        .group_by(day, QuestionRecord.kind)
    )
    async with db.session() as session:
        rows = (await session.execute(query)).all()
    per_day: dict[date, dict[str, int]] = defaultdict(dict)
    for value, kind, n in rows:
        per_day[_as_date(value)][kind] = int(n)
    if not per_day and not (period.since and period.until):
        return []
    first = period.since or min(per_day)
    last = period.until or max(per_day)
    if per_day:
        first, last = min(first, min(per_day)), max(last, max(per_day))
    if (last - first).days >= MAX_DAYS:
        first = last - timedelta(days=MAX_DAYS - 1)
    days = []
    current = first
    while current <= last:
        kinds = {kind: per_day.get(current, {}).get(kind, 0) for kind in KINDS}
        for kind, n in per_day.get(current, {}).items():
            kinds.setdefault(kind, n)
        days.append(DayCount(current, sum(kinds.values()), kinds))
        current += timedelta(days=1)
    return days


# -- quiz ----------------------------------------------------------------------------------------


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


# -- combined ------------------------------------------------------------------------------------


async def overview(db: Database, period: Period = ALL_TIME) -> Overview:
    kinds = await kind_counts(db, period)
    groups = await quiz_groups(db, period)
    return Overview(
        questions=kinds.total,
        askers=await askers(db, period),
        kinds=kinds,
        rounds=sum(g.rounds for g in groups),
        groups=len(groups),
        participants=await quiz_participants(db, period),
        quiz_answers=sum(g.answers for g in groups),
        quiz_points=sum(g.points for g in groups),
        practice=await practice_stats(db, period),
    )


async def admin_summary(
    db: Database,
    titles: Mapping[str, str] | None = None,
    *,
    limit: int = 5,
    now: datetime | None = None,
) -> AdminSummary:
    """Everything /stats shows, all time except the day and week counts."""
    return AdminSummary(
        counts=await question_counts(db, now=now),
        kinds=await kind_counts(db),
        top_entries=await top_entries(db, limit, titles=titles),
        unanswered=await unanswered(db, limit),
        overview=await overview(db),
    )
