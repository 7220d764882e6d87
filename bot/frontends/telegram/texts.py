"""The Chinese texts the Telegram front end shows, read from intents/rules.yaml `responses:`.

Code holds only the keys, so organisers reword the bot without touching Python. Every key is
checked when the application is built: a missing one fails at start-up, not mid-chat.
"""

from __future__ import annotations

from bot.engine.intents import IntentSet

REQUIRED_KEYS = (
    "greeting",
    "help",
    "no_content",
    "rate_limited",
    "tg_examples",
    "tg_start_prompt",
    "tg_help_commands",
    "tg_command_start",
    "tg_command_help",
    "tg_command_ask",
    "tg_command_article",
    "tg_command_chapter",
    "tg_command_contact",
    "tg_command_duty",
    "tg_command_sources",
    "tg_usage_ask",
    "tg_usage_article",
    "tg_usage_chapter",
    "tg_bad_number",
    "tg_unknown_command",
    "tg_button_passage",
    "tg_button_contact",
    "tg_button_contact_named",
    "tg_button_call",
    "tg_button_expired",
    "tg_passage_title",
    "tg_inline_more",
    "tg_inline_question",
    "tg_error",
    "tg_undelivered",
    "tg_maybe_undelivered",
)


class Texts:
    """`texts("key", name=...)` → the response text with its placeholders filled."""

    def __init__(self, intents: IntentSet) -> None:
        missing = [key for key in REQUIRED_KEYS if not intents.response(key).strip()]
        if missing:
            raise ValueError(f"intents responses lack Telegram texts: {', '.join(missing)}")
        self._intents = intents

    def __call__(self, key: str, **values: object) -> str:
        text = self._intents.response(key)
        return text.format(**values) if values else text

    def lines(self, key: str) -> list[str]:
        """A multi-line response as its non-empty lines (e.g. the example questions)."""
        return [line.strip() for line in self._intents.response(key).splitlines() if line.strip()]
