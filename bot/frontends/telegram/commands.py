"""The bot's command menu, registered with setMyCommands at start-up.

Names are the contract (handlers and help text refer to them); the Chinese descriptions come
from the intents responses (`tg_command_<name>`), like every other user-facing text.
"""

from __future__ import annotations

from telegram import Bot, BotCommand

from bot.frontends.telegram.texts import Texts

COMMANDS = (
    "start",
    "help",
    "ask",
    "article",
    "chapter",
    "contact",
    "duty",
    "sources",
    # Quizzes (quiz.py): group rounds, standings, private practice and the export.
    "quiz",
    "quiz_stop",
    "leaderboard",
    "mystats",
    "practice",
    "quiz_export",
)


def bot_commands(texts: Texts) -> list[BotCommand]:
    return [BotCommand(name, texts(f"tg_command_{name}")) for name in COMMANDS]


async def register_commands(bot: Bot, texts: Texts) -> None:
    """Show the menu in every chat (the default scope covers private chats and groups)."""
    await bot.set_my_commands(bot_commands(texts))
