"""More of the last answer (还有呢, 还有别的吗, 展开讲讲): what the material holds beyond it.

Asked again, the last question only repeats the last reply, which reads as if the material
said nothing else when nobody looked. Here the asker gets what is really more: the items of
a list not shown yet, the full passages of items shown by their headings, the other passages
on the same question, or a plain statement that the material holds nothing further (with
whom to ask). Which messages ask for more is data (`again`, `expand` in `follow_ups:`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from bot.engine.asks import asked_types
from bot.engine.fit import lacking, related
from bot.engine.normalize import clean, normalize
from bot.engine.reading import PLACE
from bot.engine.reply import ItemList, Reply
from bot.knowledge.model import Entry
from bot.numerals import to_chinese

if TYPE_CHECKING:
    from bot.engine.core import Engine

# The ask type of a request for the source's own words (intents/asks.yaml).
VERBATIM = "verbatim"
# What ends a request quoted after the question it adds to.
_ENDS = "？?。！!，, ～~"
# At most this many other passages are offered (the README's three suggestions).
MAX_OTHERS = 3
# What was given already for the question (split_more): nothing yet, the rest of it or an
# offer of other passages (AGAIN), or its items opened (EXPAND).
NONE, AGAIN, EXPAND = "", "again", "expand"


def more_of(
    engine: Engine, question: str, previous: str, *, expand: bool, done: str = NONE
) -> Reply | None:
    """The reply to a message asking for more of the answer to `previous`. `expand`
    (展开讲讲) opens the items a list showed by their headings; `done` is what was given
    for it already, so a further request gets what is left, or is told nothing is. The
    reply's `read_as` is `previous` with the request after it (`split_more` reads it back).
    None after small talk: there is nothing to add to."""
    respond = engine.intents.response
    request = f"{previous}，{clean(question).strip(_ENDS)}"
    last = engine.answer_alone(previous)
    if last.kind == "smalltalk":
        return None  # nothing was asked before (你好 + 还有呢)
    entry = engine.kb.entries.get(last.entry or "")
    if last.kind != "answer":
        # Refused, said not to be stated, or asked back: nothing further to give.
        message = respond("follow_up_nothing")
        return _read(
            engine, engine.compose.fallback(question, "more", message, card=False), request
        )
    shown = {c.id for c in last.shown_contacts}
    others = [c for c in engine.kb.contacts.values() if c.id not in shown]
    of_contacts = bool(shown) and engine.intents.asks_contact(question)  # 还有别的联系人吗
    if of_contacts and others and done == NONE:
        # 方案的联系人是谁 + 还有别的联系人吗: the material's other contacts.
        note = respond("follow_up_other_contacts")
        listed = engine.compose.contact_list(
            question, "more", others, last.confidence, note=note, kind="answer"
        )
        # What the next follow-up builds on is the people now shown (他电话呢: 王国强's).
        listed.read_as = engine.intents.response("follow_up_people_read").format(
            names="、".join(c.name for c in others)
        )
        return listed
    if entry is None or of_contacts:
        # Contact cards (联系人是谁): the cards given are all the material names.
        key = "follow_up_no_more_contacts" if shown else "follow_up_nothing"
        return _read(
            engine, engine.compose.fallback(question, "more", respond(key), card=False), request
        )
    topic = entry.title or previous
    listed = shown_list(engine, last)
    after = None if expand or listed else _items_after(engine, previous, entry, done)
    if after is not None:
        return _read(engine, after, request)
    if listed is not None:
        reply = _more_of_list(engine, question, last, entry, listed, expand=expand, done=done)
        if reply is not None:
            return _read(engine, reply, request)
    elif done == NONE:
        whole = engine.kb.entries.get(entry.parent or "")
        if not expand and whole is not None and len(whole.text) > len(entry.text):
            # 法律责任讲了啥 + 工作人员不履职呢 + 还有呢: the passage it was cut from, whole.
            note = respond("follow_up_whole").format(topic=topic)
            again = engine.answer_entry(whole.id, question)
            return _read(engine, engine.compose.noted(question, again, note, ""), request)
        others = _others(engine, previous, entry, last)
        if others:
            prompt = respond("follow_up_more").format(topic=topic)
            offer = engine.compose.clarify(question, "more", prompt, others, engine.tuning.clarify)
            return _read(engine, offer, request)
    message = respond("follow_up_no_more").format(topic=topic)
    return _read(
        engine, engine.compose.fallback(question, "more", message, engine.tuning.clarify), request
    )


def _more_of_list(
    engine: Engine,
    question: str,
    last: Reply,
    section: Entry,
    listed: ItemList,
    *,
    expand: bool,
    done: str,
) -> Reply | None:
    """More of a list shown by its items' headings: those items opened (展开讲讲), the items
    not shown (还有呢 after 第一条和最后一条), or that these are all; None once given."""
    respond, compose = engine.intents.response, engine.compose
    shown_ids = [i.citation.entry for i in listed.items]
    shown = [e for e in engine.kb.items_of(section.id) if e.id in shown_ids]
    rest = [e for e in engine.kb.items_of(section.id) if e.id not in shown_ids]
    if expand and done != EXPAND and shown:
        opened = [compose.answer(question, last.intent, item, last.confidence) for item in shown]
        note = respond("follow_up_expand").format(topic=section.title)
        return compose.noted(question, compose.joined(question, last.intent, opened), note, "")
    if done != NONE or expand:
        return None
    if rest:
        # 有关要求的第一条和最后一条 + 还有呢: the one not shown.
        note = respond("follow_up_list_rest").format(topic=section.title)
        listing = compose.listing(question, last.intent, section, rest, last.confidence)
        return compose.noted(question, listing, note, "")
    # 还有呢 after a whole list: that is all of it; its items' passages are there to open.
    count = to_chinese(len(shown))
    message = respond("follow_up_list_all").format(topic=section.title, count=count)
    return compose.fallback(question, "more", message, engine.tuning.clarify, card=False)


def _items_after(engine: Engine, previous: str, item: Entry, done: str) -> Reply | None:
    """More after an item of a list asked by its place (工作重点有哪些 + 第二点呢 + 还有呢):
    the items after it, or, when it was the last or they were given (`done`), that the list
    has no more; None when the last question asked no place (宣传月是什么: more of the topic,
    not the list's next item)."""
    section = engine.kb.entries.get(item.item_of or "")
    if section is None or not PLACE.search(previous):
        return None
    items = engine.kb.items_of(section.id)
    rest = items[items.index(item) + 1 :] if item in items and done == NONE else []
    respond, compose = engine.intents.response, engine.compose
    if not rest:
        count = to_chinese(len(items))
        message = respond("follow_up_list_all").format(topic=section.title, count=count)
        return compose.fallback(previous, "more", message, engine.tuning.clarify, card=False)
    note = respond("follow_up_list_rest").format(topic=section.title)
    listing = compose.listing(previous, "more", section, rest, engine.tuning.answer)
    return compose.noted(previous, listing, note, "")


def opened(engine: Engine, question: str, text: str, reply: Reply) -> Reply:
    """A list shown by its headings, opened into its items' passages when the (cleaned)
    question asks for the source's own words (把三个工作重点的原文全部给我); else `reply`."""
    listed = shown_list(engine, reply)
    if listed is None or not any(
        a.name == VERBATIM for a in asked_types(engine.intents.asks, text)
    ):
        return reply
    entries, compose = engine.kb.entries, engine.compose
    items = [entries[i.citation.entry] for i in listed.items if i.citation.entry in entries]
    if not items:
        return reply
    parts = [compose.answer(question, reply.intent, e, reply.confidence) for e in items]
    return compose.joined(question, reply.intent, parts)


def shown_list(engine: Engine, reply: Reply) -> ItemList | None:
    """The list an answer shows of its section's items by their headings (宣贯工作重点有哪些),
    if it shows one."""
    if reply.kind != "answer" or not engine.kb.items_of(reply.entry or ""):
        return None
    return next((b for b in reply.blocks if isinstance(b, ItemList)), None)


def split_more(asks_more: Callable[[str], tuple[bool, bool]], previous: str) -> tuple[str, str]:
    """The previous question without a request for more after it (宣贯工作重点有哪些，展开讲讲
    → 宣贯工作重点有哪些), and what that request was given (NONE, AGAIN or EXPAND)."""
    head, _, tail = previous.rpartition("，")
    more, expand = asks_more(tail) if head else (False, False)
    if not more:
        return previous, NONE
    return head, EXPAND if expand else AGAIN


def _others(engine: Engine, previous: str, entry: Entry, last: Reply) -> list[Entry]:
    """Passages good enough to offer on the previous question that say something other than
    the one given (nor its items, nor the passage it was cut from)."""
    kb = engine.kb
    shown = [entry, *kb.items_of(entry.id)]
    shown += [kb.entries[c.entry] for c in last.citations if c.entry in kb.entries]
    shown += [kb.entries[s.entry] for s in last.suggestions if s.entry in kb.entries]
    # Another chapter is no more of a chapter (第五章 + 还有呢: not 第一章、第八章), nor the
    # list of them.
    skipped = ("chapter", "structure") if entry.kind in ("chapter", "structure") else ()
    text = engine.fixer.fix(clean(previous))
    kinds = asked_types(engine.intents.asks, text)
    asked = [a for a in kinds if a.exact]
    # Not the kind of thing asked (职责 of 高校有什么职责): what it is asked of.
    things = {a.thing for a in kinds if a.thing}
    words = [w for w in engine.specific_words(text) if w not in things]
    # Only passages naming what the question is most about, as written or as the base names
    # it (高校, 高等学校), never by a looser synonym (施行 is no 实施): the encoder finds the
    # campaign's other passages near any question about it.
    key = words[0] if words else ""
    forms = {key, engine.tokenizer.canonical.get(key, key)} - {""}
    found: list[Entry] = []
    for candidate in engine.search(normalize(text)):
        if len(found) >= MAX_OTHERS or candidate.score < engine.tuning.clarify:
            break
        other = candidate.entry
        if skipped and (other.kind in skipped or other.id in engine.lookup.listing):
            continue  # another chapter, or the list of them all
        if other.kind == "contact" or any(related(other, s) for s in [*shown, *found]):
            continue
        if forms and not any(f in f"{other.title}。{other.text}" for f in forms):
            continue
        if asked and lacking(asked, other.text):
            continue  # 还有吗 after a date: other passages holding a date
        found.append(other)
    return found


def _read(engine: Engine, reply: Reply, request: str) -> Reply:
    """The reply marked as read with the previous question and the request, so a further
    request is known as one."""
    return engine.compose.noted(reply.question, reply, "", request)
