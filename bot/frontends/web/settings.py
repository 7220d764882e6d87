"""Settings of the web front end, read from the environment in one place.

They live beside the web app rather than in `bot.config.Settings` because only `python -m bot
web` reads them; each is documented in the README's web section.

- `BOT_WEB_FRAME_ANCESTORS`: who may embed the pages in an `<iframe>` (the CSP
  `frame-ancestors` value; default `*`, anyone; e.g. `'self' https://www.example.gov.cn`).
- `BOT_WEB_RATE_LIMIT`: API requests per minute per client IP (default 30; 0 turns it off).
- `BOT_WEB_CORS_ORIGINS`: comma-separated origins whose scripts may call the API directly
  (default none: only the pages served here, or an iframe of them, use it).
- `BOT_WEB_ACCESS_LOG`: `0` turns off uvicorn's access log (paths only; never questions).
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass

from bot.engine.core import MAX_QUESTION_CHARS

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
    def from_env(cls, env: Mapping[str, str] | None = None) -> WebSettings:
        env = os.environ if env is None else env
        raw_rate = (env.get("BOT_WEB_RATE_LIMIT") or "30").strip()
        try:
            rate = int(raw_rate)
        except ValueError:
            raise ValueError(
                f"BOT_WEB_RATE_LIMIT must be a whole number, not {raw_rate!r}"
            ) from None
        origins = tuple(
            o.strip() for o in (env.get("BOT_WEB_CORS_ORIGINS") or "").split(",") if o.strip()
        )
        return cls(
            frame_ancestors=(env.get("BOT_WEB_FRAME_ANCESTORS") or "*").strip(),
            rate_limit=rate,
            cors_origins=origins,
            access_log=(env.get("BOT_WEB_ACCESS_LOG") or "1").strip().lower()
            not in ("0", "false", "no", "off"),
        )
