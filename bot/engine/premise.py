"""What a question takes for granted that the material does not hold, said before the passage,
so a wrong premise is never left standing behind an answer that reads as agreeing with it: a
day no passage gives (条例是2023年10月1日起施行的吧), an item a series does not list
(五进包括进农村吗), a thing the material never names (…包括调解吗, 有经费补贴吗), a body said
to have done what the passage says another did (专利奖是国家设立的吗); and, asked who did
something no passage names a doer for (知识产权基金是谁设立的), that it is not stated. The
words it reads by are data (bot/engine/premise_words.py).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from bot.engine.actors import acted, confirmed, is_day, unsaid
from bot.engine.asks import CLAUSE, asked_types
from bot.engine.days import DAY, held, month_given, stated_days, stated_months, unheld_day
from bot.engine.days_of import dated_things, days_of, says
from bot.engine.listing import found, unlisted, unnamed
from bot.engine.material import claim_verdict, noted, read_material, unused
from bot.engine.normalize import clean, normalize
from bot.engine.reply import Reply
from bot.knowledge.model import Entry

if TYPE_CHECKING:
    from bot.engine.core import Engine


def checked(engine: Engine, question: str, reply: Reply) -> Reply:
    """`reply` with a note first for each premise of the question the material does not
    hold; asked who did something no passage names a doer for, the reply saying so instead.
    A passage asked for by name (a suggestion picked, 给原文) is given as it is."""
    if reply.intent == "suggestion":
        return reply
    chosen = _only_choice(engine, question, reply)
    if chosen is not None:
        # 技术调查官制度是给行政处罚提供依据的吧: a menu of one for a claim is that passage,
        # when a note then says what of the claim it does not hold; else the menu stands.
        told = _unwritten(engine, question, chosen, _checks(engine, question, chosen))
        if told.text != chosen.text:
            return told
    told = _checks(engine, question, reply)
    if reply.kind == "answer" and _asserted(engine, question, reply):
        told = _unwritten(engine, question, reply, told)
    if told.text == reply.text and confirmed(engine, question, reply):
        # 专利奖是省政府设立的，对吧: nothing of it wrong, and the passage says that body did
        # it: said plainly first (对。), as a wrong one is said to be wrong.
        verdict = claim_verdict(engine, question, holds=True)
        if verdict:
            told = noted(engine, question, reply, verdict)
    return told


def _unwritten(engine: Engine, question: str, reply: Reply, told: Reply) -> Reply:
    """`told` (the checks' reply to a claim), or, when they found nothing to say, `reply`
    with a note naming what the claim says that the material never writes (行政处罚)."""
    if told.text != reply.text:
        return told
    if _opens_with_note(reply):
        return told  # the reply starts by saying what is wrong already (王国强的单位写作…)
    text = engine.fixer.fix(clean(question))
    field = engine.intents.domain_words  # 文件, 条例: the field's words, no claim
    least = engine.tuning.unwritten_weight
    # Piece by piece: normalised whole, 报纸、电视、广播 reads as one word 电视广播.
    pieces = (p for p in re.split(r"[、，,；;\s]+", text) if p)
    weighty = dict.fromkeys(
        w
        for piece in pieces
        for w in engine.weighty(piece)
        if w not in field and engine.tokenizer.weight(w) >= least
    )
    never = [w for w in weighty if _never_written(engine, w)]
    if not never:
        return told
    note = engine.intents.response("thing_not_held").format(thing="”“".join(never))
    return noted(engine, question, reply, note)


def _opens_with_note(reply: Reply) -> bool:
    """Whether the reply starts with a note (after the one saying how a follow-up was read)."""
    read = int(bool(reply.read_as))
    return len(reply.blocks) > read and reply.blocks[read].type == "note"


def _asserted(engine: Engine, question: str, reply: Reply) -> bool:
    """Whether the question, read as asked (no follow-up's guess), ends as a claim."""
    asserts = engine.intents.premises.asserts
    if asserts is None or reply.read_as:
        return False
    return bool(asserts.search(engine.fixer.fix(clean(question)).rstrip("？?。!！~～ ")))


def _checks(engine: Engine, question: str, reply: Reply) -> Reply:
    reply = listed(engine, question, monthed(engine, question, dated(engine, question, reply)))
    reply = absent(engine, question, unsaid(engine, question, acted(engine, question, reply)))
    return also(engine, question, reply)


def _never_written(engine: Engine, word: str) -> bool:
    """Whether the material's text holds the word nowhere, in no form the synonyms give
    (行政处罚: though 行政 is in 行政保护, the material never says it)."""
    canonical = engine.tokenizer.canonical
    root = canonical.get(word, word)
    forms = {word, root} | {w for w, c in canonical.items() if c == root}
    text = read_material(engine).text
    names = [f"{s.short}{s.title}" for s in engine.kb.sources.values()]  # 简要解读
    if any(form in text or any(form in n for n in names) for form in forms):
        return False
    # A compound whose every part the material writes (宣传渠道: 宣传, 多渠道) is its wording
    # put together, not a thing it never names (行政处罚: it never says 处罚).
    parts = [word[i:j] for i, j, _ in engine.tokenizer.subword_spans(word)]
    return len(parts) < 2 or not all(p in text for p in parts)


def _only_choice(engine: Engine, question: str, reply: Reply) -> Reply | None:
    """The one passage a menu of one offers, answered, when the question is a claim
    (`premises.asserts`) read as asked."""
    if reply.kind != "clarify" or len(reply.suggestions) != 1:
        return None
    if not _asserted(engine, question, reply):
        return None
    entry = engine.kb.entries.get(reply.suggestions[0].entry)
    if entry is None:
        return None
    return engine.compose.answer(question, reply.intent, entry, reply.confidence)


def also(engine: Engine, question: str, reply: Reply) -> Reply:
    """`reply`, with a note first when the question asks whether someone too (`premises.
    also`: 社区工作人员是不是也得把条例列入应知应会清单) must do what a passage says of others
    and names none of them: the passage says it of 领导干部, and nothing of 社区工作人员."""
    words = engine.intents.premises.also
    # As typed (那学校也要吗), else as read (乡镇也要开展宣贯吗, a follow-up's reading).
    texts = [engine.fixer.fix(clean(t)) for t in (question, reply.read_as) if t]
    asked = next((m for m in (words.search(t) for t in texts) if m), None) if words else None
    entry = engine.kb.entries.get(reply.entry or "")
    if asked is None or reply.kind != "answer" or entry is None or entry.kind == "contact":
        return reply
    who = normalize(asked.group("who"))
    if _opens_with_note(reply):
        return reply  # a note already says what is wrong
    said = normalize(f"{entry.title}{entry.subject or ''}{entry.text}")
    if _names_kind(engine, who, said):
        return reply
    note = engine.intents.response("also_not_named").format(who=who)
    return noted(engine, question, reply, note)


def _names_kind(engine: Engine, who: str, said: str) -> bool:
    """Whether a passage names who is asked about: its last word as written, by any synonym
    (高校, 高等学校), or the kind it is of, the word's last two characters (民营企业: 企业;
    市政府: 政府)."""
    cut = [w for w in engine.tokenizer.cut(who) if len(w) > 1]
    head = cut[-1] if cut else who
    canonical = engine.tokenizer.canonical
    forms = {head, head[-2:], canonical.get(head, head)}
    forms |= {w for w, c in canonical.items() if c in forms}
    return any(f in said for f in forms)


def dated(engine: Engine, question: str, reply: Reply) -> Reply:
    """`reply`, with a note first when the question states a day no passage holds (so the
    note, 资料中没有提到…, is true of the whole material). A menu of which only one
    suggestion gives days at all (条例施行日期 beside a duty), or whose first such suggestion
    names every word the question is about, is then that one, answered."""
    text = engine.fixer.fix(clean(question))
    if not DAY.search(text):
        return reply  # most questions state no day: nothing to split or scan
    entries, words = engine.kb.entries, engine.intents.premises
    # Only a day in a clause that asks (我们11月5日开会，条例什么时候施行: a day of theirs).
    parts = engine.intents.parts(text)
    asked = "，".join(
        p
        for p in parts
        if len(parts) == 1 or engine.intents.asks_something(p) or found(words.checking, p)
    )
    day = next(
        (raw for raw, *_ in stated_days(asked) if not held(raw, read_material(engine).dated)), ""
    )
    if not day:
        # No day stated, or one some passage holds: maybe another fact's (9月21日, the law's
        # adoption, claimed as the campaign's start).
        return _dated_elsewhere(engine, question, text, asked, reply)
    if reply.kind == "clarify":
        # Of several, the first naming every word the question is about (条例…施行的对吧:
        # the effective date, before the notice that repeats it).
        dating, naming = _dating(engine, reply, engine.specific_words(text))
        if not dating:  # 亮点工作要在12月31日前报送吗: a menu giving no day; the day is none
            note = engine.intents.response("day_not_held_plain").format(day=day)
            return noted(engine, question, reply, note)
        if len(dating) != 1 and not naming:
            return reply
        entry = entries[(naming or dating)[0]]
        reply = engine.compose.answer(question, reply.intent, entry, reply.confidence)
    entry = entries.get(reply.entry or "")
    if reply.kind != "answer" or entry is None:
        return reply
    things = dated_things(engine, text)
    if things and stated_days(entry.text) and not days_of(engine, entry, things):
        # 宣贯活动到12月31号结束吗 answered by the notice, whose days are the law's: the
        # passage giving the campaign's days (the schedule) answers it, when one does.
        instead = _dated_instead(engine, text)
        if instead is not None:
            entry = instead
            reply = engine.compose.answer(question, reply.intent, entry, reply.confidence)
    if not stated_days(entry.text):  # 到11月30日结束吧 answered by the summary requirement
        dated = _dated_instead(engine, text)
        if dated is None:
            note = engine.intents.response("day_not_held_plain").format(day=day)
            return noted(engine, question, reply, note)
        # …the passage on the same thing that gives its days (the schedule) answers it.
        entry = dated
        reply = engine.compose.answer(question, reply.intent, entry, reply.confidence)
    # With the words around it: 到10月30日 is an end, not any day within.
    if not unheld_day(_around(asked, day), entry.text, bounds=engine.intents.premises.day_bounds):
        return reply  # one spanning it (10月15号 in 9月28日至10月31日)
    note = engine.intents.response("day_not_held").format(day=day)
    return noted(engine, question, reply, note, denies=True)


def monthed(engine: Engine, question: str, reply: Reply) -> Reply:
    """`reply`, with a note first when a checked claim names a month (条例10月份施行的吧,
    宣贯时间是11月到12月吧) in which the passage on it, which gives days, has none: what it
    does say (自2023年11月1日起施行), so the month is not left standing. A month said with
    its deed (十一月施行) is checked against the clauses saying that deed only, and not at all
    by a passage saying none (the schedule for 条例11月施行前). A month is a when: a menu of
    which one suggestion gives days, or a passage giving none (宣贯活动10月份结束对吧: 结束
    found the summary requirement), is the passage on the same thing that does."""
    text = engine.fixer.fix(clean(question))  # the message's own claim, not the last one's
    if reply.kind not in ("answer", "clarify") or DAY.search(text):
        return reply  # a day stated is `dated`'s to check
    premises = engine.intents.premises
    claimed = [p for p in engine.intents.parts(text) if found(premises.checking, p)]
    said = [
        (raw, n, _deed_of(premises.month_deed, p[end:]))
        for p in claimed
        for raw, n, end in stated_months(p)
    ]
    if not said:
        return reply
    entries = engine.kb.entries
    if reply.kind == "clarify":
        # Of several, the one naming every word the question is about (宣贯活动时间是11月到
        # 12月对吧: the schedule, not the notice giving its own date), as for a day; the
        # claim's words, not 我们社区准备12月搞's.
        dating, naming = _dating(engine, reply, engine.specific_words("，".join(claimed)))
        if len(dating) != 1 and not naming:
            return reply
        picked = entries[(naming or dating)[0]]
        reply = engine.compose.answer(question, reply.intent, picked, reply.confidence)
    entry = entries.get(reply.entry or "")
    if entry is None or entry.kind == "contact":
        return reply
    if not stated_days(entry.text):
        instead = _dated_instead(engine, text)
        dated = read_material(engine).dated
        never = [raw for raw, n, _ in said if not any(month_given(n, p) for p in dated)]
        if instead is None and never:  # 亮点工作12月前报送吗: no passage gives a day in it
            note = engine.intents.response("day_not_held_plain").format(day=never[0])
            return noted(engine, question, reply, note)
        if instead is None:
            return reply
        entry = instead
        reply = engine.compose.answer(question, reply.intent, entry, reply.confidence)
    clauses = [c.strip() for c in CLAUSE.findall(entry.text) if DAY.search(c)]
    wrong = ""
    for _, n, deed in said:
        saying = [c for c in clauses if says(engine, deed, c)] if deed else clauses
        if saying and not month_given(n, "，".join(saying) if deed else entry.text):
            wrong = saying[0] if deed else ""
            break
    else:
        return reply
    read = int(bool(reply.read_as))
    if any(b.type == "note" for b in reply.blocks[: read + 1]):
        return reply  # a note already says what is wrong, or that this is the original
    if not wrong:
        # The clause giving a day that says most of what the question is about.
        words = engine.weighty(text)
        weight = engine.tokenizer.weight
        wrong = max(clauses, key=lambda c: sum(weight(w) for w in words if w in c))
    note = engine.intents.response("deed_day_not_held").format(clause=wrong)
    return noted(engine, question, reply, note, denies=True)


def _dating(engine: Engine, reply: Reply, words: list[str]) -> tuple[list[str], list[str]]:
    """A menu's suggestions giving days, and those of them naming every one of `words`."""
    entries = engine.kb.entries
    dating = [s.entry for s in reply.suggestions if stated_days(entries[s.entry].text)]
    texts = {e: f"{entries[e].title}。{entries[e].text}" for e in dating}
    naming = [e for e in dating if words and all(says(engine, w, texts[e]) for w in words)]
    return dating, naming


def _deed_of(pattern: re.Pattern[str] | None, after: str) -> str:
    """The deed word right after a month (十一月施行 → 施行); empty when none."""
    found = pattern.match(after) if pattern is not None else None
    return found.group(found.lastindex or 0) if found else ""


def listed(engine: Engine, question: str, reply: Reply) -> Reply:
    """`reply`, with a note first when the question names, in the form of a series' items, a
    thing the answering passage's series does not list (五进包括进农村吗). A menu of which
    only one suggestion holds such a series is then that one, answered."""
    text = engine.fixer.fix(clean(reply.read_as or question))
    reading = engine.intents.premises
    # As read (五进是哪五进，进农村) or as typed (那进农村呢): a follow-up asks whether. Not
    # asked whether, an item named is still taken to be one (五进里面的“进农村”怎么开展).
    asked = found(reading.whether, text) or found(reading.whether, clean(question))
    words = engine.tokenizer.cut(text)
    entries = engine.kb.entries
    canonical = engine.tokenizer.canonical

    def canon(word: str) -> str:
        return canonical.get(word, word)

    if reply.kind == "clarify":
        holding = [
            s.entry
            for s in reply.suggestions
            if unlisted(words, entries[s.entry].text, reading, canon)
        ]
        if len(holding) != 1:
            return reply
        entry = entries[holding[0]]
        reply = engine.compose.answer(question, reply.intent, entry, reply.confidence)
    entry = entries.get(reply.entry or "")
    things = unlisted(words, entry.text, reading, canon) if reply.kind == "answer" and entry else []
    key = "item_not_listed"
    if not things and reply.kind == "answer" and asked:
        # 纠纷多元化解机制包括调解、仲裁、公证吗: things the material never names at all.
        things = unnamed(text, reading, lambda thing: _never(engine, thing))
        key = "item_not_held"
    if not things:
        return reply
    note = engine.intents.response(key).format(thing="”“".join(things))
    return noted(engine, question, reply, note)


def without_unnamed(engine: Engine, text: str) -> str:
    """The question without the things it asks whether something includes that the material
    never names (宣传形式里包括抖音短视频对吧 → 宣传形式里包括对吧): they find nothing and sink
    the passage on what is asked about; the premise check says they are not named."""
    reading = engine.intents.premises
    if reading.includes is None or not reading.includes.search(text):
        return text  # most questions ask no such thing: nothing to read
    rest = text
    for thing in unnamed(text, reading, lambda t: _never(engine, t)):
        rest = rest.replace(thing, " ")
    # What is left must name something (政策包括补贴吗: 政策 alone finds any passage).
    return rest if engine.weighty(rest) else text


def _never(engine: Engine, thing: str) -> bool:
    """Whether some word of the thing is one the base never uses, even in part, by a synonym
    or inside a longer word (调解; not 电视报纸, nor 植物新品种, 植物授权品种 by another name,
    nor 微信, inside 微信公众号)."""
    if any(a.exact for a in asked_types(engine.intents.asks, thing)):
        return False  # a way of contact or a value (邮箱, 电话): the cards hold those
    words = [w for w in engine.tokenizer.words(normalize(thing)) if len(w) > 1]
    return any(unused(engine, w) for w in words) and thing not in read_material(engine).text


def _claims(engine: Engine, question: str) -> str:
    """The parts of the message itself (not the previous question it was read with) that
    claim something, when its last part checks a claim (…是真的吗, …对吧; not …呢): not
    those asking (全部章节有哪些) or requesting (能把工作重点全部列出来吗)."""
    premises, intents = engine.intents.premises, engine.intents
    parts = engine.intents.parts(engine.fixer.fix(clean(question)))
    last = parts[-1].rstrip("？?。！! ") if parts else ""
    if not last or last.endswith("呢") or not found(premises.checking, last):
        return ""
    # Words asking what (哪, 什么, 多少); not those asking whether (吗, 是不是, 有没有).
    asking = [
        w
        for w in intents.question_words
        if not found(premises.checking, w) and w not in ("吗", "么", "有没有", "能否")
    ]
    return "，".join(
        p for p in parts if not any(w in p for w in asking) and not found(premises.requests, p)
    )


def absent(engine: Engine, question: str, reply: Reply) -> Reply:
    """`reply`, with a note first when a menu answers a question asking whether there is
    something the material never names at all (社区搞宣传活动有经费补贴吗: 补贴): the menu
    offers what it does say, and the note says plainly that it says nothing of that; or when
    an answer checks a measure (`measures`) the material never names (会被罚款是不是)."""
    text = engine.fixer.fix(clean(reply.read_as or question))
    premises = engine.intents.premises
    checks = found(premises.checking, clean(question))
    for words, key in ((premises.measures, "thing_not_held"), (premises.sweeping, "sweeping")):
        if reply.kind not in ("answer", "clarify") or not checks or words is None:
            continue
        entry = engine.kb.entries.get(reply.entry or "")
        if key == "sweeping" and (entry is None or entry.kind == "contact"):
            continue  # a passage says how far it goes; a card does not (直接打给王国强吗)
        # 高校专利转化不力会被罚款是不是: a measure the material never names, checked; 所有
        # 授权专利都能拿专利奖吗: a sweep it never makes. Notes already naming it (没有提到
        # “惩罚性赔偿”), not the one saying how it was read, are not repeated.
        notes = reply.blocks[1:] if reply.read_as else reply.blocks
        said = "".join(b.text for b in notes if b.type == "note")
        named = dict.fromkeys(
            words.findall(text if key != "sweeping" else _claims(engine, question))
        )
        text_of = read_material(engine).text
        never = [m for m in named if m not in text_of and m not in said]
        if never:
            note = engine.intents.response(key).format(thing="”“".join(never))
            return noted(engine, question, reply, note)
    if reply.kind != "clarify":
        return reply  # an answer may name it otherwise (国外 as 国际): not second-guessed
    # Of the parts asking whether there is something (最晚哪天要交？有截止日期吗: the second).
    parts = engine.intents.parts(engine.fixer.fix(clean(question)))
    asking = "，".join(p for p in parts if found(premises.any, p))
    if not asking:
        return reply
    never = [w for w in engine.weighty(asking) if unused(engine, w)]
    if not never:
        return reply
    note = engine.intents.response("thing_not_held").format(thing="”“".join(never))
    return noted(engine, question, reply, note)


def _dated_elsewhere(engine: Engine, question: str, text: str, asked: str, reply: Reply) -> Reply:
    """A claim giving a thing days the material holds of other things only (宣贯活动时间是9月
    21号到11月1号吧: the law's adoption and effective days): the passage giving the thing's
    own days, led by what it says (资料中说的是“2023年9月28日至10月31日”：)."""
    stated = stated_days(asked)
    if not stated or not found(engine.intents.premises.checking, asked):
        return reply  # only a claim is checked: a question asking a day states none
    instead = _dated_instead(engine, text)
    if instead is None:
        return reply
    bounds = engine.intents.premises.day_bounds
    for raw, *_ in stated:
        if not unheld_day(_around(asked, raw), instead.text, bounds=bounds):
            return reply  # a day it gives (or spans): the claim may hold
    clause = next((c.strip() for c in CLAUSE.findall(instead.text) if DAY.search(c)), "")
    if not clause:
        return reply
    if reply.kind != "answer" or reply.entry != instead.id:
        reply = engine.compose.answer(question, reply.intent, instead, reply.confidence)
    premise = engine.intents.actor_premise
    claimed = premise.search(text) if premise else None
    if claimed and is_day(claimed.group("actor")):
        return reply  # 条例是10月31日施行的吧: the day of a deed, which `acted` notes
    note = engine.intents.response("deed_day_not_held").format(clause=clause)
    return noted(engine, question, reply, note, denies=True)


def _around(asked: str, day: str) -> str:
    """The day as stated with up to five characters either side (到10月30日: an end)."""
    at = asked.find(day)
    return asked[max(0, at - 5) : at] + day + asked[at + len(day) : at + len(day) + 5]


def _dated_instead(engine: Engine, text: str) -> Entry | None:
    """A passage among the question's best that gives days and names the thing the question
    is most about (宣贯活动是到11月30日结束吧: the schedule, not the summary requirement the
    word 结束 found); None when there is none."""
    things = dated_things(engine, text)
    if not things:
        return None
    for candidate in engine.search(text)[: engine.tuning.exact_depth]:
        entry = candidate.entry
        if candidate.score < engine.tuning.clarify or entry.kind == "contact":
            continue
        if days_of(engine, entry, things):
            return entry
    return None
