"""The console's quiz pages over HTTP: the bank and the generated questions with their
citations (the application layer's quiz items, the ones every channel asks), and starting a
live hall game (bot.live, as `python -m bot live new` and `POST /api/live` do)."""

from __future__ import annotations

from fastapi import APIRouter
from starlette.requests import Request
from starlette.responses import JSONResponse

from bot.admin import audit
from bot.app import Assistant
from bot.app.quizitems import quiz_items_of
from bot.frontends.web import admin_models as m
from bot.frontends.web.admin_auth import MAX_BODY, AdminGate, ConsoleApi
from bot.frontends.web.admin_errors import admin_refusal
from bot.frontends.web.api import json_body
from bot.frontends.web.inputs import json_object
from bot.live import LiveError
from bot.live.control import check_limits
from bot.live.game import host_url, join_url


class QuizApi(ConsoleApi):
    def __init__(self, gate: AdminGate, assistant: Assistant) -> None:
        super().__init__(gate, assistant)
        quiz = assistant.quiz
        self.items = quiz.items_provider if quiz is not None else quiz_items_of(assistant.holder)

    def router(self) -> APIRouter:
        r = APIRouter(tags=["admin"])
        r.add_api_route(
            "/api/admin/quiz",
            self.quiz,
            response_model=m.QuizList,
            summary="The quiz's questions (bank and generated) with their citations",
        )
        r.add_api_route(
            "/api/admin/live",
            self.live,
            methods=["POST"],
            status_code=201,
            response_model=m.LiveCreated,
            summary="Create a live hall game (X-CSRF-Token)",
            openapi_extra=json_body(m.LiveRequest),
        )
        return r

    async def quiz(self, request: Request) -> JSONResponse:
        await self.gate.require(request)
        items = list(self.items())
        rows = [
            {
                "id": item.id,
                "origin": item.origin,
                "question": item.question,
                "options": list(item.options),
                "answer": item.answer,
                "explanation": item.explanation,
                "citation": item.source_line,
            }
            for item in items
        ]
        bank = sum(item.origin == "bank" for item in items)
        return JSONResponse(
            {"items": rows, "total": len(rows), "bank": bank, "generated": len(rows) - bank}
        )

    async def live(self, request: Request) -> JSONResponse:
        admin = await self.gate.require(request, write=True)
        data = await json_object(request, MAX_BODY)
        questions, seconds = data.get("questions", 5), data.get("seconds", 20)
        if not all(isinstance(v, int) and not isinstance(v, bool) for v in (questions, seconds)):
            raise admin_refusal(422, "bad_game")
        try:
            check_limits(questions, seconds)
        except ValueError:
            raise admin_refusal(422, "bad_game") from None
        live = self.assistant.live
        if live is None:
            raise admin_refusal(503, "live_unavailable")
        links = request.app.state.live_api
        try:
            await live.prepare()
            created = await live.create_game(questions, seconds, join_base=links.base_url or None)
        except LiveError as exc:
            raise admin_refusal(
                exc.status, "empty_quiz" if exc.code == "empty_quiz" else "live_unavailable"
            ) from None
        base = links.base(request)
        await audit.record(
            self.gate.auth.db,
            admin.name,
            "live_created",
            f"PIN {created.pin}，{questions} 题，每题 {seconds} 秒",
        )
        return JSONResponse(
            {
                "pin": created.pin,
                "join_url": join_url(base, created.pin),
                "host_url": host_url(base, created.pin, created.host_key),
            },
            status_code=201,
        )
