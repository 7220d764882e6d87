"""Follow-ups read against what the last answer showed: the people on its cards (他是哪个单位
的), an item of the list it showed by headings (第三个呢, 第二条展开讲讲), or of the one
series its passage gave (公共服务机构有哪些 + 第二个呢). Each reading is None when the last
answer showed no such thing, and the follow-up reader's other rules then apply."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING

from bot.engine.asks import CLAUSE, LIST, asked_types
from bot.engine.fit import series
from bot.engine.material import read_material
from bot.engine.more import shown_list
from bot.engine.normalize import clean
from bot.engine.reading import LIST_UNITS, PLACE, PUNCTUATION, Reading
from bot.engine.reply import Reply
from bot.numerals import to_int

if TYPE_CHECKING:
    from bot.engine.core import Engine


def person_shown(engine: Engine, rest: str, last: Callable[[], Reply]) -> Reading | None:
    """他/她 after an answer showing contact cards is the person or people shown (宣贯有问题
    找谁 + 电话多少 + 他是哪个单位的 → 刘亚强、王国强是哪个单位的), whatever the question
    named; None otherwise (the reader's own rules then apply)."""
    follow = engine.intents.follow_ups
    if follow.persons is None:
        return None
    pronoun = next((m for m in (p.search(rest) for p in follow.pronouns) if m), None)
    if pronoun is None or not follow.persons.fullmatch(pronoun.group(0)):
        return None
    shown = last().shown_contacts
    if not shown:
        return None
    names = "、".join(c.name for c in shown)
    return Reading(rest[: pronoun.start()] + names + rest[pronoun.end() :], True)


def item_asked(engine: Engine, rest: str, last: Callable[[], Reply]) -> Reading | None:
    """A place followed only by what is asked of it (第二条展开讲讲, 第三条是什么) after a list
    shown by its headings: that item of the list, as a place alone is (`in_list_shown`)."""
    place = PLACE.match(rest)
    if place is None or place.end() == len(rest):
        return None  # no place first, or a place alone (read below, with the other cues)
    after = rest[place.end() :]
    follow = engine.intents.follow_ups
    more, _ = follow.asks_more(after)
    # 第三条原文呢: its own words asked for, as 展开讲讲 asks for more of it.
    more = more or bool(follow.original and follow.original.fullmatch(after))
    if PLACE.search(after) or not (more or not engine.weighty(after)):
        return None  # two places, or words of its own (第二条对高校有什么要求)
    # 工作重点有哪些 + 第十条是什么: no item of the three, so the article.
    return in_list_shown(engine, place.group(0), last, bounded=True)


def in_list_shown(
    engine: Engine, rest: str, last: Callable[[], Reply], *, bounded: bool = False
) -> Reading | None:
    """A place alone (第三个呢) after a list shown by its headings is that item of the list's
    section (有关要求有哪些 + 第三个呢 → 宣贯活动的有关要求第3个), whatever else the last
    question named; counted in the whole list, as the headings number them. `bounded`: only
    a place within the items shown."""
    place = PLACE.fullmatch(rest)
    if not place or place.group(2) not in LIST_UNITS:
        return None  # 有关要求有哪些 + 第五章呢: a chapter is no item of the list
    listed = shown_list(engine, last())
    if listed is None:
        return None
    if bounded and not 0 < (to_int(place.group(1)) or 0) <= len(listed.items):
        return None
    return Reading(f"{engine.kb.entries[last().entry or ''].title}{rest}", True)


def in_series_shown(
    engine: Engine, previous: str, rest: str, last: Callable[[], Reply]
) -> Reading | None:
    """A place alone (第二个呢) after a passage listing things in one series of the clause
    naming what the last question asked (公共服务机构有哪些: 保护中心、快速维权中心、信息服务
    机构) is that item (快速维权中心); None when no such series or no such item."""
    place = PLACE.fullmatch(rest)
    if not place or place.group(2) not in LIST_UNITS:
        return None
    if not any(a.name == LIST for a in asked_types(engine.intents.asks, clean(previous))):
        return None  # 知识产权保护中心是什么 + 第二点呢: nothing was asked a list of
    entry = engine.kb.entries.get(last().entry or "")
    if last().kind != "answer" or entry is None:
        return None
    words = engine.specific_words(previous)
    clauses = [c for c in CLAUSE.findall(entry.text) if words and words[0] in c]
    found = [items for c in clauses for items in series(c)]
    n = to_int(place.group(1)) or 0
    if len(found) != 1 or not 0 < n <= len(found[0]):
        return None
    return Reading(found[0][n - 1], True)


# Which ones of the law's chapters a question asks (条例分别是哪几章, 有几章): the one list a
# passage gives in prose that a place counted in 个 can stand in.
_CHAPTERS_ASKED = re.compile(r"(?:哪|几)[几些]?章")


def in_chapters_asked(previous: str, rest: str) -> Reading | None:
    """A place counted in 个 (第二个呢, 第二个具体说说) after a question asking which chapters
    the law has: that chapter (第二章), with what is asked of it."""
    place = PLACE.match(rest)
    if place is None or place.group(2) != "个" or not _CHAPTERS_ASKED.search(previous):
        return None
    return Reading(f"第{place.group(1)}章{rest[place.end() :]}", True)


def sibling_asked(engine: Engine, previous: str, rest: str) -> Reading | None:
    """A thing named alone (那信息服务机构呢) that stands in one of the material's series
    beside a thing the last question named (快速维权中心在哪: 保护中心、快速维权中心、信息服务
    机构) takes its place (信息服务机构在哪). None when no series holds both."""
    thing = rest.strip(PUNCTUATION)
    if len(thing) < 2 or thing in previous:
        return None
    for items in read_material(engine).series:
        names = [_names_of(item, i, len(items)) for i, item in enumerate(items)]
        if not any(thing in n for n in names):
            continue
        named = max(
            (w for n in names if thing not in n for w in n if w in previous), key=len, default=""
        )
        if named:
            # Only the clause naming it (条例进学校具体怎么搞，学生要考试吗 + 那进社区呢: 条例进社区
            # 具体怎么搞), not what was asked after it.
            clause = next(c for c in CLAUSE.findall(previous) if named in c)
            return Reading(clause.replace(named, thing, 1), True)
    return None


def _names_of(item: str, at: int, count: int) -> set[str]:
    """How a question may name an item of a series: as written, or, the first carrying its
    clause's verb (加强知识产权保护中心), by its last words, the last carrying what follows
    (电子商务平台相关方的…), by its first; two characters at least."""
    names = {item}
    if at == 0:
        names |= {item[i:] for i in range(len(item) - 1)}
    if at == count - 1:
        names |= {item[:i] for i in range(2, len(item))}
    return {n for n in names if len(n) >= 2}
