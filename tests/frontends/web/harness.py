"""Serving the web app for tests: a real uvicorn in a thread on a free loopback port."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import uvicorn
import yaml
from starlette.applications import Starlette

from bot.engine import Engine

REPO = Path(__file__).resolve().parents[3]
KNOWLEDGE = REPO / "knowledge"
INTENTS = REPO / "intents"


@dataclass(frozen=True)
class Running:
    """A served app: its base URL and the app object (for its state)."""

    url: str
    app: Starlette


@contextmanager
def serve(app: Starlette) -> Iterator[Running]:
    """Run `app` under uvicorn in a thread on 127.0.0.1 and an OS-chosen free port."""
    # IPPROTO_TCP explicitly: asyncio only turns Nagle off (TCP_NODELAY) on sockets whose
    # proto says TCP; with proto 0 every response would wait ~40 ms for a delayed ACK.
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="off")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.02)
    try:
        yield Running(f"http://127.0.0.1:{port}", app)
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()


# Short, vague questions the engine cannot settle alone, tried first; then the evaluation set.
CLARIFY_CANDIDATES = (
    "谁负责",
    "宣贯有问题找谁？",
    "企业在知识产权上要承担啥责任",
    "亮点工作报给谁？",
)


def clarify_question(engine: Engine) -> str:
    """A question the engine answers with a clarify reply offering at least two suggestions.

    Found through the engine rather than fixed, so tuning retrieval does not break the web
    tests; the shortest such question wins, to keep screenshots readable.
    """
    items = yaml.safe_load((REPO / "tests" / "eval" / "seed.yaml").read_text(encoding="utf-8"))
    candidates = [*CLARIFY_CANDIDATES, *sorted((item["q"] for item in items), key=len)]
    for question in candidates:
        reply = engine.answer(question)
        if reply.kind == "clarify" and len(reply.suggestions) >= 2:
            return question
    raise AssertionError("no question gets a clarify reply with suggestions")
