"""Settings from the environment (and an optional `.env`), read in one place.

Every variable the code reads is listed here and documented in the README.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[1]


def _default_dir(name: str) -> Path:
    """`./name` when run from a checkout, else the copy beside the installed package."""
    here = Path.cwd() / name
    return here if here.is_dir() else PROJECT_ROOT / name


def load_dotenv_file() -> None:
    """Read `.env` from the working directory if present; real environment variables win."""
    try:
        from dotenv import load_dotenv
    except ImportError:  # pragma: no cover - python-dotenv is a dependency
        return
    load_dotenv(Path.cwd() / ".env", override=False)


def knowledge_dir(override: str | None = None) -> Path:
    return Path(override or os.environ.get("BOT_KNOWLEDGE_DIR") or _default_dir("knowledge"))


def intents_dir(override: str | None = None) -> Path:
    return Path(override or os.environ.get("BOT_INTENTS_DIR") or _default_dir("intents"))


def _ids(raw: str) -> frozenset[int]:
    out = set()
    for part in raw.replace(";", ",").split(","):
        part = part.strip()
        if part.lstrip("-").isdigit():
            out.add(int(part))
    return frozenset(out)


@dataclass(frozen=True)
class Settings:
    """Runtime settings of the bot and web front ends."""

    token: str | None = None
    api_base_url: str | None = None
    admin_ids: frozenset[int] = field(default_factory=frozenset)
    database_url: str = "sqlite:///data/bot.db"
    knowledge_dir: Path = field(default_factory=lambda: knowledge_dir())
    intents_dir: Path = field(default_factory=lambda: intents_dir())
    webhook_url: str | None = None
    webhook_secret: str | None = None
    listen: str = "0.0.0.0"
    port: int = 8443
    user_rate_limit: int = 20
    # Key of the HMAC that pseudonymises user ids in the database (BOT_HASH_SECRET); empty
    # means the storage package's documented default, which only suits tests and trials.
    hash_secret: str = ""
    # Bearer token of the web's admin API (POST /api/admin/reload); unset, it is off.
    admin_token: str | None = None
    # WeChat official account callback (/wechat): the Token, and for safe mode (recommended)
    # the AppID and EncodingAESKey; see bot/frontends/wechat/settings.py.
    wechat_token: str | None = None
    wechat_app_id: str | None = None
    wechat_encoding_aes_key: str | None = None
    # WeCom self-built app callback (/wecom): all three or none.
    wecom_corp_id: str | None = None
    wecom_token: str | None = None
    wecom_encoding_aes_key: str | None = None
    # Public address of the web page, for links in WeChat replies (default: the callback's).
    wechat_web_url: str | None = None

    @classmethod
    def from_env(cls) -> Settings:
        env = os.environ
        return cls(
            token=env.get("TELEGRAM_BOT_TOKEN") or None,
            api_base_url=env.get("TELEGRAM_API_BASE_URL") or None,
            admin_ids=_ids(env.get("BOT_ADMIN_IDS", "")),
            database_url=env.get("BOT_DATABASE_URL") or "sqlite:///data/bot.db",
            knowledge_dir=knowledge_dir(),
            intents_dir=intents_dir(),
            webhook_url=env.get("BOT_WEBHOOK_URL") or None,
            webhook_secret=env.get("BOT_WEBHOOK_SECRET") or None,
            listen=env.get("BOT_LISTEN") or "0.0.0.0",
            port=int(env.get("BOT_PORT") or 8443),
            user_rate_limit=int(env.get("BOT_USER_RATE_LIMIT") or 20),
            hash_secret=env.get("BOT_HASH_SECRET") or "",
            admin_token=env.get("BOT_ADMIN_TOKEN") or None,
            wechat_token=env.get("WECHAT_TOKEN") or None,
            wechat_app_id=env.get("WECHAT_APP_ID") or None,
            wechat_encoding_aes_key=env.get("WECHAT_ENCODING_AES_KEY") or None,
            wecom_corp_id=env.get("WECOM_CORP_ID") or None,
            wecom_token=env.get("WECOM_TOKEN") or None,
            wecom_encoding_aes_key=env.get("WECOM_ENCODING_AES_KEY") or None,
            wechat_web_url=env.get("WECHAT_WEB_URL") or None,
        )
