"""Admin accounts from the command line (`python -m bot admin add|list|remove`), argon2 hashes,
sessions ended with their account, and the lock's arithmetic."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.admin import audit
from bot.admin.accounts import AccountError, add_account, find_account, list_accounts
from bot.admin.lockout import LockPolicy, _lock_end, keys_for
from bot.admin.models import AdminAccount, AdminSession
from bot.admin.passwords import verify_password
from bot.admin.sessions import open_session
from bot.cli import main
from tests.admin.support import run


@pytest.fixture
def url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'data' / 'bot.db'}"


def admin(url: str, *args: str, stdin: str = "", monkeypatch: pytest.MonkeyPatch) -> int:
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    return main(["admin", *args, "--database", url])


def test_add_list_and_remove_from_the_command_line(
    url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    password = "a long enough password"
    assert (
        admin(
            url, "add", "张主任", "--password-stdin", stdin=password + "\n", monkeypatch=monkeypatch
        )
        == 0
    )
    assert "张主任" in capsys.readouterr().out
    account = run(url, lambda db: find_account(db, "张主任"))
    assert account is not None
    assert account.password_hash.startswith("$argon2id$") and password not in account.password_hash
    assert verify_password(account.password_hash, password)
    assert not verify_password(account.password_hash, password + "x")

    # Taken names, short passwords and odd names are refused with a message, exit 2.
    again = admin(url, "add", "张主任", "--password-stdin", stdin=password, monkeypatch=monkeypatch)
    assert again == 2 and "exists" in capsys.readouterr().err
    short = admin(url, "add", "li", "--password-stdin", stdin="short", monkeypatch=monkeypatch)
    assert short == 2 and "at least 10" in capsys.readouterr().err
    odd = admin(url, "add", "a b<c>", "--password-stdin", stdin=password, monkeypatch=monkeypatch)
    assert odd == 2 and "letters" in capsys.readouterr().err

    assert admin(url, "list", monkeypatch=monkeypatch) == 0
    listed = capsys.readouterr().out
    assert "张主任" in listed and "last login -" in listed

    # Removing the account ends its sessions.
    now = datetime.now(UTC)
    run(url, lambda db: open_session(db, account.id, now))
    assert admin(url, "remove", "张主任", monkeypatch=monkeypatch) == 0
    assert run(url, list_accounts) == []
    sessions = run(url, lambda db: _all(db, AdminSession))
    assert sessions == []
    assert admin(url, "remove", "张主任", monkeypatch=monkeypatch) == 1
    _, rows = run(url, audit.recent)
    assert [r.action for r in reversed(rows)] == ["account_added", "account_removed"]


def test_the_prompt_asks_twice(url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    answers = iter(["first password!", "second password"])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    assert admin(url, "add", "wang", monkeypatch=monkeypatch) == 2
    answers = iter(["same password 1", "same password 1"])
    assert admin(url, "add", "wang", monkeypatch=monkeypatch) == 0


async def _all(db, model):  # type: ignore[no-untyped-def]
    async with db.session() as session:
        return list(await session.scalars(select(model)))


def test_full_width_names_are_stored_plain(url: str) -> None:
    run(url, lambda db: add_account(db, "ＡＤＭＩＮ", "a long enough password"))
    rows = run(url, lambda db: _all(db, AdminAccount))
    assert [r.name for r in rows] == ["ADMIN"]
    with pytest.raises(AccountError):
        run(url, lambda db: add_account(db, "", "a long enough password"))


def test_a_lock_needs_the_limit_within_the_window() -> None:
    policy = LockPolicy(limit=5, window=60, lock=900)
    start = datetime(2027, 1, 1, tzinfo=UTC)
    spread = [start + timedelta(seconds=20 * i) for i in range(5)]  # 80 s apart end to end
    assert _lock_end(spread, policy) is None
    burst = [start + timedelta(seconds=10 * i) for i in range(5)]
    assert _lock_end(burst, policy) == burst[-1] + timedelta(seconds=900)
    assert policy.delay(2) == 0 and policy.delay(4) == 2 * policy.slow_step
    assert keys_for(" Ａdmin ", "10.0.0.1") == ["name:admin", "ip:10.0.0.1"]
