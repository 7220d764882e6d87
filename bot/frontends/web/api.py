"""The HTTP API's question endpoints: thin handlers over the application layer.

`POST /api/ask` returns `Reply.to_json()` — the object `python -m bot ask --json` prints:
the reply's kind and its structured blocks, which the chat page renders (it never parses
`text`, the plain rendering). Every question is recorded with channel `web` and the
visitor's client token (hashed); recording never delays the answer. The engine answers in
about a millisecond of CPU, so handlers call it on the event loop: a thread hop would cost
as much, buy no parallelism under the GIL, and one thread never enters the engine twice.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from fastapi import APIRouter
from starlette.requests import Request
from starlette.responses import JSONResponse

from bot.app import Assistant, Incoming
from bot.app.ratelimit import RateLimiter
from bot.engine import Reply
from bot.engine.compose import citation
from bot.frontends.web import models
from bot.frontends.web.errors import ERROR_RESPONSES, MESSAGES, ApiError, message, refusal
from bot.frontends.web.inputs import client_key, json_object, question_of, remember, visitor
from bot.frontends.web.settings import WebSettings

CHANNEL = "web"
# Longest entry or quiz id we look up; ids in the knowledge base are short slugs.
MAX_ID_CHARS = 200


def json_body(model: type[models.BaseModel]) -> dict[str, Any]:
    """The OpenAPI request body of an endpoint that reads its JSON itself (to refuse bad
    bodies with the API's own errors), from the pydantic model it validates against."""
    schema = model.model_json_schema()
    return {"requestBody": {"required": True, "content": {"application/json": {"schema": schema}}}}


class Api:
    """The question endpoints over one assistant; `router()` wires them."""

    def __init__(self, assistant: Assistant, settings: WebSettings) -> None:
        self.assistant = assistant
        self.settings = settings
        self.limiter = RateLimiter(settings.rate_limit)

    @property
    def messages(self) -> dict[str, str]:
        """The UI messages, with the engine's wording for the two it shares."""
        texts = self.assistant.engine.intents.response
        return {**MESSAGES, **{k: texts(k) for k in ("rate_limited", "too_long") if texts(k)}}

    def router(self) -> APIRouter:
        r = APIRouter()
        ask = {"response_model": models.ReplyModel, "responses": ERROR_RESPONSES}
        r.add_api_route(
            "/api/ask",
            self.ask,
            methods=["POST"],
            summary="Ask a question",
            openapi_extra=json_body(models.AskRequest),
            **ask,
        )
        r.add_api_route(
            "/api/answer-entry",
            self.answer_entry,
            methods=["POST"],
            summary="The answer for a suggestion that was picked",
            openapi_extra=json_body(models.EntryRequest),
            **ask,
        )
        r.add_api_route("/api/sources", self.sources, response_model=models.SourcesReply)
        r.add_api_route("/api/contacts", self.contacts, response_model=models.ContactsReply)
        r.add_api_route("/api/ui", self.ui, response_model=models.UiReply)
        r.add_api_route("/api/health", self.health, response_model=models.HealthReply)
        return r

    # -- request checks ------------------------------------------------------------------------

    def limit(self, request: Request) -> None:
        wait = self.limiter.retry_after(client_key(request))
        if wait:
            error = ApiError(
                429, "rate_limited", message("rate_limited", self.messages), retry_after=wait
            )
            error.headers["Retry-After"] = str(wait)
            raise error

    def reply(self, request: Request, reply: Reply, token: str, new: bool) -> JSONResponse:
        response = JSONResponse(reply.to_json())
        if new:
            remember(response, token, request)
        return response

    # -- endpoints -----------------------------------------------------------------------------

    async def ask(self, request: Request) -> JSONResponse:
        self.limit(request)
        data = await json_object(request, self.settings.max_body_bytes)
        question = question_of(data, self.settings.max_question_chars, self.messages)
        token, new = visitor(request)
        reply = self.assistant.ask(Incoming(question, CHANNEL, token, "page"))
        return self.reply(request, reply, token, new)

    async def answer_entry(self, request: Request) -> JSONResponse:
        """A suggestion chip was clicked: the answer for that entry."""
        self.limit(request)
        data = await json_object(request, self.settings.max_body_bytes)
        entry = data.get("entry")
        if not isinstance(entry, str) or not entry or len(entry) > MAX_ID_CHARS:
            raise refusal(422, "missing_entry")
        if entry not in self.assistant.engine.kb.entries:
            raise refusal(422, "unknown_entry")
        question = question_of(
            data, self.settings.max_question_chars, self.messages, required=False
        )
        token, new = visitor(request)
        reply = self.assistant.choose(Incoming(question, CHANNEL, token, "page"), entry)
        return self.reply(request, reply, token, new)

    async def sources(self, request: Request) -> JSONResponse:
        self.limit(request)
        kb = self.assistant.engine.kb
        sources = [
            {
                "id": s.id,
                "short": s.short,
                "title": s.title,
                "display": s.display,
                "issuer": s.issuer,
                "date": s.date,
                "disclosure": s.disclosure,
                "note": s.note,
            }
            for s in kb.sources.values()
        ]
        laws = [
            {
                "id": law.id,
                "title": law.title,
                "display": law.as_source().display,
                "issuer": law.issuer,
                "adopted": law.adopted,
                "effective": law.effective,
                "article_count": law.article_count,
                "full_text": law.has_text,
            }
            for law in kb.laws.values()
        ]
        return JSONResponse({"sources": sources, "laws": laws})

    async def contacts(self, request: Request) -> JSONResponse:
        self.limit(request)
        kb = self.assistant.engine.kb
        contacts = [
            {
                "id": c.id,
                "name": c.name,
                "organization": c.organization,
                "phone": c.phone,
                "email": c.email,
                "serves": c.serves,
                "topics": list(c.topics),
                "audiences": list(c.audiences),
                "citation": citation(kb, c.source, c.locator, c.id).to_json(),
            }
            for c in kb.contacts.values()
        ]
        return JSONResponse({"contacts": contacts})

    async def ui(self, request: Request) -> JSONResponse:
        """Texts the pages show before any question: the greeting, example questions, and
        the labels the page puts around reply blocks (from the reply templates)."""
        engine = self.assistant.engine
        texts = engine.intents.response
        examples = [line.strip() for line in texts("web_examples").splitlines() if line.strip()]
        labels = asdict(engine.compose.labels)
        for key in ("web_show_passage", "web_pending", "web_examples_hint"):
            labels[key.removeprefix("web_")] = texts(key)
        return JSONResponse({"greeting": texts("greeting"), "examples": examples, "labels": labels})

    async def health(self, request: Request) -> JSONResponse:
        return JSONResponse(self.assistant.health())
