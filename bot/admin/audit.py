"""The audit log: one row per admin action — who, what, when, and a short detail.

An action and its row are written in the same transaction where the action is a database
change (`add`), so the log never shows an action that did not happen or misses one that did.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.admin.models import AdminAudit
from bot.storage import Database
from bot.storage.models import utcnow

MAX_DETAIL = 2000
# Who acted when an action comes from the command line rather than a login.
COMMAND_LINE = "(命令行)"


@dataclass(frozen=True)
class AuditRow:
    at: datetime
    actor: str
    action: str
    detail: str


def add(session: AsyncSession, actor: str, action: str, detail: str = "") -> None:
    """Add the row to `session`; the caller's commit writes it with the action."""
    session.add(AdminAudit(at=utcnow(), actor=actor, action=action, detail=detail[:MAX_DETAIL]))


async def record(db: Database, actor: str, action: str, detail: str = "") -> None:
    """Write one row now (actions that are not themselves a database change)."""
    async with db.session() as session:
        add(session, actor, action, detail)
        await session.commit()


async def recent(db: Database, limit: int = 100, offset: int = 0) -> tuple[int, list[AuditRow]]:
    """The total number of rows and the newest `limit` of them, newest first."""
    async with db.session() as session:
        total = int(await session.scalar(select(func.count(AdminAudit.id))) or 0)
        rows = await session.scalars(
            select(AdminAudit).order_by(AdminAudit.id.desc()).limit(limit).offset(offset)
        )
        return total, [AuditRow(r.at, r.actor, r.action, r.detail) for r in rows]
