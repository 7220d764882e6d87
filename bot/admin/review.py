"""Unanswered and unsure questions, grouped for review, and what the admin decided.

Questions whose reply was a fallback (unanswered) or a clarify (unsure: suggestions offered)
are grouped by their matching form (`bot.stats.group_key`, the engine's normaliser without
trailing particles): 专利年费多少钱呢 and 專利年費多少錢 are one group. Groups are counted
and listed newest first. A group is `open` until it is attached (a learned wording,
`pending` then `attached`), marked `out_of_scope` or `dismissed`; reopening forgets the mark.
For each group the engine's top suggestions come from its own ranking (`Engine.search`, as
the evaluation's `ranking_of` uses it), each with its score and citation.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import delete, select

from bot.admin import audit
from bot.admin.learned import LearnedError, review_key
from bot.admin.models import MAX_WORDING, LearnedWording, QuestionReview
from bot.engine import Engine
from bot.engine.compose import entry_citation, suggestion_title
from bot.stats import ALL_TIME, Period
from bot.stats.period import as_utc
from bot.storage import Database, QuestionRecord
from bot.storage.models import utcnow

REVIEWED_KINDS = ("fallback", "clarify")
MAX_WORDINGS = 5  # other wordings of a group shown beside its most frequent one


@dataclass
class QuestionGroup:
    key: str
    question: str
    count: int
    users: int
    last_asked: datetime
    kinds: dict[str, int]
    channels: dict[str, int]
    wordings: list[str] = field(default_factory=list)
    status: str = "open"
    entry: str | None = None


@dataclass(frozen=True)
class Suggested:
    entry: str
    title: str
    kind: str
    score: float
    citation: str


async def question_groups(
    db: Database, kinds: tuple[str, ...] = REVIEWED_KINDS, period: Period = ALL_TIME
) -> list[QuestionGroup]:
    """Every group of the period's questions of `kinds`, with its status, newest first."""
    query = (
        select(
            QuestionRecord.question,
            QuestionRecord.user_hash,
            QuestionRecord.created_at,
            QuestionRecord.frontend,
            QuestionRecord.kind,
        )
        .where(QuestionRecord.kind.in_(kinds), *period.conditions(QuestionRecord.created_at))
        .order_by(QuestionRecord.id)
    )
    raw: dict[str, dict] = {}  # type: ignore[type-arg]
    async with db.session() as session:
        result = await session.stream(query.execution_options(yield_per=1000))
        async for question, user, at, channel, kind in result:
            text = question.strip()
            if not text:
                continue
            key = review_key(text)
            group = raw.setdefault(
                key,
                {"wordings": Counter(), "users": set(), "kinds": Counter(), "channels": Counter()},
            )
            group["wordings"][text] += 1
            group["users"].add(user)
            group["kinds"][kind] += 1
            group["channels"][channel] += 1
            group["last"] = at
        learned = {r.normalized: r for r in await session.scalars(select(LearnedWording))}
        reviews = {r.normalized: r for r in await session.scalars(select(QuestionReview))}
    out = []
    for key, g in raw.items():
        ranked = [w for w, _ in g["wordings"].most_common()]
        group = QuestionGroup(
            key=key,
            question=ranked[0],
            count=sum(g["wordings"].values()),
            users=len(g["users"]),
            last_asked=as_utc(g["last"]),
            kinds=dict(g["kinds"]),
            channels=dict(g["channels"].most_common()),
            wordings=ranked[1 : 1 + MAX_WORDINGS],
        )
        if key in learned:
            row = learned[key]
            group.status = "pending" if row.status == "pending" else "attached"
            group.entry = row.entry
        elif key in reviews:
            group.status = reviews[key].decision
        out.append(group)
    out.sort(key=lambda g: (g.last_asked, g.count), reverse=True)
    return out


def suggestions(engine: Engine, question: str, limit: int = 3) -> list[Suggested]:
    """The engine's best-ranked entries for the question, with their scores."""
    out = []
    for candidate in engine.search(question)[:limit]:
        entry = candidate.entry
        out.append(
            Suggested(
                entry=entry.id,
                title=suggestion_title(entry),
                kind=entry.kind,
                score=round(candidate.score, 3),
                citation=entry_citation(engine.kb, entry).line,
            )
        )
    return out


async def decide(db: Database, wording: str, decision: str, actor: str) -> None:
    """Mark the group of `wording` out of scope or dismissed (hidden from the open list)."""
    key = review_key(wording)
    if not key or len(wording) > MAX_WORDING:
        raise LearnedError("bad_request", "question")
    async with db.session() as session:
        row = await session.scalar(select(QuestionReview).where(QuestionReview.normalized == key))
        if row is None:
            session.add(
                QuestionReview(
                    normalized=key,
                    wording=wording.strip(),
                    decision=decision,
                    decided_by=actor,
                    decided_at=utcnow(),
                )
            )
        else:
            row.decision, row.decided_by, row.decided_at = decision, actor, utcnow()
        audit.add(session, actor, decision, wording.strip())
        await session.commit()


async def reopen(db: Database, wording: str, actor: str) -> bool:
    """Forget an out-of-scope or dismissed mark; False when the group had none."""
    key = review_key(wording)
    async with db.session() as session:
        result = await session.execute(
            delete(QuestionReview).where(QuestionReview.normalized == key)
        )
        if not result.rowcount:  # type: ignore[attr-defined]
            return False
        audit.add(session, actor, "reopen", wording.strip())
        await session.commit()
        return True
