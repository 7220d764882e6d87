"""The answering engine: normalise → route intents → retrieve → compose a cited reply."""

from bot.engine.core import Engine, Thresholds
from bot.engine.reply import Citation, ContactCard, Reply, Suggestion

__all__ = ["Citation", "ContactCard", "Engine", "Reply", "Suggestion", "Thresholds"]
