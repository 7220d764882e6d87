"""A fake Telegram Bot API server for end-to-end tests of the PTB bot.

The real PTB client talks HTTP to :class:`FakeBotApi`, so tests exercise the
same request encoding, error mapping and update parsing as production.
"""

from .server import (
    ApiError,
    FakeBotApi,
    Fault,
    PollRecord,
    SentMessage,
    UploadedFile,
    parse_html,
)

__all__ = [
    "ApiError",
    "FakeBotApi",
    "Fault",
    "PollRecord",
    "SentMessage",
    "UploadedFile",
    "parse_html",
]
