"""Health check for the bot's container: `python -m bot.health`.

Exit 0 when the knowledge base and intents load without problems and the database answers a
query; exit 1 (with the reason on stderr) otherwise. It runs in its own process with the
bot's settings (BOT_KNOWLEDGE_DIR, BOT_INTENTS_DIR, BOT_DATABASE_URL and `.env`), so it
proves what the bot needs at start-up and at /reload: readable, valid data and a reachable
database. docker-compose.yml runs it as the `bot` service's healthcheck.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Sequence

from sqlalchemy import text

from bot import config
from bot.settings import Settings

DEFAULT_TIMEOUT = 10.0


def check_knowledge(knowledge: str | None, intents: str | None) -> str:
    """'N entries, M intent rules', or ValueError naming the first problems."""
    from bot.engine.intents import collect_intents
    from bot.knowledge.loader import collect

    kb, problems = collect(config.knowledge_dir(knowledge))
    rules, intent_problems = collect_intents(config.intents_dir(intents))
    found = sorted(problems + intent_problems)
    if found:
        shown = "; ".join(str(p) for p in found[:3])
        raise ValueError(f"{len(found)} problem(s) in the knowledge base or intents: {shown}")
    if not kb.entries:
        raise ValueError(f"no entries in {config.knowledge_dir(knowledge)}")
    return f"{len(kb.entries)} entries, {len(rules.rules)} intent rules"


async def check_database(url: str, timeout: float = DEFAULT_TIMEOUT) -> str:
    """Run `SELECT 1` on the database; raise on failure or after `timeout` seconds."""
    from bot.storage import Database

    db = Database(url)
    try:
        async with asyncio.timeout(timeout), db.engine.connect() as connection:
            await connection.execute(text("SELECT 1"))
    finally:
        await db.dispose()
    return f"database {db!r} reachable"


def main(argv: Sequence[str] | None = None) -> int:
    config.load_dotenv_file()
    parser = argparse.ArgumentParser(
        prog="python -m bot.health",
        description="Exit 0 when the knowledge base loads and the database is reachable.",
    )
    parser.add_argument("--knowledge", metavar="DIR", help="knowledge directory")
    parser.add_argument("--intents", metavar="DIR", help="intents directory")
    parser.add_argument("--database", metavar="URL", help="database URL (BOT_DATABASE_URL)")
    parser.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT, help="seconds")
    args = parser.parse_args(argv)
    url = args.database or Settings.from_env().database_url
    try:
        knowledge = check_knowledge(args.knowledge, args.intents)
    except Exception as exc:
        print(f"unhealthy: knowledge: {exc}", file=sys.stderr)
        return 1
    try:
        database = asyncio.run(check_database(url, args.timeout))
    except TimeoutError:
        print(f"unhealthy: database: no answer within {args.timeout:g} s", file=sys.stderr)
        return 1
    except Exception as exc:
        print(f"unhealthy: database: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 1
    print(f"ok: {knowledge}; {database}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
