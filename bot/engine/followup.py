"""A message that only makes sense after the one before it (那高校呢, 具体咋做, 还有呢).

In a chat people ask on from their last question. The engine itself keeps no conversation:
the application hands it the asker's previous question, and a follow-up is read with it — the
thing it names in place of the thing the previous one named (企业有什么职责 + 那高校呢 → 高校有
什么职责), or else added to it (领导干部怎么学条例 + 具体咋做). What marks a follow-up is data
(`follow_ups:` in intents/rules.yaml, read by bot/engine/follow_cues.py).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache, partial
from typing import TYPE_CHECKING
from weakref import WeakKeyDictionary

from bot.engine.asks import asked_types, unframed
from bot.engine.disputes import disputed
from bot.engine.fit import lacking, series
from bot.engine.more import more_of, shown_list, split_more
from bot.engine.normalize import MAX_QUESTION_CHARS, clean, normalize
from bot.engine.reading import (
    LIST_UNITS,
    NOT_READ,
    PLACE,
    PUNCTUATION,
    Previous,
    Reading,
    read_with,
)
from bot.engine.reply import Reply
from bot.engine.shown import (
    in_chapters_asked,
    in_list_shown,
    in_series_shown,
    item_asked,
    person_shown,
    sibling_asked,
)
from bot.engine.unnamed import never_named
from bot.knowledge.derive import restated_from
from bot.knowledge.model import Entry

if TYPE_CHECKING:
    from bot.engine.core import Engine

# Between the parts of a duty's subject (展会、专业市场、电子商务平台; 高等学校、科研机构).
_SUBJECT_PARTS = re.compile(r"、|和|及|或者")


def _own_place(text: str) -> bool:
    """A place that stands alone (第六十八条, 第三章): not one only a list shown before gives
    (第四个是啥, 第二点讲的啥: a place in the last answer's list)."""
    return any(m.group(2) not in _RELATIVE_UNITS for m in PLACE.finditer(text))


# The units of a place only in whatever list the last answer showed: a list's units less
# those a place of its own is counted in (第3条: an article; 第三部分: a document's part).
_RELATIVE_UNITS = tuple(u for u in LIST_UNITS if u not in ("条", "部分"))


def follow_up(engine: Engine, question: str, previous: str, reply: Reply) -> Reply:
    """`reply` to `question` as asked, unless it is a follow-up of `previous` that, read with
    it, finds something: then the reply to that reading, with a note saying how it was read.
    A follow-up has a cue (那…, …呢, 它们), or is a short question in no words of its own
    the base uses, not answered well alone (奖金多少钱, 一共多少天)."""
    follow = engine.intents.follow_ups
    text = normalize(engine.fixer.fix(clean(question)))
    if len(previous) > MAX_QUESTION_CHARS or chat_by_rule(engine, reply, question):
        return reply

    def bare(words: str) -> str:
        return unframed(engine.intents.asks, words)

    def ask_at(words: str) -> int:
        found = [words.find(w) for w in engine.intents.question_words if w in words]
        return min(found, default=len(words))

    def trim(words: str) -> str:
        pieces = engine.tokenizer.cut(words)
        while pieces and not engine.weighty(pieces[-1]):
            pieces.pop()
        return "".join(pieces)

    def known(words: str) -> int:
        return sum(1 for w in engine.weighty(bare(words)) if not engine.retriever.foreign(w))

    corrected = follow.corrected(text)
    if corrected:  # 说错了 是第六条: asked as 第六条呢 would be
        again = engine.intents.response("follow_up_corrected").format(rest=corrected)
        return follow_up(engine, again, previous, engine.answer_alone(again))
    # 我是市直单位不是国企 + 那联系人是谁: what the asker is not is no topic to read on.
    previous = engine.intents.bodies.without_negated(previous)
    previous, done = split_more(follow.asks_more, previous)
    # The last question answered alone: several readings look at it, retrieved once.
    last = cache(partial(engine.answer_alone, previous))
    of_document = _field_of_last_document(engine, question, text, previous, reply)
    if of_document is not None:  # 国资委的通知说了什么 + 主送谁: that notice's
        return of_document
    restated = disputed(engine, question, text, previous, reply)
    if restated is not None:  # 不对吧，我记得是到11月底: what the material says, again
        return restated
    # 国企要开展宣贯吗 + 乡镇也要吗: the last answer, read with them in place, so the
    # premise check says whether it names them.
    if too_asked(engine, text) and last().kind == "answer" and last().entry in engine.kb.entries:
        before = _previous(engine, previous, bare, ask_at, trim, known, last)
        read = _also_asked(engine, before, text)
        if read is not None:
            note = engine.intents.response("follow_up_read").format(question=read.text)
            return engine.compose.noted(question, last(), note, read.text)
    if follow.original and follow.original.fullmatch(text.strip(PUNCTUATION)):
        # 给原文: the passage an answer or a "not stated" reply quoted from, whole.
        said = last()
        note = engine.intents.response("follow_up_original").format(question=previous)
        if shown_list(engine, said) is not None:
            # 工作重点有哪些 + 出处: the items' own passages, not the list of their headings.
            opened = more_of(engine, question, previous, expand=True)
            if opened is not None:
                return opened
        if said.kind in ("answer", "fallback") and said.entry in engine.kb.entries:
            # A chapter's name restated from the outline: the sentence it was read from.
            quoted = restated_from(engine.kb, engine.kb.entries[said.entry])
            whole = engine.answer_entry(quoted.id if quoted else said.entry, question)
            return engine.compose.noted(question, whole, note, previous)
        if said.kind == "answer" and said.shown_contacts:
            # 宣贯有问题找谁 + 出处呢: the cards again, each with the document naming them.
            return engine.compose.noted(question, said, note, previous)
    item = item_asked(engine, follow.rest(text), last) or in_chapters_asked(
        previous, follow.rest(text)
    )
    if item is not None:  # 工作重点有哪些 + 第二条展开讲讲: that item, not 条例第二条
        again = engine.answer_alone(item.text)
        if again.kind == "answer":
            note = engine.intents.response("follow_up_read").format(question=item.text)
            return engine.compose.noted(question, again, note, item.text)
    wants_more, expand = follow.asks_more(text)
    if not wants_more:
        wants_more, expand = follow.asks_more(follow.rest(text))  # 那还有吗, 那具体呢
    if wants_more:
        more = more_of(engine, question, previous, expand=expand, done=done)
        if more is not None:
            return more
    # A reply saying what the passage on it does not state answers as well as an answer
    # (那“宣传月”具体是哪个月: no month given, not the schedule read with the last question).
    # Not one found on light words alone (那怎么申请: 依申请公开).
    not_stated = reply.kind == "fallback" and reply.entry is not None
    not_stated = not_stated and bool(engine.weighty(bare(text)))
    weak = (reply.kind != "answer" and not not_stated) or reply.confidence < engine.tuning.answer
    # Every contact, for want of one that fits (电话多少 alone): no answer to keep.
    weak = weak or (reply.entry is None and len(reply.shown_contacts) == len(engine.kb.contacts))
    # 国资委的通知说了什么 + 主送谁: the words fit the last passage as wholly as the one found.
    tied = len(text) <= follow.bare_chars and _tied_with_last(engine, text, reply, last)
    weak = weak or tied
    # Nothing heavy enough to name a topic (哪个部分讲的, 怎么申请): what it finds alone was
    # found on light words (申请 in 依申请公开), however well it scored.
    naming_nothing = not engine.weighty(bare(text))
    short = (
        len(text) <= follow.bare_chars
        and engine.intents.asks_something(text)
        and (weak or naming_nothing)
        and known(text) == 0
        and not _own_place(text)  # 第六十八条写的啥 asks a place of its own
    )
    if (
        short
        and not weak
        and not follow.follows(text)  # 具体怎么惩戒 asks more of the last reading
        and last().kind == "answer"
        and reply.entry is not None
        and reply.entry == last().entry
    ):
        # 第二个具体说说 + 要进哪些地方: alone, the passage just shown answers it.
        return reply
    claimed = bool(follow.claims and follow.claims.search(text))  # 是罚款吧
    echoed = _echoes(engine, text, last, reply, bare)
    if not (follow.follows(text) or short or tied or claimed or echoed or PLACE.fullmatch(text)):
        return reply  # a place alone (第4点) follows on too
    before = _previous(engine, previous, bare, ask_at, trim, known, last)
    rest = follow.rest(text)
    place = PLACE.match(rest)
    if place and follow.what_is and follow.what_is.fullmatch(rest[place.end() :]):
        rest = place.group(0)  # 第四个是啥: the place in the last list, as 第四个呢 is
    last_text = before.text.rstrip(PUNCTUATION)
    whole = f"{last_text}，{rest}"  # the message after the whole last question
    claim = Reading(f"{last_text}，{text}", True) if claimed else None
    read = (
        claim
        or person_shown(engine, rest, last)
        or in_list_shown(engine, rest, last)
        or in_series_shown(engine, previous, rest, last)
        or _counted_in(engine, before.text, text, rest)
        or read_with(before, rest, follow.pronouns, follow.more, follow.says, follow.persons)
    )
    if not read.text:  # 快速维权中心在哪 + 那信息服务机构呢: a sibling in the material's series
        read = sibling_asked(engine, previous.rstrip(PUNCTUATION), rest) or read
    if echoed:  # 政府职责有哪些 + 要纳入哪些体系: of that passage
        read = Reading(read.text or whole, True)
    reading = read.text
    if not reading and follow.follows(text):
        # 知识产权质押融资有什么规定 + 那保险呢: a thing the material never names, asked on.
        never = never_named(engine, rest, reply, last)
        if never is not None:
            never.read_as = previous  # the topic stays (微博呢 + 官方网站算吗: the channels)
            return never
    if not reading or reading == text or not (read.sure or weak):
        return reply  # stands alone, or is answered well alone and the reading is a guess
    if reply.kind == "smalltalk" and not read.sure and not engine.intents.asks_something(text):
        # Small talk by its meaning (那我先下了) against a guessed reading; one asking
        # something (违反了罚多少 + 向谁举报) is read on.
        return reply
    again = engine.answer_alone(reading)
    if again.kind == "clarify" and read.sure and reading != whole and rest and naming_nothing:
        # 领导干部怎么学法 + 为什么: 领导干部为什么 is a menu of two; with the whole question
        # before it, the passage answers.
        instead = engine.answer_alone(whole)
        if instead.kind == "answer":
            again, reading = instead, whole
    nothing = again.kind == "fallback" and again.entry is None and again.intent != "contact"
    if again.kind == "smalltalk" or nothing:
        # Read with the one before, it finds nothing either (the contact desk's "no such
        # line" is something: 去哪投诉 + 电话多少).
        return reply
    if not weak and not follow.follows(text) and again.kind != "answer":
        # 那啥时候施行 + 哪次会议通过的: answered well alone on light words, and the reading
        # answers no better.
        return reply
    if not read.sure and again.kind != "answer" and reply.entry is not None and not naming_nothing:
        # 技术调查官制度是干什么的 + 那纠纷怎么解决: alone, what the material says of 纠纷; a
        # guessed reading that answers no better is no reason to leave it.
        return reply
    if read.more and again.kind == "answer" and again.entry == last().entry:
        # 五进是哪五进 + 具体怎么做: the same passage again is no more detail; say so, as
        # 展开讲讲 would (or open the items a list showed).
        told = more_of(engine, question, previous, expand=True, done=done)
        if told is not None:
            return told
    entry = engine.kb.entries.get(again.entry or "")
    swapped = read.swapped and entry is not None and not _about(engine, entry, read.swapped)
    if swapped and reply.kind == "answer":
        # 高校专利转化不力怎么处理 + 那服务机构呢: the 约谈 of 高校 says nothing of service
        # agencies; what the message finds alone (their duties) does, after saying so.
        shown = engine.kb.entries.get(last().entry or "")
        if shown is None or _about(engine, shown, read.swapped):
            return reply
        note = engine.intents.response("follow_up_swapped").format(thing=read.swapped)
        kept = engine.compose.noted(question, reply, note, "")
        kept.read_as = None
        return kept
    elsewhere = _not_from_named(engine, reading, again)
    if elsewhere and entry is not None:
        # 方案的工作重点 + 解读里怎么说: the plan's passage again is no answer from 解读; the
        # document asked about holds nothing on it, and the passage found is offered.
        note = engine.intents.response("follow_up_not_in").format(
            question=reading, document=elsewhere
        )
        offer = engine.compose.clarify(question, "follow_up", note, [entry], again.confidence)
        offer.read_as = reading
        return offer
    asked = [a for a in asked_types(engine.intents.asks, rest) if a.exact]
    if again.kind == "answer" and entry is not None and lacking(asked, entry.text):
        return reply  # 那罚款多少呢 read with the work points: they hold no sum
    note = engine.intents.response("follow_up_read").format(question=reading)
    return engine.compose.noted(question, again, note, reading)


def went_back(engine: Engine, question: str, earlier: str | None) -> Reply | None:
    """A message going back to the question before the last one (回到刚才那个，它给什么提供
    参考): the rest read with that one, or that one answered again when nothing is left;
    None when the message does not go back or there is nothing to go back to."""
    back = engine.intents.follow_ups.back
    found = back.match(question.strip()) if back and isinstance(earlier, str) else None
    if found is None or not earlier or not earlier.strip():
        return None
    rest = question.strip()[found.end() :].strip(PUNCTUATION)
    if not rest:
        again = engine.answer_alone(earlier)
        note = engine.intents.response("follow_up_read").format(question=earlier)
        return engine.compose.noted(question, again, note, earlier)
    reply = engine.answer(rest, earlier)
    reply.question = question
    return reply


def _tied_with_last(engine: Engine, text: str, reply: Reply, last: Callable[[], Reply]) -> bool:
    """Whether a short message's words fit the last answer's passage as wholly as the other
    passage it found alone (主送谁: both notices name whom they are sent to): then it is asked
    of the last one."""
    if reply.kind != "answer" or reply.entry is None or last().kind != "answer":
        return False
    if any(a.exact for a in asked_types(engine.intents.asks, text)):
        # 什么时候通过的: a value asked is found where it is held (通过 in 通过报纸… fits
        # the 宣传 passage wholly, and it holds no date).
        return False
    ranked = engine.search(text)
    top = ranked[0] if ranked else None
    if top is None or top.entry.id != reply.entry or top.coverage < 1:
        return False
    return any(c.entry.id == last().entry and c.coverage >= 1 for c in ranked[1:])


def _about(engine: Engine, entry: Entry, thing: str) -> bool:
    """Whether a passage names the thing, in its text, title or its own words for it, as
    written or by a synonym (科研院所 is named by 科研机构)."""
    canonical = engine.tokenizer.canonical
    forms = {thing, canonical.get(thing, thing)}
    forms |= {w for w, c in canonical.items() if c in forms}
    words = (entry.text, entry.title, entry.subject or "", *entry.keywords, *entry.aliases)
    return any(f in w for f in forms for w in words)


def _not_from_named(engine: Engine, reading: str, reply: Reply) -> str:
    """The documents the reading names (their short names), when the answer cites none of
    them; empty otherwise."""
    named = engine.named_documents(reading)
    entries = engine.kb.entries
    cited = {entries[c.entry].source for c in reply.citations if c.entry in entries}
    if reply.kind != "answer" or not named or named & cited:
        return ""
    return "、".join(sorted(engine.kb.sources[n].short for n in named if n in engine.kb.sources))


def _counted_in(engine: Engine, previous: str, text: str, rest: str) -> Reading | None:
    """Whether a thing counts among the things the last answer lists (五进都有哪些 + 进社区
    算不算, 抖音算吗), asked as whether that list includes it (the data's reading), whatever
    the thing's own words; None when the message asks no such thing, no reading when the
    last answer lists nothing (条例什么时候施行)."""
    follow = engine.intents.follow_ups
    if follow.membership is None or not follow.membership.search(text):
        return None
    thing = follow.membership.sub("", rest).strip(PUNCTUATION)
    last = engine.kb.entries.get(engine.answer_alone(previous).entry or "")
    if not thing or last is None or not series(last.text):
        return NOT_READ  # nothing listed to count it among
    asked = follow.membership_reading.format(previous=previous.rstrip(PUNCTUATION), thing=thing)
    return Reading(asked, True)


def _echoes(
    engine: Engine, text: str, last: Callable[[], Reply], reply: Reply, bare: Callable[[str], str]
) -> bool:
    """Whether a short question asks of the passage the last answer gave, every weighty word
    of it being that passage's (政府职责有哪些 + 要纳入哪些体系: 纳入…考核体系…评价体系), while
    alone it finds another (纳入领导干部应知应会法律法规清单)."""
    follow = engine.intents.follow_ups
    if len(text) > follow.max_chars or not engine.intents.asks_something(text):
        return False
    alone = engine.kb.entries.get(reply.entry or "")
    if reply.kind != "answer" or alone is None or not engine.weighty(bare(text)):
        return False
    stop, canonical = engine.tokenizer.stopwords, engine.tokenizer.canonical
    words = [w for w in engine.tokenizer.words(normalize(bare(text))) if len(w) > 1]
    words = [w for w in words if w not in stop]

    def holds(passage: str) -> bool:
        said = normalize(passage)
        return all(w in said or canonical.get(w, w) in said for w in words)

    if not words or holds(alone.text):
        return False  # what it finds alone says it all (第七章讲什么, 谁负责约谈)
    entry = engine.kb.entries.get(last().entry or "")
    return last().kind == "answer" and entry is not None and holds(entry.text)


# What may follow "X也要" in a message asking only that (乡镇也要吗).
_ONLY_PARTICLES = re.compile(r"[吗吧呢么嘛啊呀？?。！!\s]*")


def _previous(
    engine: Engine,
    previous: str,
    bare: Callable[[str], str],
    ask_at: Callable[[str], int],
    trim: Callable[[str], str],
    known: Callable[[str], int],
    last: Callable[[], Reply],
) -> Previous:
    """The previous question with what tells a follow-up's parts apart (reading.Previous);
    `last` its answer alone, for whether that was contact cards (方案的联系人是谁)."""
    return Previous(
        normalize(engine.fixer.fix(clean(previous))),
        names_of(engine),
        engine.intents.asks_something,
        known,
        lambda words: bool(engine.weighty(words)),
        lambda words: any(a.exact for a in asked_types(engine.intents.asks, words)),
        bare,
        ask_at,
        trim,
        engine.intents.follow_ups.whom,
        lambda words: all(
            engine.tokenizer.weight(w) >= engine.tokenizer.term_weight
            for w in engine.tokenizer.words(normalize(words))
        ),
        last().kind == "answer" and bool(last().shown_contacts),
    )


def too_asked(engine: Engine, text: str) -> bool:
    """Whether a message asks only whether someone too (乡镇也要吗, 那高校也要吗)."""
    pattern = engine.intents.premises.also
    asked = pattern.match(text) if pattern else None
    return asked is not None and bool(_ONLY_PARTICLES.fullmatch(text[asked.end() :]))


def _also_asked(engine: Engine, before: Previous, text: str) -> Reading | None:
    """Someone too, asked of the last question alone (国企要开展宣贯吗 + 乡镇也要吗 → 乡镇也要
    开展宣贯吗): them in place of the subject it named, or of the someone it asked of, with
    the 也 kept, so the premise check says whether the passage names them."""
    pattern = engine.intents.premises.also
    asked = pattern.match(text) if pattern else None
    if asked is None or not _ONLY_PARTICLES.fullmatch(text[asked.end() :]):
        return None
    who = asked.group("who")
    modal = text[asked.end("who") : asked.end()]  # 也要, 是不是也得
    last = before.text.rstrip(PUNCTUATION)
    earlier = pattern.match(last)
    if earlier is not None:  # 乡镇也要开展宣贯吗 + 高校也要吗
        old = earlier.group("who")
        return Reading(last.replace(old, who, 1), True)
    old = before.named(last, kind="subject")
    if not old:
        return None
    at = last.index(old) + len(old)
    duties = engine.intents.premises.modal
    duty = duties.match(last[at:]) if duties else None
    if duty is None:
        return None  # 领导干部怎么学条例: no duty to say they have too
    return Reading(f"{last[: at - len(old)]}{who}{modal}{last[at + duty.end() :]}", True)


def _field_of_last_document(
    engine: Engine, question: str, text: str, previous: str, reply: Reply
) -> Reply | None:
    """A document's field asked of no document (主送谁, 落款呢) after a question naming one:
    that document's field, read with the question before."""
    rule = engine.intents.rule(reply.intent)
    if rule is None or rule.action != "document_field" or engine.named_documents(text):
        return None
    if not engine.named_documents(previous):
        return None
    reading = f"{previous.rstrip(PUNCTUATION)}，{text}"
    again = engine.answer_alone(reading)
    if again.intent != reply.intent:
        return None
    note = engine.intents.response("follow_up_read").format(question=reading)
    return engine.compose.noted(question, again, note, reading)


def chat_by_rule(engine: Engine, reply: Reply, question: str) -> bool:
    """Small talk a rule's words or cues recognise (那谢谢了, 好的), not only its meaning,
    which a follow-up (谁来提供这个服务) may be near by chance."""
    if reply.kind != "smalltalk":
        return False
    text = engine.fixer.fix(clean(question))
    by_rule = any(m.rule.action in ("smalltalk", "help") for m in engine.intents.matches(text))
    return (
        reply.intent in ("empty", "no_content") or by_rule or engine.chatter.cued(text) is not None
    )


# Each engine's thing names, read once: its knowledge base never changes (a reload builds a
# new engine, and the old one's entry goes with it).
_NAMES: WeakKeyDictionary[Engine, tuple[tuple[str, str], ...]] = WeakKeyDictionary()


def names_of(engine: Engine) -> tuple[tuple[str, str], ...]:
    """`thing_names` of the engine, computed on its first follow-up only."""
    names = _NAMES.get(engine)
    if names is None:
        names = _NAMES[engine] = thing_names(engine)
    return names


def thing_names(engine: Engine) -> tuple[tuple[str, str], ...]:
    """What questions name that a follow-up may name instead (normalised, longest first),
    each with its kind: `subject` — duty subjects, each part of a subject (展会 of 展会、专业
    市场、电子商务平台) and their aliases; `holder` — contacts' organisations and aliases, the
    laws and the campaign documents, and the contacts' names (刘亚强的邮箱 + 那市场监管局那边
    呢: the person gives way to the organisation); with the words used for them (方案, 国企)."""
    kb = engine.kb
    subjects = [n for _, found in engine.retriever.subject_docs for n in found]
    for entry in kb.entries.values():
        subjects += [normalize(p) for p in _SUBJECT_PARTS.split(entry.subject or "") if p]
    holders = [
        normalize(a) for c in kb.contacts.values() for a in (c.name, c.organization, *c.aliases)
    ]
    for law in kb.laws.values():
        holders += [normalize(a) for a in law.aliases]
    holders += [normalize(s.short) for s in kb.sources.values() if s.short]
    kinds: dict[str, str] = {}
    for kind, names in (("holder", holders), ("subject", subjects)):
        for group in kb.synonyms:
            if any(normalize(w) in names for w in group):
                names = names + [normalize(w) for w in group]
        for name in names:
            if name:
                kinds.setdefault(name, kind)
    return tuple(sorted(kinds.items(), key=lambda item: len(item[0]), reverse=True))
