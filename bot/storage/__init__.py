"""Persistence shared by every front end: SQLAlchemy 2 (async) over SQLite or PostgreSQL.

Front ends take a plain URL from the settings, hand it to `Database`, and write through small
repositories such as `QuestionLog`; none of them builds SQL or knows which driver is used.
"""

from bot.storage.db import Database, async_url
from bot.storage.models import Base, QuestionRecord
from bot.storage.questions import DEFAULT_HASH_SECRET, QuestionLog, hash_user

__all__ = [
    "DEFAULT_HASH_SECRET",
    "Base",
    "Database",
    "QuestionLog",
    "QuestionRecord",
    "async_url",
    "hash_user",
]
