"""`python -m bot admin add|list|remove` and `python -m bot kb learned export`.

Accounts are made at the server's command line, never through the web: the first one opens
the console. `add` asks for the password twice (no echo), or reads one line from standard
input with `--password-stdin` (for scripts: `printf '%s\\n' "$PW" | python -m bot admin add
NAME --password-stdin`).
"""

from __future__ import annotations

import asyncio
import getpass
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TextIO, TypeVar

from bot.admin.accounts import AccountError, add_account, list_accounts, remove_account
from bot.storage import Database

T = TypeVar("T")


def _run(url: str, work: Callable[[Database], Awaitable[T]]) -> T:
    async def go() -> T:
        db = Database(url)
        try:
            return await work(db)
        finally:
            await db.dispose()

    return asyncio.run(go())


def read_password(from_stdin: bool, stdin: TextIO | None = None) -> str | None:
    """The new password: one line of standard input, or typed twice at a prompt (None when
    the two differ)."""
    if from_stdin:
        return (stdin or sys.stdin).readline().rstrip("\r\n")
    first = getpass.getpass("新密码 new password: ")
    second = getpass.getpass("再输入一次 again: ")
    return first if first == second else None


def add(url: str, name: str, password_stdin: bool) -> int:
    password = read_password(password_stdin)
    if password is None:
        print("error: the two passwords differ", file=sys.stderr)
        return 2
    try:
        account = _run(url, lambda db: add_account(db, name, password))
    except AccountError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(f"added admin account {account.name!r}; the console is at /admin of the web service")
    return 0


def listing(url: str) -> int:
    accounts = _run(url, list_accounts)
    if not accounts:
        print("no admin accounts (the console is closed): python -m bot admin add NAME")
    for account in accounts:
        last = account.last_login_at.isoformat(timespec="seconds") if account.last_login_at else "-"
        created = account.created_at.isoformat(timespec="seconds")
        print(f"{account.name}\tcreated {created}\tlast login {last}")
    return 0


def remove(url: str, name: str) -> int:
    try:
        _run(url, lambda db: remove_account(db, name))
    except AccountError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(f"removed admin account {name!r} and its sessions")
    return 0


def admin_command(command: str, url: str, name: str | None, password_stdin: bool) -> int:
    """Dispatch `python -m bot admin <command>`; exit status."""
    try:
        if command == "add":
            return add(url, name or "", password_stdin)
        if command == "remove":
            return remove(url, name or "")
        return listing(url)
    except Exception as exc:  # the database cannot be reached or written
        print(f"error: cannot use the database: {exc}".splitlines()[0], file=sys.stderr)
        return 1


def export_learned(url: str, knowledge: Path, out: str | None, include_pending: bool) -> int:
    """`kb learned export`: the learned wordings as YAML for review, to a file or stdout."""
    from bot.admin.export import learned_yaml

    try:
        text = _run(url, lambda db: learned_yaml(db, knowledge, include_pending))
    except Exception as exc:
        print(f"error: cannot read the database: {exc}".splitlines()[0], file=sys.stderr)
        return 1
    if out:
        try:
            Path(out).write_text(text, encoding="utf-8")
        except OSError as exc:
            print(f"error: cannot write {out}: {exc.strerror or exc}", file=sys.stderr)
            return 1
        print(f"wrote {out}", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return 0
