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
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING
from weakref import WeakKeyDictionary

from bot.engine.asks import CLAUSE, asked_types, message_parts
from bot.engine.days import DAY, held, stated_days, unheld_day
from bot.engine.fit import series
from bot.engine.listing import found, unlisted, unnamed
from bot.engine.normalize import clean, normalize
from bot.engine.premise_words import Deeds
from bot.engine.reply import Reply
from bot.numerals import chinese_date, to_int

if TYPE_CHECKING:
    from bot.engine.core import Engine


def checked(engine: Engine, question: str, reply: Reply) -> Reply:
    """`reply` with a note first for each premise of the question the material does not
    hold; asked who did something no passage names a doer for, the reply saying so instead.
    A passage asked for by name (a suggestion picked, 给原文) is given as it is."""
    if reply.intent == "suggestion":
        return reply
    reply = listed(engine, question, dated(engine, question, reply))
    return absent(engine, question, unsaid(engine, question, acted(engine, question, reply)))


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
    parts = message_parts(text)
    asked = "，".join(
        p
        for p in parts
        if len(parts) == 1 or engine.intents.asks_something(p) or found(words.checking, p)
    )
    day = next((raw for raw, *_ in stated_days(asked) if not held(raw, _read(engine).dated)), "")
    if not day:
        return reply  # no day stated, or one some passage holds: maybe another fact's
    if reply.kind == "clarify":
        dating = [s.entry for s in reply.suggestions if stated_days(entries[s.entry].text)]
        # Of several, the first naming every word the question is about (条例…施行的对吧:
        # the effective date, before the notice that repeats it).
        words = engine.specific_words(text)
        said = {e: f"{entries[e].title}。{entries[e].text}" for e in dating}
        naming = [e for e in dating if words and all(w in said[e] for w in words)]
        if not dating:  # 亮点工作要在12月31日前报送吗: a menu giving no day; the day is none
            note = engine.intents.response("day_not_held_plain").format(day=day)
            return _noted(engine, question, reply, note)
        if len(dating) != 1 and not naming:
            return reply
        entry = entries[(naming or dating)[0]]
        reply = engine.compose.answer(question, reply.intent, entry, reply.confidence)
    entry = entries.get(reply.entry or "")
    if reply.kind != "answer" or entry is None:
        return reply
    if not stated_days(entry.text):  # 到11月30日结束吧 answered by the summary requirement
        note = engine.intents.response("day_not_held_plain").format(day=day)
        return _noted(engine, question, reply, note)
    if not unheld_day(day, entry.text):
        return reply  # one spanning it (10月15号 in 9月28日至10月31日)
    note = engine.intents.response("day_not_held").format(day=day)
    return _noted(engine, question, reply, note)


@dataclass(frozen=True)
class _Material:
    """What the checks read of the whole knowledge base, read once per engine."""

    text: str  # every entry's text, the contacts' too, one after the other
    passages: tuple[str, ...]  # the texts of the entries that are no contact
    dated: tuple[str, ...]  # the texts giving a day
    heads: frozenset[str]  # the first characters of the items of every series it holds


# Each engine's material: its knowledge base never changes (a reload builds a new engine,
# and the old one's entry goes with it).
_READ: WeakKeyDictionary[Engine, _Material] = WeakKeyDictionary()


def _read(engine: Engine) -> _Material:
    """The engine's material, read on its first question that needs it."""
    found = _READ.get(engine)
    if found is None:
        entries = engine.kb.entries.values()
        texts = [e.text for e in entries]
        passages = tuple(e.text for e in entries if e.kind != "contact")
        dated = tuple(t for t in texts if DAY.search(t))
        held = [items for t in passages for items in series(t)]
        # The first item carries its clause's verb: as long as the second (综合运用财政、税收).
        firsts = (s[0][-len(s[1]) :] for s in held if len(s) > 1 and s[1])
        heads = frozenset(
            [i[0] for items in held for i in items[1:] if i] + [f[0] for f in firsts if f]
        )
        found = _READ[engine] = _Material("\n".join(texts), passages, dated, heads)
    return found


def listed(engine: Engine, question: str, reply: Reply) -> Reply:
    """`reply`, with a note first when the question names, in the form of a series' items, a
    thing the answering passage's series does not list (五进包括进农村吗). A menu of which
    only one suggestion holds such a series is then that one, answered."""
    text = engine.fixer.fix(clean(reply.read_as or question))
    reading = engine.intents.premises
    # As read (五进是哪五进，进农村) or as typed (那进农村呢): a follow-up asks whether.
    if not found(reading.whether, text) and not found(reading.whether, clean(question)):
        return reply  # a list asked for (还要进别的地方，都是哪几个), not an item checked
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
    if not things and reply.kind == "answer":
        # 纠纷多元化解机制包括调解、仲裁、公证吗: things the material never names at all.
        things = unnamed(text, reading, lambda thing: _never(engine, thing))
        key = "item_not_held"
    if not things:
        return reply
    note = engine.intents.response(key).format(thing="”“".join(things))
    return _noted(engine, question, reply, note)


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


