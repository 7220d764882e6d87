"""The console's review of unanswered questions over HTTP: the groups with the engine's
suggestions, the search box over the knowledge base, attaching, marking, and applying the
learned wordings after the evaluation (bot.admin)."""

from __future__ import annotations

import asyncio
from typing import Any

from fastapi import APIRouter
from starlette.requests import Request
from starlette.responses import JSONResponse

from bot.admin import review
from bot.admin.apply import ApplyOutcome, LearnedApplier
from bot.admin.evaluation import label
from bot.admin.learned import LearnedError, LearnedRow, attach, listing, remove, status_counts
from bot.admin.models import MAX_WORDING
from bot.app import Assistant
from bot.engine.compose import entry_citation, suggestion_title
from bot.frontends.web import admin_models as m
from bot.frontends.web.admin import reload_json
from bot.frontends.web.admin_auth import MAX_BODY, AdminGate, ConsoleApi, text_field
from bot.frontends.web.admin_errors import admin_refusal
from bot.frontends.web.admin_overview import int_param
from bot.frontends.web.api import json_body
from bot.frontends.web.inputs import json_object

STATUSES = {"open": ("open",), "handled": ("pending", "attached", "out_of_scope", "dismissed")}
KINDS = {"all": review.REVIEWED_KINDS, "fallback": ("fallback",), "clarify": ("clarify",)}
MAX_SEARCH = 15
APPLY_MESSAGES = {
    "applied": "已应用：评估没有下降，新问法已生效，知识库已重新加载。",
    "dry_run": "只验证：评估没有下降，可以应用。",
    "dropped": "未应用：保留测试集的首位命中率会下降，没有做任何改动。",
    "nothing_pending": "没有待应用的问法。",
    "no_eval": "未应用：找不到适用于当前知识库的评估题集（BOT_EVAL_DIR）。",
    "broken": "未应用：知识库目录有问题，请先修正。",
    "busy": "正在应用另一批问法，请稍后再试。",
    "refused": "未应用：新版本没有通过检查。",
}


def learned_json(row: LearnedRow, titles: dict[str, str]) -> dict[str, Any]:
    return {
        "id": row.id,
        "wording": row.wording,
        "key": row.normalized,
        "entry": row.entry,
        "title": titles.get(row.entry, row.entry),
        "status": row.status,
        "created_by": row.created_by,
        "created_at": row.created_at.isoformat(timespec="seconds"),
        "applied_by": row.applied_by,
        "applied_at": row.applied_at.isoformat(timespec="seconds") if row.applied_at else None,
    }


def outcome_json(outcome: ApplyOutcome, titles: dict[str, str]) -> dict[str, Any]:
    return {
        "applied": outcome.applied,
        "reason": outcome.reason,
        "message": APPLY_MESSAGES.get(outcome.reason, outcome.reason),
        "sets": [
            {
                "set": c.name,
                "label": label(c.name),
                "questions": c.before.questions,
                "hits_before": c.before.hit1,
                "hits_after": c.after.hit1,
                "hit1_before": round(c.before.ratio(c.before.hit1), 4),
                "hit1_after": round(c.after.ratio(c.after.hit1), 4),
                "hit3_before": round(c.before.ratio(c.before.hit3), 4),
                "hit3_after": round(c.after.ratio(c.after.hit3), 4),
                "worse": [
                    {
                        "question": w.question,
                        "expected": w.expected,
                        "expected_title": titles.get(w.expected, w.expected),
                        "now": w.now,
                        "now_title": titles.get(w.now, w.now) if w.now else None,
                    }
                    for w in c.worse
                ],
            }
            for c in outcome.sets
        ],
        "suspects": outcome.suspects,
        "attached": outcome.attached,
        "attached_right_before": outcome.right_before,
        "attached_right_after": outcome.right_after,
        "problems": outcome.problems[:50],
        "reload": reload_json(outcome.reload) if outcome.reload is not None else None,
    }


