"""`python -m bot.storage.migrations`: the migrations by hand (the bot runs them itself).

upgrade  [--database URL]   bring the database to the newest revision
current  [--database URL]   print its revision and the newest shipped
revision -m MESSAGE [--autogenerate] [--database URL]
                            write a new revision file (developers); with --autogenerate
                            its operations are the difference between the models and a
                            database at the newest revision (default: a scratch SQLite)
"""

from __future__ import annotations

import argparse
import asyncio
import re
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from alembic import command

from bot.storage import Database
from bot.storage.migrations import SCRIPT_LOCATION, alembic_config, current_revision, head_revisions


def next_revision_id() -> str:
    """Revisions are numbered 0001, 0002, …: the next number."""
    numbers = [
        int(match.group(1))
        for path in (Path(SCRIPT_LOCATION) / "versions").glob("*.py")
        if (match := re.match(r"(\d{4})_", path.name))
    ]
    return f"{max(numbers, default=0) + 1:04d}"


async def _run(url: str, action: str, args: argparse.Namespace) -> Any:
    db = Database(url)
    try:
        if action == "upgrade":
            await db.migrate()
        async with db.engine.connect() as connection:
            if action == "revision":
                await db.migrate()

                def revise(sync_connection: Any) -> Any:
                    return command.revision(
                        alembic_config(sync_connection),
                        message=args.message,
                        autogenerate=args.autogenerate,
                        rev_id=next_revision_id(),
                    )

                return await connection.run_sync(revise)
            return await connection.run_sync(current_revision)
    finally:
        await db.dispose()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.storage.migrations")
    sub = parser.add_subparsers(dest="action", required=True)
    for name in ("upgrade", "current"):
        sub.add_parser(name).add_argument("--database", metavar="URL")
    revision = sub.add_parser("revision")
    revision.add_argument("-m", "--message", required=True)
    revision.add_argument("--autogenerate", action="store_true")
    revision.add_argument("--database", metavar="URL", help="default: a scratch SQLite file")
    args = parser.parse_args(argv)
    if args.action == "revision" and not args.database:
        with tempfile.TemporaryDirectory() as scratch:
            asyncio.run(_run(f"sqlite:///{scratch}/scratch.db", "revision", args))
        return 0
    from bot.config import load_dotenv_file
    from bot.settings import Settings

    load_dotenv_file()
    url = args.database or Settings.from_env().database_url
    revision_now = asyncio.run(_run(url, args.action, args))
    if args.action == "revision":
        return 0
    print(f"database: {revision_now or 'none'}; newest: {', '.join(head_revisions())}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
