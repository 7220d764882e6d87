"""More of the last answer (还有呢, 还有别的吗, 展开讲讲): what the material holds beyond it.

Asked again, the last question only repeats the last reply, which reads as if the material
said nothing else when nobody looked. Here the asker gets what is really more: the full
passages of a list whose items were shown by their headings, or the other passages on the
same question, or a plain statement that the material holds nothing further (with whom to
ask). Which messages ask for more is data (`again`, `expand` in `follow_ups:`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from bot.engine.asks import asked_types
from bot.engine.fit import lacking, related
from bot.engine.normalize import clean
from bot.engine.reply import ItemList, Reply
from bot.knowledge.model import Entry
from bot.numerals import to_chinese

if TYPE_CHECKING:
    from bot.engine.core import Engine

# What ends a request quoted after the question it adds to.
_ENDS = "？?。！!，, ～~"
# At most this many other passages are offered (the README's three suggestions).
MAX_OTHERS = 3


def more_of(
    engine: Engine, question: str, previous: str, *, expand: bool, again: bool = False
) -> Reply | None:
    """The reply to a message asking for more of the answer to `previous`. `expand` (展开讲讲)
    opens a list of headings into its items' passages; `again`: more was asked already, so
    what the material holds beyond it has been given. The reply's `read_as` is `previous`
    with the request after it, so a further request is known as one (`split_more`). None
    after small talk: there is nothing to add to."""
    respond = engine.intents.response
    request = f"{previous}，{clean(question).strip(_ENDS)}"
    last = engine.answer_alone(previous)
    entry = engine.kb.entries.get(last.entry or "")
    if last.kind == "smalltalk":
        return None  # nothing was asked before (你好 + 还有呢)
    if last.kind != "answer":
        # Refused, said not to be stated, or asked back: nothing further to give.
        message = respond("follow_up_nothing")
        reply = engine.compose.fallback(question, "more", message, card=False)
        return _read(engine, reply, "", request)
    if entry is None:
        # Contact cards (联系人是谁): the cards given are all the material names.
        message = respond("follow_up_no_more_contacts")
        reply = engine.compose.fallback(
            question, "more", message, engine.tuning.clarify, card=False
        )
        return _read(engine, reply, "", request)
    topic = entry.title or previous
    items = engine.kb.items_of(entry.id)
    listed = bool(items) and any(isinstance(b, ItemList) for b in last.blocks)
    if listed and not expand and not again:
        # 还有呢 after a whole list: that is all of it; its items' passages are there to open.
        count = to_chinese(len(items))
        message = respond("follow_up_list_all").format(topic=topic, count=count)
        reply = engine.compose.fallback(
            question, "more", message, engine.tuning.clarify, card=False
        )
        return _read(engine, reply, "", request)
    if listed and expand and not again:
        opened = [
            engine.compose.answer(question, last.intent, item, last.confidence) for item in items
        ]
        reply = engine.compose.joined(question, last.intent, opened)
        return _read(engine, reply, respond("follow_up_expand").format(topic=topic), request)
    others = [] if again else _others(engine, previous, entry, last)
    if others:
        prompt = respond("follow_up_more").format(topic=topic)
        reply = engine.compose.clarify(question, "more", prompt, others, engine.tuning.clarify)
        return _read(engine, reply, "", request)
    message = respond("follow_up_no_more").format(topic=topic)
    reply = engine.compose.fallback(question, "more", message, engine.tuning.clarify)
    return _read(engine, reply, "", request)


def split_more(asks_more: Callable[[str], tuple[bool, bool]], previous: str) -> tuple[str, bool]:
    """The previous question without a request for more after it (宣贯工作重点有哪些，展开讲讲
    → 宣贯工作重点有哪些), and whether it had one."""
    head, _, tail = previous.rpartition("，")
    if head and asks_more(tail)[0]:
        return head, True
    return previous, False


def _others(engine: Engine, previous: str, entry: Entry, last: Reply) -> list[Entry]:
    """Passages good enough to offer on the previous question that say something other than
    the one given (nor its items, nor the passage it was cut from)."""
    shown = [entry, *engine.kb.items_of(entry.id)]
    shown += [engine.kb.entries[c.entry] for c in last.citations if c.entry in engine.kb.entries]
    # Only passages naming what the question is most about (施行 of 条例什么时候施行): the
    # encoder finds the campaign's other passages near any question about it.
    words = engine.specific_words(clean(previous))
    asked = [a for a in asked_types(engine.intents.asks, previous) if a.exact]
    # As written or as the base names it (高校, 高等学校), never by a looser synonym (施行 is
    # no 实施).
    key = words[0] if words else ""
    forms = {key, engine.tokenizer.canonical.get(key, key)} - {""}
    found: list[Entry] = []
    for candidate in engine.search(previous):
        if len(found) >= MAX_OTHERS or candidate.score < engine.tuning.clarify:
            break
        other = candidate.entry
        if other.kind == "contact" or any(related(other, s) or other.id == s.id for s in shown):
            continue
        if any(related(other, f) for f in found):
            continue
        if forms and not any(f in f"{other.title}。{other.text}" for f in forms):
            continue
        if asked and lacking(asked, other.text):
            continue  # 还有吗 after a date: other passages holding a date

        found.append(other)
    return found


def _read(engine: Engine, reply: Reply, note: str, previous: str) -> Reply:
    """The reply marked as read with the previous question, so a further 还有呢 asks on
    about the same one."""
    return engine.compose.noted(reply.question, reply, note, previous)
