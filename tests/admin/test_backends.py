"""The console's tables on SQLite and on PostgreSQL (when BOT_TEST_POSTGRES_URL is set):
accounts, sessions, the lock, the audit log, learned wordings and reviews behave alike, so
replicas sharing one PostgreSQL share them."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.admin import audit, learned, lockout, review
from bot.admin.accounts import AccountError, add_account, list_accounts, remove_account
from bot.admin.auth import AdminAuth
from bot.admin.learned import LearnedError
from bot.admin.sessions import signing_key
from bot.storage import Database, QuestionLog
from tests.databases import backends, scratch_url

NOW = datetime(2027, 3, 1, 8, 0, tzinfo=UTC)


@pytest.fixture(params=backends())
async def db(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Database]:
    async with scratch_url(request.param, tmp_path / "bot.db") as url:
        database = Database(url)
        try:
            await database.migrate()
            yield database
        finally:
            await database.dispose()


async def test_accounts_sessions_and_the_lock(db: Database) -> None:
    await add_account(db, "organiser", "a long enough password")
    with pytest.raises(AccountError):
        await add_account(db, "organiser", "another long password")
    clock = [NOW]
    auth = AdminAuth(db, lockout.LockPolicy(slow_step=0), clock=lambda: clock[0])
    assert await auth.is_open()
    assert await signing_key(db) == await signing_key(db)  # made once, then shared
    good = await auth.login("organiser", "a long enough password", "10.0.0.1")
    assert good.ok and good.session is not None
    cookie = await auth.cookie_of(good.token)
    found = await auth.session(cookie)
    assert found is not None and found[0].name == "organiser"
    for _ in range(5):
        assert not (await auth.login("organiser", "wrong", "10.0.0.2")).ok
    locked = await auth.login("organiser", "a long enough password", "10.0.0.3")
    assert locked.locked_until == NOW + timedelta(seconds=900)
    clock[0] = NOW + timedelta(seconds=901)
    assert (await auth.login("organiser", "a long enough password", "10.0.0.3")).ok
    clock[0] = NOW + timedelta(hours=9)  # the first session has expired
    assert await auth.session(cookie) is None
    await remove_account(db, "organiser")
    assert await list_accounts(db) == [] and not await auth.is_open()
    total, rows = await audit.recent(db)
    assert [r.action for r in reversed(rows)] == [
        "account_added",
        "login",
        "login",
        "account_removed",
    ]
    assert total == 4


async def test_learned_wordings_and_reviews(db: Database) -> None:
    row = await learned.attach(db, "专利年费多少钱呢", "fee", "a")
    again = await learned.attach(db, "專利年費多少錢？", "fee", "a")  # the same matching form
    assert again.id == row.id
    moved = await learned.attach(db, "专利年费多少钱", "fee-2", "a")  # pending: moves
    assert moved.entry == "fee-2"
    assert await learned.in_service(db) == {}
    assert await learned.activate(db, [row.id], [], "a", "ok") == 1
    assert await learned.in_service(db) == {"fee-2": ("专利年费多少钱",)}
    with pytest.raises(LearnedError):
        await learned.attach(db, "专利年费多少钱", "fee", "a")  # applied: remove first
    retiring = await learned.remove(db, row.id, "a")
    assert retiring.status == "active"
    assert await learned.status_counts(db) == {"pending": 0, "active": 0, "retiring": 1}
    assert await learned.in_service(db) == {"fee-2": ("专利年费多少钱",)}  # until the apply
    await learned.activate(db, [], [row.id], "a", "ok")
    assert await learned.listing(db) == []

    log = QuestionLog(db, "s")
    for text, kind, user in (
        ("商标怎么注册", "fallback", "u1"),
        ("商标怎么注册？", "fallback", "u2"),
        ("外观设计", "clarify", "u1"),
        ("谢谢", "smalltalk", "u1"),
    ):
        await log.record(
            user_id=user,
            chat_type="page",
            frontend="web",
            question=text,
            kind=kind,
            intent="search",
            entry=None,
            confidence=0.1,
        )
    groups = await review.question_groups(db)
    assert [(g.question, g.count, g.users) for g in groups] == [
        ("外观设计", 1, 1),
        ("商标怎么注册", 2, 2),
    ]
    await review.decide(db, "商标怎么注册！", "out_of_scope", "a")
    assert {g.key: g.status for g in await review.question_groups(db)} == {
        "外观设计": "open",
        "商标怎么注册": "out_of_scope",
    }
    assert await review.reopen(db, "商标怎么注册", "a") is True
    assert await review.reopen(db, "商标怎么注册", "a") is False
