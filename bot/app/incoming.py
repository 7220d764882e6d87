"""A question as a channel hands it to the application: platform-free.

Every channel (Telegram, web, WeChat, a live hall quiz) builds one of these from its own
message and never decides anything else: the application answers, records and scores.
"""

from __future__ import annotations

from dataclasses import dataclass

# Channels the question log knows; a new channel adds its name here and an adapter.
CHANNELS = ("telegram", "web", "console", "wechat", "wecom", "live")


@dataclass(frozen=True)
class Incoming:
    """One question: its text, the channel it came through, and who asked.

    `user` is the platform's own user id (a Telegram id, a web client token, an OpenID); it
    is only ever stored as a keyed hash. `chat_type` says where it was asked (private,
    group, inline, page…), for statistics.
    """

    text: str
    channel: str
    user: int | str | None = None
    chat_type: str = "private"
    # The conversation it belongs to where a user has several (a Telegram chat id: one
    # user's private chat and each group apart); only kept in memory for follow-ups.
    chat: int | str | None = None

    def __post_init__(self) -> None:
        if self.channel not in CHANNELS:
            raise ValueError(f"unknown channel {self.channel!r}; expected one of {CHANNELS}")
