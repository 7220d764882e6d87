"""A message that only makes sense after the one before it (那高校呢, 具体咋做, 还有呢).

In a chat people ask on from their last question. The engine itself keeps no conversation:
the application hands it the asker's previous question, and a follow-up is read with it — the
thing it names in place of the thing the previous one named (企业有什么职责 + 那高校呢 → 高校有
什么职责), or else added to it (领导干部怎么学条例 + 具体咋做). What marks a follow-up is data
(`follow_ups:` in intents/rules.yaml, read by bot/engine/follow_cues.py).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING
from weakref import WeakKeyDictionary

from bot.engine.asks import asked_types
from bot.engine.fit import lacking, series
from bot.engine.more import more_of, shown_list, split_more
from bot.engine.normalize import MAX_QUESTION_CHARS, clean, normalize
from bot.engine.premise import checked
from bot.engine.reply import Reply
from bot.knowledge.model import Entry
from bot.numerals import to_int

if TYPE_CHECKING:
    from bot.engine.core import Engine

# Between the parts of a duty's subject (展会、专业市场、电子商务平台; 高等学校、科研机构).
_SUBJECT_PARTS = re.compile(r"、|和|及|或者")


# What a thing named alone may carry (那国资委的呢, 方案里的).
_NAME_TAIL = "的里这那边方面 "
_PUNCTUATION = "？?。！!，, "
# A message disputing the last answer this long or shorter; a longer one asks its own.
MAX_DISPUTE_CHARS = 24
# A place in a list or a law (第5章, 第3条, 第二点).
_UNITS = "章|条|点|部分|项|款|个|块|方面"
# The units a list's items are counted in (a chapter or a clause is no item of one).
_LIST_UNITS = ("条", "点", "部分", "项", "个", "块", "方面")
_PLACE = re.compile(rf"第([\d一二三四五六七八九十百]+)({_UNITS})的?")


@dataclass(frozen=True)
class Previous:
    """The previous question, and what tells the parts of a follow-up apart: the things
    questions name, whether a text asks something (`asks`), how many words of a text the
    base uses besides those saying what is asked (`known`), whether a text names anything
    at all (`heavy`) and whether it asks a value (`value`)."""

    text: str
    # Longest first, each with its kind: a duty's `subject`, or a `holder` of contacts and
    # texts (an organisation, a document, a law): a follow-up swaps one for one of its kind.
    names: tuple[tuple[str, str], ...]
    asks: Callable[[str], bool]
    known: Callable[[str], int]
    heavy: Callable[[str], bool]
    # Whether a text asks a value (a date, a sum, a span, a procedure…).
    value: Callable[[str], bool]
    # A text without the words saying what it asks (罚款多少 → 罚款).
    bare: Callable[[str], str]
    # Where the first question word of a text starts (its length when there is none).
    ask_at: Callable[[str], int]
    # A text without its light last words (专利导航服务针对 → 专利导航服务, 技术调查官制度是干
    # → 技术调查官制度).
    trim: Callable[[str], str]
    # A question asking who, its group `whom` the one asked after (方案联系人是谁).
    whom: re.Pattern[str] | None = None

    def named(self, text: str, exclude: str = "", kind: str = "") -> str:
        """The longest name in `text` (not inside `exclude`; of `kind` when given)."""
        return next(
            (
                n
                for n, k in self.names
                if n in text and n not in exclude and (not kind or k == kind)
            ),
            "",
        )

    def kind_of(self, name: str) -> str:
        return next((k for n, k in self.names if n == name), "")

    def asked_whom(self) -> str:
        """Whom the question asked after (方案联系人是谁 → 方案联系人: the data's `whom`);
        empty when it asked no who."""
        found = self.whom.search(self.text) if self.whom else None
        before = self.trim(found.group("whom")) if found else ""
        return before if len(before) >= 2 else ""

    def topic(self) -> str:
        """What the previous question was about: the thing it names, else its words before
        the first question word (宣贯活动什么时候开始 → 宣贯活动), else all of it."""
        named = self.named(self.text)
        if named:
            return named
        text = self.text
        cut = self.ask_at(text)
        before = self.trim(text[:cut])
        return before if len(before) >= 2 else text.rstrip(_PUNCTUATION)


@dataclass(frozen=True)
class Reading:
    """A follow-up as read with the previous question. `sure` when only a name, a place or
    a pronoun was put in, or words asking for more of the same (电话呢, 具体咋做): such a
    reading is taken even where the message alone is answered."""

    text: str
    sure: bool
    # The subject put in place of the previous question's own (那服务机构呢: 服务机构).
    swapped: str = ""
    # Words asking for more of the whole question (具体咋做) were put after it.
    more: bool = False


NOT_READ = Reading("", False)


def read_with(
    previous: Previous,
    rest: str,
    pronouns: Sequence[re.Pattern[str]] = (),
    more: re.Pattern[str] | None = None,
    says: re.Pattern[str] | None = None,
    persons: re.Pattern[str] | None = None,
) -> Reading:
    """The follow-up (`rest`: without 那…呢) read with the previous question; `NOT_READ`
    when it stands alone.

    - a thing named alone, or asked what it says (那高校呢, 那国资委的呢, 解读里怎么说), takes
      the place of the one of its kind
      the previous question named (企业有什么职责 → 高校有什么职责; 国资委的通知… → 方案…),
      or, with none, is put before it; a place (第五章呢) takes the place of one of its unit,
      or, with none, stands alone;
    - a pronoun (它们违规了怎么罚) stands for what the previous question was about;
    - a thing the base does not name (那普通老百姓呢) takes the place of the one named before;
      a light word (电话, 邮箱) or words asking for more (`more`: 详细说说第二条) ask that of
      the whole question;
    - a question in words of its own (那么失信行为会怎么惩戒, 那高校要做什么) stands alone;
    - a word or so asking something of the same topic (截止到啥时候, 奖金多少钱) is asked of
      that topic; words asking for more (具体咋做, 展开讲讲) are added to the whole question,
      and nothing left (还有呢) asks it again.
    """
    before = previous.text.rstrip(_PUNCTUATION)
    place = _PLACE.fullmatch(rest)
    if place:
        # 个 counts in whatever unit the last question's place did (第三点 + 第四个呢).
        unit = _UNITS if place.group(2) == "个" else re.escape(place.group(2))
        found = re.search(r"第[\d一二三四五六七八九十百]+(?:" + unit + ")", before)
        # None of its unit: it stands alone (after a list shown, `_in_list_shown` reads it).
        return Reading(before.replace(found.group(0), rest, 1), True) if found else NOT_READ
    new = previous.named(rest)
    if new:
        left = rest.replace(new, "")
        if says is not None:
            left = says.sub("", left)  # 方案里怎么说: what the 方案 says of the same
        if left.strip(_NAME_TAIL):
            return NOT_READ  # it names its own thing and asks its own question
        old = previous.named(before, exclude=new, kind=previous.kind_of(new))
        # A subject swapped or put in must be named by what is found (约谈谁 + 那企业呢: the
        # 约谈 of 高校 says nothing of 企业); a document is where to look.
        swapped = new if previous.kind_of(new) == "subject" else ""
        if not old:
            return Reading(f"{new}的{before}", True, swapped)
        # A document named by its issuer (国资委的通知): the whole of it gives way.
        found = re.search(re.escape(old) + r"的?通知", before)
        return Reading(before.replace(found.group(0) if found else old, new, 1), True, swapped)
    pronoun = next((m for m in (p.search(rest) for p in pronouns) if m), None)
    if pronoun:
        # 他/她 is whom the last question asked after (方案联系人是谁 + 他是哪个单位的: the
        # contact), not the document it named.
        person = bool(persons and persons.fullmatch(pronoun.group(0))) and previous.asked_whom()
        topic = person or previous.topic()
        return Reading(rest[: pronoun.start()] + topic + rest[pronoun.end() :], True)
    if not rest:
        return Reading(before, True)
    further = Reading(f"{before}，{rest}", True)
    if more is not None and more.search(rest):
        # 详细说说第二条, 举个例子: more of the whole question
        return Reading(further.text, True, more=True)
    old = previous.named(before)
    if not previous.asks(rest):
        thing = rest.strip(_NAME_TAIL)
        if not previous.heavy(thing):
            return further
        if old and previous.known(thing) == 0:
            return Reading(before.replace(old, thing), False)
        return NOT_READ  # words of its own (要是侵权了呢, 那个人呢): no reading to trust
    known = previous.known(rest)
    if known >= 2:
        return NOT_READ  # its own question
    # A value of the same topic (截止到啥时候, 一共多少天, 奖金多少钱): asked of the topic.
    if known or previous.value(rest):
        topic = previous.topic()
        return Reading(f"{topic}{rest}" if topic != before else f"{before}，{rest}", False)
    if previous.heavy(previous.bare(rest)):
        return NOT_READ  # words of its own the base does not use
    return further


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
        for ask in asked_types(engine.intents.asks, words):
            words = ask.without_frame(words)
        return words

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

    previous, done = split_more(follow.asks_more, previous)
    restated = _disputed(engine, question, text, previous, reply)
    if restated is not None:  # 不对吧，我记得是到11月底: what the material says, again
        return restated
    if follow.original and follow.original.fullmatch(text.strip(_PUNCTUATION)):
        # 给原文: the passage an answer or a "not stated" reply quoted from, whole.
        last = engine.answer_alone(previous)
        if last.kind in ("answer", "fallback") and last.entry in engine.kb.entries:
            whole = engine.answer_entry(last.entry, question)
            note = engine.intents.response("follow_up_original").format(question=previous)
            return engine.compose.noted(question, whole, note, previous)
    item = _item_asked(engine, previous, follow.rest(text))
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
    weak = reply.kind != "answer" or reply.confidence < engine.tuning.answer
    short = (
        len(text) <= follow.bare_chars
        and engine.intents.asks_something(text)
        and weak
        and known(text) == 0
        and not _PLACE.search(text)  # 第六十八条写的啥 asks a place of its own
    )
    claimed = bool(follow.claims and follow.claims.search(text))  # 是罚款吧
    if not (follow.follows(text) or short or claimed or _PLACE.fullmatch(text)):
        return reply  # a place alone (第4点) follows on too
    before = Previous(
        normalize(engine.fixer.fix(clean(previous))),
        names_of(engine),
        engine.intents.asks_something,
        known,
        lambda words: bool(engine.weighty(words)),
        lambda words: any(a.exact for a in asked_types(engine.intents.asks, words)),
        bare,
        ask_at,
        trim,
        follow.whom,
    )
    rest = follow.rest(text)
    claim = Reading(f"{before.text.rstrip(_PUNCTUATION)}，{text}", True) if claimed else None
    read = (
        claim
        or _in_list_shown(engine, previous, rest)
        or _counted_in(engine, before.text, text, rest)
        or read_with(before, rest, follow.pronouns, follow.more, follow.says, follow.persons)
    )
    reading = read.text
    if not reading or reading == text or not (read.sure or weak):
        return reply  # stands alone, or is answered well alone and the reading is a guess
    if reply.kind == "smalltalk" and not read.sure:
        return reply  # small talk by its meaning (那我先下了) against a guessed reading
    again = engine.answer_alone(reading)
    if again.kind == "smalltalk" or (again.kind == "fallback" and again.entry is None):
        return reply  # read with the one before, it finds nothing either
    if not read.sure and again.kind != "answer" and reply.entry is not None:
        # 技术调查官制度是干什么的 + 那纠纷怎么解决: alone, what the material says of 纠纷; a
        # guessed reading that answers no better is no reason to leave it.
        return reply
    if read.more and again.kind == "answer" and again.entry == engine.answer_alone(previous).entry:
        # 五进是哪五进 + 具体怎么做: the same passage again is no more detail; say so, as
        # 展开讲讲 would (or open the items a list showed).
        told = more_of(engine, question, previous, expand=True, done=done)
        if told is not None:
            return told
    entry = engine.kb.entries.get(again.entry or "")
    swapped = read.swapped and entry is not None and not _about(engine, entry, read.swapped)
    if swapped and reply.kind == "answer":
        # 高校专利转化不力怎么处理 + 那服务机构呢: the 约谈 of 高校 says nothing of service
        # agencies; what the message finds alone (their duties) does.
        return reply
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


def _disputed(
    engine: Engine, question: str, text: str, previous: str, reply: Reply
) -> Reply | None:
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
    if answered and not _same_passage(engine, question, again, reply):
        return None
    if again.kind != "answer":
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


def _counted_in(engine: Engine, previous: str, text: str, rest: str) -> Reading | None:
    """Whether a thing counts among the things the last answer lists (五进都有哪些 + 进社区
    算不算, 抖音算吗), asked as whether that list includes it (the data's reading), whatever
    the thing's own words; None when the message asks no such thing, no reading when the
    last answer lists nothing (条例什么时候施行)."""
    follow = engine.intents.follow_ups
    if follow.membership is None or not follow.membership.search(text):
        return None
    thing = follow.membership.sub("", rest).strip(_PUNCTUATION)
    last = engine.kb.entries.get(engine.answer_alone(previous).entry or "")
    if not thing or last is None or not series(last.text):
        return NOT_READ  # nothing listed to count it among
    asked = follow.membership_reading.format(previous=previous.rstrip(_PUNCTUATION), thing=thing)
    return Reading(asked, True)


def _same_passage(engine: Engine, question: str, last: Reply, reply: Reply) -> bool:
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


def _item_asked(engine: Engine, previous: str, rest: str) -> Reading | None:
    """A place followed only by what is asked of it (第二条展开讲讲, 第三条是什么) after a list
    shown by its headings: that item of the list, as a place alone is (`_in_list_shown`)."""
    place = _PLACE.match(rest)
    if place is None or place.end() == len(rest):
        return None  # no place first, or a place alone (read below, with the other cues)
    after = rest[place.end() :]
    more, _ = engine.intents.follow_ups.asks_more(after)
    if _PLACE.search(after) or not (more or not engine.weighty(after)):
        return None  # two places, or words of its own (第二条对高校有什么要求)
    # 工作重点有哪些 + 第十条是什么: no item of the three, so the article.
    return _in_list_shown(engine, previous, place.group(0), bounded=True)


def _in_list_shown(
    engine: Engine, previous: str, rest: str, *, bounded: bool = False
) -> Reading | None:
    """A place alone (第三个呢) after a list shown by its headings is that item of the list's
    section (有关要求有哪些 + 第三个呢 → 宣贯活动的有关要求第3个), whatever else the last
    question named; counted in the whole list, as the headings number them. `bounded`: only
    a place within the items shown."""
    place = _PLACE.fullmatch(rest)
    if not place or place.group(2) not in _LIST_UNITS:
        return None  # 有关要求有哪些 + 第五章呢: a chapter is no item of the list
    last = engine.answer_alone(previous)
    listed = shown_list(engine, last)
    if listed is None:
        return None
    if bounded and not 0 < (to_int(place.group(1)) or 0) <= len(listed.items):
        return None
    return Reading(f"{engine.kb.entries[last.entry or ''].title}{rest}", True)


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
    laws and the campaign documents; with the words used for them (方案, 国企)."""
    kb = engine.kb
    subjects = [n for _, found in engine.retriever.subject_docs for n in found]
    for entry in kb.entries.values():
        subjects += [normalize(p) for p in _SUBJECT_PARTS.split(entry.subject or "") if p]
    holders = [normalize(a) for c in kb.contacts.values() for a in (c.organization, *c.aliases)]
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
