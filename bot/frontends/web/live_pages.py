"""The live quiz's pages and pictures: the two HTML pages (static files, no build step) and
the join link's QR code, drawn on the server by segno as an SVG (no CDN, no script: the
pages' content security policy allows images from this origin only)."""

from __future__ import annotations

import io
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from pydantic import BaseModel
from starlette.requests import Request
from starlette.responses import FileResponse, Response

from bot.frontends.web.api import json_body

STATIC = Path(__file__).resolve().parent / "static"


def page(name: str) -> Callable[[Request], Awaitable[Response]]:
    path = STATIC / name

    async def serve(request: Request) -> Response:
        return FileResponse(path, media_type="text/html; charset=utf-8")

    return serve


def qr_svg(url: str) -> bytes:
    """The QR code of `url` as an SVG document (error correction M: a projector's glare or a
    phone held at an angle still reads it)."""
    import segno

    buffer = io.BytesIO()
    segno.make(url, error="m").save(
        buffer, kind="svg", xmldecl=False, scale=10, border=2, title="扫码加入竞赛"
    )
    return buffer.getvalue()


def optional_body(model: type[BaseModel]) -> dict[str, Any]:
    """The OpenAPI request body of an endpoint whose JSON body may be left out."""
    body = json_body(model)
    body["requestBody"]["required"] = False
    return body
