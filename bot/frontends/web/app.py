"""The web front end: a chat page, a quiz page and a JSON API over the engine, on uvicorn.

It exists for people who cannot use Telegram (it is not reachable from mainland China without
circumvention): anyone with a browser, on an agency website through an `<iframe>`, gets the
same answers as `python -m bot ask`. The app is Starlette: routes, a few middlewares and
JSON error handlers, nothing more; pages are static files with no build step.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path

import uvicorn
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from bot import config
from bot.engine import Engine
from bot.frontends.web.api import MESSAGES, Api, ApiError
from bot.frontends.web.openapi import openapi
from bot.frontends.web.settings import WebSettings

STATIC = Path(__file__).resolve().parent / "static"
log = logging.getLogger(__name__)


class SecurityHeaders:
    """Adds the content security policy and friends to every response.

    No X-Frame-Options: agency websites embed the pages in an iframe; who may do so is the
    CSP `frame-ancestors` list (BOT_WEB_FRAME_ANCESTORS). Scripts and styles come only from
    this origin, so even a bug that inserted markup could not run inline script.
    """

    def __init__(self, app: ASGIApp, frame_ancestors: str) -> None:
        self.app = app
        policy = (
            "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
            f"frame-ancestors {frame_ancestors}"
        )
        self.headers = [
            (b"content-security-policy", policy.encode("latin-1")),
            (b"x-content-type-options", b"nosniff"),
            (b"referrer-policy", b"same-origin"),
        ]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        api = scope["path"].startswith("/api/")

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", [])) + self.headers
                if api:
                    headers.append((b"cache-control", b"no-store"))
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)


def _page(name: str) -> Callable[[Request], Awaitable[Response]]:
    path = STATIC / name

    async def page(request: Request) -> Response:
        return FileResponse(path, media_type="text/html; charset=utf-8")

    return page


async def _api_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ApiError)
    return exc.response()


async def _http_error(request: Request, exc: Exception) -> Response:
    """Starlette's own 404/405 (no such route, wrong method) as JSON like every other error."""
    assert isinstance(exc, HTTPException)
    code = {404: "not_found", 405: "method_not_allowed"}.get(exc.status_code, "http_error")
    message = MESSAGES.get(code, str(exc.detail))
    return JSONResponse(
        {"error": code, "message": message}, status_code=exc.status_code, headers=exc.headers
    )


async def _internal_error(request: Request, exc: Exception) -> Response:
    """Last resort: a bug answered as JSON, counted so tests can prove bad input never gets here."""
    request.app.state.internal_errors += 1
    log.error("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    return JSONResponse({"error": "internal_error", "message": MESSAGES["internal_error"]}, 500)


def create_app(engine: Engine, settings: WebSettings | None = None) -> Starlette:
    """The ASGI app over one engine; `settings` default to WebSettings()."""
    settings = settings or WebSettings()
    api = Api(engine, settings)
    spec = openapi(settings)

    async def openapi_json(request: Request) -> JSONResponse:
        return JSONResponse(spec)

    routes = [
        Route("/", _page("index.html"), methods=["GET"]),
        Route("/quiz", _page("quiz.html"), methods=["GET"]),
        Route("/openapi.json", openapi_json, methods=["GET"]),
        *api.routes(),
        Mount("/static", StaticFiles(directory=STATIC), name="static"),
    ]
    middleware = [Middleware(SecurityHeaders, frame_ancestors=settings.frame_ancestors)]
    if settings.cors_origins:
        middleware.append(
            Middleware(
                CORSMiddleware,
                allow_origins=list(settings.cors_origins),
                allow_methods=["GET", "POST"],
                allow_headers=["Content-Type"],
                max_age=600,
            )
        )
    app = Starlette(
        routes=routes,
        middleware=middleware,
        exception_handlers={
            ApiError: _api_error,
            HTTPException: _http_error,
            Exception: _internal_error,
        },
    )
    app.state.engine = engine
    app.state.settings = settings
    app.state.api = api
    app.state.internal_errors = 0
    return app


def run_web(
    host: str = "127.0.0.1",
    port: int = 8080,
    knowledge: str | None = None,
    intents: str | None = None,
) -> int:
    """`python -m bot web`: serve until interrupted; 1 when the server could not start."""
    try:
        settings = WebSettings.from_env()
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    engine = Engine.from_dirs(config.knowledge_dir(knowledge), config.intents_dir(intents))
    app = create_app(engine, settings)
    # proxy_headers: behind a reverse proxy listed in FORWARDED_ALLOW_IPS (uvicorn's variable,
    # default 127.0.0.1) the rate limit keys on the visitor's address, not the proxy's.
    server = uvicorn.Server(
        uvicorn.Config(
            app,
            host=host,
            port=port,
            proxy_headers=True,
            server_header=False,
            access_log=settings.access_log,
            log_level="info",
        )
    )
    print(f"条例宣贯助手 web: http://{host}:{port}/ (Ctrl+C to stop)", file=sys.stderr)
    try:
        server.run()
    except SystemExit as exc:  # uvicorn exits when it cannot bind the port
        return exc.code if isinstance(exc.code, int) else 1
    return 0 if server.started else 1
