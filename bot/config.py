"""Where settings come from: the environment and an optional `.env`, in two layers.

`Settings` (bot/settings.py, pydantic-settings) reads, types and checks every variable; the
commands that run a service (run, web, stats, report, live, admin…) take theirs from it and
stop at start-up, naming the variable, when one is wrong. Importing pydantic costs `ask` a
fifth of its cold start and 15 MB, so the handful of values the console tools and the engine
need before anything else (the knowledge, intents and cache directories, semantic matching on
or off, logging) are read here, without it, under the same names. No other module reads the
environment for a setting of ours.
"""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["SettingsError", "cache_dir", "intents_dir", "knowledge_dir"]

PROJECT_ROOT = Path(__file__).resolve().parents[1]
# Values that switch something off (BOT_SEMANTIC, BOT_WEB_ACCESS_LOG).
OFF = frozenset({"0", "false", "no", "off"})


class SettingsError(ValueError):
    """A variable has a value that cannot be used; the message names it (raised by
    `bot.settings.Settings.from_env`, defined here so catching it costs no pydantic)."""


def value(name: str) -> str | None:
    """The variable's value; None when unset or empty (`VAR=` in `.env` means unset)."""
    raw = os.environ.get(name)
    return raw if raw else None


def default_dir(name: str) -> Path:
    """`./name` when run from a checkout, else the copy beside the installed package."""
    here = Path.cwd() / name
    return here if here.is_dir() else PROJECT_ROOT / name


def load_dotenv_file() -> None:
    """Read `.env` from the working directory if present; real environment variables win.

    Loaded into the process environment, so both layers and what the libraries read
    themselves (OMP_NUM_THREADS, FORWARDED_ALLOW_IPS) see it.
    """
    try:
        from dotenv import load_dotenv
    except ImportError:  # pragma: no cover - python-dotenv is a dependency
        return
    load_dotenv(Path.cwd() / ".env", override=False)


def knowledge_dir(override: str | None = None) -> Path:
    """--knowledge, else BOT_KNOWLEDGE_DIR, else ./knowledge."""
    return Path(override or value("BOT_KNOWLEDGE_DIR") or default_dir("knowledge"))


def intents_dir(override: str | None = None) -> Path:
    """--intents, else BOT_INTENTS_DIR, else ./intents."""
    return Path(override or value("BOT_INTENTS_DIR") or default_dir("intents"))


def cache_dir() -> Path:
    """BOT_CACHE_DIR, else $XDG_CACHE_HOME/ipreg-bot, else ~/.cache/ipreg-bot."""
    explicit = value("BOT_CACHE_DIR")
    if explicit:
        return Path(explicit)
    return Path(value("XDG_CACHE_HOME") or Path.home() / ".cache") / "ipreg-bot"


def eval_dir() -> Path | None:
    """BOT_EVAL_DIR: the evaluation sets of a deployment without the checkout's tests."""
    explicit = value("BOT_EVAL_DIR")
    return Path(explicit) if explicit else None


def semantic_enabled() -> bool:
    """BOT_SEMANTIC=off (or 0/false/no) turns semantic matching off."""
    return (value("BOT_SEMANTIC") or "on").strip().lower() not in OFF


def log_level() -> str:
    return (value("BOT_LOG_LEVEL") or "INFO").strip().upper()


def log_format() -> str:
    return (value("BOT_LOG_FORMAT") or "text").strip().lower()


def bot_token() -> str:
    """TELEGRAM_BOT_TOKEN, for masking it in logs and choosing the default command."""
    return value("TELEGRAM_BOT_TOKEN") or ""
