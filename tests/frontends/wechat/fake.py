"""A fake WeChat platform: the side of the callback protocol that Tencent's servers play.

Written from the platform's documentation, independently of wechatpy, so the tests prove the
channel interoperates rather than that wechatpy agrees with itself:

- Signatures: SHA1 (hex) of the sorted, concatenated token, timestamp and nonce (plaintext
  mode: `signature`), plus the ciphertext in safe mode and on WeCom (`msg_signature`).
- Safe mode: AESKey = base64decode(EncodingAESKey + "="), 32 bytes; AES-256-CBC with the
  first 16 bytes of the key as IV; plaintext = random(16) + msg_len (4 bytes, network order)
  + msg + AppID (CorpID on WeCom), padded PKCS#7-style to a multiple of 32 bytes; the
  ciphertext base64. Encrypted messages are posted as `<xml><ToUserName/>[<AgentID/>]
  <Encrypt/></xml>`, and replies come back as `<xml><Encrypt/><MsgSignature/><TimeStamp/>
  <Nonce/></xml>`, which the fake verifies and decrypts.
- Official accounts: the handshake is signed in plain and answered with `echostr` as sent;
  safe-mode messages carry `encrypt_type=aes`. WeCom: everything is encrypted, the
  handshake's `echostr` too, and it is answered decrypted.

Replies are read with the standard library's ElementTree (they come from the server under
test, not from an attacker).
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import os
import secrets
import socket
import struct
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

BLOCK = 32  # WeChat pads to a multiple of 32 bytes (not AES's 16)


def new_aes_key() -> str:
    """A random EncodingAESKey as the platform generates them: 43 base64 characters."""
    return base64.b64encode(os.urandom(32)).decode("ascii").rstrip("=")


def sign(*parts: str) -> str:
    return hashlib.sha1("".join(sorted(parts)).encode("utf-8")).hexdigest()


def cdata(value: str) -> str:
    return "<![CDATA[" + value.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def xml_of(fields: dict[str, str | int]) -> str:
    # Numbers (CreateTime, MsgId, AgentID) bare, text in CDATA, as the platform sends them.
    inner = "".join(
        f"<{name}>{value if isinstance(value, int) else cdata(value)}</{name}>"
        for name, value in fields.items()
    )
    return f"<xml>{inner}</xml>"


def fields_of(xml: str) -> dict[str, str]:
    root = ET.fromstring(xml)
    assert root.tag == "xml", xml
    return {child.tag: (child.text or "") for child in root}


class Cryptor:
    """The platform's message encryption, from the documentation."""

    def __init__(self, encoding_aes_key: str, receive_id: str) -> None:
        self.key = base64.b64decode(encoding_aes_key + "=")
        assert len(self.key) == 32
        self.receive_id = receive_id

    def _cipher(self) -> Cipher[Any]:
        return Cipher(algorithms.AES(self.key), modes.CBC(self.key[:16]))

    def encrypt(self, text: str, receive_id: str | None = None) -> str:
        message = text.encode("utf-8")
        rid = (self.receive_id if receive_id is None else receive_id).encode("utf-8")
        plain = os.urandom(16) + struct.pack(">I", len(message)) + message + rid
        pad = BLOCK - len(plain) % BLOCK
        plain += bytes([pad]) * pad
        encryptor = self._cipher().encryptor()
        return base64.b64encode(encryptor.update(plain) + encryptor.finalize()).decode("ascii")

    def decrypt(self, ciphertext: str) -> str:
        decryptor = self._cipher().decryptor()
        plain = decryptor.update(base64.b64decode(ciphertext)) + decryptor.finalize()
        pad = plain[-1]
        assert 1 <= pad <= BLOCK, "bad padding"
        assert plain[-pad:] == bytes([pad]) * pad, "bad padding"
        content = plain[16:-pad]
        (length,) = struct.unpack(">I", content[:4])
        message, rid = content[4 : 4 + length], content[4 + length :]
        assert rid.decode("utf-8") == self.receive_id, f"reply for {rid!r}"
        return message.decode("utf-8")


