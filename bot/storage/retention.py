"""Retention of the question log: records older than `BOT_RETENTION_DAYS` days are deleted.

Questions are personal data (what someone asked, with a pseudonymous user), so a campaign
keeps them only as long as it needs them for its statistics and report. `BOT_RETENTION_DAYS`
unset, empty or 0 keeps every record. The Telegram bot prunes once at start-up and then
daily (`bot.frontends.telegram.admin`); `python -m bot.storage.retention [--days N]` prunes
once, e.g. from cron. Only the question log is pruned: quiz results (scores, leaderboards)
are kept, as groups expect their standings to last the campaign.

A record is older than N days when it was created before now − N × 24 hours.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta

from sqlalchemy import delete

from bot.storage.db import Database
from bot.storage.models import QuestionRecord, utcnow

_LOGGER = logging.getLogger(__name__)

RETENTION_ENV = "BOT_RETENTION_DAYS"


def retention_days(env: Mapping[str, str] | None = None) -> int | None:
    """Days to keep question records (BOT_RETENTION_DAYS); None keeps them forever.

    Raises ValueError for anything but a whole number ≥ 0 (0 means keep forever).
    """
    from bot.settings import Settings

    return Settings.from_env(env).retention_days


async def prune_questions(db: Database, days: int, *, now: datetime | None = None) -> int:
    """Delete question records created more than `days` days before `now`; return how many."""
    if days < 1:
        raise ValueError("days must be at least 1")
    cutoff = (now or utcnow()) - timedelta(days=days)
    async with db.session() as session, session.begin():
        result = await session.execute(
            delete(QuestionRecord).where(QuestionRecord.created_at < cutoff)
        )
    removed = int(result.rowcount or 0)  # type: ignore[attr-defined]
    if removed:
        _LOGGER.info("retention: deleted %d question record(s) older than %d days", removed, days)
    return removed


def main(argv: Sequence[str] | None = None) -> int:
    """`python -m bot.storage.retention [--days N] [--database URL]`: prune once."""
    from bot.config import load_dotenv_file
    from bot.logs import setup_logging
    from bot.settings import Settings

    load_dotenv_file()
    setup_logging()
    parser = argparse.ArgumentParser(
        prog="python -m bot.storage.retention",
        description="Delete question records older than N days (default: BOT_RETENTION_DAYS).",
    )
    parser.add_argument("--days", type=int, help="days to keep (default: BOT_RETENTION_DAYS)")
    parser.add_argument("--database", metavar="URL", help="database URL (BOT_DATABASE_URL)")
    args = parser.parse_args(argv)
    try:
        days = args.days if args.days is not None else retention_days()
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if not days:
        print(f"nothing to do: {RETENTION_ENV} is not set (records are kept)")
        return 0
    if days < 1:
        print("error: --days must be at least 1", file=sys.stderr)
        return 2

    async def run() -> int:
        db = Database(args.database or Settings.from_env().database_url)
        try:
            await db.migrate()
            return await prune_questions(db, days)
        finally:
            await db.dispose()

    removed = asyncio.run(run())
    print(f"deleted {removed} question record(s) older than {days} days")
    return 0


if __name__ == "__main__":
    sys.exit(main())
