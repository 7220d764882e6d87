"""Learned wordings: ways of asking attached to an entry in the console, kept in the database.

A wording is `pending` when attached; the console applies pending wordings together, after
the evaluation (bot.admin.apply), and they become `active`: merged into their entry's
`questions` at every load, on every replica (bot.app.holder.with_learned), without a YAML
change. Removing an active wording makes it `retiring` — still in service — until the next
apply takes it out. One wording per matching form (`review_key`): the same question in
other punctuation, width or script is the same wording.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, func, select, update

from bot.admin import audit
from bot.admin.models import LEARNED_STATUSES, MAX_WORDING, LearnedWording, QuestionReview
from bot.stats import group_key
from bot.storage import Database
from bot.storage.models import utcnow

# What every load builds in: applied wordings, those waiting for removal included.
IN_SERVICE = ("active", "retiring")
# What an apply builds in: applied wordings not being removed, and the pending ones.
CANDIDATE = ("active", "pending")
# What the audit log calls a status.
STATUS_NAMES = {"pending": "原为待应用", "active": "原已生效，下次应用时移除"}


class LearnedError(Exception):
    """A change refused: `code` for the console's message, `detail` to fill it."""

    def __init__(self, code: str, detail: str = "") -> None:
        super().__init__(code)
        self.code = code
        self.detail = detail


@dataclass(frozen=True)
class LearnedRow:
    id: int
    wording: str
    normalized: str
    entry: str
    status: str
    created_by: str
    created_at: datetime
    applied_by: str | None
    applied_at: datetime | None


def review_key(text: str) -> str:
    """The matching form questions are grouped and wordings stored by (bot.stats.group_key)."""
    return (group_key(text) or text.strip())[:MAX_WORDING]


def _row(r: LearnedWording) -> LearnedRow:
    return LearnedRow(
        r.id,
        r.wording,
        r.normalized,
        r.entry,
        r.status,
        r.created_by,
        r.created_at,
        r.applied_by,
        r.applied_at,
    )


def _target(entry: str, titles: Mapping[str, str] | None) -> str:
    """How the audit log names an entry: its title, with the id to be exact."""
    title = (titles or {}).get(entry)
    return f"{title}（{entry}）" if title and title != entry else entry


async def attach(
    db: Database,
    wording: str,
    entry: str,
    actor: str,
    titles: Mapping[str, str] | None = None,
) -> LearnedRow:
    """Attach `wording` to `entry` (pending). Attaching it again to the same entry changes
    nothing; a pending wording moves to the new entry; an applied one must be removed first
    (LearnedError `attached_elsewhere`). `titles` (entry id → title) name the entry in the
    audit row."""
    wording = wording.strip()
    key = review_key(wording)
    if not key or len(wording) > MAX_WORDING:
        raise LearnedError("bad_request", "question")
    async with db.session() as session:
        row = await session.scalar(select(LearnedWording).where(LearnedWording.normalized == key))
        if row is not None and row.entry == entry:
            return _row(row)
        if row is not None and row.status != "pending":
            raise LearnedError("attached_elsewhere", row.entry)
        if row is None:
            row = LearnedWording(
                wording=wording,
                normalized=key,
                entry=entry,
                status="pending",
                created_by=actor,
                created_at=utcnow(),
            )
            session.add(row)
        else:
            row.entry, row.wording, row.created_by = entry, wording, actor
        # An attached group is no longer out of scope or dismissed.
        await session.execute(delete(QuestionReview).where(QuestionReview.normalized == key))
        audit.add(session, actor, "attach", f"{wording} → {_target(entry, titles)}")
        await session.commit()
        return _row(row)


async def remove(
    db: Database, ident: int, actor: str, titles: Mapping[str, str] | None = None
) -> LearnedRow:
    """Take a wording back: a pending one is deleted, an active one retires at the next apply."""
    async with db.session() as session:
        row = await session.get(LearnedWording, ident)
        if row is None:
            raise LearnedError("no_wording")
        found = _row(row)
        if row.status == "pending":
            await session.delete(row)
        elif row.status == "active":
            row.status = "retiring"
        was = STATUS_NAMES.get(found.status, found.status)
        audit.add(session, actor, "detach", f"{row.wording} → {_target(row.entry, titles)}，{was}")
        await session.commit()
        return found


async def listing(db: Database, statuses: tuple[str, ...] = LEARNED_STATUSES) -> list[LearnedRow]:
    async with db.session() as session:
        rows = await session.scalars(
            select(LearnedWording)
            .where(LearnedWording.status.in_(statuses))
            .order_by(LearnedWording.id)
        )
        return [_row(r) for r in rows]


def by_entry(rows: list[LearnedRow]) -> dict[str, tuple[str, ...]]:
    """Entry id → its wordings, in the order they were attached."""
    out: dict[str, list[str]] = {}
    for row in rows:
        out.setdefault(row.entry, []).append(row.wording)
    return {entry: tuple(wordings) for entry, wordings in out.items()}


async def in_service(db: Database) -> dict[str, tuple[str, ...]]:
    """What every (re)load builds into the engine."""
    return by_entry(await listing(db, IN_SERVICE))


async def status_counts(db: Database) -> dict[str, int]:
    query = select(LearnedWording.status, func.count(LearnedWording.id)).group_by(
        LearnedWording.status
    )
    async with db.session() as session:
        found = Counter({status: int(n) for status, n in (await session.execute(query)).all()})
    return {status: found.get(status, 0) for status in LEARNED_STATUSES}


async def activate(
    db: Database, pending: list[int], retiring: list[int], actor: str, detail: str
) -> int:
    """After an accepted evaluation: the evaluated pending wordings become active and the
    retiring ones go, in one transaction with its audit row; how many became active (a
    wording removed meanwhile is left out)."""
    now = utcnow()
    async with db.session() as session:
        done = 0
        if pending:
            result = await session.execute(
                update(LearnedWording)
                .where(LearnedWording.id.in_(pending), LearnedWording.status == "pending")
                .values(status="active", applied_by=actor, applied_at=now)
            )
            done = int(result.rowcount or 0)  # type: ignore[attr-defined]
        if retiring:
            await session.execute(
                delete(LearnedWording).where(
                    LearnedWording.id.in_(retiring), LearnedWording.status == "retiring"
                )
            )
        audit.add(session, actor, "apply", detail)
        await session.commit()
        return done
