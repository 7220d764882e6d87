"""Practice on the web through the quiz service: the questions Telegram practises with
(the bank and those generated from the knowledge base), options shuffled per visitor, each
answer scored once and kept per visitor (a keyed hash of the client token), with the same
explanation and source.

A question handed out is registered like a sent poll, under a random id; the answer names
that id, so the visitor cannot pick the question or see its answer beforehand, and a second
answer to the same question counts once (the database enforces one answer per poll and
user).
"""

from __future__ import annotations

import secrets

from fastapi import APIRouter
from starlette.requests import Request
from starlette.responses import JSONResponse

from bot.app import Assistant
from bot.frontends.web import models
from bot.frontends.web.api import MAX_ID_CHARS, Api, json_body
from bot.frontends.web.errors import ERROR_RESPONSES, refusal
from bot.frontends.web.inputs import json_object, remember, visitor
from bot.quiz import QuizService

# Practice polls of web visitors are kept under this chat id (Telegram's are real chats).
WEB_CHAT = 0
VISITOR_NAME = "网页访客"


class Practice:
    """`GET /api/quiz/next` and `POST /api/quiz/answer` over the quiz service."""

    def __init__(self, assistant: Assistant, api: Api) -> None:
        self.assistant = assistant
        self.api = api

    async def ready_quiz(self) -> QuizService:
        """The quiz service, its tables created on first use."""
        quiz = self.assistant.quiz
        if quiz is None:
            raise refusal(503, "quiz_unavailable")
        await quiz.prepare()
        return quiz

    def router(self) -> APIRouter:
        r = APIRouter()
        r.add_api_route(
            "/api/quiz/next",
            self.next_question,
            response_model=models.QuizQuestionReply,
            summary="The visitor's next practice question",
            responses={404: {"description": "no question in the bank"}},
        )
        r.add_api_route(
            "/api/quiz/answer",
            self.answer,
            methods=["POST"],
            response_model=models.QuizAnswerReply,
            summary="Answer a practice question",
            responses=ERROR_RESPONSES,
            openapi_extra=json_body(models.QuizAnswerRequest),
        )
        return r

    async def next_question(self, request: Request) -> JSONResponse:
        self.api.limit(request)
        token, new = visitor(request)
        quiz = await self.ready_quiz()
        question = await quiz.practice_question(token)
        if question is None:
            raise refusal(404, "empty_quiz")
        poll_id = f"web-{secrets.token_urlsafe(12)}"
        await quiz.register_poll(
            poll_id,
            None,
            WEB_CHAT,
            None,
            question.item,
            question.order,
            question.correct_index,
            quiz.clock(),
            None,
        )
        response = JSONResponse(
            {
                "id": poll_id,
                "question": question.item.question,
                "options": list(question.options),
                "difficulty": question.item.difficulty,
                "total": len(quiz.items()),
            }
        )
        if new:
            remember(response, token, request)
        return response

    async def answer(self, request: Request) -> JSONResponse:
        self.api.limit(request)
        data = await json_object(request, self.api.settings.max_body_bytes)
        poll_id, choice = data.get("id"), data.get("choice")
        if not isinstance(poll_id, str) or not poll_id or len(poll_id) > MAX_ID_CHARS:
            raise refusal(422, "missing_quiz_id")
        quiz = await self.ready_quiz()
        poll = await quiz.get_poll(poll_id)
        if poll is None or poll.chat_id != WEB_CHAT:
            raise refusal(422, "unknown_quiz")
        last = len(poll.options) - 1
        # bool is an int in Python; `true` is not an option number.
        if isinstance(choice, bool) or not isinstance(choice, int) or not 0 <= choice <= last:
            raise refusal(422, "bad_choice", last=last)
        token, new = visitor(request)
        outcome = await quiz.record_answer(poll_id, token, VISITOR_NAME, [choice])
        totals = await quiz.practice_score(token)
        item = quiz.items().get(poll.question_id)
        response = JSONResponse(
            {
                "id": poll_id,
                "choice": choice,
                "correct": choice == poll.correct_index,
                "counted": outcome.counted,
                "answer": poll.correct_index,
                "answer_text": poll.answer,
                "explanation": item.explanation if item is not None else "",
                "source_line": poll.source_line,
                "points": outcome.points,
                "score": totals.correct,
                "answered": totals.answered,
            }
        )
        if new:
            remember(response, token, request)
        return response
