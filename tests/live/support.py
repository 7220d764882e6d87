"""Shared by the live quiz tests: an assistant over a database file, the app served by a real
uvicorn, and small HTTP helpers."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx

from bot.app import Assistant, EngineHolder
from bot.app.quizitems import quiz_items_of
from bot.engine import Engine
from bot.frontends.web import WebSettings, create_app
from bot.live import LiveService
from bot.quiz import QuizService
from bot.storage import Database
from tests.frontends.web.harness import INTENTS, KNOWLEDGE, Running, serve

ADMIN = "live-admin-token-for-tests"


def lexical_engine() -> Engine:
    """The repository's knowledge without semantic matching (the live quiz needs none)."""
    return Engine.from_dirs(KNOWLEDGE, INTENTS, semantic=False)


def assistant_over(engine: Engine, url: str) -> Assistant:
    holder = EngineHolder(engine)
    database = Database(url)
    quiz = QuizService(database, quiz_items_of(holder))
    return Assistant(holder, None, quiz, LiveService(database, quiz_items_of(holder)))


@contextmanager
def served(engine: Engine, url: str, **settings: Any) -> Iterator[Running]:
    """The web app over a database at `url`, served on a free loopback port."""
    assistant = assistant_over(engine, url)
    app = create_app(assistant, WebSettings(**settings), admin_token=ADMIN)
    with serve(app) as running:
        yield running


def create_game(client: httpx.Client, questions: int = 2, seconds: int = 30) -> dict[str, Any]:
    response = client.post(
        "/api/live",
        json={"questions": questions, "seconds": seconds},
        headers={"Authorization": f"Bearer {ADMIN}"},
    )
    assert response.status_code == 201, response.text
    return response.json()


def join(client: httpx.Client, pin: str, name: str, token: str | None = None) -> dict[str, Any]:
    body: dict[str, Any] = {"name": name}
    if token:
        body["token"] = token
    response = client.post(f"/api/live/{pin}/players", json=body)
    assert response.status_code in (200, 201), response.text
    return response.json()


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def host(client: httpx.Client, game: dict[str, Any], action: str, **body: Any) -> dict[str, Any]:
    response = client.post(
        f"/api/live/{game['pin']}/{action}",
        headers={"X-Host-Key": game["host_key"]},
        json=body or None,
    )
    assert response.status_code == 200, response.text
    return response.json()


def first_event(client: httpx.Client, path: str, headers: dict[str, str]) -> dict[str, Any]:
    """The first `state` event of a stream."""
    with client.stream("GET", path, headers=headers, timeout=10) as response:
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/event-stream")
        for line in response.iter_lines():
            if line.startswith("data:"):
                return json.loads(line[5:])
    raise AssertionError("the stream ended without a state")


def database_file(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'live.db'}"
