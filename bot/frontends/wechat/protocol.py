"""The callback protocol of official accounts and WeCom apps, done by wechatpy.

wechatpy checks signatures (SHA1 of the sorted token, timestamp, nonce and, in safe mode,
the ciphertext), decrypts and encrypts (AES-256-CBC, key from the EncodingAESKey, the
AppID/CorpID checked inside every message), parses messages and renders replies. What this
module adds is refusing what is not a genuine, fresh, well-formed callback before any of
that: a timestamp more than five minutes off (a replay), a body with a DTD, malformed XML.
Every refusal is a `Refused` with its status; nothing here lets an exception through.

Official accounts: the GET handshake is signed in plain (`signature`) and echoes `echostr`
as sent; messages come in plain, or in safe mode (`encrypt_type=aes`, `msg_signature`) and
are then answered encrypted. WeCom apps: everything is encrypted, the handshake's `echostr`
too (it is answered decrypted).
"""

from __future__ import annotations

import re
import secrets
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from wechatpy import parser as official_parser
from wechatpy import replies as official_replies
from wechatpy.crypto import WeChatCrypto
from wechatpy.enterprise import parser as wecom_parser
from wechatpy.enterprise import replies as wecom_replies
from wechatpy.enterprise.crypto import WeChatCrypto as WeComCrypto
from wechatpy.exceptions import InvalidSignatureException, WeChatException
from wechatpy.utils import check_signature

from bot.frontends.wechat import xmlsafe
from bot.frontends.wechat.errors import Refused
from bot.frontends.wechat.links import live_game_link
from bot.frontends.wechat.messages import EVENT, TEXT, Inbound, Link, Outbound
from bot.frontends.wechat.settings import Account

# Characters XML 1.0 cannot carry, even in CDATA.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_DIGITS = re.compile(r"\d{1,12}")
_MSG_ID = re.compile(r"\d{1,24}")  # a 64-bit number
# Longest query parameter we look at (signatures are 40 hex digits, nonces ~10 digits,
# a WeCom echostr a few hundred base64 characters).
MAX_PARAM = 1024


def xml_text(value: str) -> str:
    """Text safe inside the CDATA sections wechatpy renders: characters XML cannot hold
    removed, and `]]>` split across two sections."""
    return _NOT_XML.sub("", value).replace("]]>", "]]]]><![CDATA[>")


@dataclass(frozen=True)
class Opened:
    """A verified callback's message XML, and whether it came (and is answered) encrypted."""

    xml: str
    encrypted: bool


@dataclass(frozen=True)
class Parsed:
    """A message as the conversation sees it, with what tells its deliveries apart."""

    message: Any  # the wechatpy message object (for the reply's addressing)
    inbound: Inbound
    msg_id: str  # MsgId; empty for events
    created: str  # CreateTime


def _param(query: Mapping[str, str], name: str, status: int = 403) -> str:
    value = query.get(name) or ""
    if not value or len(value) > MAX_PARAM:
        raise Refused(status, f"missing {name}")
    return value


