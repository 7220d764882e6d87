"""More of the last answer (还有呢, 还有别的吗, 展开讲讲): what the material holds beyond it.

Asked again, the last question only repeats the last reply, which reads as if the material
said nothing else when nobody looked. Here the asker gets what is really more: the full
passages of a list whose items were shown by their headings, or the other passages on the
same question, or a plain statement that the material holds nothing further (with whom to
ask). Which messages ask for more is data (`again`, `expand` in `follow_ups:`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.engine.asks import asked_types
from bot.engine.fit import lacking, related
from bot.engine.reply import ItemList, Reply
from bot.knowledge.model import Entry
from bot.numerals import to_chinese

if TYPE_CHECKING:
    from bot.engine.core import Engine

# At most this many other passages are offered (the README's three suggestions).
MAX_OTHERS = 3


def more_of(engine: Engine, question: str, previous: str, *, expand: bool) -> Reply | None:
    """The reply to a message asking for more of the answer to `previous`; None when the
    previous question had no answer to add to (it was refused or only asked back).
    `expand` (展开讲讲) opens a list of headings into its items' passages."""
    last = engine.answer_alone(previous)
    if last.kind != "answer":
        return None
    respond = engine.intents.response
    entry = engine.kb.entries.get(last.entry or "")
    if entry is None:
        # Contact cards (联系人是谁): the cards given are all the material names.
        message = respond("follow_up_no_more_contacts")
        reply = engine.compose.fallback(
            question, "more", message, engine.tuning.clarify, card=False
        )
        return _read(engine, reply, "", previous)
    topic = entry.title or previous
    items = engine.kb.items_of(entry.id)
    listed = bool(items) and any(isinstance(b, ItemList) for b in last.blocks)
    if listed and not expand:
        # 还有呢 after a whole list: that is all of it; its items' passages are there to open.
        count = to_chinese(len(items))
        message = respond("follow_up_list_all").format(topic=topic, count=count)
        reply = engine.compose.fallback(
            question, "more", message, engine.tuning.clarify, card=False
        )
        return _read(engine, reply, "", previous)
    if listed:
        opened = [
            engine.compose.answer(question, last.intent, item, last.confidence) for item in items
        ]
        reply = engine.compose.joined(question, last.intent, opened)
        return _read(engine, reply, respond("follow_up_expand").format(topic=topic), previous)
    others = _others(engine, previous, entry, last)
    if others:
        prompt = respond("follow_up_more").format(topic=topic)
        reply = engine.compose.clarify(question, "more", prompt, others, engine.tuning.clarify)
        return _read(engine, reply, "", previous)
    message = respond("follow_up_no_more").format(topic=topic)
    reply = engine.compose.fallback(question, "more", message, engine.tuning.clarify)
    return _read(engine, reply, "", previous)


def _others(engine: Engine, previous: str, entry: Entry, last: Reply) -> list[Entry]:
    """Passages good enough to offer on the previous question that say something other than
    the one given (nor its items, nor the passage it was cut from)."""
    shown = [entry, *engine.kb.items_of(entry.id)]
    shown += [engine.kb.entries[c.entry] for c in last.citations if c.entry in engine.kb.entries]
    # Only passages naming what the question is most about (施行 of 条例什么时候施行): the
    # encoder finds the campaign's other passages near any question about it.
    words = engine.weighty(previous)
    asked = [a for a in asked_types(engine.intents.asks, previous) if a.exact]
    key = max(words, key=engine.tokenizer.weight) if words else ""
    found: list[Entry] = []
    for candidate in engine.search(previous):
        if len(found) >= MAX_OTHERS or candidate.score < engine.tuning.clarify:
            break
        other = candidate.entry
        if other.kind == "contact" or any(related(other, s) or other.id == s.id for s in shown):
            continue
        if any(related(other, f) for f in found):
            continue
        if key and key not in engine.weighty(f"{other.title}。{other.text}"):
            continue
        if asked and lacking(asked, other.text):
            continue  # 还有吗 after a date: other passages holding a date

        found.append(other)
    return found


def _read(engine: Engine, reply: Reply, note: str, previous: str) -> Reply:
    """The reply marked as read with the previous question, so a further 还有呢 asks on
    about the same one."""
    return engine.compose.noted(reply.question, reply, note, previous)
