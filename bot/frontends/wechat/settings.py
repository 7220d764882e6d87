"""Settings of the WeChat channel, built from `bot.settings.Settings` (the environment).

- Official account (`/wechat`): `WECHAT_TOKEN` turns it on; `WECHAT_APP_ID` and
  `WECHAT_ENCODING_AES_KEY` turn on safe mode (安全模式, the recommended setting: messages
  and replies are AES-encrypted). The key without the AppID is refused: safe mode checks that
  every message names this account.
- WeCom self-built app (`/wecom`): `WECOM_CORP_ID`, `WECOM_TOKEN` and
  `WECOM_ENCODING_AES_KEY`, all three (WeCom callbacks are always encrypted).
- `WECHAT_WEB_URL`: the public address of the web page, for the link to a full passage when
  an answer is too long for one WeChat message (default: the address the callback came to).

Nothing here imports wechatpy: the channel's extra is needed only when a channel is on.
"""

from __future__ import annotations

import base64
import binascii
import importlib.util
from dataclasses import dataclass

from bot.settings import Settings

# Callback bodies larger than this are refused before they are read whole (a WeChat message
# is a few hundred bytes; encrypted, about a third more).
MAX_BODY_BYTES = 64 * 1024
# A callback whose timestamp is further than this from our clock is refused (replays).
MAX_CLOCK_SKEW = 300
# Text replies are cut to this many UTF-8 bytes: WeCom documents 2048 bytes for a text
# reply's Content ("最长不超过2048个字节，超过将截断"); official accounts fail on about the same
# size. The margin keeps the reply whole on both.
MAX_REPLY_BYTES = 2000


def _aes_key(name: str, value: str) -> str:
    """An EncodingAESKey: 43 characters of base64 that decode (with `=`) to 32 bytes."""
    value = value.strip()
    try:
        raw = base64.b64decode(value + "=", validate=True)
    except (binascii.Error, ValueError):
        raw = b""
    if len(value) != 43 or len(raw) != 32:
        raise ValueError(
            f"{name} must be the 43-character EncodingAESKey shown on the platform's "
            "server configuration page"
        )
    return value


@dataclass(frozen=True)
class Account:
    """One callback: the official account's or the WeCom app's."""

    channel: str  # "wechat" or "wecom": the channel questions are recorded under
    path: str  # where the callback is served
    token: str
    # The AppID (official account) or CorpID (WeCom): the id every encrypted message names.
    app_id: str = ""
    # The EncodingAESKey; None: plaintext mode (official accounts only).
    aes_key: str | None = None

    @property
    def safe_mode(self) -> bool:
        return self.aes_key is not None


@dataclass(frozen=True)
class WeChatSettings:
    """Both callbacks (either may be off) and the limits they share."""

    official: Account | None = None
    wecom: Account | None = None
    web_url: str | None = None
    # Where live games are joined (BOT_LIVE_BASE_URL), when not on this server's address.
    live_url: str | None = None
    hash_secret: str = ""
    # Questions per user per minute, like Telegram's (BOT_USER_RATE_LIMIT).
    user_rate_limit: int = 20
    max_body_bytes: int = MAX_BODY_BYTES
    max_clock_skew: int = MAX_CLOCK_SKEW
    max_reply_bytes: int = MAX_REPLY_BYTES

    @property
    def accounts(self) -> list[Account]:
        return [a for a in (self.official, self.wecom) if a is not None]

    @property
    def enabled(self) -> bool:
        return bool(self.accounts)

    @classmethod
    def from_settings(cls, settings: Settings) -> WeChatSettings:
        """The channel's settings; ValueError names what is wrong or missing."""
        official = None
        if settings.wechat_token:
            key = settings.wechat_encoding_aes_key
            if key and not settings.wechat_app_id:
                raise ValueError("WECHAT_ENCODING_AES_KEY (safe mode) needs WECHAT_APP_ID too")
            official = Account(
                "wechat",
                "/wechat",
                settings.wechat_token.strip(),
                (settings.wechat_app_id or "").strip(),
                _aes_key("WECHAT_ENCODING_AES_KEY", key) if key else None,
            )
        wecom = None
        given = {
            "WECOM_CORP_ID": settings.wecom_corp_id,
            "WECOM_TOKEN": settings.wecom_token,
            "WECOM_ENCODING_AES_KEY": settings.wecom_encoding_aes_key,
        }
        if any(given.values()):
            missing = [name for name, value in given.items() if not value]
            if missing:
                raise ValueError(f"the WeCom callback needs {', '.join(missing)} as well")
            wecom = Account(
                "wecom",
                "/wecom",
                (settings.wecom_token or "").strip(),
                (settings.wecom_corp_id or "").strip(),
                _aes_key("WECOM_ENCODING_AES_KEY", settings.wecom_encoding_aes_key or ""),
            )
        if (official or wecom) and importlib.util.find_spec("wechatpy") is None:
            raise ValueError(
                "WECHAT_TOKEN or WECOM_* is set but wechatpy is not installed: "
                "pip install 'ipreg-bot[wechat]'"
            )
        web_url = (settings.wechat_web_url or "").strip().rstrip("/") or None
        if web_url and not web_url.startswith(("https://", "http://")):
            raise ValueError(f"WECHAT_WEB_URL must be an http(s) address, not {web_url!r}")
        return cls(
            official=official,
            wecom=wecom,
            web_url=web_url,
            live_url=(settings.live_base_url or "").strip().rstrip("/") or None,
            hash_secret=settings.hash_secret,
            user_rate_limit=settings.user_rate_limit,
        )
