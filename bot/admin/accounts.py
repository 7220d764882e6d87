"""Admin accounts: created, listed and removed from the command line; looked up at login.

Names are short and printable (letters of any script, digits, `.`, `_`, `-`, `@`); the
password is stored only as an argon2 hash. Removing an account ends its sessions (the
foreign key cascades, and the removal deletes them too where SQLite's keys are off).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, exists, select
from sqlalchemy.exc import IntegrityError

from bot.admin import audit
from bot.admin.models import MAX_NAME, AdminAccount, AdminSession
from bot.admin.passwords import hash_password, password_problem
from bot.storage import Database

_NAME = re.compile(r"[\w.@-]+")


class AccountError(ValueError):
    """A name or password that cannot be used, or a name that is (not) taken."""


@dataclass(frozen=True)
class Account:
    id: int
    name: str
    created_at: datetime
    last_login_at: datetime | None
    password_hash: str = ""


def clean_name(name: str) -> str:
    """The name as stored: NFKC (full-width letters become plain), no surrounding spaces."""
    return unicodedata.normalize("NFKC", name).strip()


def name_problem(name: str) -> str | None:
    if not name:
        return "the name is empty"
    if len(name) > MAX_NAME:
        return f"the name may have at most {MAX_NAME} characters"
    if not _NAME.fullmatch(name):
        return "the name may hold letters, digits and . _ - @ only"
    return None


def _account(row: AdminAccount) -> Account:
    return Account(row.id, row.name, row.created_at, row.last_login_at, row.password_hash)


async def add_account(
    db: Database, name: str, password: str, actor: str = audit.COMMAND_LINE
) -> Account:
    """Create an account; AccountError when the name or password is refused or taken."""
    name = clean_name(name)
    problem = name_problem(name) or password_problem(password)
    if problem:
        raise AccountError(problem)
    await db.migrate()
    row = AdminAccount(name=name, password_hash=hash_password(password))
    try:
        async with db.session() as session:
            session.add(row)
            audit.add(session, actor, "account_added", name)
            await session.commit()
    except IntegrityError:
        raise AccountError(f"an account named {name!r} exists already") from None
    return _account(row)


async def remove_account(db: Database, name: str, actor: str = audit.COMMAND_LINE) -> None:
    """Delete the account and end its sessions; AccountError when there is none."""
    name = clean_name(name)
    await db.migrate()
    async with db.session() as session:
        row = await session.scalar(select(AdminAccount).where(AdminAccount.name == name))
        if row is None:
            raise AccountError(f"no account named {name!r}")
        await session.execute(delete(AdminSession).where(AdminSession.account_id == row.id))
        await session.delete(row)
        audit.add(session, actor, "account_removed", name)
        await session.commit()


async def list_accounts(db: Database) -> list[Account]:
    await db.migrate()
    async with db.session() as session:
        rows = await session.scalars(select(AdminAccount).order_by(AdminAccount.name))
        return [_account(r) for r in rows]


async def find_account(db: Database, name: str) -> Account | None:
    async with db.session() as session:
        row = await session.scalar(select(AdminAccount).where(AdminAccount.name == name))
        return _account(row) if row is not None else None


async def any_account(db: Database) -> bool:
    """Whether the console is open at all: without an account every admin page is a 404."""
    async with db.session() as session:
        return bool(await session.scalar(select(exists().where(AdminAccount.id.is_not(None)))))
