"""Persistence shared by every front end: SQLAlchemy 2 (async) over SQLite or PostgreSQL.

Front ends take a plain URL from the settings, hand it to `Database`, and write through small
repositories such as `QuestionLog`; none of them builds SQL or knows which driver is used.
The schema is built and upgraded by the migrations in `bot.storage.migrations`
(`Database.migrate`, which `QuestionLog.prepare` and the quiz's `prepare` call).
"""

from bot.storage.db import Database, MigrationError, async_url
from bot.storage.models import Base, QuestionRecord
from bot.storage.questions import DEFAULT_HASH_SECRET, QuestionLog, hash_user

__all__ = [
    "DEFAULT_HASH_SECRET",
    "Base",
    "Database",
    "MigrationError",
    "QuestionLog",
    "QuestionRecord",
    "async_url",
    "hash_user",
]
