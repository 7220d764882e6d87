"""Logging setup shared by every command: plain text or JSON lines, one place.

`BOT_LOG_FORMAT=json` writes one JSON object per line (for log collectors); `BOT_LOG_LEVEL`
sets the level. Secrets never reach a log line: the bot token is masked wherever it appears
(httpx logs request URLs, and the Bot API puts the token in the URL), and user message text
is logged only at DEBUG by the front ends.
"""

from __future__ import annotations

import json
import logging
import sys
from datetime import UTC, datetime

from bot import config

_RESERVED = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime"}


class RedactingFilter(logging.Filter):
    """Replaces each secret with *** in the rendered message and its arguments."""

    def __init__(self, secrets: list[str]) -> None:
        super().__init__()
        self.secrets = [s for s in secrets if s and len(s) >= 8]

    def filter(self, record: logging.LogRecord) -> bool:
        if not self.secrets:
            return True
        message = record.getMessage()
        redacted = message
        for secret in self.secrets:
            redacted = redacted.replace(secret, "***")
        if redacted != message:
            record.msg, record.args = redacted, None
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per record: time, level, logger, message, extra fields, exception."""

    def format(self, record: logging.LogRecord) -> str:
        data: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key, value in vars(record).items():
            if key not in _RESERVED and not key.startswith("_"):
                data[key] = value if isinstance(value, str | int | float | bool) else str(value)
        if record.exc_info:
            data["exception"] = self.formatException(record.exc_info)
        return json.dumps(data, ensure_ascii=False)


def setup_logging(level: str | None = None, fmt: str | None = None) -> None:
    """Configure the root logger once, from arguments or BOT_LOG_LEVEL / BOT_LOG_FORMAT."""
    level_name = (level or config.log_level()).upper()
    json_lines = (fmt or config.log_format()).lower() == "json"
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(
        JsonFormatter()
        if json_lines
        else logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s")
    )
    handler.addFilter(RedactingFilter([config.bot_token()]))
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(getattr(logging, level_name, logging.INFO))
    # httpx logs every request URL at INFO, and Bot API URLs carry the token.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    # PTB's rate limiter logs every 429 it waits out (INFO) and a traceback when it stops
    # after its retries (ERROR); bot.frontends.telegram.send goes on retrying within its
    # budget and reports what is finally undelivered, so in a 30 s flood its 700 lines say
    # nothing more (benchmarks/faults.py). Shown again with BOT_LOG_LEVEL=DEBUG.
    if root.level > logging.DEBUG:
        logging.getLogger("telegram.ext.AIORateLimiter").setLevel(logging.CRITICAL)
