"""The question log: every question, its outcome, its channel and a pseudonymous user, for
statistics.

Channels (`FRONTENDS`: telegram, web, console, wechat, wecom, live) are stored in the
`frontend` column; `delivered=False` marks a reply that could not be delivered.
`insert_rows` writes rows prepared by a write-behind queue, skipping any whose `uid` is
already stored (a retried write).

Writes go through one writer task that commits whatever has queued up in one transaction:
a busy bot then costs one commit per batch instead of one per question, and SQLite never
sees two writers at once (no "database is locked" under load). `record` still returns only
once its row is committed, or raises what the commit raised.

User ids are never stored. `hash_user` keys an HMAC-SHA256 with BOT_HASH_SECRET, so the same
user maps to the same hash (repeat askers can be counted) while the id cannot be recovered
without the secret. The default secret below is public: with it, anyone could hash candidate
ids and compare, so deployments set BOT_HASH_SECRET (and keep it: changing it splits every
user's history in two).
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select

from bot.storage.db import Database
from bot.storage.models import QuestionRecord, utcnow

DEFAULT_HASH_SECRET = "ipreg-bot-default-user-hash-secret"
# The channels a question can come through (stored in `QuestionRecord.frontend`).
FRONTENDS = ("telegram", "web", "console", "wechat", "wecom", "live")
CHANNELS = FRONTENDS
# Longer questions are cut: the engine itself reads at most 500 characters.
MAX_STORED_QUESTION = 1000
# Most rows one transaction commits.
MAX_BATCH = 500


def hash_user(user_id: int | str | None, secret: str = DEFAULT_HASH_SECRET) -> str:
    """HMAC-SHA256 (64 hex digits) of a user id; `None` (an anonymous sender) has its own."""
    key = (secret or DEFAULT_HASH_SECRET).encode("utf-8")
    subject = "anonymous" if user_id is None else str(user_id)
    return hmac.new(key, subject.encode("utf-8"), hashlib.sha256).hexdigest()


def _retrieve(future: asyncio.Future[None]) -> None:
    if not future.cancelled():
        future.exception()


class QuestionLog:
    """Writes and reads `QuestionRecord`s; the only place front ends touch the table."""

    def __init__(self, database: Database, secret: str = "") -> None:
        self.database = database
        self._secret = secret or DEFAULT_HASH_SECRET
        self._queue: list[tuple[QuestionRecord, asyncio.Future[None]]] = []
        self._writer: asyncio.Task[None] | None = None

    @property
    def uses_default_secret(self) -> bool:
        return self._secret == DEFAULT_HASH_SECRET

    def user_hash(self, user_id: int | str | None) -> str:
        return hash_user(user_id, self._secret)

    async def prepare(self) -> None:
        """Create or upgrade the schema if needed (at start-up): `Database.migrate`."""
        await self.database.migrate()

    async def record(
        self,
        *,
        user_id: int | str | None,
        chat_type: str,
        frontend: str,
        question: str,
        kind: str,
        intent: str,
        entry: str | None,
        confidence: float,
        created_at: datetime | None = None,
        delivered: bool | None = None,
    ) -> None:
        """Store one question and its outcome; `delivered=False` when the reply could not be
        delivered (None: not known, counted as delivered)."""
        if frontend not in FRONTENDS:
            raise ValueError(f"unknown front end {frontend!r}; expected one of {FRONTENDS}")
        record = QuestionRecord(
            user_hash=self.user_hash(user_id),
            chat_type=chat_type[:16],
            frontend=frontend,
            question=question[:MAX_STORED_QUESTION],
            kind=kind,
            intent=intent[:32],
            entry=entry,
            confidence=float(confidence),
            delivered=delivered,
        )
        if created_at is not None:
            record.created_at = created_at
        done: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        done.add_done_callback(_retrieve)  # no "exception never retrieved" if abandoned
        self._queue.append((record, done))
        if self._writer is None or self._writer.done():
            self._writer = asyncio.create_task(self._write(), name="question-log-writer")
        # shield: a caller that gives up (cancelled) does not take the row down with it.
        await asyncio.shield(done)

    async def _write(self) -> None:
        """Commit queued rows in batches until the queue is empty."""
        while self._queue:
            batch, self._queue = self._queue[:MAX_BATCH], self._queue[MAX_BATCH:]
            try:
                async with self.database.session() as session:
                    session.add_all(record for record, _ in batch)
                    await session.commit()
            except Exception as exc:
                for _, done in batch:
                    if not done.done():
                        done.set_exception(exc)
            else:
                for _, done in batch:
                    if not done.done():
                        done.set_result(None)

    async def insert_rows(self, rows: Iterable[Any]) -> None:
        """Insert rows prepared elsewhere (a write-behind queue) in one transaction.

        Each row is an object or a mapping with `uid`, `user_hash`, `chat_type`, `channel`
        (or `frontend`), `question`, `kind`, `intent`, `entry`, `confidence`, `delivered` and
        `created_at` (an aware datetime or a Unix time). A row whose `uid` is already stored
        is skipped, so retrying a write whose commit did happen stores nothing twice.
        Values are cut to their columns' lengths; the channel is not checked here.
        """
        values = [_row_values(row) for row in rows]
        if not values:
            return
        table = QuestionRecord.__table__
        statement = self.database.insert(table).on_conflict_do_nothing(index_elements=["uid"])
        async with self.database.session() as session:
            await session.execute(statement, values)
            await session.commit()

    async def recent(self, limit: int | None = 100) -> Sequence[QuestionRecord]:
        """The latest records, oldest first."""
        query = select(QuestionRecord).order_by(QuestionRecord.id.desc())
        if limit is not None:
            query = query.limit(limit)
        async with self.database.session() as session:
            rows = (await session.scalars(query)).all()
        return list(reversed(rows))

    async def count(self) -> int:
        async with self.database.session() as session:
            return int(await session.scalar(select(func.count(QuestionRecord.id))) or 0)

    async def close(self) -> None:
        """Finish pending writes, then close the database connections."""
        if self._writer is not None and not self._writer.done():
            await self._writer
        await self.database.dispose()


def _field(row: Any, name: str, default: Any = None) -> Any:
    if isinstance(row, Mapping):
        return row.get(name, default)
    return getattr(row, name, default)


def _row_values(row: Any) -> dict[str, Any]:
    """The column values of one row for `insert_rows`."""
    created = _field(row, "created_at")
    if created is None:
        created = utcnow()
    elif isinstance(created, int | float):
        created = datetime.fromtimestamp(created, UTC)
    elif created.tzinfo is None:
        raise ValueError("naive datetime: pass an aware datetime (UTC)")
    channel = _field(row, "channel") or _field(row, "frontend")
    entry = _field(row, "entry")
    delivered = _field(row, "delivered")
    return {
        "uid": _field(row, "uid"),
        "created_at": created.astimezone(UTC),
        "user_hash": str(_field(row, "user_hash"))[:64],
        "chat_type": str(_field(row, "chat_type", "private"))[:16],
        "frontend": str(channel)[:16],
        "question": str(_field(row, "question"))[:MAX_STORED_QUESTION],
        "kind": str(_field(row, "kind"))[:16],
        "intent": str(_field(row, "intent", ""))[:32],
        "entry": None if entry is None else str(entry)[:128],
        "confidence": float(_field(row, "confidence", 0.0)),
        "delivered": None if delivered is None else bool(delivered),
    }
