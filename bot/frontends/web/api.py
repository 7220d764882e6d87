"""The HTTP API: thin handlers that validate a request, ask the engine and return JSON.

`POST /api/ask` returns `Reply.to_json()` — the object `python -m bot ask --json` prints:
the reply's kind and its structured blocks, which the chat page renders (it never parses
`text`, the plain rendering). Every refusal is a JSON `{"error": code, "message": 中文}` with a 4xx
status, raised as `ApiError` and turned into a response by the app's handler.
"""

from __future__ import annotations

import json
import random
from dataclasses import asdict
from typing import Any

from starlette.requests import ClientDisconnect, Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from bot.engine import Engine, Reply
from bot.engine.compose import citation
from bot.frontends.web.limits import RateLimiter
from bot.frontends.web.settings import WebSettings

# Longest entry or quiz id we look up; ids in the knowledge base are short slugs.
MAX_ID_CHARS = 200
# `exclude` of /api/quiz/next: at most this many ids are honoured.
MAX_EXCLUDE = 500

# Texts of the web front end's own refusals. Fixed UI wording, not knowledge: the engine's
# texts (too_long, rate_limited) come from the intents data.
MESSAGES = {
    "unsupported_media_type": "请求格式不正确：请使用 Content-Type: application/json 发送 JSON。",
    "body_too_large": "请求内容太大（超过{limit}字节），请精简后再试。",
    "bad_json": "请求内容不是有效的 JSON，请检查后重试。",
    "not_an_object": '请求内容应是一个 JSON 对象，例如 {{"question": "条例什么时候施行？"}}。',
    "missing_question": '请提供文字形式的问题：{{"question": "…"}}。',
    "bad_text": "问题中包含无法识别的字符，请重新输入。",
    "missing_entry": '请提供要查看的条目编号：{{"entry": "…"}}。',
    "unknown_entry": "没有找到这个条目，请重新提问。",
    "missing_quiz_id": '请提供题目编号和所选选项：{{"id": "…", "choice": 0}}。',
    "unknown_quiz": "没有找到这道题，请换一道题再试。",
    "bad_choice": "所选选项不存在：choice 应为 0 到 {last} 之间的整数。",
    "empty_quiz": "题库中暂时没有题目。",
    "rate_limited": "提问太频繁了，请稍等片刻再试。",
    "too_long": "您的问题太长了（超过{limit}字），请精简后再问。",
    "not_found": "没有这个页面或接口。",
    "method_not_allowed": "这个接口不支持该请求方法。",
    "internal_error": "服务器内部出错了，请稍后再试。",
}


class ApiError(Exception):
    """A refusal the client can act on: status, a code for programs, a message for people."""

    def __init__(self, status: int, code: str, message: str, **extra: Any) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.extra = extra
        self.headers: dict[str, str] = {}

    def response(self) -> JSONResponse:
        content = {"error": self.code, "message": self.message, **self.extra}
        return JSONResponse(content, status_code=self.status, headers=self.headers)


def client_key(request: Request) -> str:
    """The client's address; behind a proxy uvicorn puts the forwarded one here when trusted."""
    return request.client.host if request.client else "unknown"


