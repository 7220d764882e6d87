"""The answering engine: normalise → route intents → retrieve → compose a cited reply."""

from bot.engine.core import Engine
from bot.engine.reply import Citation, ContactCard, Reply, Suggestion
from bot.engine.tuning import Tuning

__all__ = ["Citation", "ContactCard", "Engine", "Reply", "Suggestion", "Tuning"]
