"""The OpenAPI 3.1 description of the HTTP API, written by hand.

Starlette generates no schema of its own, and the API is small; a literal document is easier
to read and review than decorators. A test checks that every API route is described here and
nothing else.
"""

from __future__ import annotations

from typing import Any

from bot.frontends.web.settings import WebSettings


def _error(description: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
    }


def _json(schema: str, description: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{schema}"}}},
    }


def _body(schema: str) -> dict[str, Any]:
    return {
        "required": True,
        "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{schema}"}}},
    }


def openapi(settings: WebSettings) -> dict[str, Any]:
    """The document served at /openapi.json, with the configured limits filled in."""
    rate = settings.rate_limit
    limited = _error(
        f"Too many requests: more than {rate} a minute from one IP."
        if rate
        else "Too many requests (the rate limit is off on this server)."
    )
    post_errors = {
        "400": _error("The body is not valid UTF-8 JSON."),
        "413": _error(f"The body is larger than {settings.max_body_bytes} bytes."),
        "415": _error("Content-Type is not application/json."),
        "422": _error("The JSON is valid but a field is missing, of the wrong type or too long."),
        "429": limited,
    }
    string = {"type": "string"}
    nullable_string = {"type": ["string", "null"]}
    citation = {"$ref": "#/components/schemas/Citation"}
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "条例宣贯助手 API",
            "version": "1",
            "description": (
                "Answers questions on the Hebei IP regulation and its outreach campaign from a "
                "curated knowledge base, always with the source. Every error is JSON with a "
                "Chinese `message`."
            ),
        },
        "paths": {
            "/api/ask": {
                "post": {
                    "summary": "Answer a question",
                    "description": (
                        "The keys of `python -m bot ask --json` (question, kind, intent, text, "
                        "citations, confidence, suggestions) have the same values here; the "
                        "other keys help a page lay the reply out."
                    ),
                    "requestBody": _body("Question"),
                    "responses": {"200": _json("Reply", "The reply."), **post_errors},
                }
            },
            "/api/answer-entry": {
                "post": {
                    "summary": "The answer for a suggestion of a clarify reply",
                    "requestBody": _body("EntryChoice"),
                    "responses": {"200": _json("Reply", "The reply."), **post_errors},
                }
            },
            "/api/sources": {
                "get": {
                    "summary": "The documents the answers cite",
                    "responses": {"200": _json("Sources", "Sources and laws."), "429": limited},
                }
            },
            "/api/contacts": {
                "get": {
                    "summary": "The contact persons of the campaign",
                    "responses": {"200": _json("Contacts", "Every contact."), "429": limited},
                }
            },
            "/api/ui": {
                "get": {
                    "summary": "Greeting and example questions for a chat page",
                    "responses": {"200": _json("UiTexts", "Texts.")},
                }
            },
            "/api/quiz/next": {
                "get": {
                    "summary": "A random practice question, without its answer",
                    "parameters": [
                        {
                            "name": "exclude",
                            "in": "query",
                            "required": False,
                            "description": "Comma-separated ids already asked in this session.",
                            "schema": string,
                        }
                    ],
                    "responses": {
                        "200": _json("QuizQuestion", "A question."),
                        "404": _error("The quiz bank is empty."),
                        "429": limited,
                    },
                }
            },
            "/api/quiz/answer": {
                "post": {
                    "summary": "Check an answer to a practice question",
                    "requestBody": _body("QuizChoice"),
                    "responses": {"200": _json("QuizResult", "The verdict."), **post_errors},
                }
            },
            "/api/health": {
                "get": {
                    "summary": "Liveness and the size of the knowledge base",
                    "responses": {"200": _json("Health", "Up.")},
                }
            },
        },
        "components": {
            "schemas": {
                "Error": {
                    "type": "object",
                    "required": ["error", "message"],
                    "properties": {
                        "error": {"type": "string", "description": "A code for programs."},
                        "message": {"type": "string", "description": "中文, for people."},
                        "retry_after": {"type": "integer", "description": "With 429: seconds."},
                        "limit": {"type": "integer"},
                    },
                },
                "Question": {
                    "type": "object",
                    "required": ["question"],
                    "properties": {
                        "question": {"type": "string", "maxLength": settings.max_question_chars}
                    },
                },
                "EntryChoice": {
                    "type": "object",
                    "required": ["entry"],
                    "properties": {
                        "entry": {"type": "string", "description": "suggestions[].entry"},
                        "question": {
                            "type": "string",
                            "maxLength": settings.max_question_chars,
                            "description": "The question the suggestion answered.",
                        },
                    },
                },
                "Citation": {
                    "type": "object",
                    "required": ["source", "locator", "entry"],
                    "properties": {"source": string, "locator": string, "entry": string},
                },
                "Suggestion": {
                    "type": "object",
                    "required": ["entry", "title"],
                    "properties": {"entry": string, "title": string},
                },
                "ContactCard": {
                    "type": "object",
                    "properties": {
                        "id": string,
                        "name": string,
                        "organization": string,
                        "phone": string,
                        "email": nullable_string,
                        "serves": string,
                    },
                },
                "Reply": {
                    "type": "object",
                    "required": [
                        "question",
                        "kind",
                        "intent",
                        "text",
                        "citations",
                        "confidence",
                        "suggestions",
                    ],
                    "properties": {
                        "question": string,
                        "kind": {"enum": ["answer", "clarify", "smalltalk", "fallback"]},
                        "intent": string,
                        "text": {
                            "type": "string",
                            "description": "Plain text: body, a blank line, 来源：….",
                        },
                        "citations": {"type": "array", "items": citation},
                        "confidence": {"type": "number"},
                        "suggestions": {
                            "type": "array",
                            "items": {"$ref": "#/components/schemas/Suggestion"},
                        },
                        "body": {"type": "string", "description": "`text` without the source."},
                        "message": {
                            "type": "string",
                            "description": "`body` without suggestion lines or contact cards.",
                        },
                        "source_line": {"type": "string", "description": "来源：…, or empty."},
                        "passage": {
                            "type": ["string", "null"],
                            "description": "The full cited passage (查看原文).",
                        },
                        "contacts": {
                            "type": "array",
                            "items": {"$ref": "#/components/schemas/ContactCard"},
                        },
                    },
                },
                "Sources": {
                    "type": "object",
                    "properties": {
                        "sources": {"type": "array", "items": {"type": "object"}},
                        "laws": {"type": "array", "items": {"type": "object"}},
                    },
                },
                "Contacts": {
                    "type": "object",
                    "properties": {"contacts": {"type": "array", "items": {"type": "object"}}},
                },
                "UiTexts": {
                    "type": "object",
                    "properties": {
                        "greeting": string,
                        "examples": {"type": "array", "items": string},
                    },
                },
                "QuizQuestion": {
                    "type": "object",
                    "properties": {
                        "id": string,
                        "question": string,
                        "options": {"type": "array", "items": string},
                        "difficulty": {"type": "integer"},
                        "total": {"type": "integer"},
                        "remaining": {"type": "integer"},
                    },
                },
                "QuizChoice": {
                    "type": "object",
                    "required": ["id", "choice"],
                    "properties": {
                        "id": string,
                        "choice": {"type": "integer", "minimum": 0, "description": "0-based."},
                    },
                },
                "QuizResult": {
                    "type": "object",
                    "properties": {
                        "id": string,
                        "choice": {"type": "integer"},
                        "correct": {"type": "boolean"},
                        "answer": {"type": "integer"},
                        "answer_text": string,
                        "explanation": string,
                        "citation": citation,
                        "source_line": string,
                    },
                },
                "Health": {
                    "type": "object",
                    "properties": {
                        "status": {"const": "ok"},
                        "entries": {"type": "integer"},
                        "sources": {"type": "integer"},
                        "contacts": {"type": "integer"},
                        "quiz": {"type": "integer"},
                    },
                },
            }
        },
    }
