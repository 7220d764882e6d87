"""What the channel's core sees of a WeChat callback, and what it answers: platform-free.

The protocol layer (protocol.py, over wechatpy) turns a verified, decrypted callback into an
`Inbound` and an `Outbound` back into the platform's reply XML; the conversation between
them (conversation.py) never sees XML, signatures or encryption.
"""

from __future__ import annotations

from dataclasses import dataclass

# Message types the channel reads; every other type gets the polite "text only" reply.
TEXT = "text"
EVENT = "event"


@dataclass(frozen=True)
class Inbound:
    """One message or event from a user.

    `user` is the platform's id of the sender (an official account's OpenID, a WeCom
    UserID); it only ever leaves this process as a keyed hash. `kind` is `text`, `event`, or
    the platform's name of an unsupported type (image, voice, location…).
    """

    channel: str
    user: str
    kind: str
    text: str = ""
    event: str = ""
    key: str = ""


@dataclass(frozen=True)
class Link:
    """A link card (a news message of one article): a title, a line under it, the address."""

    title: str
    url: str
    description: str = ""
    image: str = ""


@dataclass(frozen=True)
class Outbound:
    """The passive reply: a text, a link card, or nothing (the platform's `success`)."""

    text: str = ""
    link: Link | None = None

    @property
    def empty(self) -> bool:
        return not self.text and self.link is None


NOTHING = Outbound()