def _written(word: str, text: str) -> bool:
    """Whether the text writes the word; a number counts whole (4届 is not in 14届)."""
    if not word[:1].isdigit():
        return word in text
    return re.search(r"(?<!\d)" + re.escape(word), text) is not None


def _digits(text: str) -> str:
    """The text with Chinese numbers as digits (第五次 → 第5次), so either way of writing a
    number compares equal."""
    return _NUMERAL.sub(lambda m: str(to_int(m.group(0)) or m.group(0)), normalize(text))


_NUMERAL = re.compile(r"[一二两三四五六七八九十百]+")


def unacted(
    actor: str,
    verb: str,
    passage: str,
    subject: list[str],
    deeds: Deeds,
    words: Callable[[str], Sequence[str]],
    issuer: str = "",
) -> str:
    """The passage's first clause with the deed to the `subject` (weightiest word first),
    when no such clause names the actor: every word of its name (`words`: canonical, so
    人民代表大会常务委员会 is 人大常委会; without the province) written in the clause, numbers
    either way; a clause opening with the deed (制定了《…方案》) has its doer left out as the
    document's own, its `issuer`. Empty when one names it, none does the deed to the subject,
    or no subject is named (是领导小组办公室印发的吗: of what?)."""
    name = deeds.not_names.sub("", actor) if deeds.not_names else actor
    named = [_digits(w) for w in words(name)]
    clauses = [c.strip() for c in CLAUSE.findall(passage) if deeds.at(verb, c.strip()) >= 0]
    # Every word of the subject, else its weightiest (subject[0]): 交易平台 is no 转化平台.
    # A title inside another (《…〈条例〉…实施方案》) names what the outer one is about, not
    # what the clause does the deed to: the plan was made, not the regulation.
    own = {c: _INNER_TITLE.sub("", c) for c in clauses}
    about = [c for c in clauses if subject and all(w in own[c] for w in subject)]
    clauses = about or [c for c in clauses if subject and subject[0] in own[c]]
    if not named or not clauses:
        return ""
    for clause in clauses:
        if _names(named, issuer if deeds.at(verb, clause) == 0 else clause, words):
            return ""
    return clauses[0]


def _names(named: Sequence[str], doer: str, words: Callable[[str], Sequence[str]]) -> bool:
    """Whether the text of a doer (a clause, an issuer) names every word of a body's name
    (`named`, numbers as digits): as one of its canonical words, or written in it."""
    said = {_digits(w) for w in words(doer)}
    written = _digits(doer)
    return all(w in said or _written(w, written) for w in named)


# A body's name as a question writes it: Chinese only (not 国家(, ab, 9月20日).
_NAME = re.compile(r"[\u4e00-\u9fff\d]{2,24}")
# A title nested in another (〈河北省知识产权保护和促进条例〉 inside 《…实施方案》).
_INNER_TITLE = re.compile(r"〈[^〉]*〉")


def _body_words(engine: Engine) -> Callable[[str], Sequence[str]]:
    """The canonical words of a text, without the province's name before them when a word
    of two characters or more is left (河北省政府 is 省政府, 省人大 is 人大; 省委 stays)."""
    names = sorted(engine.intents.bodies.province, key=len, reverse=True)

    def bare(word: str) -> str:
        return next((word[len(p) :] for p in names if word.startswith(p)), word)

    def words(text: str) -> list[str]:
        kept = (w if len(bare(w)) < 2 else bare(w) for w in engine.tokenizer.words(text))
        return [w for w in kept if w not in names]

    return words


