"""The web server's read timeouts: slow headers and slow bodies do not hold connections."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import httpx
import pytest
import uvicorn

from bot.engine import Engine
from bot.frontends.web import WebSettings, create_app, inputs
from bot.frontends.web.server import GuardedH11Protocol, server_config


@contextmanager
def guarded(web_engine: Engine) -> Iterator[int]:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    config = server_config(create_app(web_engine, WebSettings(rate_limit=0)), "127.0.0.1", port)
    config.lifespan = "off"
    config.log_level = "warning"
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.02)
    try:
        yield port
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()


def closed_within(port: int, send: list[bytes], seconds: float) -> float:
    """Send the pieces a second apart; how long until the server closed the connection."""
    started = time.monotonic()
    with socket.create_connection(("127.0.0.1", port)) as conn:
        conn.settimeout(seconds)
        for piece in send:
            try:
                conn.sendall(piece)
            except OSError:
                return time.monotonic() - started
            time.sleep(1.0)
        try:
            while conn.recv(4096):
                pass
        except TimeoutError:
            return float("inf")
    return time.monotonic() - started


def test_slow_headers_are_cut_off(web_engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(GuardedH11Protocol, "header_timeout", 1.5)
    with guarded(web_engine) as port:
        # One byte a second, never finishing the headers.
        drip = [b"G", b"E", b"T", b" ", b"/", b" ", b"H", b"T", b"T", b"P"]
        assert closed_within(port, drip, 8.0) < 4.0
        # A normal client on a kept-alive connection is served twice.
        with httpx.Client(base_url=f"http://127.0.0.1:{port}") as client:
            assert client.get("/api/health").status_code == 200
            time.sleep(0.5)
            assert client.get("/api/health").status_code == 200


def test_a_slow_body_gets_408(web_engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(inputs, "BODY_TIMEOUT", 1.0)
    with guarded(web_engine) as port, socket.create_connection(("127.0.0.1", port)) as conn:
        conn.sendall(
            b"POST /api/ask HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            b'Content-Length: 40\r\n\r\n{"question"'
        )
        conn.settimeout(5)
        received = b""
        while b"body_timeout" not in received:  # headers and body may come in two packets
            chunk = conn.recv(4096)
            if not chunk:
                break
            received += chunk
        reply = received.decode("utf-8", "replace")
    assert reply.startswith("HTTP/1.1 408") and "body_timeout" in reply
