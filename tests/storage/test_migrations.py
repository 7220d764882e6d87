"""Migrations (bot/storage/migrations): they run forward on a new SQLite file and on
PostgreSQL, build exactly `Base.metadata`, and adopt a database made by `create_all` before
there were migrations, keeping its rows."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Connection, inspect, text

from bot.storage import Database, MigrationError
from bot.storage.migrations import (
    BASE_REVISION,
    alembic_config,
    current_revision,
    head_revisions,
    target_metadata,
)
from bot.storage.models import QuestionRecord
from tests.databases import backends as _backends
from tests.databases import scratch_url

HEAD = head_revisions()[0]
# What revisions 0002 (question delivery), 0003 (group titles), 0004 (live games), 0005
# (the admin console) and 0006 (platform callbacks) add to the schema of 0001 (and so to a database made by create_all
# before migrations).
AFTER_BASE = [
    ("add_column", "questions", "delivered"),
    ("add_column", "questions", "uid"),
    ("add_index", "admin_audit", "ix_admin_audit_at"),
    ("add_index", "admin_login_failures", "ix_admin_login_failures_key_at"),
    ("add_index", "admin_sessions", "ix_admin_sessions_account_id"),
    ("add_index", "learned_wordings", "ix_learned_wordings_entry"),
    ("add_index", "live_answers", "ix_live_answers_player_id"),
    ("add_index", "live_games", "ix_live_games_created_at"),
    ("add_index", "questions", "uq_questions_uid"),
    ("add_table", "admin_accounts", ""),
    ("add_table", "admin_audit", ""),
    ("add_table", "admin_login_failures", ""),
    ("add_table", "admin_secrets", ""),
    ("add_table", "admin_sessions", ""),
    ("add_table", "callback_deliveries", ""),
    ("add_table", "chat_titles", ""),
    ("add_table", "learned_wordings", ""),
    ("add_table", "live_answers", ""),
    ("add_table", "live_games", ""),
    ("add_table", "live_players", ""),
    ("add_table", "question_reviews", ""),
]


@pytest.fixture(params=_backends())
async def url(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[str]:
    """A database with nothing in it: a new SQLite file in a directory that does not exist
    yet, or the PostgreSQL test database emptied (alembic_version included)."""
    async with scratch_url(request.param, tmp_path / "data" / "bot.db") as scratch:
        await run(scratch, lambda c: c.execute(text("DROP TABLE IF EXISTS alembic_version")))
        yield scratch
        await run(scratch, lambda c: c.execute(text("DROP TABLE IF EXISTS alembic_version")))


async def run(url: str, work: Callable[[Connection], Any]) -> Any:
    """`work` on a sync connection to the database, committed."""
    db = Database(url)
    try:
        async with db.engine.connect() as connection:
            result = await connection.run_sync(work)
            await connection.commit()
            return result
    finally:
        await db.dispose()


async def migrate(url: str) -> None:
    db = Database(url)
    try:
        await db.migrate()
    finally:
        await db.dispose()


def differences(connection: Connection) -> list[tuple[str, str, str]]:
    """What autogenerate would change to make the database match the models."""
    context = MigrationContext.configure(connection, opts={"compare_type": True})
    out = []
    for diff in compare_metadata(context, target_metadata()):
        if isinstance(diff, list):  # column modifications come as lists
            out += [(d[0], d[2], d[3]) for d in diff]
        elif diff[0] in ("add_index", "remove_index"):
            out.append((diff[0], diff[1].table.name, diff[1].name))
        elif diff[0] in ("add_column", "remove_column"):
            out.append((diff[0], diff[2], diff[3].name))
        else:
            out.append((diff[0], str(diff[1]), ""))
    return sorted(out)


def upgrade_to(revision: str) -> Callable[[Connection], None]:
    def work(connection: Connection) -> None:
        command.upgrade(alembic_config(connection), revision)

    return work


def create_before_migrations(connection: Connection) -> None:
    """A database as `create_all` made it before migrations: revision 0001's tables, no
    alembic_version."""
    command.upgrade(alembic_config(connection), BASE_REVISION)
    connection.execute(text("DROP TABLE alembic_version"))


def insert_old_rows(connection: Connection) -> None:
    connection.execute(
        text(
            "INSERT INTO questions (created_at, user_hash, chat_type, frontend, question, "
            "kind, intent, entry, confidence) VALUES "
            "('2024-05-01 08:00:00+00:00', 'h1', 'private', 'telegram', '条例什么时候施行', "
            "'answer', 'date', 'regulation-effective', 0.9), "
            "('2024-05-02 08:00:00+00:00', 'h2', 'page', 'web', '专利年费', "
            "'fallback', 'search', NULL, 0.1)"
        )
    )
    connection.execute(
        text(
            "INSERT INTO quiz_rounds (chat_id, started_by, started_at, status, "
            "questions_planned, seconds_per_question) VALUES "
            "(-100123, 'h1', '2024-05-01 09:00:00+00:00', 'finished', 5, 30)"
        )
    )


def table_names(connection: Connection) -> set[str]:
    return set(inspect(connection).get_table_names())


# -- a new database --------------------------------------------------------------------------------


async def test_a_new_database_gets_exactly_the_models(url: str) -> None:
    await migrate(url)
    assert await run(url, current_revision) == HEAD
    assert await run(url, differences) == []
    assert set(target_metadata().tables) <= await run(url, table_names)
    if url.startswith("sqlite"):
        assert Path(url.removeprefix("sqlite:///")).is_file()  # data/ made on the way


async def test_migrating_again_changes_nothing(url: str) -> None:
    db = Database(url)
    try:
        await asyncio.gather(db.migrate(), db.migrate())
        await db.migrate()
    finally:
        await db.dispose()
    await migrate(url)  # another Database (another process, say)
    assert await run(
        url, lambda c: c.execute(text("SELECT version_num FROM alembic_version")).all()
    ) == [(HEAD,)]


async def test_two_databases_migrating_at_once_migrate_once(url: str) -> None:
    first, second = Database(url), Database(url)
    try:
        await asyncio.gather(first.migrate(), second.migrate())
    finally:
        await first.dispose()
        await second.dispose()
    assert await run(url, differences) == []


async def test_revisions_go_down_and_up_again(url: str) -> None:
    await migrate(url)
    await run(url, lambda c: command.downgrade(alembic_config(c), BASE_REVISION))
    assert sorted(await run(url, differences)) == AFTER_BASE
    await run(url, lambda c: command.downgrade(alembic_config(c), "base"))
    assert not (set(target_metadata().tables) & await run(url, table_names))
    await run(url, upgrade_to("heads"))
    assert await run(url, differences) == []


# -- databases made before migrations ------------------------------------------------------------


async def test_revision_1_is_the_schema_create_all_made(url: str) -> None:
    """Revision 0001 differs from today's models by exactly what the later revisions add."""
    await run(url, upgrade_to(BASE_REVISION))
    assert await run(url, current_revision) == BASE_REVISION
    assert await run(url, differences) == AFTER_BASE


