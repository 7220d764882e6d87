"""The console's dashboard and audit log over HTTP.

The dashboard's figures are `bot.stats`' — `stats_json` of the same `admin_summary` that
`python -m bot stats --json` prints, so the page and the command never disagree — plus the
questions per day the report draws, and the learned wordings per status.
"""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter
from starlette.requests import Request
from starlette.responses import JSONResponse

from bot import stats
from bot.admin import audit
from bot.admin.learned import status_counts
from bot.frontends.web import admin_models as m
from bot.frontends.web.admin_auth import ConsoleApi
from bot.frontends.web.admin_errors import admin_refusal

MAX_AUDIT = 200


def period_of(request: Request) -> stats.Period:
    """`?since=YYYY-MM-DD&until=YYYY-MM-DD` (UTC days, inclusive); 422 when malformed."""
    try:
        since = request.query_params.get("since") or None
        until = request.query_params.get("until") or None
        return stats.Period(
            date.fromisoformat(since) if since else None,
            date.fromisoformat(until) if until else None,
        )
    except ValueError:
        raise admin_refusal(422, "bad_request", detail="since, until (YYYY-MM-DD)") from None


def int_param(request: Request, name: str, default: int, low: int, high: int) -> int:
    raw = request.query_params.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise admin_refusal(422, "bad_request", detail=name) from None
    if not low <= value <= high:
        raise admin_refusal(422, "bad_request", detail=name)
    return value


class OverviewApi(ConsoleApi):
    def router(self) -> APIRouter:
        r = APIRouter(tags=["admin"])
        r.add_api_route(
            "/api/admin/dashboard",
            self.dashboard,
            response_model=m.Dashboard,
            summary="The figures of `stats --json`, questions per day, learned wordings",
        )
        r.add_api_route(
            "/api/admin/audit",
            self.audit,
            response_model=m.AuditList,
            summary="The audit log, newest first (?limit, ?offset)",
        )
        return r

    async def dashboard(self, request: Request) -> JSONResponse:
        await self.gate.require(request)
        period = period_of(request)
        titles = stats.entry_titles(self.assistant.engine.kb)
        summary = await stats.admin_summary(self.db, titles, period=period)
        records_lost = 0
        if self.assistant.recorder is not None:
            records_lost = int(self.assistant.recorder.status().get("lost", 0) or 0)
        days = await stats.questions_per_day(self.db, period)
        body = {
            "stats": stats.stats_json(summary, records_lost=records_lost),
            "per_day": [
                {"day": d.day.isoformat(), "total": d.total, "kinds": dict(d.kinds)} for d in days
            ],
            "learned": await status_counts(self.db),
            "names": {"kinds": stats.KIND_NAMES, "channels": stats.CHANNEL_NAMES},
        }
        return JSONResponse(body)

    async def audit(self, request: Request) -> JSONResponse:
        await self.gate.require(request)
        limit = int_param(request, "limit", 100, 1, MAX_AUDIT)
        offset = int_param(request, "offset", 0, 0, 10**9)
        total, rows = await audit.recent(self.db, limit, offset)
        return JSONResponse(
            {
                "total": total,
                "rows": [
                    {
                        "at": row.at.isoformat(timespec="seconds"),
                        "actor": row.actor,
                        "action": row.action,
                        "detail": row.detail,
                    }
                    for row in rows
                ],
            }
        )
