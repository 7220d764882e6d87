"""What a matched intent rule does: the action its YAML names, routed to the part of the
engine that owns it (small talk, an article or chapter looked up, contacts, a scoped search).
The rules are data (intents/rules.yaml); this is the one place that reads their actions."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from bot.engine.asks import asked_types
from bot.engine.fields import document_field
from bot.engine.intents import Intent, Rule
from bot.engine.lookup import named_laws
from bot.engine.multi import also_asked
from bot.engine.normalize import normalize
from bot.engine.positions import places_asked
from bot.engine.reply import Reply

if TYPE_CHECKING:
    from bot.engine.core import Engine


# The field a document's date is in (落款), asked beside another field (哪天发的、主送给谁),
# by the ask types asking a day.
_DATED_FIELD = "signature"
_DATED_ASKS = ("date", "when")


def _first_at(patterns: list[re.Pattern[str]], text: str) -> int:
    """Where the first of the patterns matches the text first (its length if none does)."""
    return min((m.start() for p in patterns for m in [p.search(text)] if m), default=len(text))


def handle(engine: Engine, question: str, text: str, intent: Intent) -> Reply | None:
    """The reply of the action a matched rule names (smalltalk, article, contact, retrieve…);
    None when the rule does not apply after all and the next one is tried."""
    name, action = intent.name, intent.rule.action
    respond = engine.intents.response
    slots = intent.slots
    if action == "smalltalk":
        return engine.compose.smalltalk(question, name, respond(intent.rule.reply or name))
    if action == "decline":  # 帮我写一篇宣传稿: refused, saying what is not done; no card
        message = respond(intent.rule.reply or name)
        return engine.compose.fallback(question, name, message, card=False)
    if action == "help":
        return engine.compose.smalltalk(question, name, respond("help"))
    if action == "out_of_scope":
        # Only for a topic the knowledge base never mentions: 电影 is out of scope for the
        # campaign material, in scope once the copyright law is loaded.
        topics = [w for w in intent.rule.any_words if w in text]
        if topics and not any(engine.retriever.foreign(normalize(w)) for w in topics):
            return None
        # 中国足球啥时候进世界杯: about the rule's topic, whatever common word the base
        # shares (中国); the contact's card only where the campaign's field is named.
        if engine.chatter.off_topic(text, engine.weighty) or (
            topics and not engine.chatter.names_field(text)
        ):
            return engine.off_topic(question, name)
        return engine.compose.fallback(question, name, respond("fallback"))
    if action == "law_of_place":
        place = engine.lookup.unknown_jurisdiction(text)
        if place is None:
            return None
        message = respond("unknown_jurisdiction").format(place=place)
        return engine.compose.fallback(question, name, message)
    if action == "article":
        return engine.lookup.article(question, name, slots.get("n"))
    if action == "chapter":
        every = "every" in slots
        places = [p.value for p in places_asked(engine.intents.asks, text) if p.part == "章"]
        n = slots.get("n")
        return engine.lookup.chapter(question, name, n, "last" in slots, every, places)
    if action == "sources":
        named = frozenset(engine.named_documents(text))
        return engine.compose.sources(question, name, intent.rule.reply or "sources_intro", named)
    if action == "attachments":
        laws, _ = named_laws(engine.kb, text, engine.tokenizer.places)  # 条例有附件吗
        named = engine.named_documents(text) | {law.id for law in laws}
        return engine.compose.attachments(question, name, named)
    if action == "document_field":  # 通知主送哪些单位: the rule's name is the field
        reply = document_field(engine, question, text, name, name)
        dated = [a for a in asked_types(engine.intents.asks, text) if a.name in _DATED_ASKS]
        if name != _DATED_FIELD and dated and reply.kind == "answer":
            # 通知是哪天发的、主送给谁的: the day it is signed with too, in the order asked.
            signed = document_field(engine, question, text, name, _DATED_FIELD)
            if signed.kind == "answer":
                day_at = _first_at([p for a in dated for p in a.patterns], text)
                first = day_at < _first_at(intent.rule.patterns, text)
                return engine.compose.joined(question, name, [signed, reply][:: 1 if first else -1])
        return reply
    if action == "contact":
        # A number or a name alone names whom (0311-67565891是谁的电话): no menu; nor does
        # a line no card gives (向谁举报: the desk says no such line is given).
        if (
            intent.rule.bare
            and _bare(engine, text, intent.rule)
            and not engine.desk.names_contact(text)
            and all(a.of_contact for a in asked_types(engine.intents.asks, text))
        ):
            return _menu(engine, intent.rule.bare, question)
        return also_asked(engine, question, text, engine.desk.find(question, text, name))
    if (
        action == "retrieve"
        and intent.rule.bare == "duties"
        and "谁" in text
        and not engine.retriever.named_subjects(normalize(text))
        and engine.desk.names_contact(text)
    ):
        # 谁管 about a named organisation: its contact, not a duty.
        return engine.desk.find(question, text, "contact")
    if action == "retrieve" and len(engine.desk.people_named(text)) > 1:
        # 王国强和刘亚强是哪个单位的: both cards, not a menu of the two.
        return engine.desk.find(question, text, "contact")
    if action == "retrieve":
        named = engine.retriever.named_subjects(normalize(text))
        if intent.rule.bare and not named and _bare(engine, text, intent.rule):
            return _menu(engine, intent.rule.bare, question)
        return engine.retrieve(question, text, name, intent.rule.scope)
    return None


def _bare(engine: Engine, text: str, rule: Rule) -> bool:
    """True when the question says nothing beyond the rule's own words (谁负责, 联系人电话)."""
    rest = text
    for pattern in rule.patterns:
        rest = pattern.sub(" ", rest)
    return not engine.weighty(rest)


def _menu(engine: Engine, name: str, question: str) -> Reply:
    """What a bare question gets: a few duty subjects to pick from (at most three
    suggestions, like any question; the note says any other subject may be named), or
    every contact."""
    if name == "duties":
        duties = [e for e in engine.kb.entries.values() if e.kind == "duty"]
        prompt = engine.intents.response("duty_pick")
        return engine.compose.clarify(question, "duty", prompt, duties, 1.0)
    return engine.contacts(None, question=question)
