"""Telegram front end (python-telegram-bot v22): private chats, groups and inline mode.

A thin adapter over the engine: `handlers` answers updates, `render` turns replies into
escaped HTML and keyboards, `callbacks` signs button data, `ratelimit` limits each user,
`send` delivers without duplicates, `processor` orders updates per chat, `app` wires and runs.
"""

from bot.frontends.telegram.app import build_application, run_bot

__all__ = ["build_application", "run_bot"]
