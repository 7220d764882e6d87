"""A message asking two things, one of them a contact (实施方案是谁印发的？联系人又是谁？).

The contact desk answers the contact; the other question, asked alone, is answered too when
it can be, and both go back in the order asked. (Two values asked of two passages are the
shaper's: bot/engine/shape.py.)
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.engine.asks import message_parts
from bot.engine.reply import Reply

if TYPE_CHECKING:
    from bot.engine.core import Engine


def also_asked(engine: Engine, question: str, text: str, reply: Reply) -> Reply:
    """The contact `reply`, after (or before) the answer to the message's other question
    when, asked alone, it is answered; the contact reply alone otherwise. A part asks
    something when it holds a question word (我是高校老师 does not)."""
    intents = engine.intents
    parts = [p for p in message_parts(text) if engine.weighty(p)]
    others = [p for p in parts if intents.asks_something(p) and not intents.asks_contact(p)]
    if reply.kind != "answer" or not others or len(others) == len(parts):
        return reply
    other = engine.retrieve(question, " ".join(others), "search")
    if (
        other.kind != "answer"
        or other.confidence < engine.tuning.answer
        or other.entry is None
        or other.entry in engine.kb.contacts
        or {c.id for c in other.shown_contacts} & {c.id for c in reply.shown_contacts}
    ):
        return reply
    pair = [other, reply]
    contact_parts = [p for p in parts if p not in others]
    if contact_parts and text.find(contact_parts[0]) < text.find(others[0]):
        pair.reverse()
    return engine.compose.joined(question, reply.intent, pair)
