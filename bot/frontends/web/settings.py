"""Settings of the web front end, read from the environment in one place.

`bot.settings.Settings` reads and types the variables; this is the web's view of them, checked
further (a CSP list must not open another directive), and each is documented in the README's
web section.

- `BOT_WEB_FRAME_ANCESTORS`: who may embed the pages in an `<iframe>` (the CSP
  `frame-ancestors` value; default `*`, anyone; e.g. `'self' https://www.example.gov.cn`).
- `BOT_WEB_RATE_LIMIT`: API requests per minute per client IP (default 30; 0 turns it off).
- `BOT_WEB_CORS_ORIGINS`: comma-separated origins whose scripts may call the API directly
  (default none: only the pages served here, or an iframe of them, use it).
- `BOT_WEB_ACCESS_LOG`: `0` turns off uvicorn's access log (paths only; never questions).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from bot.engine.normalize import MAX_QUESTION_CHARS
from bot.settings import Settings

# A CSP source list is space-separated tokens; `;` or `,` would start another directive or
# policy, and control characters could split the header.
_UNSAFE_CSP = re.compile(r"[;,\x00-\x1f\x7f]")


@dataclass(frozen=True)
class WebSettings:
    """Limits and embedding policy of the web front end."""

    frame_ancestors: str = "*"
    # A token bucket per client IP: `rate_limit` requests per minute, bursts up to the same.
    rate_limit: int = 30
    max_body_bytes: int = 16 * 1024
    max_question_chars: int = MAX_QUESTION_CHARS
    cors_origins: tuple[str, ...] = ()
    access_log: bool = True

    def __post_init__(self) -> None:
        value = self.frame_ancestors.strip()
        if not value or _UNSAFE_CSP.search(value):
            raise ValueError(
                "BOT_WEB_FRAME_ANCESTORS must be a space-separated CSP source list, "
                f"e.g. \"'self' https://www.example.gov.cn\", not {self.frame_ancestors!r}"
            )
        if self.rate_limit < 0:
            raise ValueError("BOT_WEB_RATE_LIMIT must be 0 (off) or a positive number")

    @classmethod
    def from_settings(cls, settings: Settings) -> WebSettings:
        """The web's part of the process settings; ValueError names a wrong variable."""
        return cls(
            frame_ancestors=settings.web_frame_ancestors.strip(),
            rate_limit=settings.web_rate_limit,
            cors_origins=settings.web_cors_origins,
            access_log=settings.web_access_log,
        )

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> WebSettings:
        return cls.from_settings(Settings.from_env(env))
