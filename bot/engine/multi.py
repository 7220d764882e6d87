"""A message asking two things, one of them a contact (实施方案是谁印发的？联系人又是谁？).

The contact desk answers the contact; the other question, asked alone, is answered too when
it can be, and both go back in the order asked. (Two values asked of two passages are the
shaper's: bot/engine/shape.py.)
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from bot.engine.asks import unframed
from bot.engine.fit import related
from bot.engine.reply import Reply
from bot.knowledge.model import Entry

if TYPE_CHECKING:
    from bot.engine.core import Engine


def also_asked(engine: Engine, question: str, text: str, reply: Reply) -> Reply:
    """The contact `reply`, after (or before) the answer to the message's other question
    when, asked alone, it is answered; the contact reply alone otherwise. A part asks
    something when it holds a question word (我是高校老师 does not)."""
    intents = engine.intents
    parts = [p for p in engine.intents.parts(text) if engine.weighty(p)]
    others = [p for p in parts if intents.asks_something(p) and not intents.asks_contact(p)]
    # The cards, or the cards after "no such line is given" (被侵权了找谁).
    carded = reply.kind == "answer" or (reply.kind == "fallback" and bool(reply.shown_contacts))
    if not carded or not others or len(others) == len(parts):
        return reply
    other = engine.retrieve(question, " ".join(others), "search")
    # 我是开网店的，平台有啥责任？被侵权了找谁？: what the material says of the platforms'
    # duty without stating it, then the cards (the not-stated reply's own cards shown once).
    partial = other.kind == "fallback" and other.entry is not None
    if (
        not (other.kind == "answer" or partial)
        or other.confidence < engine.tuning.answer
        or other.entry is None
        or other.entry in engine.kb.contacts
        or (
            not partial
            and {c.id for c in other.shown_contacts} & {c.id for c in reply.shown_contacts}
        )
    ):
        return reply
    pair = [other, reply]
    contact_parts = [p for p in parts if p not in others]
    if not partial and contact_parts and text.find(contact_parts[0]) < text.find(others[0]):
        pair.reverse()
    return engine.compose.joined(question, reply.intent, pair, "fallback" if partial else "answer")


# At most this many questions in one message are answered one by one.
MAX_PARTS = 4


# Between the two things a comparison names (活动时间和施行日期).
_BETWEEN = re.compile(r"和|与|跟|同|还是|以及|、")


def compared(engine: Engine, question: str, text: str) -> Reply | None:
    """Two things compared (活动时间和施行日期哪个更早): each answered alone, both answers
    in the order named, when each finds a passage of its own; the one passage when both find
    it; None otherwise, or when the message compares nothing."""
    found, ask = next(
        ((m, ask) for pattern, ask in engine.intents.compare if (m := pattern.search(text))),
        (None, ""),
    )
    if found is None:
        return None
    things = [p for p in _BETWEEN.split(text[: found.start()]) if engine.specific_words(p)]
    if len(things) != 2:
        return None
    answers = [engine.answer_alone(ask.format(thing=thing)) for thing in things]
    if any(a.kind != "answer" or a.confidence < engine.tuning.answer for a in answers):
        return None
    first, second = (engine.kb.entries.get(a.entry or "") for a in answers)
    if first is None or second is None:
        return None
    if _overlap(first, second):
        return answers[0] if _holds_all(first, [first, second]) else answers[1]
    return engine.compose.joined(question, "compare", answers)


def each_asked(engine: Engine, question: str, text: str, reply: Reply) -> Reply:
    """A message asking several things (印发通知是哪天，条例又是哪天开始施行) that as a whole
    finds no one passage: each part's answer, in the order asked, when every part asked
    alone is answered, each by a passage of its own, or the one passage holding them all;
    `reply` otherwise. Two things compared are each answered (`compared`)."""
    if reply.kind != "smalltalk" and not reply.shown_contacts:
        both = compared(engine, question, text)
        if both is not None:
            return both
    # The cards a reply saying what is not stated shows are no contact question's.
    carded = reply.shown_contacts and reply.kind != "fallback"
    stands = reply.kind in ("answer", "smalltalk") or reply.read_as or carded
    if stands and not (reply.kind == "answer" and _unanswered_question(engine, text, reply)):
        # An answer stands: a second question is as often a fragment of the first (方案里咋说
        # 的, 列几条) or answered by its passage too, and joining one more passage to it made
        # the dev split's replies worse, not better — unless its passage says nothing of a
        # second question closed by its own mark (条例施型日期是哪天？工作重点有几条？).
        # Contact questions' parts are the desk's.
        return reply
    intents = engine.intents
    # Each part a question of its own, naming something the base uses beyond what it asks
    # (not 分几类; not 啥时候截止 after 申请专利奖需要什么材料: the prize's, not the campaign's).
    parts = [
        p
        for p in intents.parts(text)
        if intents.asks_something(p) and engine.specific_words(unframed(intents.asks, p))
    ]
    if not 2 <= len(parts) <= MAX_PARTS:
        return reply
    answers = []
    for part in parts:  # stopping at the first part not answered: each costs an answer
        answer = engine.answer_alone(part)
        answered = answer.kind == "answer" and answer.confidence >= engine.tuning.answer
        # 条例哪天施行？另外专利奖奖金有多少: the date, and what the material says of the prize
        # without its sum, rather than one reply saying neither is stated.
        partial = answer.kind == "fallback" and answer.entry is not None
        if not (answered or partial):
            return reply
        answers.append(answer)
    whole = all(a.kind == "answer" for a in answers)
    if not any(a.kind == "answer" for a in answers):
        return reply
    if any(
        a.kind == "answer" and a.shown_contacts and not intents.asks_contact(p)
        for a, p in zip(answers, parts, strict=True)
    ):
        return reply  # 市场监管局吗 after a question: a card it does not ask for is a guess
    entries = [a.entry for a in answers]
    found = [engine.kb.entries[e] for e in entries if e in engine.kb.entries]
    if len(found) < len(answers):
        return reply
    lacks = engine.kb.entries.get(reply.entry or "") if reply.kind == "fallback" else None
    if lacks is not None and any(
        a.kind == "answer" and _overlap(e, lacks) for a, e in zip(answers, found, strict=True)
    ):
        # 失信惩戒的对象有哪些？具体有哪些惩戒措施？: the passage the whole message found
        # lacking answers no part of it either.
        return reply
    if any(_overlap(a, b) for i, a in enumerate(found) for b in found[i + 1 :]):
        # One passage holding the others' answers them all (the notice holds the date it
        # was issued and the date the regulation takes effect); else no joining.
        held = next((a for a, e in zip(answers, found, strict=True) if _holds_all(e, found)), None)
        return held if held is not None and whole else reply
    # A part the material does not answer makes the whole no answer (kind `fallback`).
    kind = "answer" if whole else "fallback"
    return engine.compose.joined(question, answers[0].intent, answers, kind)


def _unanswered_question(engine: Engine, text: str, reply: Reply) -> bool:
    """Whether the message asks two questions or more, parted by a question mark (the last
    may go without: 条例有几章？第五章叫啥), one of which names nothing the answer's passage
    does."""
    entry = engine.kb.entries.get(reply.entry or "")
    closed = re.findall(r"[^？?]+[？?]", text)
    rest = text[sum(len(q) for q in closed) :]
    asked = [q for q in (*closed, rest) if q.strip() and engine.intents.asks_something(q)]
    if entry is None or reply.read_as or reply.shown_contacts or len(asked) < 2:
        return False
    said = f"{entry.title}。{entry.text}"
    return any(
        (words := engine.specific_words(q)) and not any(w in said for w in words) for q in asked
    )


def _overlap(a: Entry, b: Entry) -> bool:
    """Passages saying the same: one, one carved from the other, or one holding the other's
    text (a duty's sentence inside the interpretation's point)."""
    return related(a, b) or a.text.strip() in b.text or b.text.strip() in a.text


def _holds_all(entry: Entry, found: list[Entry]) -> bool:
    """Whether the passage holds every other's text (its own among them)."""
    return all(e.text.strip() in entry.text for e in found)


