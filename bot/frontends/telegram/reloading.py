"""What the Telegram channel keeps from the engine, kept in step with reloads.

The handlers hold texts (from the intents' responses) and a button codec (signed over the
knowledge base's entry ids); the quiz holds the texts too. A reload must not swap in an engine
whose intents lack a Telegram text, so the channel registers a validator with the engine
holder, and a listener that rebuilds its texts and codec in the same step as the swap:
a question is answered wholly by the old version or wholly by the new. Buttons under old
answers then fail their signature check and say they expired, rather than pointing at the
wrong entry.
"""

from __future__ import annotations

from typing import Any

from bot.app import Assistant
from bot.engine import Engine
from bot.frontends.telegram.callbacks import CallbackCodec
from bot.frontends.telegram.texts import Texts


def quiz_text_keys() -> tuple[str, ...]:
    """The texts the Telegram quiz needs."""
    from bot.frontends.telegram.quiz import QUIZ_TEXT_KEYS

    return tuple(QUIZ_TEXT_KEYS)


def telegram_problems(engine: Engine) -> list[str]:
    """What a new version lacks for this channel (empty: nothing)."""
    try:
        texts = Texts(engine.intents)
    except ValueError as exc:
        return [str(exc)]
    missing = [key for key in quiz_text_keys() if not texts(key).strip()]
    if missing:
        return [f"intents responses lack quiz texts: {', '.join(missing)}"]
    return []


def codec_for(engine: Engine, texts: Texts, secret: str) -> CallbackCodec:
    return CallbackCodec(
        list(engine.kb.entries), list(engine.kb.contacts), texts.lines("tg_examples"), secret=secret
    )


def follow_reloads(assistant: Assistant, handlers: Any, quiz: Any, secret: str) -> None:
    """Refuse versions this channel cannot serve; rebuild texts and codec on each swap."""

    def swapped(engine: Engine) -> None:
        texts = Texts(engine.intents)
        handlers.texts = texts
        handlers.codec = codec_for(engine, texts, secret)
        handlers.examples = texts.lines("tg_examples")
        if quiz is not None:
            quiz.texts = texts

    assistant.holder.add_validator(telegram_problems)
    assistant.holder.subscribe(swapped)
