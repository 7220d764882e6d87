"""The web channel: a chat page, a practice page and a JSON API over the application layer.

It exists for people who cannot use Telegram (it is not reachable from mainland China without
circumvention): anyone with a browser, on an agency website through an `<iframe>`, gets the
same answers as `python -m bot ask`, and every question is recorded like Telegram's. The app
is FastAPI, its OpenAPI document generated from the pydantic models in models.py; pages are
static files with no build step. SIGHUP, or `POST /api/admin/reload` with the admin token,
reloads the knowledge base. `/admin` is the admin console (bot/frontends/web/admin_*.py),
open once an admin account exists.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
import sys
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from importlib.metadata import PackageNotFoundError
from importlib.metadata import version as package_version
from pathlib import Path

import uvicorn
from fastapi import FastAPI
from starlette.exceptions import HTTPException
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from bot import startup
from bot.admin.auth import AdminAuth
from bot.app import Assistant, EngineHolder, QuestionRecorder
from bot.app.quizitems import quiz_items_of
from bot.app.snapshot import load_engine
from bot.engine import Engine
from bot.frontends.web.admin import AdminApi
from bot.frontends.web.admin_console import console_database, follow_learned, mount_console
from bot.frontends.web.admin_pages import PublicStatic
from bot.frontends.web.api import Api
from bot.frontends.web.errors import MESSAGES, ApiError
from bot.frontends.web.live import mount as mount_live
from bot.frontends.web.practice import Practice
from bot.frontends.web.server import server_config
from bot.frontends.web.settings import WebSettings
from bot.frontends.wechat import WeChatSettings
from bot.frontends.wechat import mount as mount_wechat
from bot.knowledge.loader import KnowledgeError
from bot.live import LiveService
from bot.quiz import QuizService
from bot.settings import Settings
from bot.storage import Database, QuestionLog

try:
    __version__ = package_version("ipreg-bot")
except PackageNotFoundError:  # pragma: no cover - run from a checkout without installing
    __version__ = "0"

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
    text = MESSAGES.get(code, str(exc.detail))
    return JSONResponse(
        {"error": code, "message": text}, status_code=exc.status_code, headers=exc.headers
    )


async def _internal_error(request: Request, exc: Exception) -> Response:
    """Last resort: a bug answered as JSON, counted so tests can prove bad input never gets here."""
    request.app.state.internal_errors += 1
    log.error("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    return JSONResponse({"error": "internal_error", "message": MESSAGES["internal_error"]}, 500)


def standalone(engine: Engine) -> Assistant:
    """An assistant for an app given only an engine (tests, embedding): nothing recorded,
    practice scored in an in-memory database."""
    holder = EngineHolder(engine)
    database = Database("sqlite://")
    quiz = QuizService(database, quiz_items_of(holder))
    return Assistant(holder, None, quiz, LiveService(database, quiz_items_of(holder)))


def create_app(
    assistant: Assistant | Engine,
    settings: WebSettings | None = None,
    *,
    admin_token: str | None = None,
    wechat: WeChatSettings | None = None,
    admin_auth: AdminAuth | None = None,
) -> FastAPI:
    """The ASGI app over the application layer; `settings` default to WebSettings().

    `admin_token` (BOT_ADMIN_TOKEN) turns on `POST /api/admin/reload`; `wechat` (WECHAT_*,
    WECOM_*) the WeChat official account and WeCom callbacks. The admin console runs over
    the assistant's database (`admin_auth` sets its login policy and clock, for tests).
    """
    settings = settings or WebSettings()
    if isinstance(assistant, Engine):
        assistant = standalone(assistant)
    api = Api(assistant, settings)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        await _start(assistant)
        # Wordings learned in the console: built in now, and followed when a replica applies.
        following = asyncio.get_running_loop().create_task(follow_learned(assistant))
        try:
            yield
        finally:
            following.cancel()
            await _stop(assistant)

    app = FastAPI(
        title="条例宣贯助手 API",
        version=__version__,
        description="Questions about 《河北省知识产权保护和促进条例》 and its outreach "
        "campaign, answered from the knowledge base with their sources; practice quiz.",
        docs_url=None,  # the interactive docs load scripts from a CDN: not served
        redoc_url=None,
        lifespan=lifespan,
        exception_handlers={
            ApiError: _api_error,
            HTTPException: _http_error,
            Exception: _internal_error,
        },
    )
    app.add_api_route("/", _page("index.html"), include_in_schema=False)
    app.add_api_route("/quiz", _page("quiz.html"), include_in_schema=False)
    app.include_router(api.router())
    # The busiest endpoint skips FastAPI's per-request dependency solving: the same handler
    # (it takes the raw Request and returns its own JSONResponse) on a plain Starlette route
    # ahead of the documented one, which stays in the OpenAPI document.
    app.router.routes.insert(0, Route("/api/ask", api.ask, methods=["POST"]))
    app.include_router(Practice(assistant, api).router())
    database = console_database(assistant)
    if admin_auth is None and database is not None:
        admin_auth = AdminAuth(database)
    gate = mount_console(app, assistant, admin_auth) if admin_auth is not None else None
    app.include_router(AdminApi(assistant, admin_token, gate).router())
    mount_live(app, assistant, admin_token)  # /live, /live/host/{pin}, /api/live/…
    if wechat is not None and wechat.enabled:
        mount_wechat(app, assistant, wechat)
    app.mount("/static", PublicStatic(directory=STATIC), name="static")
    app.add_middleware(SecurityHeaders, frame_ancestors=settings.frame_ancestors)
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=list(settings.cors_origins),
            allow_methods=["GET", "POST"],
            allow_headers=["Content-Type", "X-Client-Token"],
            max_age=600,
        )
    app.state.engine_holder = assistant.holder
    app.state.assistant = assistant
    app.state.settings = settings
    app.state.api = api
    app.state.internal_errors = 0
    return app


async def _start(assistant: Assistant) -> None:
    """Create or upgrade the database, and reload on SIGHUP (where signals exist)."""
    database = assistant.database
    if database is not None:
        try:
            await database.migrate()
        except Exception as exc:  # down at start: answers go on, records wait in the queue
            log.warning("database not ready at start (%s); records will wait", type(exc).__name__)
    with contextlib.suppress(NotImplementedError, RuntimeError, AttributeError, ValueError):
        loop = asyncio.get_running_loop()
        loop.add_signal_handler(signal.SIGHUP, _reload_on_signal, assistant)


def _reload_on_signal(assistant: Assistant) -> None:
    async def reload() -> None:
        result = await assistant.reload()
        if result.ok:
            log.info("SIGHUP: knowledge reloaded (%s)", result.summary())
        else:
            log.warning("SIGHUP: reload refused, %d problem(s):", len(result.problems))
            for problem in result.problems:
                log.warning("  %s", problem)

    task = asyncio.get_running_loop().create_task(reload())
    _PENDING.add(task)
    task.add_done_callback(_PENDING.discard)


_PENDING: set[asyncio.Task[None]] = set()


async def _stop(assistant: Assistant) -> None:
    with contextlib.suppress(NotImplementedError, RuntimeError, AttributeError, ValueError):
        asyncio.get_running_loop().remove_signal_handler(signal.SIGHUP)
    await assistant.close()
    if assistant.quiz is not None:
        await assistant.quiz.close()
    if assistant.database is not None:
        await assistant.database.dispose()


def build_assistant(settings: Settings) -> Assistant:
    """The web process's assistant: engine, question log and quiz over BOT_DATABASE_URL.
    A broken knowledge directory with a last good snapshot serves the snapshot, degraded."""
    engine, problems = load_engine(settings.knowledge_dir, settings.intents_dir)
    holder = EngineHolder(engine, settings.knowledge_dir, settings.intents_dir)
    holder.problems = problems
    database = Database(settings.database_url)
    log_ = QuestionLog(database, settings.hash_secret)
    quiz = QuizService(database, quiz_items_of(holder), secret=settings.hash_secret)
    live = LiveService(database, quiz_items_of(holder))
    return Assistant(holder, QuestionRecorder(log_), quiz, live)


def run_web(
    host: str = "127.0.0.1",
    port: int = 8080,
    knowledge: str | None = None,
    intents: str | None = None,
) -> int:
    """`python -m bot web`: serve until interrupted. Exit codes (bot.startup): 1 when the
    server could not start (the port is taken), 2 misconfigured, 6 knowledge base broken; a
    failed start prints two lines (Chinese and English) on stderr, the traceback at DEBUG.
    A database that is down at start is not fatal: answers go on, records wait."""
    try:
        settings = WebSettings.from_env()
    except ValueError as exc:
        return startup.report(
            startup.StartupError(
                startup.EXIT_MISCONFIGURED,
                f"网页服务的设置有误：{startup.reason(exc)}",
                f"a web setting is wrong: {startup.reason(exc)}",
            ),
            exc,
        )
    app_settings = Settings.from_env()
    if knowledge:
        app_settings = app_settings.replace(knowledge_dir=Path(knowledge))
    if intents:
        app_settings = app_settings.replace(intents_dir=Path(intents))
    try:
        wechat = WeChatSettings.from_settings(app_settings)
    except ValueError as exc:
        return startup.report(
            startup.StartupError(
                startup.EXIT_MISCONFIGURED,
                f"微信接入的设置有误：{startup.reason(exc)}",
                f"a WeChat setting is wrong: {startup.reason(exc)}",
            ),
            exc,
        )
    try:
        startup.open_database(app_settings.database_url)  # a malformed URL stops the start
        assistant = build_assistant(app_settings)
    except startup.StartupError as exc:
        return startup.report(exc, exc.__cause__)
    except KnowledgeError as exc:
        return startup.report(startup.knowledge_broken(exc), exc)
    app = create_app(assistant, settings, admin_token=app_settings.admin_token, wechat=wechat)
    # Read timeouts, a connection cap and proxy headers: see server.py.
    server = uvicorn.Server(server_config(app, host, port, access_log=settings.access_log))
    print(f"条例宣贯助手 web: http://{host}:{port}/ (Ctrl+C to stop)", file=sys.stderr)
    try:
        server.run()
    except SystemExit as exc:  # uvicorn exits when it cannot bind the port (and logs why)
        code = exc.code if isinstance(exc.code, int) else 1
    else:
        code = 0 if server.started else 1
    if code and not server.started:
        startup.report(
            startup.StartupError(
                code,
                f"网页服务无法在 {host}:{port} 上启动（端口已被占用或没有权限），请换一个端口（--port）。",
                f"the web server cannot listen on {host}:{port} (port in use or not "
                "permitted); try another --port.",
            )
        )
    return code