def asked_part(engine: Engine, question: str, text: str, reply: Reply) -> Reply:
    """A menu for a message that says something before or after what it asks (给学生讲课，
    条例的立法目的是什么): the parts asking something, asked alone, when they answer; the
    menu otherwise. A part with no question word (给学生讲课) asks nothing of its own. So is
    a reply finding nothing (我们是做机械配件的小公司，十几个人，想问问…有啥奖励没: the
    statement's words outweighed the question's)."""
    if reply.kind != "clarify" and not (reply.kind == "fallback" and reply.entry is None):
        return reply
    parts = engine.intents.parts(text)
    asking = [p for p in parts if engine.intents.asks_something(p)]
    if not asking or len(asking) == len(parts):
        return reply
    if any(engine.specific_words(p) for p in parts if p not in asking):
        return reply  # 我们是做专利代理的，有啥要求: the statement names what is asked about
    asked = "，".join(asking)
    if reply.kind == "fallback" and not engine.specific_words(asked):
        return reply  # 周末带孩子去哪玩，有啥好地方推荐吗: nothing of the base asked either
    again = engine.retrieve(question, asked, "search")
    # The statement names nothing the base holds: the question alone decides, by its score.
    if again.kind != "answer" or again.confidence < engine.tuning.answer:
        return reply
    again.read_as = again.read_as or asked  # what a follow-up (具体奖多少钱) reads on
    return again