class Api:
    """The API endpoints over one engine; `routes()` wires them."""

    def __init__(self, engine: Engine, settings: WebSettings) -> None:
        self.engine = engine
        self.settings = settings
        self.limiter = RateLimiter(settings.rate_limit)
        self.random = random.Random()
        texts = engine.intents.response
        # The engine's own wording for the two refusals it shares with other front ends.
        self.messages = dict(MESSAGES)
        for key in ("rate_limited", "too_long"):
            if texts(key):
                self.messages[key] = texts(key)

    def routes(self) -> list[Route]:
        return [
            Route("/api/ask", self.ask, methods=["POST"]),
            Route("/api/answer-entry", self.answer_entry, methods=["POST"]),
            Route("/api/sources", self.sources, methods=["GET"]),
            Route("/api/contacts", self.contacts, methods=["GET"]),
            Route("/api/ui", self.ui, methods=["GET"]),
            Route("/api/quiz/next", self.quiz_next, methods=["GET"]),
            Route("/api/quiz/answer", self.quiz_answer, methods=["POST"]),
            Route("/api/health", self.health, methods=["GET"]),
        ]

    # -- request checks ------------------------------------------------------------------------

    def _limit(self, request: Request) -> None:
        wait = self.limiter.retry_after(client_key(request))
        if wait:
            error = ApiError(429, "rate_limited", self.messages["rate_limited"], retry_after=wait)
            error.headers["Retry-After"] = str(wait)
            raise error

    async def _json_object(self, request: Request) -> dict[str, Any]:
        """The request body as a JSON object, refusing wrong types, oversize and bad syntax."""
        media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if media_type != "application/json":
            raise ApiError(415, "unsupported_media_type", MESSAGES["unsupported_media_type"])
        limit = self.settings.max_body_bytes
        too_large = ApiError(
            413, "body_too_large", MESSAGES["body_too_large"].format(limit=limit), limit=limit
        )
        declared = request.headers.get("content-length")
        if declared is not None:
            if not declared.isdigit():
                raise ApiError(400, "bad_json", MESSAGES["bad_json"])
            if int(declared) > limit:
                raise too_large
        # Read in chunks so a body without Content-Length (chunked) is cut off at the limit too.
        chunks: list[bytes] = []
        size = 0
        try:
            async for chunk in request.stream():
                size += len(chunk)
                if size > limit:
                    raise too_large
                chunks.append(chunk)
        except ClientDisconnect:
            raise ApiError(400, "bad_json", MESSAGES["bad_json"]) from None
        try:
            data = json.loads(b"".join(chunks).decode("utf-8"))
        except (ValueError, RecursionError):  # bad UTF-8/JSON, huge ints, deep nesting
            raise ApiError(400, "bad_json", MESSAGES["bad_json"]) from None
        if not isinstance(data, dict):
            raise ApiError(422, "not_an_object", MESSAGES["not_an_object"])
        return data

    def _question(self, data: dict[str, Any], required: bool = True) -> str:
        """The `question` field: a string, encodable as UTF-8, at most the length limit."""
        if "question" not in data and not required:
            return ""
        question = data.get("question")
        if not isinstance(question, str):
            raise ApiError(422, "missing_question", MESSAGES["missing_question"])
        try:
            question.encode("utf-8")
        except UnicodeEncodeError:  # lone surrogates sent as "\ud800" escapes
            raise ApiError(422, "bad_text", MESSAGES["bad_text"]) from None
        limit = self.settings.max_question_chars
        if len(question) > limit:
            message = self.messages["too_long"].format(limit=limit)
            raise ApiError(422, "too_long", message, limit=limit)
        return question

    # -- endpoints -----------------------------------------------------------------------------
    # The engine answers in about a millisecond of pure CPU work, so handlers call it directly
    # on the event loop: a thread-pool hop would cost about as much as the answer, buys no
    # parallelism under the GIL, and keeping every call on one thread means the engine (and its
    # search cache) is never entered concurrently.

    async def ask(self, request: Request) -> JSONResponse:
        self._limit(request)
        data = await self._json_object(request)
        question = self._question(data)
        return JSONResponse(self.reply_json(self.engine.answer(question)))

    async def answer_entry(self, request: Request) -> JSONResponse:
        """A suggestion chip was clicked: the answer for that entry."""
        self._limit(request)
        data = await self._json_object(request)
        entry = data.get("entry")
        if not isinstance(entry, str) or not entry or len(entry) > MAX_ID_CHARS:
            raise ApiError(422, "missing_entry", MESSAGES["missing_entry"])
        if entry not in self.engine.kb.entries:
            raise ApiError(422, "unknown_entry", MESSAGES["unknown_entry"])
        question = self._question(data, required=False)
        return JSONResponse(self.reply_json(self.engine.answer_entry(entry, question)))

    async def sources(self, request: Request) -> JSONResponse:
        self._limit(request)
        kb = self.engine.kb
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
        self._limit(request)
        kb = self.engine.kb
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
                "citation": asdict(citation(kb, c.source, c.locator, c.id)),
            }
            for c in kb.contacts.values()
        ]
        return JSONResponse({"contacts": contacts})

    async def ui(self, request: Request) -> JSONResponse:
        """Texts the pages show before any question: the greeting and example questions."""
        texts = self.engine.intents.response
        examples = [line.strip() for line in texts("web_examples").splitlines() if line.strip()]
        labels = asdict(self.engine.compose.labels)
        for key in ("web_show_passage", "web_pending", "web_examples_hint"):
            labels[key.removeprefix("web_")] = texts(key)
        return JSONResponse({"greeting": texts("greeting"), "examples": examples, "labels": labels})

    async def quiz_next(self, request: Request) -> JSONResponse:
        """A random practice question, without its answer; `exclude` skips ids already seen."""
        self._limit(request)
        quiz = self.engine.kb.quiz
        if not quiz:
            raise ApiError(404, "empty_quiz", MESSAGES["empty_quiz"])
        raw = request.query_params.get("exclude", "")
        seen = set(raw.split(",")[:MAX_EXCLUDE]) if raw else set()
        pool = [qid for qid in quiz if qid not in seen] or list(quiz)
        q = quiz[self.random.choice(pool)]
        return JSONResponse(
            {
                "id": q.id,
                "question": q.question,
                "options": list(q.options),
                "difficulty": q.difficulty,
                "total": len(quiz),
                "remaining": len(pool) - 1,
            }
        )

    async def quiz_answer(self, request: Request) -> JSONResponse:
        self._limit(request)
        data = await self._json_object(request)
        qid, choice = data.get("id"), data.get("choice")
        if not isinstance(qid, str) or len(qid) > MAX_ID_CHARS:
            raise ApiError(422, "missing_quiz_id", MESSAGES["missing_quiz_id"])
        q = self.engine.kb.quiz.get(qid)
        if q is None:
            raise ApiError(422, "unknown_quiz", MESSAGES["unknown_quiz"])
        last = len(q.options) - 1
        # bool is an int in Python; `true` is not an option number.
        if isinstance(choice, bool) or not isinstance(choice, int) or not 0 <= choice <= last:
            raise ApiError(422, "bad_choice", MESSAGES["bad_choice"].format(last=last))
        cite = citation(self.engine.kb, q.source, q.locator, q.id)
        return JSONResponse(
            {
                "id": q.id,
                "choice": choice,
                "correct": choice == q.answer,
                "answer": q.answer,
                "answer_text": q.options[q.answer],
                "explanation": q.explanation,
                "citation": asdict(cite),
                "source_line": f"来源：{cite.line}",
            }
        )

    async def health(self, request: Request) -> JSONResponse:
        kb = self.engine.kb
        return JSONResponse(
            {
                "status": "ok",
                "entries": len(kb.entries),
                "sources": len(kb.sources) + len(kb.laws),
                "contacts": len(kb.contacts),
                "quiz": len(kb.quiz),
            }
        )

    # -- rendering -----------------------------------------------------------------------------

    def reply_json(self, reply: Reply) -> dict[str, Any]:
        """`reply.to_json()`: the structured blocks the page renders, and the plain text."""
        return reply.to_json()
