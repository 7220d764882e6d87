"""The question log in figures: counts, kinds, askers, top entries, unanswered, per day.

Every function reads `questions` only and takes an optional `Period` (UTC days, inclusive).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import case, func, select

from bot.engine.normalize import normalize
from bot.stats.period import (
    ALL_TIME,
    MAX_DAYS,
    Period,
    as_date,
    as_utc,
    day_expression,
    day_start,
    utc_day,
)
from bot.stats.rows import (
    KINDS,
    UNANSWERED_KIND,
    DayCount,
    EntryCount,
    KindCounts,
    QuestionCounts,
    UnansweredQuestion,
)
from bot.storage import Database, QuestionRecord
from bot.storage.models import utcnow

BLANK = "（空白）"  # how a question of only spaces is shown
# Sentence-final particles that do not change what is asked (专利年费多少钱呢 = 专利年费多少钱).
TRAILING_PARTICLES = "呢吗嘛啊呀吧哦呗啦"


def group_key(question: str) -> str:
    """The form unanswered questions are grouped by: normalised, without trailing particles."""
    key = normalize(question)
    stripped = key.rstrip(TRAILING_PARTICLES + " ")
    return stripped or key


async def question_counts(
    db: Database, *, now: datetime | None = None, period: Period = ALL_TIME
) -> QuestionCounts:
    """Questions today (UTC), in the last 7 UTC days (today included) and in total; with a
    period, all three count only the period's questions."""
    today = utc_day(now or utcnow())
    start_today = day_start(today)
    start_week = day_start(today - timedelta(days=6))
    column = QuestionRecord.created_at
    query = select(
        func.count(QuestionRecord.id),
        func.coalesce(func.sum(case((column >= start_today, 1), else_=0)), 0),
        func.coalesce(func.sum(case((column >= start_week, 1), else_=0)), 0),
    ).where(*period.conditions(column))
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


def knowledge_titles(directory: str | Path | None = None) -> dict[str, str]:
    """`entry_titles` of the knowledge directory (default BOT_KNOWLEDGE_DIR or ./knowledge);
    empty when it does not load: titles are a nicety, the figures do not depend on them."""
    from bot import config
    from bot.knowledge.loader import collect

    path = Path(directory) if directory else config.knowledge_dir()
    if not path.is_dir():
        return {}
    try:
        kb, _problems = collect(path)
    except Exception:
        return {}
    return entry_titles(kb)


async def unanswered(
    db: Database, limit: int | None = None, period: Period = ALL_TIME
) -> list[UnansweredQuestion]:
    """Fallback questions grouped by matching form, most asked first (then most recent).

    A group shows the wording asked most often (the earliest of equally frequent ones) and
    how often it came through each channel.
    """
    query = (
        select(
            QuestionRecord.question,
            QuestionRecord.user_hash,
            QuestionRecord.created_at,
            QuestionRecord.frontend,
        )
        .where(
            QuestionRecord.kind == UNANSWERED_KIND,
            *period.conditions(QuestionRecord.created_at),
        )
        .order_by(QuestionRecord.created_at, QuestionRecord.id)
    )
    groups: dict[str, dict[str, Any]] = {}
    async with db.session() as session:
        result = await session.stream(query.execution_options(yield_per=1000))
        async for question, user_hash, created_at, channel in result:
            # Every fallback question is counted, so the groups add up to the fallback count.
            key = group_key(question) or question.strip()
            group = groups.get(key)
            if group is None:
                group = groups[key] = {
                    "wordings": Counter(),
                    "users": set(),
                    "channels": Counter(),
                    "first": created_at,
                    "last": created_at,
                }
            group["wordings"][question.strip() or BLANK] += 1
            group["users"].add(user_hash)
            group["channels"][channel] += 1
            group["last"] = created_at
    out = [
        UnansweredQuestion(
            text=group["wordings"].most_common(1)[0][0],
            normalized=key,
            count=sum(group["wordings"].values()),
            users=len(group["users"]),
            first_asked=as_utc(group["first"]),
            last_asked=as_utc(group["last"]),
            channels=dict(group["channels"].most_common()),
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
    day = day_expression(db, QuestionRecord.created_at).label("day")
    query = (
        select(day, QuestionRecord.kind, func.count(QuestionRecord.id))
        .where(*period.conditions(QuestionRecord.created_at))
        .group_by(day, QuestionRecord.kind)
    )
    async with db.session() as session:
        rows = (await session.execute(query)).all()
    per_day: dict[date, dict[str, int]] = defaultdict(dict)
    for value, kind, n in rows:
        per_day[as_date(value)][kind] = int(n)
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
