"""A follow-up read with the previous question, by words alone (那高校呢 → 高校有什么职责).

The reader knows no engine: what tells the parts of a message apart (the things questions
name, whether words ask something, how many the base uses) is handed in as `Previous`, so
the rules of reading can be tested on their own. bot/engine/followup.py decides when a
message is a follow-up and what to do with the reading.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

# What a thing named alone may carry (那国资委的呢, 方案里的).
_NAME_TAIL = "的里这那边方面 "
PUNCTUATION = "？?。！!，, "
# A place in a list or a law (第5章, 第3条, 第二点).
_UNITS = "章|条|点|部分|项|款|个|块|方面"
# The units a list's items are counted in (a chapter or a clause is no item of one).
LIST_UNITS = ("条", "点", "部分", "项", "个", "块", "方面")
PLACE = re.compile(rf"第([\d一二三四五六七八九十百]+)({_UNITS})的?")
# After a document's or law's name, words making it where to look (条例里有…, 方案中规定的…).
_INSIDE = re.compile(r"(里面|里头|里边|当中|里|中)(有没有|有|说的|规定的|提到的|讲的|的)?")


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
    # Whether every word of a text names something (技术调查官制度; not 宣贯中遇到).
    solid: Callable[[str], bool] | None = None
    # Whether its answer was a contact's card or cards (方案的联系人是谁): what is asked next
    # (电话多少) is asked of them, not of the topic.
    carded: bool = False

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

    def topic(self, inside: bool = True) -> str:
        """What the previous question was about: the thing it names, else its words before
        the first question word (宣贯活动什么时候开始 → 宣贯活动), else all of it."""
        named = self.named(self.text)
        text = self.text
        if named:
            # A name said as where to look (条例里有专利奖吗): the thing after it, asked a
            # value of (奖金多少); a pronoun (它) still stands for the name (`inside` False).
            after = text[text.find(named) + len(named) :]
            where = _INSIDE.match(after) if inside else None
            if where is None:
                return named
            rest = after[where.end() :]
            thing = self.trim(rest[: self.ask_at(rest)])
            return thing if len(thing) >= 2 else named
        cut = self.ask_at(text)
        before = self.trim(text[:cut])
        return before if len(before) >= 2 else text.rstrip(PUNCTUATION)


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
    before = previous.text.rstrip(PUNCTUATION)
    place = PLACE.fullmatch(rest)
    if place:
        # 个 counts in whatever unit the last question's place did (第三点 + 第四个呢).
        unit = _UNITS if place.group(2) == "个" else re.escape(place.group(2))
        found = re.search(r"第[\d一二三四五六七八九十百]+(?:" + unit + ")", before)
        # None of its unit: it stands alone (after a list shown, `in_list_shown` reads it).
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
        topic = person or previous.topic(inside=False)
        if topic == before:
            return NOT_READ  # 是谁通过的 + 那它一共多少条: it names nothing 它 could stand for
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
        if old and previous.kind_of(old) == "subject" and previous.known(thing) == 0:
            return Reading(before.replace(old, thing), False)
        if previous.value(thing) and previous.known(thing) == 0:
            # A value of the same topic named alone (宣贯活动的时间安排 + 那开始日期呢), of
            # the topic when it names a thing, else after the whole question.
            topic = previous.topic()
            solid = previous.solid is not None and previous.solid(topic)
            if topic == before or not solid or previous.carded:
                return Reading(f"{before}，{thing}", True)
            return Reading(f"{topic}{thing}", True)
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
    # Another thing asked of the same topic (技术调查官制度是干啥的 + 谁来设立): of the topic,
    # not after the question it replaces.
    topic = previous.topic()
    solid = previous.solid is not None and previous.solid(topic)
    # Not after contact cards (方案的联系人是谁 + 电话多少): the person asked after stays in
    # the reading, and the next 他 still finds them.
    if topic == before or not solid or previous.carded:
        return further
    return Reading(f"{topic}{rest}", True)