def acted(engine: Engine, question: str, reply: Reply) -> Reply:
    """`reply`, with a note first when the question says a body set up, issued or adopted
    something and the answering passage says so of another (专利奖是国家设立的吗: 规定省政府
    设立专利奖). A menu of which only one suggestion says so of what the question is about
    (专利奖) is then that one, answered."""
    pattern, by = engine.intents.actor_premise, engine.intents.actor_by
    text = engine.fixer.fix(clean(reply.read_as or question))
    found = pattern.search(text) if pattern else None
    about = text[: found.start()] if found else ""
    if found is None and by is not None:
        found = by.search(text)  # 由国务院设立专利奖是不是: the thing after the deed
        about = (found.group("subject") or text[: found.start()]) if found else ""
    if found is None:
        return reply
    actor, verb = found.group("actor"), found.group("verb")
    subject = _subject_words(engine, about)
    subject.sort(key=engine.tokenizer.weight, reverse=True)
    entries, deeds = engine.kb.entries, engine.intents.deeds
    if reply.kind == "clarify":
        saying = {
            s.entry: frozenset(
                c
                for c in CLAUSE.findall(entries[s.entry].text)
                if deeds.at(verb, c.strip()) >= 0 and subject and subject[0] in c
            )
            for s in reply.suggestions
        }
        doing = [e for e, clauses in saying.items() if clauses]
        if len({saying[e] for e in doing}) != 1:
            return reply  # none, or two saying different things
        entry = entries[doing[0]]
        reply = engine.compose.answer(question, reply.intent, entry, reply.confidence)
    entry = entries.get(reply.entry or "")
    clause = ""
    actor = re.sub(r"\s+", "", actor)
    doers = engine.intents.doers
    body = (
        _NAME.fullmatch(actor) and not DAY.fullmatch(actor) and (not doers or doers.search(actor))
    )
    if reply.kind == "answer" and entry is not None and body:
        source = engine.kb.sources.get(entry.source or "")
        issuer = source.issuer or "" if source is not None else ""
        words = _body_words(engine)
        clause = unacted(actor, verb, entry.text, subject, deeds, words, issuer)
    elif reply.kind == "answer" and entry is None and _NAME.fullmatch(actor):
        return _issued(engine, question, about, actor, reply)
    elif (
        reply.kind == "answer"
        and entry
        and DAY.fullmatch(actor)
        and held(actor, _read(engine).dated)
    ):
        # 条例是2023年11月1号通过的吧: a day of another fact (a day none gives is said by
        # `dated`); the day the passage gives the deed (9月21日审议通过).
        dated = [
            c
            for c in CLAUSE.findall(entry.text)
            # Of what is asked about: naming it, or naming no other by its title (自…起施行).
            if deeds.at(verb, c) >= 0
            and DAY.search(c)
            and (any(w in c for w in subject) or "《" not in c)
        ]
        if dated and all(unheld_day(actor, c, spanned=False) for c in dated):
            note = engine.intents.response("deed_day_not_held").format(clause=dated[0].strip())
            return _noted(engine, question, reply, note)
        # 那个印发方案的通知是9月21号发的吧: a deed of issuing, and the document's own date.
        source = engine.kb.sources.get(entry.source or "")
        day = chinese_date(source.date) if source and source.date else ""
        if (
            not dated
            and day
            and deeds.at(verb, "印发") >= 0
            and unheld_day(actor, day, spanned=False)
        ):
            note = engine.intents.response("issuer_not_held")
            return _noted(
                engine, question, reply, note.format(actor=actor, documents=source.display)
            )
    if not clause:
        return reply
    note = engine.intents.response("actor_not_held").format(clause=clause, actor=actor)
    return _noted(engine, question, reply, note)


def _issued(engine: Engine, question: str, before: str, actor: str, reply: Reply) -> Reply:
    """`reply`, the documents with their issuers and dates (a `sources` rule's), with a note
    first when the question gives a body (省知识产权局, a doer) that issued none of the
    documents it names (方案 → the plan), else none at all, or a day none of them gives: its
    own, or that of the document issuing it (the plan: the notice whose title names it)."""
    if not any(r.name == reply.intent and r.action == "sources" for r in engine.intents.rules):
        return reply  # the attachments, say: no issuers listed to check against
    sources = list(engine.kb.sources.values())
    named = engine.named_documents(before)
    of = [s for s in sources if s.id in named] or sources
    issuing = [s for s in sources if any(o.title in s.title and s is not o for o in of)]
    days = "\n".join(chinese_date(s.date) for s in (*of, *issuing) if s.date)
    unlisted = [raw for raw, *_ in stated_days(actor) if not days or not held(raw, [days])]
    deeds, doers = engine.intents.deeds, engine.intents.doers
    name = DAY.sub("", actor)
    name = deeds.not_names.sub("", name) if deeds.not_names else name
    words = _body_words(engine)
    body = [_digits(w) for w in words(name)] if doers and doers.search(name) else []
    if body and not any(_names(body, s.issuer, words) for s in of if s.issuer):
        unlisted.insert(0, name)
    if not unlisted:
        return reply
    shown = "、".join(s.display for s in of) if named else "各文件"
    note = engine.intents.response("issuer_not_held")
    return _noted(engine, question, reply, note.format(actor="”“".join(unlisted), documents=shown))


