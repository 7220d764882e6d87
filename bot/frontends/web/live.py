"""The live quiz over HTTP: `/live` (phones), `/live/host/{pin}` (the projector) and
`/api/live/…`, thin handlers over `bot.live.LiveService` (the application layer).

Who is who: an administrator creates a game with `Authorization: Bearer $BOT_ADMIN_TOKEN`;
the host acts with the game's `X-Host-Key`; a player with `Authorization: Bearer <token>`
from joining. Limits (bot/frontends/web/live_limits.py) are per player token, per game and
a generous cap per IP address, not the chat API's per-IP limit: a whole hall behind one NAT
plays.
"""

from __future__ import annotations

import hmac
from typing import Any

from fastapi import APIRouter, FastAPI
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse

from bot.app import Assistant
from bot.frontends.web import live_models as m
from bot.frontends.web.api import json_body
from bot.frontends.web.errors import refusal
from bot.frontends.web.inputs import json_object
from bot.frontends.web.live_inputs import answer_of, bearer, join_of, version_of
from bot.frontends.web.live_limits import LiveLimits, live_refusal
from bot.frontends.web.live_pages import optional_body, page, qr_svg
from bot.frontends.web.live_stream import HEADERS, host_events, player_events
from bot.live import GameView, LiveError, LiveService, Player, Refused, views
from bot.live.game import host_url, join_url, valid_pin
from bot.settings import Settings

MAX_BODY = 4096
HOST_HEADER = "x-host-key"