async def test_a_database_made_by_create_all_is_adopted_with_its_rows(url: str) -> None:
    await run(url, create_before_migrations)
    await run(url, insert_old_rows)
    assert await run(url, current_revision) is None
    await migrate(url)
    assert await run(url, current_revision) == HEAD
    assert await run(url, differences) == []
    rows = await run(
        url,
        lambda c: c.execute(
            text("SELECT question, frontend, delivered, uid FROM questions ORDER BY id")
        ).all(),
    )
    assert [tuple(r) for r in rows] == [
        ("条例什么时候施行", "telegram", None, None),
        ("专利年费", "web", None, None),
    ]
    assert await run(url, lambda c: c.execute(text("SELECT chat_id FROM quiz_rounds")).all()) == [
        (-100123,)
    ]


async def test_an_old_database_without_the_quiz_gets_the_quiz_tables(url: str) -> None:
    def questions_only(connection: Connection) -> None:
        create_before_migrations(connection)
        for table in ("quiz_answers", "quiz_polls", "quiz_asked", "quiz_practice_scores"):
            connection.execute(text(f"DROP TABLE {table}"))
        connection.execute(text("DROP TABLE quiz_rounds"))

    await run(url, questions_only)
    assert await run(url, table_names) == {"questions"}
    await migrate(url)
    assert await run(url, differences) == []


async def test_a_database_made_by_todays_create_all_is_adopted(url: str) -> None:
    """Revision 0002 adds only what is missing, so even tables that already hold its columns
    (made by `Base.metadata.create_all`) are adopted."""
    await run(url, target_metadata().create_all)
    await migrate(url)
    assert await run(url, current_revision) == HEAD
    assert await run(url, differences) == []


async def test_tables_dropped_under_a_version_row_are_made_again(url: str) -> None:
    await migrate(url)
    await run(url, target_metadata().drop_all)  # what a test helper does; the row stays
    await migrate(url)
    assert await run(url, differences) == []


async def test_a_database_from_a_newer_bot_is_refused(url: str) -> None:
    await migrate(url)
    await run(url, lambda c: c.execute(text("UPDATE alembic_version SET version_num = '9999'")))
    with pytest.raises(MigrationError, match="9999"):
        await migrate(url)


# -- who migrates ----------------------------------------------------------------------------------


async def test_the_question_log_and_the_quiz_migrate_on_prepare(url: str) -> None:
    from bot.quiz.service import QuizService
    from bot.storage import QuestionLog

    db = Database(url)
    try:
        await QuizService(db, list).prepare()
        await QuestionLog(db).prepare()
        async with db.session() as session:
            session.add(
                QuestionRecord(
                    user_hash="h",
                    chat_type="private",
                    frontend="live",
                    question="q",
                    kind="answer",
                    intent="search",
                    entry=None,
                    confidence=1.0,
                    delivered=False,
                )
            )
            await session.commit()
    finally:
        await db.dispose()
    assert await run(url, current_revision) == HEAD


async def test_revision_3_adds_the_group_titles_to_a_database_at_revision_2(url: str) -> None:
    from bot.quiz.titles import chat_titles, remember_title

    await run(url, upgrade_to("0002"))
    assert "chat_titles" not in await run(url, table_names)
    await migrate(url)
    assert await run(url, current_revision) == HEAD
    assert await run(url, differences) == []
    db = Database(url)
    try:
        await remember_title(db, -1001000000001, "  宣贯 测试群 ")
        await remember_title(db, -1001000000001, "石家庄 宣贯群")  # renamed: replaced
        await remember_title(db, -1001000000002, "")  # nothing to store
        assert await chat_titles(db) == {-1001000000001: "石家庄 宣贯群"}
        assert await chat_titles(db, [-1001000000002]) == {}
    finally:
        await db.dispose()


async def test_revision_5_adds_the_admin_console_to_a_database_at_revision_4(url: str) -> None:
    from bot.admin.accounts import add_account, list_accounts

    await run(url, upgrade_to("0004"))
    assert "admin_accounts" not in await run(url, table_names)
    await migrate(url)
    assert await run(url, current_revision) == HEAD
    assert await run(url, differences) == []
    db = Database(url)
    try:
        await add_account(db, "organiser", "a long enough password")
        assert [a.name for a in await list_accounts(db)] == ["organiser"]
    finally:
        await db.dispose()
