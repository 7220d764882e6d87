"""Fixtures for the web front end: one engine, and the app served by a real uvicorn."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager

import pytest

from bot.engine import Engine
from bot.frontends.web import WebSettings, create_app

from .harness import INTENTS, KNOWLEDGE, Running, serve


@pytest.fixture(scope="session")
def web_engine() -> Engine:
    """The engine over the repository's knowledge and intents (loaded once)."""
    return Engine.from_dirs(KNOWLEDGE, INTENTS)


@pytest.fixture(scope="session")
def serve_app(web_engine: Engine) -> Callable[..., AbstractContextManager[Running]]:
    """Factory: `with serve_app(rate_limit=5) as running: ...` over the shared engine."""

    def make(**settings: object) -> AbstractContextManager[Running]:
        return serve(create_app(web_engine, WebSettings(**settings)))  # type: ignore[arg-type]

    return make


@pytest.fixture(scope="module")
def server(serve_app: Callable[..., AbstractContextManager[Running]]) -> Iterator[Running]:
    """The app without a rate limit, for tests that send many requests."""
    with serve_app(rate_limit=0) as running:
        yield running
