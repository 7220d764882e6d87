"""A message disputing the last answer (不对吧，我记得是到11月底): the answer again, as the
material words it, so the asker reads what it says rather than a new guess."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.engine.normalize import normalize
from bot.engine.premise import checked
from bot.engine.reply import Reply

if TYPE_CHECKING:
    from bot.engine.core import Engine

# A message disputing the last answer this long or shorter; a longer one asks its own.
MAX_DISPUTE_CHARS = 24


def disputed(engine: Engine, question: str, text: str, previous: str, reply: Reply) -> Reply | None:
    """The last answer again, as the material words it, when the message disputes it; None
    when it does not. Answered alone (不对，条例是九章七十条: 共八章、六十八条，不是…),
    finding a passage, asking which thing (我听说有个专利奖，奖金多少), saying what was meant
    (不对，我问的是通过时间) or naming a topic the last answer is not about (我听说专利奖奖金很
    高, after 条例什么时候施行), it is no dispute; asking only whether (不对吧，不是到11月底吗),
    or naming another body (不对吧，我记得是省知识产权局设的), it is."""
    follow = engine.intents.follow_ups
    disputed = follow.disputes.match(text) if follow.disputes else None
    if disputed is None or len(text) > MAX_DISPUTE_CHARS:
        return None
    claim = text[disputed.end() :]
    which = bool(follow.which and follow.which.search(claim))
    meant = bool(follow.reasks and follow.reasks.search(claim))
    if meant or (which and engine.intents.asks_something(claim)):
        return None
    again = engine.answer_alone(previous)
    answered = reply.kind == "answer" or reply.entry is not None
    if answered and not same_passage(engine, question, again, reply):
        return None
    if again.kind == "clarify":
        # 经费保障呢 (a menu) + 你确定吗: the menu again, saying it answered nothing itself.
        note = engine.intents.response("follow_up_disputed_menu")
        return engine.compose.noted(question, again, note, previous)
    if again.kind == "fallback" and again.entry is None and again.shown_contacts:
        # A plain "not stated" (罚款标准是多少: 资料中未载明具体金额), again, saying the material
        # has nothing on it (a refusal out of scope shows no card: 天气 + 你确定吗 is small talk).
        note = engine.intents.response("follow_up_disputed_none")
        return engine.compose.noted(question, again, note, previous)
    # An answer, or what the material says of a thing it states no more of (专利奖奖多少钱:
    # 资料中关于“专利奖”只提到…; 未载明具体金额): the same again.
    if again.kind != "answer" and not (again.kind == "fallback" and again.entry is not None):
        return None
    doers = engine.intents.doers
    topics = [
        w
        for w in engine.weighty(claim)
        if not engine.retriever.foreign(w) and not (doers and doers.search(w))
    ]
    said = normalize(f"{previous}{again.text}")
    if any(w not in said for w in topics):
        return None
    note = engine.intents.response("follow_up_disputed")
    return engine.compose.noted(question, again, note, previous)


def same_passage(engine: Engine, question: str, last: Reply, reply: Reply) -> bool:
    """Whether the message alone (`reply`) finds what the last question found (`last`: 不对吧，
    没有营商环境评价体系吧, the passage saying it): then it disputes that answer."""
    entries = engine.kb.entries
    found, again = reply.entry, last.entry
    if reply.kind != "answer" or found not in entries or again not in entries:
        return False
    if found != again and entries[found].text.strip() != entries[again].text.strip():
        return False
    said = checked(engine, question, reply)  # the premise notes its own reply will carry
    # Unless it says what is wrong itself (不对，条例是九章七十条: …，不是九章、七十条; 不对吧，
    # 专利奖是国家设立的吧: 没有提到“国家”).
    return not (said.blocks and said.blocks[0].type == "note")
