"""The Chinese texts of the WeChat channel, read from intents/rules.yaml `responses:` (keys
prefixed `wx_`), at every use: a reload's new wording applies at once. Every key is checked
when the channel is mounted and when a reload is proposed, so a missing one fails at start-up
or refuses the reload, never mid-chat."""

from __future__ import annotations

from collections.abc import Callable

from bot.engine import Engine

REQUIRED_KEYS = (
    "rate_limited",
    "wx_greeting",
    "wx_unsupported",
    "wx_pick_hint",
    "wx_no_pending",
    "wx_more",
    "wx_error",
    "wx_menu_schedule",
    "wx_menu_contacts",
    "wx_menu_practice",
    "wx_practice_trigger",
    "wx_practice_stop",
    "wx_practice_question",
    "wx_practice_prompt",
    "wx_practice_right",
    "wx_practice_wrong",
    "wx_practice_source",
    "wx_practice_score",
    "wx_practice_next",
    "wx_practice_empty",
    "wx_practice_stopped",
    "wx_link_title",
    "wx_link_description",
    "wx_live_finished",
    "wx_passage_title",
    "wx_passage_back",
)


def missing_texts(engine: Engine) -> list[str]:
    """The required keys the engine's intents lack (as reload problems)."""
    return [
        f"intents: missing response '{key}' (WeChat channel)"
        for key in REQUIRED_KEYS
        if not engine.intents.response(key).strip()
    ]


class Texts:
    """`texts("key", name=...)` → the response with its placeholders filled, for the engine
    in service now."""

    def __init__(self, engine: Callable[[], Engine]) -> None:
        self._engine = engine

    def __call__(self, key: str, **values: object) -> str:
        text = self._engine().intents.response(key)
        return text.format(**values) if values else text

    def words(self, key: str) -> list[str]:
        """A multi-line response as its non-empty lines (command words, triggers)."""
        return [line.strip() for line in self(key).splitlines() if line.strip()]
