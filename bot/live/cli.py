"""`python -m bot live new`: create a game from the command line and print its links.

For an organiser at the venue without the admin API: the game is created in the database the
web service uses (BOT_DATABASE_URL, or --database), from the quiz bank and the questions
generated from the knowledge base, and the host opens the printed link on the projector.
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

from bot.live.control import check_limits
from bot.live.game import host_url, join_url
from bot.live.service import Created, LiveError, LiveService

DEFAULT_BASE_URL = "http://127.0.0.1:8080"


def base_url(given: str | None) -> str:
    """--base-url, else BOT_LIVE_BASE_URL, else the web command's default address."""
    from bot.settings import Settings

    return (given or Settings.from_env().live_base_url or DEFAULT_BASE_URL).rstrip("/")


def links(created: Created, base: str) -> dict[str, str]:
    return {
        "pin": created.pin,
        "host_url": host_url(base, created.pin, created.host_key),
        "join_url": join_url(base, created.pin),
    }


async def _create(url: str, knowledge: Path, questions: int, seconds: int, base: str) -> Created:
    from bot.app.quizitems import QUIZ_SEED
    from bot.knowledge.loader import load_knowledge
    from bot.quiz import quiz_items
    from bot.storage import Database

    items = quiz_items(load_knowledge(knowledge), QUIZ_SEED)
    db = Database(url)
    try:
        live = LiveService(db, lambda: items, listen=False)
        return await live.create_game(questions, seconds, join_base=base)
    finally:
        await db.dispose()


def new_game(
    database_url: str, knowledge: Path, questions: int, seconds: int, base: str | None
) -> int:
    """Create the game and print PIN, host link and join link; exit status."""
    try:
        check_limits(questions, seconds)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    root = base_url(base)
    if not root.startswith(("http://", "https://")):
        print(
            f"error: --base-url must start with http:// or https://, not {root!r}", file=sys.stderr
        )
        return 2
    try:
        created = asyncio.run(_create(database_url, knowledge, questions, seconds, root))
    except LiveError as exc:
        print(f"error: cannot create the game: {exc.code}", file=sys.stderr)
        return 1
    except Exception as exc:  # the database cannot be reached or written
        print(f"error: cannot create the game: {exc}".splitlines()[0], file=sys.stderr)
        return 1
    shown = links(created, root)
    print(f"PIN: {shown['pin']}")
    print(f"主持人大屏 host screen: {shown['host_url']}")
    print(f"玩家加入 join: {shown['join_url']}")
    print(f"{questions} questions, {seconds} s each; keep the host link to yourself.")
    return 0
