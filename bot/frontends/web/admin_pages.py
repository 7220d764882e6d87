"""The admin console's pages: static HTML files (no build step, no CDN) served behind the
login, and a static-file mount that never serves them.

A page without a session answers 303 to `/admin/login?next=<page>`; with no admin account
at all every page is a 404. The pages hold no data: their scripts fetch it from
`/api/admin/…` with the session cookie, and build the DOM with `textContent` only, so a
question typed by the public can never become markup.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from fastapi import APIRouter
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import FileResponse, RedirectResponse, Response
from starlette.staticfiles import StaticFiles
from starlette.types import Scope

from bot.frontends.web.admin_auth import AdminGate

STATIC = Path(__file__).resolve().parent / "static"
# URL path under /admin → the file in static/; /admin itself leads to the dashboard. Every
# page sits one level under /admin, so its relative links (`../static/…`, `../api/…`) work
# under a path prefix too.
PAGES = {
    "dashboard": "admin-dashboard.html",
    "questions": "admin-questions.html",
    "knowledge": "admin-knowledge.html",
    "quiz": "admin-quiz.html",
    "audit": "admin-audit.html",
}
LOGIN_PAGE = "admin-login.html"


def is_admin_page(path: str) -> bool:
    name = Path(path).name
    return name.startswith("admin") and name.endswith(".html")


class PublicStatic(StaticFiles):
    """`/static`: every file but the admin pages, which only the console's routes serve."""

    async def get_response(self, path: str, scope: Scope) -> Response:
        if is_admin_page(path):
            raise HTTPException(status_code=404)
        return await super().get_response(path, scope)


def _html(name: str) -> Response:
    response = FileResponse(STATIC / name, media_type="text/html; charset=utf-8")
    response.headers["cache-control"] = "no-store"
    return response


def login_url(request: Request, page: str) -> str:
    root = request.scope.get("root_path", "")
    return f"{root}/admin/login" + (f"?next={page}" if page else "")


class AdminPages:
    def __init__(self, gate: AdminGate) -> None:
        self.gate = gate

    def router(self) -> APIRouter:
        r = APIRouter(include_in_schema=False)
        r.add_api_route("/admin/login", self.login)
        r.add_api_route("/admin", self.home)
        r.add_api_route("/admin/", self.home)
        for path, name in PAGES.items():
            r.add_api_route(f"/admin/{path}", self.page(path, name))
        return r

    async def home(self, request: Request) -> Response:
        await self.gate.open()
        if await self.gate.current(request) is None:
            return RedirectResponse(login_url(request, ""), status_code=303)
        root = request.scope.get("root_path", "")
        return RedirectResponse(f"{root}/admin/dashboard", status_code=303)

    async def login(self, request: Request) -> Response:
        await self.gate.open()
        if await self.gate.current(request) is not None:
            root = request.scope.get("root_path", "")
            return RedirectResponse(f"{root}/admin/dashboard", status_code=303)
        return _html(LOGIN_PAGE)

    def page(self, path: str, name: str) -> Callable[[Request], Awaitable[Any]]:
        async def serve(request: Request) -> Response:
            await self.gate.open()
            if await self.gate.current(request) is None:
                return RedirectResponse(login_url(request, path), status_code=303)
            return _html(name)

        return serve
