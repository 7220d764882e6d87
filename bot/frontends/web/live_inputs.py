"""Reading the live quiz's requests: who is asking, and the fields of its small JSON bodies.
Anything malformed is an `ApiError` (422 with a Chinese message), never a traceback."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request

from bot.frontends.web.inputs import json_object
from bot.frontends.web.live_limits import live_refusal

MAX_RAW_NAME = 200  # characters sent; the stored nickname is cut to 16 (bot.live.game)
MAX_OPTIONS = 8


def _integer(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)  # `true` is not a number


def bearer(request: Request) -> str:
    """The token of `Authorization: Bearer <token>`, or ""."""
    scheme, _, given = request.headers.get("authorization", "").partition(" ")
    return given.strip() if scheme.lower() == "bearer" else ""


def join_of(data: dict[str, Any]) -> tuple[str, str | None]:
    name, token = data.get("name"), data.get("token")
    if not isinstance(name, str) or len(name) > MAX_RAW_NAME:
        raise live_refusal(422, "bad_name")
    if token is not None and not isinstance(token, str):
        raise live_refusal(422, "bad_token")
    return name, token


def answer_of(data: dict[str, Any]) -> tuple[int, list[int]]:
    question, options = data.get("question_id"), data.get("option_ids")
    if (
        not _integer(question)
        or not isinstance(options, list)
        or not 1 <= len(options) <= MAX_OPTIONS
        or not all(_integer(o) for o in options)
        or len(set(options)) != len(options)
    ):
        raise live_refusal(422, "bad_answer")
    return question, options


async def version_of(request: Request, limit: int) -> int | None:
    """A host action's optional `{"version": n}`; no body at all is fine."""
    if request.headers.get("content-length", "0") in ("", "0"):
        return None
    version = (await json_object(request, limit)).get("version")
    if version is not None and not _integer(version):
        raise live_refusal(422, "bad_version")
    return version
