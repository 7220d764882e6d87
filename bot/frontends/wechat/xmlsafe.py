"""Reading a callback body without trusting it: bounded size, no DTD, a flat <xml> element.

WeChat messages are a flat `<xml>` of text fields; nothing legitimate carries a document type
declaration. A body with `<!DOCTYPE` or `<!ENTITY` is refused before any parser sees it, so
entity expansion ("billion laughs") and external entities cannot happen whatever the parser
does (xmltodict, which wechatpy parses with, also refuses entity declarations, and expat
bounds amplification; this check does not depend on either).
"""

from __future__ import annotations

import re
from typing import Any

import xmltodict

from bot.frontends.wechat.errors import Refused

_DTD = re.compile(r"<!\s*(?:DOCTYPE|ENTITY|ELEMENT|ATTLIST)", re.IGNORECASE)
# Fields of a message are short; a field larger than this is not WeChat's.
MAX_FIELDS = 64


def check(text: str) -> None:
    """Refuse a document that declares a DTD (or entities) before it is parsed."""
    if _DTD.search(text):
        raise Refused(400, "xml with a document type declaration")


def decode(body: bytes) -> str:
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        raise Refused(400, "body is not UTF-8") from None


def fields(text: str) -> dict[str, Any]:
    """The children of the root `<xml>` element, refused unless the body is well-formed,
    DTD-free and flat enough to be a WeChat message."""
    check(text)
    try:
        document = xmltodict.parse(text, disable_entities=True)
    except Exception:  # expat's ExpatError, ValueError for entities, anything malformed
        raise Refused(400, "malformed xml") from None
    root = document.get("xml") if isinstance(document, dict) else None
    if not isinstance(root, dict) or len(root) > MAX_FIELDS:
        raise Refused(400, "not a WeChat message")
    return root


def text_field(root: dict[str, Any], name: str) -> str:
    """One text field, refused when missing or not text."""
    value = root.get(name)
    if not isinstance(value, str) or not value:
        raise Refused(400, f"missing {name}")
    return value