@dataclass
class Delivery:
    """One callback as delivered, and what came back."""

    status: int
    body: str
    reply: dict[str, str] = field(default_factory=dict)  # the (decrypted) reply's fields
    seconds: float = 0.0
    xml: str = ""  # the (decrypted) reply

    @property
    def articles(self) -> list[dict[str, str]]:
        """A news reply's articles (Title, Description, PicUrl, Url of each)."""
        if not self.xml:
            return []
        root = ET.fromstring(self.xml)
        return [
            {child.tag: (child.text or "") for child in item}
            for item in root.findall("./Articles/item")
        ]

    @property
    def content(self) -> str:
        return self.reply.get("Content", "")

    @property
    def success(self) -> bool:
        """The platform's "nothing to say" answer (no retry, nothing shown)."""
        return self.status == 200 and self.body in ("", "success")


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    params: dict[str, str]
    content: bytes = b""


class FakeWeChat:
    """Signs, encrypts and delivers callbacks like the platform, and checks the replies."""

    def __init__(
        self,
        base_url: str,
        *,
        token: str,
        aes_key: str | None = None,
        app_id: str = "",
        wecom: bool = False,
        agent_id: int = 1000002,
        path: str | None = None,
        account: str = "gh_fake_account",
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.base_url = base_url
        self.token = token
        self.wecom = wecom
        self.path = path or ("/wecom" if wecom else "/wechat")
        self.agent_id = agent_id
        self.account = app_id if wecom else account
        self.cryptor = Cryptor(aes_key, app_id) if aes_key else None
        self.clock = clock
        self._msg_ids = int(time.time() * 1000) * 1000 + secrets.randbelow(1000)

    @property
    def safe_mode(self) -> bool:
        return self.cryptor is not None

    def next_msg_id(self) -> int:
        self._msg_ids += 1
        return self._msg_ids

    # -- building callbacks ----------------------------------------------------------------

    def handshake_request(self, timestamp: int | None = None) -> tuple[Request, str]:
        """The GET verification, and the text the server must echo."""
        ts = str(int(self.clock()) if timestamp is None else timestamp)
        nonce = str(secrets.randbelow(10**9))
        echo = str(secrets.randbelow(10**18))
        if self.wecom:
            assert self.cryptor is not None
            encrypted = self.cryptor.encrypt(echo)
            params = {
                "msg_signature": sign(self.token, ts, nonce, encrypted),
                "timestamp": ts,
                "nonce": nonce,
                "echostr": encrypted,
            }
        else:
            params = {
                "signature": sign(self.token, ts, nonce),
                "timestamp": ts,
                "nonce": nonce,
                "echostr": echo,
            }
        return Request("GET", self.path, params), echo

    def message_xml(self, user: str, msg_type: str, **fields: str | int) -> str:
        data: dict[str, str | int] = {
            "ToUserName": self.account,
            "FromUserName": user,
            "CreateTime": int(self.clock()),
            "MsgType": msg_type,
            **fields,
        }
        if self.wecom:
            data["AgentID"] = self.agent_id
        return xml_of(data)

    def text_xml(self, user: str, content: str, msg_id: int | None = None) -> str:
        return self.message_xml(
            user, "text", Content=content, MsgId=int(msg_id or self.next_msg_id())
        )

    def event_xml(self, user: str, event: str, key: str | None = None) -> str:
        extra: dict[str, str | int] = {"Event": event}
        if key is not None:
            extra["EventKey"] = key
        return self.message_xml(user, "event", **extra)

    def post_request(
        self,
        xml: str,
        *,
        timestamp: int | None = None,
        forge: bool = False,
        user: str = "",
        raw_body: bytes | None = None,
    ) -> Request:
        """The POST that delivers `xml` (encrypted in safe mode and on WeCom); `forge` signs
        it with another token."""
        ts = str(int(self.clock()) if timestamp is None else timestamp)
        nonce = str(secrets.randbelow(10**9))
        token = "forged-" + self.token if forge else self.token
        if self.cryptor is None:
            params = {"signature": sign(token, ts, nonce), "timestamp": ts, "nonce": nonce}
            if user:
                params["openid"] = user
            body = xml.encode("utf-8")
        else:
            encrypted = self.cryptor.encrypt(xml)
            outer: dict[str, str | int] = {"ToUserName": self.account}
            if self.wecom:
                outer["AgentID"] = self.agent_id
            outer["Encrypt"] = encrypted
            body = xml_of(outer).encode("utf-8")
            params = {"msg_signature": sign(token, ts, nonce, encrypted)}
            if not self.wecom:
                params = {
                    "signature": sign(token, ts, nonce),
                    "encrypt_type": "aes",
                    "openid": user or "unknown",
                    **params,
                }
            params.update(timestamp=ts, nonce=nonce)
        return Request("POST", self.path, params, body if raw_body is None else raw_body)

    # -- reading replies ---------------------------------------------------------------------

    def read(self, status: int, body: str, seconds: float = 0.0) -> Delivery:
        """The reply as the platform reads it: verified and decrypted in safe mode."""
        delivery = Delivery(status, body, seconds=seconds)
        if status != 200 or body in ("", "success"):
            return delivery
        fields = fields_of(body)
        if self.cryptor is not None:
            expected = sign(self.token, fields["TimeStamp"], fields["Nonce"], fields["Encrypt"])
            assert fields["MsgSignature"] == expected, "reply signature does not verify"
            body = self.cryptor.decrypt(fields["Encrypt"])
            fields = fields_of(body)
        delivery.reply = fields
        delivery.xml = body
        return delivery

    # -- sending -------------------------------------------------------------------------------

    def send(self, request: Request, client: httpx.Client | None = None) -> httpx.Response:
        own = client is None
        client = client or httpx.Client(base_url=self.base_url, timeout=30)
        try:
            return client.request(
                request.method, request.path, params=request.params, content=request.content
            )
        finally:
            if own:
                client.close()

    def deliver(self, request: Request, client: httpx.Client | None = None) -> Delivery:
        start = time.perf_counter()
        response = self.send(request, client)
        return self.read(response.status_code, response.text, time.perf_counter() - start)

    async def adeliver(self, request: Request, client: httpx.AsyncClient) -> Delivery:
        start = time.perf_counter()
        response = await client.request(
            request.method, request.path, params=request.params, content=request.content
        )
        return self.read(response.status_code, response.text, time.perf_counter() - start)

    async def adeliver_with_retries(
        self, xml: str, client: httpx.AsyncClient, *, user: str = "", wait: float = 5.0
    ) -> tuple[Delivery | None, int]:
        """Like the platform: wait `wait` seconds for a reply, then deliver the same message
        again (newly signed), three deliveries in all. The reply and the delivery (1–3) that
        got it; None when none did."""
        for attempt in range(1, 4):
            request = self.post_request(xml, user=user)
            try:
                delivery = await asyncio.wait_for(self.adeliver(request, client), wait)
            except (TimeoutError, httpx.TransportError):
                continue
            return delivery, attempt
        return None, 3

    def handshake(self, client: httpx.Client | None = None) -> tuple[httpx.Response, str]:
        request, echo = self.handshake_request()
        return self.send(request, client), echo

    def text(self, user: str, content: str, client: httpx.Client | None = None) -> Delivery:
        return self.deliver(self.post_request(self.text_xml(user, content), user=user), client)

    def event(
        self, user: str, event: str, key: str | None = None, client: httpx.Client | None = None
    ) -> Delivery:
        return self.deliver(self.post_request(self.event_xml(user, event, key), user=user), client)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])