class LiveApi:
    """The live quiz endpoints over one assistant's `live` service."""

    def __init__(
        self,
        assistant: Assistant,
        admin_token: str | None,
        limits: LiveLimits | None = None,
        base_url: str | None = None,
    ) -> None:
        self.assistant = assistant
        self.admin_token = admin_token or ""
        self.limits = limits or LiveLimits.from_env()
        self.base_url = base_url

    # -- plumbing -------------------------------------------------------------------------------

    async def live(self) -> LiveService:
        live = getattr(self.assistant, "live", None)
        if live is None:
            raise live_refusal(503, "live_unavailable")
        await live.prepare()
        return live

    def base(self, request: Request) -> str:
        return (self.base_url or str(request.base_url)).rstrip("/")

    def join_url(self, request: Request, game: GameView) -> str:
        return game.join_link(self.base(request))

    async def game(self, request: Request, pin: str) -> tuple[LiveService, GameView]:
        self.limits.by_ip(request)
        if not valid_pin(pin):
            raise live_refusal(404, "live_not_found")
        live = await self.live()
        game = await live.game(pin)
        if game is None:
            raise live_refusal(404, "live_not_found")
        return live, game

    async def player(self, request: Request, pin: str) -> tuple[LiveService, GameView, Player]:
        live, game = await self.game(request, pin)
        token = bearer(request)
        player = await live.player(game, token)
        if player is None:
            error = live_refusal(401, "live_no_player")
            error.headers["WWW-Authenticate"] = "Bearer"
            raise error
        self.limits.by_token(token)
        return live, game, player

    async def host(self, request: Request, pin: str) -> tuple[LiveService, GameView]:
        live, game = await self.game(request, pin)
        if not live.is_host(game, request.headers.get(HOST_HEADER)):
            raise live_refusal(403, "live_not_host")
        return live, game

    # -- routes ---------------------------------------------------------------------------------

    def router(self) -> APIRouter:
        r = APIRouter(tags=["live"])
        add = r.add_api_route
        add(
            "/api/live",
            self.create,
            methods=["POST"],
            status_code=201,
            response_model=m.CreatedGame,
            summary="Create a live game (admin token required)",
            openapi_extra=json_body(m.CreateGameRequest),
            responses={401: {"description": "no or wrong admin token"}},
        )
        add("/api/live/{pin}", self.info, response_model=m.GameInfo, summary="Does this PIN exist")
        add(
            "/api/live/{pin}/players",
            self.join,
            methods=["POST"],
            response_model=m.JoinedPlayer,
            summary="Join a game with a nickname",
            openapi_extra=json_body(m.JoinRequest),
        )
        add(
            "/api/live/{pin}/state",
            self.state,
            response_model=m.PlayerState,
            summary="The player's view (Authorization: Bearer <token>); poll it as a fallback",
        )
        add(
            "/api/live/{pin}/answers",
            self.answer,
            methods=["POST"],
            response_model=m.AnswerReply,
            summary="Answer the open question (counted once)",
            openapi_extra=json_body(m.AnswerRequest),
        )
        add(
            "/api/live/{pin}/events",
            self.events,
            summary="Server-sent events: `state` whenever it changes (player token or X-Host-Key)",
            response_class=StreamingResponse,
            responses={200: {"content": {"text/event-stream": {}}}},
        )
        add(
            "/api/live/{pin}/host",
            self.host_view,
            response_model=m.HostState,
            summary="The host screen's view (X-Host-Key)",
        )
        for action in ("start", "next", "pause", "resume", "end"):
            add(
                f"/api/live/{{pin}}/{action}",
                self.action(action),
                methods=["POST"],
                response_model=m.HostState,
                summary=f"Host action: {action} (X-Host-Key)",
                openapi_extra=optional_body(m.HostActionRequest),
                name=f"live_{action}",
            )
        add("/api/live/{pin}/results", self.results, response_model=m.Results, summary="Results")
        add(
            "/api/live/{pin}/qr.svg",
            self.qr,
            summary="QR code of the join link (SVG)",
            response_class=Response,
            responses={200: {"content": {"image/svg+xml": {}}}},
        )
        return r

    # -- handlers -------------------------------------------------------------------------------

    async def create(self, request: Request) -> JSONResponse:
        self.limits.by_ip(request)
        given = bearer(request)
        if not self.admin_token:
            raise refusal(404, "not_found")
        if not given or not hmac.compare_digest(given.encode(), self.admin_token.encode()):
            error = refusal(401, "unauthorized")
            error.headers["WWW-Authenticate"] = "Bearer"
            raise error
        data = await json_object(request, MAX_BODY)
        try:
            body = m.CreateGameRequest.model_validate(data)
        except ValueError:
            raise live_refusal(422, "bad_game") from None
        live = await self.live()
        created = await live.create_game(
            body.questions, body.seconds, join_base=self.base_url or None
        )
        base = self.base(request)
        return JSONResponse(
            {
                "pin": created.pin,
                "host_key": created.host_key,
                "join_url": join_url(base, created.pin),
                "host_url": host_url(base, created.pin, created.host_key),
            },
            status_code=201,
        )

    async def info(self, request: Request, pin: str) -> JSONResponse:
        live, game = await self.game(request, pin)
        return JSONResponse(
            {
                "pin": game.pin,
                "status": game.phase(live.clock()),
                "players": await live.player_count(game),
                "total": game.total,
            }
        )

    async def join(self, request: Request, pin: str) -> JSONResponse:
        live, game = await self.game(request, pin)
        self.limits.joining(game.id)
        name, token = join_of(await json_object(request, MAX_BODY))
        joined = await live.join(game, name, token)
        return JSONResponse(
            {"player_id": joined.player.id, "token": joined.token, "name": joined.player.name},
            status_code=201 if joined.new else 200,
        )

    async def state(self, request: Request, pin: str) -> JSONResponse:
        live, game, player = await self.player(request, pin)
        return JSONResponse(await views.player_state(live, game, player))

    async def answer(self, request: Request, pin: str) -> JSONResponse:
        live, game, player = await self.player(request, pin)
        question, options = answer_of(await json_object(request, MAX_BODY))
        result = await live.answer(game, player, question, options)
        return JSONResponse(result.to_json())

    async def events(self, request: Request, pin: str) -> StreamingResponse:
        live, game = await self.game(request, pin)
        if request.headers.get(HOST_HEADER):
            if not live.is_host(game, request.headers.get(HOST_HEADER)):
                raise live_refusal(403, "live_not_host")
            stream = host_events(live, game, self.join_url(request, game))
        else:
            live, game, player = await self.player(request, pin)
            stream = player_events(live, game, player)
        return StreamingResponse(stream, media_type="text/event-stream", headers=HEADERS)

    async def host_view(self, request: Request, pin: str) -> JSONResponse:
        live, game = await self.host(request, pin)
        return JSONResponse(await views.host_state(live, game, self.join_url(request, game)))

    def action(self, name: str) -> Any:
        async def act(request: Request, pin: str) -> JSONResponse:
            live, game = await self.host(request, pin)
            version = await version_of(request, MAX_BODY)
            try:
                game = await live.act(game, name, version=version)
            except Refused as exc:
                raise live_refusal(409, exc.code) from None
            return JSONResponse(await views.host_state(live, game, self.join_url(request, game)))

        act.__name__ = f"live_{name}"
        return act

    async def results(self, request: Request, pin: str) -> JSONResponse:
        live, game = await self.game(request, pin)
        return JSONResponse(await views.results(live, game))

    async def qr(self, request: Request, pin: str) -> Response:
        _, game = await self.game(request, pin)
        return Response(qr_svg(self.join_url(request, game)), media_type="image/svg+xml")


async def _live_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, LiveError)
    return live_refusal(exc.status, exc.code).response()


def mount(app: FastAPI, assistant: Assistant, admin_token: str | None = None) -> LiveApi:
    """Serve the live quiz on `app`: its pages, its API and its refusals."""
    # Behind a proxy (a path prefix, another host name) the links a game hands out and its QR
    # code use BOT_LIVE_BASE_URL; without it, the address the request came to.
    api = LiveApi(assistant, admin_token, base_url=Settings.from_env().live_base_url)
    app.add_api_route("/live", page("live.html"), include_in_schema=False)
    app.add_api_route("/live/host/{pin}", page("host.html"), include_in_schema=False)
    app.include_router(api.router())
    app.add_exception_handler(LiveError, _live_error)
    app.state.live_api = api
    return api
