"""The callback endpoints: `/wechat` (official account) and `/wecom` (WeCom app).

GET is the platform's verification handshake. POST is one message: the body is read up to a
limit, the callback verified and opened (protocol.py), handled once per message however often
it is delivered (deliveries.py) by the shared conversation, and answered by passive reply
within the platform's five seconds. Refusals are a bare status with a one-word body and one
log line without any user id: 403 for a wrong signature or a timestamp more than five
minutes off, 413 for an oversized body, 400 for anything malformed.
"""

from __future__ import annotations

import hashlib
import logging

from fastapi import APIRouter
from starlette.requests import ClientDisconnect, Request
from starlette.responses import PlainTextResponse, Response

from bot.app import Assistant
from bot.frontends.wechat.conversation import PASSAGE_PATH, Conversation
from bot.frontends.wechat.deliveries import Deliveries
from bot.frontends.wechat.errors import Refused
from bot.frontends.wechat.pages import passage_page
from bot.frontends.wechat.protocol import Parsed, Protocol
from bot.frontends.wechat.settings import WeChatSettings
from bot.storage.deliveries import DeliveryLog

_LOGGER = logging.getLogger(__name__)
_WORDS = {400: "bad request", 403: "forbidden", 413: "too large"}


def refusal(channel: str, refused: Refused) -> Response:
    _LOGGER.info("%s callback refused (%d): %s", channel, refused.status, refused.reason)
    return PlainTextResponse(_WORDS.get(refused.status, "refused"), refused.status)


async def read_body(request: Request, limit: int) -> bytes:
    """The body, refused (413) as soon as it exceeds `limit` bytes, declared or streamed."""
    declared = request.headers.get("content-length")
    if declared is not None and (not declared.isdigit() or int(declared) > limit):
        raise Refused(413 if declared.isdigit() else 400, "body too large")
    chunks: list[bytes] = []
    size = 0
    try:
        async for chunk in request.stream():
            size += len(chunk)
            if size > limit:
                raise Refused(413, "body too large")
            chunks.append(chunk)
    except ClientDisconnect:
        raise Refused(400, "client disconnected") from None
    return b"".join(chunks)


class Callback:
    """One account's endpoints over the shared conversation and delivery record."""

    def __init__(
        self,
        protocol: Protocol,
        conversation: Conversation,
        deliveries: Deliveries,
        settings: WeChatSettings,
    ) -> None:
        self.protocol = protocol
        self.conversation = conversation
        self.deliveries = deliveries
        self.settings = settings

    @property
    def channel(self) -> str:
        return self.protocol.channel

    async def verify(self, request: Request) -> Response:
        """The handshake: `echostr` back when the signature is ours and fresh."""
        try:
            echo = self.protocol.handshake(request.query_params)
        except Refused as refused:
            return refusal(self.channel, refused)
        return PlainTextResponse(echo)

    async def receive(self, request: Request) -> Response:
        """One message: its passive reply (the same for every delivery of it)."""
        query = request.query_params
        try:
            self.protocol.fresh(query)
            body = await read_body(request, self.settings.max_body_bytes)
            opened = self.protocol.open(query, body)
            parsed = self.protocol.parse(opened.xml)
        except Refused as refused:
            return refusal(self.channel, refused)
        base_url = str(request.base_url)

        async def answer() -> str:
            outbound = await self.conversation.handle(parsed.inbound, base_url)
            return self.protocol.reply(parsed, outbound)

        xml = await self.deliveries.once(self.delivery_key(parsed), answer, "")
        sealed = self.protocol.seal(xml, opened)
        media_type = "application/xml; charset=utf-8" if xml else "text/plain; charset=utf-8"
        return Response(sealed, media_type=media_type)

    def delivery_key(self, parsed: Parsed) -> str:
        """What tells one message from another: its MsgId, or for an event (which has none)
        its sender, time, event and key, as the platform recommends."""
        if parsed.msg_id:
            return f"{self.channel}:{parsed.msg_id}"
        inbound = parsed.inbound
        user = self.conversation.user_key(f"{inbound.channel}:{inbound.user}")
        what = hashlib.sha256(
            f"{inbound.kind}|{inbound.event}|{inbound.key}|{inbound.text}".encode()
        )
        return f"{self.channel}:{user}:{parsed.created}:{what.hexdigest()[:16]}"


def router(assistant: Assistant, settings: WeChatSettings) -> APIRouter:
    """The callbacks that `settings` turn on, and the passage page their long answers link
    to; one conversation (dialogue state, rate limit) and one delivery record for both."""
    conversation = Conversation(assistant, settings)
    database = assistant.database
    deliveries = Deliveries(log=DeliveryLog(database) if database is not None else None)
    r = APIRouter()
    for account in settings.accounts:
        protocol = Protocol(account, max_skew=settings.max_clock_skew)
        callback = Callback(protocol, conversation, deliveries, settings)
        r.add_api_route(account.path, callback.verify, methods=["GET"], include_in_schema=False)
        r.add_api_route(account.path, callback.receive, methods=["POST"], include_in_schema=False)

    async def passage(entry_id: str) -> Response:
        return passage_page(assistant, entry_id)

    r.add_api_route(
        PASSAGE_PATH + "{entry_id:path}", passage, methods=["GET"], include_in_schema=False
    )
    return r
