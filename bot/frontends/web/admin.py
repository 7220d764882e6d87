"""`POST /api/admin/reload`: reload the knowledge base from the web process.

Two ways in: `Authorization: Bearer $BOT_ADMIN_TOKEN` (the scripting path), or a console
session with its CSRF token (the console's reload button). With neither a token configured
nor an admin account the endpoint does not exist (404), so a deployment that set up neither
exposes nothing. The reply lists every problem as `file:line: message` and the old version
keeps serving when there is one; each reload is a row of the audit log.
"""

from __future__ import annotations

import hmac
import logging

from fastapi import APIRouter
from starlette.requests import Request
from starlette.responses import JSONResponse

from bot.admin import audit
from bot.app import Assistant, ReloadResult
from bot.frontends.web import models
from bot.frontends.web.admin_auth import AdminGate
from bot.frontends.web.errors import refusal

_LOGGER = logging.getLogger(__name__)
TOKEN_ACTOR = "(令牌)"


def reload_json(result: ReloadResult) -> dict[str, object]:
    return {"ok": result.ok, "problems": result.problems, "summary": result.summary()}


def reload_detail(result: ReloadResult) -> str:
    if result.ok:
        return f"成功：{result.summary().get('entries', 0)} 个条目"
    return f"未重新加载：{len(result.problems)} 个问题"


class AdminApi:
    def __init__(
        self, assistant: Assistant, token: str | None, gate: AdminGate | None = None
    ) -> None:
        self.assistant = assistant
        self.token = token or ""
        self.gate = gate

    def router(self) -> APIRouter:
        r = APIRouter()
        if self.token or self.gate is not None:
            r.add_api_route(
                "/api/admin/reload",
                self.reload,
                methods=["POST"],
                response_model=models.ReloadReply,
                summary="Reload the knowledge base (admin token, or a console session and CSRF)",
                responses={
                    401: {"description": "no or wrong admin token, no session"},
                    403: {"description": "a session without its CSRF token"},
                },
            )
        return r

    def _authorised(self, request: Request) -> bool:
        scheme, _, given = request.headers.get("authorization", "").partition(" ")
        if not self.token or scheme.lower() != "bearer" or not given:
            return False
        return hmac.compare_digest(given.strip().encode(), self.token.encode())

    async def _actor(self, request: Request) -> str:
        if self._authorised(request):
            return TOKEN_ACTOR
        if self.gate is not None and await self.gate.auth.is_open():
            return (await self.gate.require(request, write=True)).name
        if not self.token:
            raise refusal(404, "not_found")
        error = refusal(401, "unauthorized")
        error.headers["WWW-Authenticate"] = "Bearer"
        raise error

    async def reload(self, request: Request) -> JSONResponse:
        actor = await self._actor(request)
        result = await self.assistant.reload()
        if self.gate is not None:
            try:
                await self.gate.auth.db.migrate()
                await audit.record(self.gate.auth.db, actor, "reload", reload_detail(result))
            except Exception as exc:  # the database is down: the reload still happened
                _LOGGER.warning(
                    "could not write the audit row of a reload (%s)", type(exc).__name__
                )
        return JSONResponse(reload_json(result), status_code=200 if result.ok else 422)
