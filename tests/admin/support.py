"""Shared by the admin console's tests: an assistant over a database file, accounts made as
the command line makes them, a clock the tests move, and logging in over HTTP."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar

import httpx

from bot.admin.accounts import add_account
from bot.admin.auth import AdminAuth
from bot.admin.lockout import LockPolicy
from bot.app import Assistant, EngineHolder, QuestionRecorder
from bot.app.quizitems import quiz_items_of
from bot.engine import Engine
from bot.frontends.web import WebSettings, create_app
from bot.live import LiveService
from bot.quiz import QuizService
from bot.storage import Database, QuestionLog
from tests.frontends.web.harness import Running, serve

T = TypeVar("T")
NAME = "organiser"
PASSWORD = "correct horse battery"
SECRET = "admin-test-secret"
TINY = Path(__file__).resolve().parent / "fixture"


class Clock:
    """A clock the tests move forward (sessions, lock ends)."""

    def __init__(self) -> None:
        self.now = datetime(2027, 3, 1, 8, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


def run(url: str, work: Callable[[Database], Awaitable[T]]) -> T:
    """`work` over a Database of its own on a loop of its own (the server has another)."""

    async def go() -> T:
        db = Database(url)
        try:
            await db.migrate()
            return await work(db)
        finally:
            await db.dispose()

    return asyncio.run(go())


def add_admin(url: str, name: str = NAME, password: str = PASSWORD) -> None:
    run(url, lambda db: add_account(db, name, password))


def assistant_over(
    knowledge: Path,
    intents: Path,
    url: str,
    *,
    semantic: bool = False,
    engine: Engine | None = None,
) -> Assistant:
    """An assistant recording into `url`, reloading from the directories (`engine`: one
    already built over them, shared between tests to save the build)."""
    engine = engine or Engine.from_dirs(knowledge, intents, semantic=semantic)
    holder = EngineHolder(engine, knowledge, intents)
    database = Database(url)
    quiz = QuizService(database, quiz_items_of(holder), secret=SECRET)
    live = LiveService(database, quiz_items_of(holder))
    return Assistant(holder, QuestionRecorder(QuestionLog(database, SECRET)), quiz, live)


@dataclass
class Console:
    """A served app with its console: base URL, the assistant, the clock, the database URL."""

    running: Running
    assistant: Assistant
    clock: Clock
    url: str

    @property
    def base(self) -> str:
        return self.running.url

    def client(self, **kwargs: Any) -> httpx.Client:
        return httpx.Client(base_url=self.base, timeout=60, **kwargs)


@contextmanager
def console(
    assistant: Assistant,
    url: str,
    *,
    policy: LockPolicy | None = None,
    admin_token: str | None = None,
    sleep: Callable[[float], Awaitable[None]] | None = None,
) -> Iterator[Console]:
    clock = Clock()
    database = assistant.database
    assert database is not None
    policy = policy or LockPolicy(slow_step=0.01)
    if sleep is None:
        auth = AdminAuth(database, policy, clock=clock)
    else:
        auth = AdminAuth(database, policy, clock=clock, sleep=sleep)
    app = create_app(assistant, WebSettings(rate_limit=0), admin_token=admin_token, admin_auth=auth)
    with serve(app) as running:
        yield Console(running, assistant, clock, url)


def login_token(client: httpx.Client) -> str:
    reply = client.get("/api/admin/login-token")
    assert reply.status_code == 200, reply.text
    return str(reply.json()["csrf"])


def try_login(client: httpx.Client, name: str, password: str) -> httpx.Response:
    token = login_token(client)
    return client.post(
        "/api/admin/login",
        json={"name": name, "password": password},
        headers={"X-CSRF-Token": token},
    )


def log_in(client: httpx.Client, name: str = NAME, password: str = PASSWORD) -> str:
    """Log the client in; the CSRF token to send with its changes."""
    reply = try_login(client, name, password)
    assert reply.status_code == 200, reply.text
    return str(reply.json()["csrf"])


def seed(
    url: str,
    engine: Engine,
    questions: list[tuple[str, str, str]],
    at: datetime | None = None,
) -> None:
    """Record (question, channel, user) as the channels do: answered by `engine` now."""

    async def write(db: Database) -> None:
        log = QuestionLog(db, SECRET)
        for question, channel, user in questions:
            reply = engine.answer(question)
            await log.record(
                user_id=user,
                chat_type="page",
                frontend=channel,
                question=question,
                kind=reply.kind,
                intent=reply.intent,
                entry=reply.entry,
                confidence=reply.confidence,
                created_at=at,
            )

    run(url, write)


REPO = Path(__file__).resolve().parents[2]
TINY_FILES = (
    "sources.yaml",
    "contacts.yaml",
    "synonyms.yaml",
    "stopwords.txt",
    "userdict.txt",
    "entries/plan.yaml",
    "entries/regulation.yaml",
    "laws/hebei-ip-regulation.yaml",
)


def tiny_kb(root: Path) -> tuple[Path, Path]:
    """A small knowledge base (part of the seed: the plan, the regulation's facts and its
    structure) and an evaluation directory whose seed.yaml holds the seed set's questions
    about it; (knowledge dir, eval dir)."""
    import shutil

    import yaml

    knowledge = root / "knowledge"
    for name in TINY_FILES:
        target = knowledge / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(REPO / "knowledge" / name, target)
    engine = Engine.from_dirs(knowledge, REPO / "intents", semantic=False)
    items = yaml.safe_load((REPO / "tests" / "eval" / "seed.yaml").read_text(encoding="utf-8"))
    kept = [
        item
        for item in items
        if isinstance(item["expect"], list) and any(e in engine.kb.entries for e in item["expect"])
    ]
    evals = root / "eval"
    evals.mkdir()
    (evals / "seed.yaml").write_text(yaml.safe_dump(kept, allow_unicode=True), encoding="utf-8")
    return knowledge, evals


@contextmanager
def hashing(hasher: Any) -> Iterator[None]:
    """Passwords hashed (and the dummy verified) with `hasher` meanwhile."""
    import pytest

    from bot.admin import passwords

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(passwords, "_HASHER", hasher)
        passwords._dummy_hash.cache_clear()
        try:
            yield
        finally:
            passwords._dummy_hash.cache_clear()


def cheap_hashes() -> Any:
    """argon2id at its cheapest: the tests log in dozens of times; the timing test uses the
    real parameters."""
    from argon2 import PasswordHasher

    return hashing(PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))
