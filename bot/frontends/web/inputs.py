"""Reading what a browser sends: a bounded JSON body, a question, and who the visitor is.

Bodies are read in chunks so a body without Content-Length is cut off at the limit too, and
every malformed input becomes an `ApiError`, never a traceback. A visitor is known by a
random client token (from the page's storage in the `X-Client-Token` header, else a
first-party cookie this front end sets): statistics and practice scores key on its keyed
hash, as they do on Telegram user ids; no address or name is ever stored.
"""

from __future__ import annotations

import asyncio
import json
import re
import secrets
from typing import Any

from starlette.requests import ClientDisconnect, Request
from starlette.responses import Response

from bot.frontends.web.errors import ApiError, message, refusal

# Seconds a client may take to send a request body (a few KB at most).
BODY_TIMEOUT = 10.0
CLIENT_COOKIE = "ipreg_client"
CLIENT_HEADER = "x-client-token"
COOKIE_MAX_AGE = 365 * 24 * 3600
_TOKEN = re.compile(r"[A-Za-z0-9_-]{16,64}")


async def json_object(request: Request, limit: int) -> dict[str, Any]:
    """The request body as a JSON object, refusing wrong types, oversize and bad syntax."""
    media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media_type != "application/json":
        raise refusal(415, "unsupported_media_type")
    declared = request.headers.get("content-length")
    if declared is not None:
        if not declared.isdigit():
            raise refusal(400, "bad_json")
        if int(declared) > limit:
            raise refusal(413, "body_too_large", limit=limit)
    chunks: list[bytes] = []
    size = 0
    try:
        async with asyncio.timeout(BODY_TIMEOUT):  # a body trickling in holds nothing for long
            async for chunk in request.stream():
                size += len(chunk)
                if size > limit:
                    raise refusal(413, "body_too_large", limit=limit)
                chunks.append(chunk)
    except ClientDisconnect:
        raise refusal(400, "bad_json") from None
    except TimeoutError:
        raise refusal(408, "body_timeout") from None
    try:
        data = json.loads(b"".join(chunks).decode("utf-8"))
    except (ValueError, RecursionError):  # bad UTF-8/JSON, huge ints, deep nesting
        raise refusal(400, "bad_json") from None
    if not isinstance(data, dict):
        raise refusal(422, "not_an_object")
    return data


def question_of(
    data: dict[str, Any], limit: int, texts: dict[str, str], *, required: bool = True
) -> str:
    """The `question` field: a string, encodable as UTF-8, at most `limit` characters."""
    if "question" not in data and not required:
        return ""
    question = data.get("question")
    if not isinstance(question, str):
        raise refusal(422, "missing_question")
    try:
        question.encode("utf-8")
    except UnicodeEncodeError:  # lone surrogates sent as "\ud800" escapes
        raise refusal(422, "bad_text") from None
    if len(question) > limit:
        raise ApiError(422, "too_long", message("too_long", texts, limit=limit), limit=limit)
    return question


def client_key(request: Request) -> str:
    """The client's address (rate limits only); behind a proxy uvicorn puts the forwarded
    one here when trusted."""
    return request.client.host if request.client else "unknown"


def visitor(request: Request) -> tuple[str, bool]:
    """The visitor's client token, and whether it is new (then `remember` it)."""
    for raw in (request.headers.get(CLIENT_HEADER), request.cookies.get(CLIENT_COOKIE)):
        if raw and _TOKEN.fullmatch(raw):
            return raw, False
    return secrets.token_urlsafe(24), True


def remember(response: Response, token: str, request: Request) -> None:
    """Set the first-party cookie that keeps a visitor's token across visits."""
    response.set_cookie(
        CLIENT_COOKIE,
        token,
        max_age=COOKIE_MAX_AGE,
        httponly=True,
        samesite="lax",
        secure=request.url.scheme == "https",
    )
