"""A menu for a question asking a value no passage and no card holds anywhere (方案的文号是
多少, 罚款标准是多少钱): what it asks is not in the material, whichever suggestion is picked,
so the reply says so plainly with the contact to ask, instead of offering passages that
cannot answer it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.engine.asks import LIST, asked_types
from bot.engine.material import read_material
from bot.engine.reply import Reply

if TYPE_CHECKING:
    from bot.engine.core import Engine


def held_nowhere(engine: Engine, question: str, text: str, reply: Reply) -> Reply:
    """`reply`, or, when it is a menu and every exact value the question asks (an amount, a
    document number, an address) is held by no text of the knowledge base, a fallback saying
    the material does not state it."""
    if reply.kind != "clarify":
        return reply
    asks = [a.bound(text) for a in asked_types(engine.intents.asks, text) if a.name != LIST]
    if not asks or not all(a.exact for a in asks):
        return reply  # a topic asked too (怎么办, 有哪些): a passage may still answer that
    everything = read_material(engine).text  # the cards' text too: they hold phones, emails
    if any(a.held(everything) for a in asks):
        return reply
    missing = "、".join(dict.fromkeys(a.missing for a in asks))
    message = engine.intents.response("partial_missing").format(missing=missing)
    return engine.compose.fallback(question, reply.intent, message, reply.confidence)
