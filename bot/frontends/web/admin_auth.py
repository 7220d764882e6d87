"""Who may use the admin console: the login endpoints and the check every admin route makes.

* No admin account in the database: every admin page and endpoint is a 404, as if the
  console did not exist (`python -m bot admin add NAME` opens it).
* Pages without a session answer 303 to the login page; endpoints 401.
* Every request that changes something carries the session's CSRF token in `X-CSRF-Token`
  (403 without it); the login itself carries the pre-login token from
  `GET /api/admin/login-token`
  (a signed cookie holds the same value).
* The session cookie is signed, HttpOnly, SameSite=Strict, Secure over HTTPS, and expires
  with the session.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from math import ceil
from typing import TYPE_CHECKING

from fastapi import APIRouter
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from bot.admin.auth import AdminAuth
from bot.admin.sessions import LOGIN_LIFETIME, SessionInfo, same
from bot.frontends.web import admin_models as m
from bot.frontends.web.admin_errors import admin_refusal
from bot.frontends.web.api import json_body
from bot.frontends.web.inputs import client_key, json_object

if TYPE_CHECKING:
    from bot.app import Assistant

SESSION_COOKIE = "ipreg_admin"
LOGIN_COOKIE = "ipreg_admin_login"
CSRF_HEADER = "x-csrf-token"
MAX_BODY = 16 * 1024


@dataclass(frozen=True)
class Admin:
    """The logged-in administrator of a request."""

    session: SessionInfo
    token: str

    @property
    def name(self) -> str:
        return self.session.name


def _secure(request: Request) -> bool:
    return request.url.scheme == "https"


def text_field(data: dict[str, object], name: str, limit: int, *, required: bool = True) -> str:
    """A string field of a JSON body, at most `limit` characters; 422 otherwise."""
    value = data.get(name, "" if not required else None)
    if not isinstance(value, str) or (required and not value.strip()) or len(value) > limit:
        raise admin_refusal(422, "bad_request", detail=name)
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise admin_refusal(422, "bad_request", detail=name) from None
    return value


class AdminGate:
    """The checks and the login endpoints over one `AdminAuth`."""

    def __init__(self, auth: AdminAuth) -> None:
        self.auth = auth

    async def open(self) -> None:
        """404 unless some admin account exists."""
        if not await self.auth.is_open():
            raise admin_refusal(404, "not_found")

    async def current(self, request: Request) -> Admin | None:
        found = await self.auth.session(request.cookies.get(SESSION_COOKIE))
        return Admin(*found) if found is not None else None

    async def require(self, request: Request, *, write: bool = False) -> Admin:
        """The request's administrator: 404 (no console), 401 (no session), 403 (no CSRF)."""
        await self.open()
        admin = await self.current(request)
        if admin is None:
            raise admin_refusal(401, "login_required")
        if write and not same(request.headers.get(CSRF_HEADER), admin.session.csrf):
            raise admin_refusal(403, "csrf")
        return admin

    # -- routes ----------------------------------------------------------------------------------

    def router(self) -> APIRouter:
        r = APIRouter(tags=["admin"])
        r.add_api_route(
            "/api/admin/login-token",
            self.login_form,
            response_model=m.LoginForm,
            summary="A pre-login CSRF token (and its signed cookie) for the login request",
        )
        r.add_api_route(
            "/api/admin/login",
            self.login,
            methods=["POST"],
            response_model=m.SessionReply,
            summary="Log in (X-CSRF-Token from GET /api/admin/login-token)",
            openapi_extra=json_body(m.LoginRequest),
            responses={
                401: {"description": "wrong name or password"},
                429: {"description": "locked"},
            },
        )
        r.add_api_route(
            "/api/admin/logout",
            self.logout,
            methods=["POST"],
            response_model=m.Done,
            summary="Log out (X-CSRF-Token)",
        )
        r.add_api_route(
            "/api/admin/session",
            self.session,
            response_model=m.SessionReply,
            summary="Who is logged in, and the CSRF token for changes",
        )
        return r

    async def login_form(self, request: Request) -> JSONResponse:
        await self.open()
        cookie, token = await self.auth.login_token()
        response = JSONResponse({"csrf": token})
        response.set_cookie(
            LOGIN_COOKIE,
            cookie,
            max_age=int(LOGIN_LIFETIME.total_seconds()),
            httponly=True,
            samesite="strict",
            secure=_secure(request),
            path="/",
        )
        return response

    async def login(self, request: Request) -> JSONResponse:
        await self.open()
        if not await self.auth.login_token_ok(
            request.cookies.get(LOGIN_COOKIE), request.headers.get(CSRF_HEADER)
        ):
            raise admin_refusal(403, "csrf")
        data = await json_object(request, MAX_BODY)
        name = data.get("name")
        password = data.get("password")
        if not isinstance(name, str) or not isinstance(password, str) or len(name) > 200:
            raise admin_refusal(422, "bad_request", detail="name, password")
        outcome = await self.auth.login(name, password, client_key(request))
        if outcome.locked_until is not None:
            minutes = max(1, ceil((outcome.locked_until - self.auth.clock()).total_seconds() / 60))
            error = admin_refusal(429, "locked", minutes=minutes)
            error.headers["Retry-After"] = str(minutes * 60)
            raise error
        if not outcome.ok or outcome.session is None:
            raise admin_refusal(401, "bad_login")
        response = JSONResponse(_session_json(outcome.session))
        response.set_cookie(
            SESSION_COOKIE,
            await self.auth.cookie_of(outcome.token),
            max_age=int((outcome.session.expires_at - self.auth.clock()).total_seconds()),
            httponly=True,
            samesite="strict",
            secure=_secure(request),
            path="/",
        )
        response.delete_cookie(LOGIN_COOKIE, path="/")
        return response

    async def logout(self, request: Request) -> JSONResponse:
        admin = await self.require(request, write=True)
        await self.auth.logout(admin.token, admin.name)
        response = JSONResponse({"ok": True})
        response.delete_cookie(SESSION_COOKIE, path="/")
        return response

    async def session(self, request: Request) -> JSONResponse:
        admin = await self.require(request)
        return JSONResponse(_session_json(admin.session))


def _session_json(session: SessionInfo) -> dict[str, object]:
    return {
        "name": session.name,
        "csrf": session.csrf,
        "expires_at": _iso(session.expires_at),
    }


def _iso(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds")


def no_store(response: Response) -> Response:
    response.headers["cache-control"] = "no-store"
    return response


class ConsoleApi:
    """What each admin console API holds: the gate that checks sessions, the assistant it
    reads and changes, and the database behind the gate."""

    def __init__(self, gate: AdminGate, assistant: Assistant) -> None:
        self.gate = gate
        self.assistant = assistant

    @property
    def db(self):  # type: ignore[no-untyped-def]
        return self.gate.auth.db