def doerless(
    verb: str,
    passage: str,
    material: Sequence[str],
    subject: list[str],
    doers: re.Pattern[str],
    deeds: Deeds,
) -> str:
    """The answering passage's first clause naming the subject (every word of it) and, when
    one does, doing the deed to it, when no clause of the whole `material` doing the deed to
    the subject says who did it (鼓励设立知识产权基金); empty when one does. A deed first in
    its clause has its doer left out as the document's own (制定了《…方案》, in the notice of
    the office that made it): said, too."""

    def about(clause: str) -> bool:
        return bool(subject) and all(w in clause for w in subject)

    doing = [c for p in material for c in CLAUSE.findall(p) if about(c) and deeds.at(verb, c) >= 0]
    if any(deeds.at(verb, c) == 0 or doers.search(c[: deeds.at(verb, c)]) for c in doing):
        return ""
    own = [c.strip() for c in CLAUSE.findall(passage) if about(c)]
    done = [c for c in own if deeds.at(verb, c) >= 0]
    return (done or own or [""])[0]


def unsaid(engine: Engine, question: str, reply: Reply) -> Reply:
    """`reply`, or what the passage says with the plain word that it does not say who did it,
    when the question asks who set up, made or paid for something and no passage says who
    (知识产权基金是谁设立的: 鼓励设立知识产权基金; …由谁出资: no passage says)."""
    pattern, doers = engine.intents.actor_asked, engine.intents.doers
    text = engine.fixer.fix(clean(reply.read_as or question))
    found = pattern.search(text) if pattern and doers and reply.kind == "answer" else None
    entry = engine.kb.entries.get(reply.entry or "") if found else None
    if found is None or entry is None or doers is None:
        return reply
    verb = found.group("verb")
    subject = _subject_words(engine, found.group("subject"))
    material = _read(engine).passages
    clause = doerless(verb, entry.text, material, subject, doers, engine.intents.deeds)
    if not clause:
        return reply
    topic = max((w for w in subject if w in clause), key=len)
    missing = engine.intents.response("actor_unsaid").format(verb=verb)
    partial = engine.compose.partial(
        question, reply.intent, entry, reply.confidence, topic=topic, missing=missing, shown=clause
    )
    partial.read_as = reply.read_as
    return partial


def _subject_words(engine: Engine, text: str) -> list[str]:
    """The words naming what a question is about, as written and as the base uses them
    (嗯就是知识产权基金: 知识产权基金; not 就是)."""
    stop, canonical = engine.tokenizer.stopwords, engine.tokenizer.canonical
    return [
        w
        for w in engine.tokenizer.cut(text)
        if len(w) > 1 and w not in stop and not _unused(engine, canonical.get(w, w))
    ]


def _never(engine: Engine, thing: str) -> bool:
    """Whether some word of the thing is one the base never uses, even in part, by a synonym
    or inside a longer word (调解; not 电视报纸, nor 植物新品种, 植物授权品种 by another name,
    nor 微信, inside 微信公众号)."""
    if any(a.exact for a in asked_types(engine.intents.asks, thing)):
        return False  # a way of contact or a value (邮箱, 电话): the cards hold those
    words = [w for w in engine.tokenizer.words(normalize(thing)) if len(w) > 1]
    return any(_unused(engine, w) for w in words) and thing not in _read(engine).text


def _unused(engine: Engine, word: str) -> bool:
    """Whether the base never uses the word, not even inside a longer one (微信 in 微信公众号),
    nor as two characters starting items of a series it holds (财税: 财政、税收)."""
    material = _read(engine)
    if len(word) == 2 and all(c in material.heads for c in word):
        return False
    return engine.retriever.foreign(word) and word not in material.text


def _noted(engine: Engine, question: str, reply: Reply, note: str) -> Reply:
    """`reply` with the note first, or right after the note saying how a follow-up was read
    (接上一问，按…理解), which stays the first thing said."""
    read = bool(reply.read_as) and bool(reply.blocks) and reply.blocks[0].type == "note"
    checked = engine.compose.noted(question, reply, note, reply.read_as or "", at=int(read))
    checked.read_as = reply.read_as
    return checked


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
        named = dict.fromkeys(words.findall(text))
        never = [m for m in named if _unused(engine, m) and m not in said]
        if never:
            note = engine.intents.response(key).format(thing="”“".join(never))
            return _noted(engine, question, reply, note)
    if reply.kind != "clarify":
        return reply  # an answer may name it otherwise (国外 as 国际): not second-guessed
    text = engine.fixer.fix(clean(question))
    if not found(premises.any, text):
        return reply
    never = [w for w in engine.weighty(text) if _unused(engine, w)]
    if not never:
        return reply
    note = engine.intents.response("thing_not_held").format(thing="”“".join(never))
    return _noted(engine, question, reply, note)
