"""The web server's own protection: read timeouts and a connection cap.

uvicorn closes idle keep-alive connections but has no limit on how long a client may take
to send its request headers: a client sending one byte a second holds a connection (and a
file descriptor) indefinitely. `GuardedH11Protocol` gives every request `HEADER_TIMEOUT`
seconds from the first byte it waits for to the end of its headers; the body has its own
limit where the API reads it (inputs.py). `limit_concurrency` caps open connections and
requests: beyond it uvicorn answers 503 at once instead of queueing without bound.

Behind a reverse proxy (recommended for HTTPS), give the proxy the same or tighter limits;
the README's deployment section lists them.
"""

from __future__ import annotations

import asyncio
from typing import Any

import uvicorn
from uvicorn.protocols.http.h11_impl import H11Protocol

# Seconds a client may take to send a request's headers.
HEADER_TIMEOUT = 10.0
# Seconds an idle keep-alive connection is kept.
KEEP_ALIVE_TIMEOUT = 5
# Connections and requests served at once; beyond, uvicorn answers 503.
MAX_CONNECTIONS = 1000


class GuardedH11Protocol(H11Protocol):
    """uvicorn's HTTP/1.1 protocol, closing connections whose headers arrive too slowly."""

    header_timeout = HEADER_TIMEOUT
    _header_timer: asyncio.TimerHandle | None = None

    def connection_made(self, transport: Any) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._wait_for_headers()

    def _wait_for_headers(self) -> None:
        self._stop_waiting()
        self._header_timer = self.loop.call_later(self.header_timeout, self._headers_too_slow)

    def _stop_waiting(self) -> None:
        if self._header_timer is not None:
            self._header_timer.cancel()
            self._header_timer = None

    def _request_in_progress(self) -> bool:
        return self.cycle is not None and not self.cycle.response_complete

    def handle_events(self) -> None:
        super().handle_events()
        if self._request_in_progress():
            self._stop_waiting()  # the headers are in: the app has the request now

    def on_response_complete(self) -> None:
        super().on_response_complete()
        if not self.transport.is_closing():
            self._wait_for_headers()  # the next request on this connection

    def _headers_too_slow(self) -> None:
        self._header_timer = None
        if not self._request_in_progress() and not self.transport.is_closing():
            self.transport.close()

    def connection_lost(self, exc: Exception | None) -> None:
        self._stop_waiting()
        super().connection_lost(exc)


def server_config(app: Any, host: str, port: int, *, access_log: bool = True) -> uvicorn.Config:
    """The uvicorn configuration of `python -m bot web`.

    proxy_headers: behind a reverse proxy listed in FORWARDED_ALLOW_IPS (uvicorn's variable,
    default 127.0.0.1) rate limits key on the visitor's address, not the proxy's.
    """
    return uvicorn.Config(
        app,
        host=host,
        port=port,
        http=GuardedH11Protocol,
        proxy_headers=True,
        server_header=False,
        access_log=access_log,
        timeout_keep_alive=KEEP_ALIVE_TIMEOUT,
        limit_concurrency=MAX_CONNECTIONS,
        log_level="info",
    )
