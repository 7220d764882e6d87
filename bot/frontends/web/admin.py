"""`POST /api/admin/reload`: reload the knowledge base from the web process.

Behind `Authorization: Bearer $BOT_ADMIN_TOKEN`; with no token configured the endpoint does
not exist (404), so a deployment that never set one exposes nothing. The reply lists every
problem as `file:line: message` and the old version keeps serving when there is one.
"""

from __future__ import annotations

import hmac

from fastapi import APIRouter
from starlette.requests import Request
from starlette.responses import JSONResponse

from bot.app import Assistant
from bot.frontends.web import models
from bot.frontends.web.errors import refusal


class AdminApi:
    def __init__(self, assistant: Assistant, token: str | None) -> None:
        self.assistant = assistant
        self.token = token or ""

    def router(self) -> APIRouter:
        r = APIRouter()
        if self.token:
            r.add_api_route(
                "/api/admin/reload",
                self.reload,
                methods=["POST"],
                response_model=models.ReloadReply,
                summary="Reload the knowledge base (admin token required)",
                responses={401: {"description": "no or wrong admin token"}},
            )
        return r

    def _authorised(self, request: Request) -> bool:
        scheme, _, given = request.headers.get("authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not given:
            return False
        return hmac.compare_digest(given.strip().encode(), self.token.encode())

    async def reload(self, request: Request) -> JSONResponse:
        if not self._authorised(request):
            error = refusal(401, "unauthorized")
            error.headers["WWW-Authenticate"] = "Bearer"
            raise error
        result = await self.assistant.reload()
        body = {"ok": result.ok, "problems": result.problems, "summary": result.summary()}
        return JSONResponse(body, status_code=200 if result.ok else 422)