class QuestionsApi(ConsoleApi):
    def __init__(self, gate: AdminGate, assistant: Assistant, applier: LearnedApplier) -> None:
        super().__init__(gate, assistant)
        self.applier = applier

    def titles(self) -> dict[str, str]:
        return {e.id: e.title for e in self.assistant.engine.kb.entries.values()}

    def router(self) -> APIRouter:
        r = APIRouter(tags=["admin"])
        add = r.add_api_route
        add(
            "/api/admin/questions",
            self.groups,
            response_model=m.QuestionGroups,
            summary="Unanswered and unsure questions grouped, newest first (?status, ?kind)",
        )
        add(
            "/api/admin/search",
            self.search,
            response_model=m.SearchReply,
            summary="Entries and articles for a search box (?q)",
        )
        for name, handler, model, text in (
            ("attach", self.attach, m.AttachRequest, "Attach a question's wording to an entry"),
            ("out-of-scope", self.out_of_scope, m.WordingRequest, "Mark a group out of scope"),
            ("dismiss", self.dismiss, m.WordingRequest, "Dismiss a group"),
            ("reopen", self.reopen, m.WordingRequest, "Reopen a marked group"),
        ):
            add(
                f"/api/admin/questions/{name}",
                handler,
                methods=["POST"],
                response_model=m.Done,
                summary=text + " (X-CSRF-Token)",
                openapi_extra=json_body(model),
            )
        add(
            "/api/admin/learned",
            self.learned,
            response_model=m.LearnedList,
            summary="Learned wordings: pending, active, retiring",
        )
        add(
            "/api/admin/learned/remove",
            self.remove,
            methods=["POST"],
            response_model=m.Learned,
            summary="Take a learned wording back (X-CSRF-Token)",
            openapi_extra=json_body(m.IdRequest),
        )
        add(
            "/api/admin/learned/apply",
            self.apply,
            methods=["POST"],
            response_model=m.ApplyReply,
            summary="Evaluate and apply the pending wordings (X-CSRF-Token)",
            openapi_extra=json_body(m.ApplyRequest),
        )
        return r

    # -- reading ---------------------------------------------------------------------------------

    async def groups(self, request: Request) -> JSONResponse:
        await self.gate.require(request)
        wanted = request.query_params.get("status", "open")
        kind = request.query_params.get("kind", "all")
        if (wanted not in STATUSES and wanted != "all") or kind not in KINDS:
            raise admin_refusal(422, "bad_request", detail="status, kind")
        limit = int_param(request, "limit", 50, 1, 200)
        offset = int_param(request, "offset", 0, 0, 10**9)
        found = await review.question_groups(self.db, KINDS[kind])
        if wanted != "all":
            found = [g for g in found if g.status in STATUSES[wanted]]
        page = found[offset : offset + limit]
        engine = self.assistant.engine

        def described() -> list[dict[str, Any]]:
            out = []
            for g in page:
                out.append(
                    {
                        "key": g.key,
                        "question": g.question,
                        "wordings": g.wordings,
                        "count": g.count,
                        "users": g.users,
                        "kinds": g.kinds,
                        "channels": g.channels,
                        "last_asked": g.last_asked.isoformat(timespec="seconds"),
                        "now": engine.answer(g.question).kind,
                        "suggestions": [vars(s) for s in review.suggestions(engine, g.question)],
                        "status": g.status,
                        "entry": g.entry,
                    }
                )
            return out

        return JSONResponse({"groups": await asyncio.to_thread(described), "total": len(found)})

    async def search(self, request: Request) -> JSONResponse:
        await self.gate.require(request)
        query = (request.query_params.get("q") or "").strip()[:MAX_WORDING]
        engine = self.assistant.engine
        kb = engine.kb
        hits: dict[str, float | None] = {}
        if query:
            folded = query.casefold()
            if query in kb.entries:
                hits[query] = None
            for entry in kb.entries.values():
                if len(hits) >= MAX_SEARCH // 2:
                    break
                if folded in entry.title.casefold() or folded in entry.id.casefold():
                    hits.setdefault(entry.id, None)
            for candidate in engine.search(query)[:MAX_SEARCH]:
                hits.setdefault(candidate.entry.id, round(candidate.score, 3))
        rows = []
        for ident, value in list(hits.items())[:MAX_SEARCH]:
            entry = kb.entries[ident]
            rows.append(
                {
                    "entry": ident,
                    "title": suggestion_title(entry),
                    "kind": entry.kind,
                    "citation": entry_citation(kb, entry).line,
                    "score": value,
                }
            )
        return JSONResponse({"hits": rows})

    async def learned(self, request: Request) -> JSONResponse:
        await self.gate.require(request)
        titles = self.titles()
        rows = await listing(self.db)
        return JSONResponse(
            {
                "wordings": [learned_json(r, titles) for r in rows],
                "counts": await status_counts(self.db),
            }
        )

    # -- changes ---------------------------------------------------------------------------------

    async def _body(self, request: Request) -> tuple[str, dict[str, Any]]:
        admin = await self.gate.require(request, write=True)
        return admin.name, await json_object(request, MAX_BODY)

    async def attach(self, request: Request) -> JSONResponse:
        actor, data = await self._body(request)
        question = text_field(data, "question", MAX_WORDING)
        entry = text_field(data, "entry", 200)
        if entry not in self.assistant.engine.kb.entries:
            raise admin_refusal(422, "unknown_entry", detail=entry)
        try:
            await attach(self.db, question, entry, actor, self.titles())
        except LearnedError as exc:
            raise admin_refusal(
                409 if exc.code != "bad_request" else 422, exc.code, detail=exc.detail
            ) from None
        return JSONResponse({"ok": True})

    async def _mark(self, request: Request, decision: str) -> JSONResponse:
        actor, data = await self._body(request)
        question = text_field(data, "question", MAX_WORDING)
        try:
            await review.decide(self.db, question, decision, actor)
        except LearnedError as exc:
            raise admin_refusal(422, exc.code, detail=exc.detail) from None
        return JSONResponse({"ok": True})

    async def out_of_scope(self, request: Request) -> JSONResponse:
        return await self._mark(request, "out_of_scope")

    async def dismiss(self, request: Request) -> JSONResponse:
        return await self._mark(request, "dismissed")

    async def reopen(self, request: Request) -> JSONResponse:
        actor, data = await self._body(request)
        question = text_field(data, "question", MAX_WORDING)
        return JSONResponse({"ok": await review.reopen(self.db, question, actor)})

    async def remove(self, request: Request) -> JSONResponse:
        actor, data = await self._body(request)
        ident = data.get("id")
        if not isinstance(ident, int) or isinstance(ident, bool):
            raise admin_refusal(422, "bad_request", detail="id")
        try:
            row = await remove(self.db, ident, actor, self.titles())
        except LearnedError as exc:
            raise admin_refusal(404, exc.code) from None
        return JSONResponse(learned_json(row, self.titles()))

    async def apply(self, request: Request) -> JSONResponse:
        actor, data = await self._body(request)
        dry_run = data.get("dry_run", False)
        if not isinstance(dry_run, bool):
            raise admin_refusal(422, "bad_request", detail="dry_run")
        outcome = await self.applier.apply(actor, dry_run=dry_run)
        status = 200 if outcome.applied or outcome.reason in ("dry_run", "dropped") else 409
        if outcome.reason == "busy":
            status = 429
        return JSONResponse(outcome_json(outcome, self.titles()), status_code=status)
