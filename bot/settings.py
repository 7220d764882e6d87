"""Every environment variable of ours, typed and checked in one place (pydantic-settings).

Each is a field named by its alias and documented in the README (tests/test_config.py checks
both). The commands that run a service read them at start (`Settings.from_env()`) and hand on
what each part needs; a wrong value stops the start with the variable's name. The few values
the console tools need are also read, without pydantic, by bot.config (same names).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import AliasChoices, Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from bot.config import OFF, SettingsError, default_dir

DEFAULT_DATABASE_URL = "sqlite:///data/bot.db"


def _env(name: str) -> Any:
    """A field read from the environment variable `name` (also settable by field name)."""
    return AliasChoices(name)


class Settings(BaseSettings):
    """Runtime settings of every command and channel, from the environment."""

    model_config = SettingsConfigDict(
        frozen=True,
        extra="ignore",
        populate_by_name=True,
        env_ignore_empty=True,  # `VAR=` in .env means unset, as .env.example writes them
        case_sensitive=True,
    )

    # --- Telegram ---------------------------------------------------------------------------
    token: str | None = Field(None, validation_alias=_env("TELEGRAM_BOT_TOKEN"))
    api_base_url: str | None = Field(None, validation_alias=_env("TELEGRAM_API_BASE_URL"))
    admin_ids: Annotated[frozenset[int], NoDecode] = Field(
        frozenset(), validation_alias=_env("BOT_ADMIN_IDS")
    )
    webhook_url: str | None = Field(None, validation_alias=_env("BOT_WEBHOOK_URL"))
    webhook_secret: str | None = Field(None, validation_alias=_env("BOT_WEBHOOK_SECRET"))
    listen: str = Field("0.0.0.0", validation_alias=_env("BOT_LISTEN"))
    port: int = Field(8443, ge=1, le=65535, validation_alias=_env("BOT_PORT"))
    # Questions per user per minute, in every channel that knows its users.
    user_rate_limit: int = Field(20, ge=0, validation_alias=_env("BOT_USER_RATE_LIMIT"))
    # Poll answers as received, replayed after a crash (default beside the default database).
    quiz_journal: Path = Field(
        Path("data/quiz-answers.jsonl"), validation_alias=_env("BOT_QUIZ_JOURNAL")
    )

    # --- Storage ----------------------------------------------------------------------------
    database_url: str = Field(DEFAULT_DATABASE_URL, validation_alias=_env("BOT_DATABASE_URL"))
    # Key of the HMAC that pseudonymises user ids in the database; empty means the storage
    # package's documented default, which only suits tests and trials.
    hash_secret: str = Field("", validation_alias=_env("BOT_HASH_SECRET"))
    # Days to keep question records; None keeps them forever (0 in the environment too).
    retention_days: int | None = Field(None, ge=0, validation_alias=_env("BOT_RETENTION_DAYS"))

    # --- Knowledge and matching -------------------------------------------------------------
    knowledge_dir: Path = Field(
        default_factory=lambda: default_dir("knowledge"),
        validation_alias=_env("BOT_KNOWLEDGE_DIR"),
    )
    intents_dir: Path = Field(
        default_factory=lambda: default_dir("intents"), validation_alias=_env("BOT_INTENTS_DIR")
    )
    # The last good knowledge base (default `snapshot` in the cache directory).
    snapshot_dir: Path | None = Field(None, validation_alias=_env("BOT_SNAPSHOT_DIR"))
    semantic: bool = Field(True, validation_alias=_env("BOT_SEMANTIC"))
    cache_dir: Path | None = Field(None, validation_alias=_env("BOT_CACHE_DIR"))
    # The evaluation sets the admin console scores learned wordings against.
    eval_dir: Path | None = Field(None, validation_alias=_env("BOT_EVAL_DIR"))

    # --- Logging ----------------------------------------------------------------------------
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"] = Field(
        "INFO", validation_alias=_env("BOT_LOG_LEVEL")
    )
    log_format: Literal["text", "json"] = Field("text", validation_alias=_env("BOT_LOG_FORMAT"))

    # --- Web (python -m bot web) ------------------------------------------------------------
    # Bearer token of the web's admin API (POST /api/admin/reload, POST /api/live); unset: off.
    admin_token: str | None = Field(None, validation_alias=_env("BOT_ADMIN_TOKEN"))
    web_rate_limit: int = Field(30, ge=0, validation_alias=_env("BOT_WEB_RATE_LIMIT"))
    web_frame_ancestors: str = Field("*", validation_alias=_env("BOT_WEB_FRAME_ANCESTORS"))
    web_cors_origins: Annotated[tuple[str, ...], NoDecode] = Field(
        (), validation_alias=_env("BOT_WEB_CORS_ORIGINS")
    )
    web_access_log: bool = Field(True, validation_alias=_env("BOT_WEB_ACCESS_LOG"))
    live_rate_limit: int = Field(6000, ge=0, validation_alias=_env("BOT_LIVE_RATE_LIMIT"))
    live_base_url: str | None = Field(None, validation_alias=_env("BOT_LIVE_BASE_URL"))

    # --- WeChat official account (/wechat) and WeCom app (/wecom) ---------------------------
    # The Token, and for safe mode (recommended) the AppID and EncodingAESKey; see
    # bot/frontends/wechat/settings.py. WeCom: all three or none.
    wechat_token: str | None = Field(None, validation_alias=_env("WECHAT_TOKEN"))
    wechat_app_id: str | None = Field(None, validation_alias=_env("WECHAT_APP_ID"))
    wechat_encoding_aes_key: str | None = Field(
        None, validation_alias=_env("WECHAT_ENCODING_AES_KEY")
    )
    wecom_corp_id: str | None = Field(None, validation_alias=_env("WECOM_CORP_ID"))
    wecom_token: str | None = Field(None, validation_alias=_env("WECOM_TOKEN"))
    wecom_encoding_aes_key: str | None = Field(
        None, validation_alias=_env("WECOM_ENCODING_AES_KEY")
    )
    # Public address of the web page, for links in WeChat replies (default: the callback's).
    wechat_web_url: str | None = Field(None, validation_alias=_env("WECHAT_WEB_URL"))

    @field_validator("admin_ids", mode="before")
    @classmethod
    def _ids(cls, raw: Any) -> Any:
        """`123, 456;789`: Telegram user ids; anything that is not a number is skipped."""
        if not isinstance(raw, str):
            return raw
        parts = (p.strip() for p in raw.replace(";", ",").split(","))
        return frozenset(int(p) for p in parts if p.lstrip("-").isdigit())

    @field_validator("web_cors_origins", mode="before")
    @classmethod
    def _origins(cls, raw: Any) -> Any:
        if not isinstance(raw, str):
            return raw
        return tuple(o.strip() for o in raw.split(",") if o.strip())

    @field_validator("semantic", "web_access_log", mode="before")
    @classmethod
    def _switch(cls, raw: Any) -> Any:
        """`0`, `off`, `false`, `no` turn it off; any other value leaves it on."""
        if isinstance(raw, str):
            return raw.strip().lower() not in OFF
        return raw

    @field_validator("retention_days", mode="after")
    @classmethod
    def _forever(cls, days: int | None) -> int | None:
        return days or None

    @field_validator("log_level", mode="before")
    @classmethod
    def _upper(cls, raw: Any) -> Any:
        return raw.strip().upper() if isinstance(raw, str) else raw

    @field_validator("log_format", mode="before")
    @classmethod
    def _lower(cls, raw: Any) -> Any:
        return raw.strip().lower() if isinstance(raw, str) else raw

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, **overrides: Any) -> Settings:
        """The settings of the process environment (or of `env`), `overrides` on top.

        Raises SettingsError naming the variable when a value cannot be used.
        """
        try:
            if env is None:
                return cls(**overrides)
            values = {k: v for k, v in env.items() if v != ""}
            return _Given(**{**values, **overrides})
        except ValidationError as exc:
            raise SettingsError(_describe(exc)) from None

    def replace(self, **changes: Any) -> Settings:
        """A copy with `changes` (field names), checked like the environment's values."""
        return type(self).model_validate({**self.model_dump(), **changes})


class _Given(Settings):
    """Settings of a given mapping only: the process environment is not read."""

    @classmethod
    def settings_customise_sources(  # type: ignore[override]
        cls, settings_cls: type[BaseSettings], init_settings: Any, **others: Any
    ) -> tuple[Any, ...]:
        return (init_settings,)


def _describe(exc: ValidationError) -> str:
    """`BOT_PORT must be …, not 'x'` for each wrong variable."""
    lines = []
    for error in exc.errors():
        name = str(error["loc"][0]) if error["loc"] else "?"
        field = Settings.model_fields.get(name)
        alias = field.validation_alias if field else None
        if isinstance(alias, AliasChoices):
            name = str(alias.choices[0])
        lines.append(f"{name}: {error['msg']}, not {error.get('input')!r}")
    return "; ".join(lines)
