"""Group titles for the campaign report: the title Telegram last gave each quiz group.

Rounds are stored per chat id; a chat id means nothing to a reader, so the Telegram quiz
commands remember the group's title here (`remember_title`), and the report reads them back
(`chat_titles`). A title is a group's public name, not a person's; it is still kept out of
the logs.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select

from bot.quiz.models import MAX_CHAT_TITLE, ChatTitle
from bot.storage import Database
from bot.storage.models import utcnow


async def remember_title(db: Database, chat_id: int, title: str) -> None:
    """Store (or replace) the title of a chat; a blank title is ignored."""
    title = " ".join(title.split())[:MAX_CHAT_TITLE]
    if not title:
        return
    if db.is_sqlite:
        from sqlalchemy.dialects.sqlite import insert
    else:
        from sqlalchemy.dialects.postgresql import insert
    statement = insert(ChatTitle).values(chat_id=chat_id, title=title, updated_at=utcnow())
    statement = statement.on_conflict_do_update(
        index_elements=[ChatTitle.chat_id],
        set_={"title": statement.excluded.title, "updated_at": statement.excluded.updated_at},
    )
    async with db.session() as session:
        await session.execute(statement)
        await session.commit()


async def chat_titles(db: Database, chat_ids: Iterable[int] | None = None) -> dict[int, str]:
    """chat id → title, for the given chats (default: every chat with a title)."""
    query = select(ChatTitle.chat_id, ChatTitle.title)
    if chat_ids is not None:
        wanted = list(chat_ids)
        if not wanted:
            return {}
        query = query.where(ChatTitle.chat_id.in_(wanted))
    async with db.session() as session:
        rows = (await session.execute(query)).all()
    return {int(chat_id): title for chat_id, title in rows}
