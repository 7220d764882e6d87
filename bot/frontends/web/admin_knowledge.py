"""The console's knowledge browser over HTTP: every entry and article with its citation, the
ways it is asked (its YAML questions and the learned wordings), how often it was the answer;
the `check` problems as `file:line: message`; and the campaign report as a download."""

from __future__ import annotations

import asyncio
import threading
from typing import Any

from fastapi import APIRouter
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from bot import stats
from bot.admin import audit
from bot.admin.learned import listing
from bot.engine.compose import entry_citation
from bot.engine.intents import collect_intents
from bot.frontends.web import admin_models as m
from bot.frontends.web.admin_auth import ConsoleApi
from bot.frontends.web.admin_errors import admin_refusal
from bot.frontends.web.admin_overview import int_param, period_of
from bot.frontends.web.admin_questions import learned_json
from bot.knowledge.loader import collect

# matplotlib draws one report at a time.
_REPORT_LOCK = threading.Lock()


class KnowledgeApi(ConsoleApi):
    def router(self) -> APIRouter:
        r = APIRouter(tags=["admin"])
        r.add_api_route(
            "/api/admin/knowledge",
            self.entries,
            response_model=m.EntryList,
            summary="Every entry and article (?q, ?kind, ?limit, ?offset)",
        )
        r.add_api_route(
            "/api/admin/knowledge/{entry_id}",
            self.entry,
            response_model=m.EntryDetail,
            summary="One entry: text, citation, ways of asking, learned wordings, answers",
        )
        r.add_api_route(
            "/api/admin/check",
            self.check,
            response_model=m.CheckReply,
            summary="Validate the knowledge and intents directories (problems as file:line)",
        )
        r.add_api_route(
            "/api/admin/report",
            self.report,
            summary="The campaign report, one HTML page (?since, ?until)",
            response_class=Response,
            responses={200: {"content": {"text/html": {}}}},
        )
        return r

    async def _answered(self) -> dict[str, int]:
        return {e.entry: e.count for e in await stats.top_entries(self.db, None)}

    async def _learned(self) -> dict[str, list[Any]]:
        out: dict[str, list[Any]] = {}
        for row in await listing(self.db):
            out.setdefault(row.entry, []).append(row)
        return out

    async def entries(self, request: Request) -> JSONResponse:
        await self.gate.require(request)
        query = (request.query_params.get("q") or "").strip().casefold()[:200]
        kind = request.query_params.get("kind") or ""
        limit = int_param(request, "limit", 5000, 1, 5000)
        offset = int_param(request, "offset", 0, 0, 10**9)
        engine = self.assistant.engine
        kb = engine.kb
        in_service = self.assistant.holder.learned
        answered = await self._answered()
        learned = await self._learned()
        rows = []
        for entry in kb.entries.values():
            if kind and entry.kind != kind:
                continue
            if query and not any(
                query in text.casefold() for text in (entry.id, entry.title, entry.text)
            ):
                continue
            extra = set(in_service.get(entry.id, ()))
            rows.append(
                {
                    "id": entry.id,
                    "kind": entry.kind,
                    "title": entry.title,
                    "citation": entry_citation(kb, entry).line,
                    "asked": len([q for q in entry.questions if q not in extra]),
                    "learned": len(learned.get(entry.id, [])),
                    "answered": answered.get(entry.id, 0),
                }
            )
        return JSONResponse({"entries": rows[offset : offset + limit], "total": len(rows)})

    async def entry(self, request: Request, entry_id: str) -> JSONResponse:
        await self.gate.require(request)
        kb = self.assistant.engine.kb
        entry = kb.entries.get(entry_id)
        if entry is None:
            raise admin_refusal(404, "unknown_entry", detail=entry_id[:200])
        extra = set(self.assistant.holder.learned.get(entry.id, ()))
        titles = {entry.id: entry.title}
        learned = (await self._learned()).get(entry.id, [])
        return JSONResponse(
            {
                "id": entry.id,
                "kind": entry.kind,
                "title": entry.title,
                "text": entry.text,
                "citation": entry_citation(kb, entry).line,
                "file": f"{entry.file}:{entry.line}" if entry.file else "",
                "questions": [q for q in entry.questions if q not in extra],
                "aliases": list(entry.aliases),
                "keywords": list(entry.keywords),
                "learned": [learned_json(row, titles) for row in learned],
                "answered": (await self._answered()).get(entry.id, 0),
            }
        )

    async def check(self, request: Request) -> JSONResponse:
        await self.gate.require(request)
        holder = self.assistant.holder

        def run() -> dict[str, Any]:
            kb, problems = collect(holder.knowledge_dir)
            intent_problems: list[Any] = []
            if holder.intents_dir is not None:
                _, intent_problems = collect_intents(holder.intents_dir)
            found = [str(p) for p in sorted(problems + intent_problems)]
            summary = (
                f"{len(kb.sources) + len(kb.laws)} 个来源，{len(kb.entries)} 个条目，"
                f"{len(kb.contacts)} 个联系人，{len(kb.quiz)} 道题"
            )
            return {"ok": not found, "problems": found, "summary": summary}

        return JSONResponse(await asyncio.to_thread(run))

    async def report(self, request: Request) -> Response:
        admin = await self.gate.require(request)
        period = period_of(request)
        try:
            from bot.report import build_report
            from bot.report import collect as collect_report
            from bot.report.fonts import NoCjkFont, find_cjk_font
        except ImportError as exc:  # the report extra (matplotlib) is not installed
            raise admin_refusal(503, "report_failed", detail=str(exc)) from None

        titles = stats.entry_titles(self.assistant.engine.kb)
        data = await collect_report(self.db, period, titles)

        def draw() -> str:
            with _REPORT_LOCK:
                return build_report(data, find_cjk_font())

        try:
            page = await asyncio.to_thread(draw)
        except NoCjkFont as exc:
            raise admin_refusal(503, "report_failed", detail=str(exc).splitlines()[0]) from None
        await audit.record(self.db, admin.name, "report", str(period))
        name = f"campaign-report-{self.gate.auth.clock().date().isoformat()}.html"
        return Response(
            page,
            media_type="text/html; charset=utf-8",
            headers={"content-disposition": f'attachment; filename="{name}"'},
        )