class Protocol:
    """One account's callback: handshake, opening a message, and sealing the reply."""

    def __init__(
        self, account: Account, *, max_skew: int = 300, clock: Callable[[], float] = time.time
    ) -> None:
        self.account = account
        self.channel = account.channel
        self.max_skew = max_skew
        self.clock = clock
        self.crypto: WeChatCrypto | WeComCrypto | None = None
        if account.aes_key is not None:
            kind = WeComCrypto if account.channel == "wecom" else WeChatCrypto
            self.crypto = kind(account.token, account.aes_key, account.app_id)

    @property
    def wecom(self) -> bool:
        return self.channel == "wecom"

    # -- checks ----------------------------------------------------------------------------

    def fresh(self, query: Mapping[str, str]) -> str:
        """The request's timestamp, refused when it is not within `max_skew` of our clock."""
        timestamp = _param(query, "timestamp")
        if not _DIGITS.fullmatch(timestamp):
            raise Refused(403, "bad timestamp")
        if abs(self.clock() - int(timestamp)) > self.max_skew:
            raise Refused(403, "stale timestamp")
        return timestamp

    def _decrypt(self, call: Callable[[], str]) -> str:
        try:
            return call()
        except InvalidSignatureException:
            raise Refused(403, "bad signature") from None
        except WeChatException:  # the AppID/CorpID inside is not ours
            raise Refused(403, "message for another account") from None
        except Exception:  # bad base64, padding, length, UTF-8: not a WeChat ciphertext
            raise Refused(400, "undecryptable message") from None

    # -- the handshake (GET) ---------------------------------------------------------------

    def handshake(self, query: Mapping[str, str]) -> str:
        """What the GET verification must answer: `echostr`, decrypted for WeCom."""
        timestamp = self.fresh(query)
        nonce = _param(query, "nonce")
        echo = _param(query, "echostr", 400)
        if self.wecom:
            assert isinstance(self.crypto, WeComCrypto)
            crypto = self.crypto
            signature = _param(query, "msg_signature")
            return self._decrypt(lambda: crypto.check_signature(signature, timestamp, nonce, echo))
        try:
            check_signature(self.account.token, _param(query, "signature"), timestamp, nonce)
        except InvalidSignatureException:
            raise Refused(403, "bad signature") from None
        return echo

    # -- a message (POST) ------------------------------------------------------------------

    def open(self, query: Mapping[str, str], body: bytes) -> Opened:
        """The message XML of a verified callback (decrypted in safe mode)."""
        timestamp = self.fresh(query)
        nonce = _param(query, "nonce")
        encrypted = self.wecom or (query.get("encrypt_type") or "").lower() == "aes"
        if not encrypted:
            try:
                check_signature(self.account.token, _param(query, "signature"), timestamp, nonce)
            except InvalidSignatureException:
                raise Refused(403, "bad signature") from None
            return Opened(xmlsafe.decode(body), False)
        if self.crypto is None:
            raise Refused(400, "safe mode is not configured (WECHAT_ENCODING_AES_KEY)")
        crypto = self.crypto
        signature = _param(query, "msg_signature")
        outer = xmlsafe.fields(xmlsafe.decode(body))
        xmlsafe.text_field(outer, "Encrypt")
        xml = self._decrypt(lambda: crypto.decrypt_message(outer, signature, timestamp, nonce))
        return Opened(xml, True)

    def parse(self, xml: str) -> Parsed:
        """The message, refused unless it is a well-formed WeChat message."""
        root = xmlsafe.fields(xml)
        user = xmlsafe.text_field(root, "FromUserName")
        msg_type = xmlsafe.text_field(root, "MsgType").lower()
        parse = wecom_parser.parse_message if self.wecom else official_parser.parse_message
        try:
            message = parse(xml)
        except Exception:  # a field of the wrong shape
            raise Refused(400, "malformed message") from None

        def text(name: str) -> str:
            value = root.get(name)
            return value if isinstance(value, str) else ""

        if msg_type == TEXT:
            inbound = Inbound(self.channel, user, TEXT, text=text("Content"))
        elif msg_type == EVENT:
            event = (getattr(message, "event", "") or text("Event")).lower()
            inbound = Inbound(self.channel, user, EVENT, event=event, key=text("EventKey"))
        else:
            inbound = Inbound(self.channel, user, msg_type[:32])
        msg_id = text("MsgId") if _MSG_ID.fullmatch(text("MsgId")) else ""
        return Parsed(message, inbound, msg_id, text("CreateTime")[:20])

    # -- the reply -------------------------------------------------------------------------

    def reply(self, parsed: Parsed, outbound: Outbound) -> str:
        """The plaintext reply XML for `outbound` (empty for no reply)."""
        create = wecom_replies.create_reply if self.wecom else official_replies.create_reply
        if outbound.link is not None:
            return str(create([article(outbound.link)], parsed.message).render())
        if outbound.text:
            return str(create(xml_text(outbound.text), parsed.message).render())
        return ""

    def seal(self, xml: str, opened: Opened) -> str:
        """What the response body carries: `success` for no reply, the reply XML as it is in
        plaintext mode, encrypted and signed in safe mode."""
        if not xml:
            return "success"
        if not opened.encrypted or self.crypto is None:
            return xml
        nonce = str(secrets.randbelow(10**10))
        timestamp = str(int(self.clock()))
        return str(self.crypto.encrypt_message(xml, nonce, timestamp))


def article(link: Link) -> dict[str, str]:
    """A link card as the one article of a news reply, in wechatpy's field names."""
    return {
        "title": xml_text(link.title),
        "description": xml_text(link.description),
        "image": xml_text(link.image),
        "url": xml_text(link.url),
    }


def link_message(
    url: str,
    title: str,
    *,
    to_user: str,
    from_user: str,
    description: str = "",
    agent_id: int | None = None,
) -> str:
    """The plaintext news reply XML of a link card to `url` (a live game), for an official
    account or, with `agent_id`, a WeCom app; seal it like any reply."""
    link = live_game_link(url, title, description).link
    assert link is not None
    if agent_id is None:
        reply: Any = official_replies.ArticlesReply(
            source=from_user, target=to_user, articles=[article(link)]
        )
    else:
        reply = wecom_replies.ArticlesReply(
            source=from_user, target=to_user, agent=agent_id, articles=[article(link)]
        )
    return str(reply.render())
