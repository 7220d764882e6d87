"""The 、-series of a passage that a list question asks for (宣传都通过啥渠道: 报纸、电视、官方
网站、微信公众号、宣传栏), pulled out as the list it is, so the answer is not a paragraph the
asker must search: a series is asked for when the words around it name what the question asks
about (…等多种形式, …等政策, …的社会氛围), the question names some of its items (报纸电视之外
还有啥) or counts them (进哪五个地方). The words that open a clause before its series (通过,
推动, 综合运用) are data: `series_leads` in intents/rules.yaml.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bot.engine.asks import CLAUSE
from bot.engine.fit import ETC, list_nouns
from bot.engine.material import claim_verdict
from bot.engine.normalize import normalize
from bot.engine.reply import Block, Heading, ItemList, ListItem, Note, Passage, Reply
from bot.numerals import to_int

if TYPE_CHECKING:
    from bot.engine.core import Engine
    from bot.knowledge.model import Entry

# A number the question counts the items by (哪五个地方, 三类, 五进).
_COUNT = re.compile(r"(\d{1,2}|[一二两三四五六七八九十]{1,3})([\u4e00-\u9fff])")
# Counting characters that say nothing of the items (五个, 三类): not 五进's 进.
_GENERIC = frozenset("个类种项条点方家大样件些部位次")
# Asking what else beside the items named (报纸电视之外还有啥, 除了进企业还要进哪儿).
_MORE = re.compile(r"还有|还要|之外|以外|除了|除开|其他|其它|别的")
# What naming items, the thing asked or a count adds to a series' score: more than any word
# around it, which only breaks ties.
_NAMED_ITEM = 20.0
_HEAD = 20.0
_COUNTED = 20.0
# How much longer than the others an edge item may be and still be taken for one.
_ITEM_STRETCH = 3
_ITEM_FLOOR = 6  # beside two-character items an edge item may still be six long
# What may follow the head noun after a series: the end, a verb, a break.
_HEAD_END = re.compile(r"$|[开建推实进的，,、]")
# How far after a series the thing it lists is named (等多种形式, 的知识产权创新体系).
_HEAD_CHARS = 10
# Asking what something is like (什么样的社会氛围, 创新体系是啥样的): a series says.
_LIKE = re.compile(r"什么样|啥样|怎样的|哪样")


@dataclass(frozen=True)
class Picked:
    """The series asked for: its items as written, and whether the material closes it with
    等 (examples, not all)."""

    items: tuple[str, ...]
    open: bool
    # The question claims these very items, no more and no fewer (社会氛围是尊重知识、崇尚创
    # 新、诚信守法、公平竞争，对吗): its yes is said first.
    claimed: bool = False


def asked_series(engine: Engine, text: str, entry: Entry, listing: bool) -> Picked | None:
    """The series of the entry's passage the question (`text`, cleaned) asks for; None when
    no series is, or the passage holds none. Asked for a list (`listing`), a series whose
    following words name the thing asked (哪些政策: …等政策) is; else only one the question
    names items of and asks what else (报纸电视之外还有啥), or counts (进哪五个地方, 五进), or
    asked what it is like (什么样的社会氛围)."""
    if "、" not in entry.text:
        return None  # most passages hold no series: the question is not read for one
    plain = normalize(text)
    words = [w for w in engine.weighty(text) if len(w) > 1]
    nouns = list_nouns(text, lambda part: engine.tokenizer.words(normalize(part)))
    counted_by = {to_int(m.group(1)): m.group(2) for m in _COUNT.finditer(plain)}
    more = _MORE.search(plain) is not None
    like = _LIKE.search(plain) is not None
    leads = engine.intents.series_leads
    scored: list[tuple[float, Picked]] = []
    for clause in CLAUSE.findall(entry.text):
        found = _series(clause, leads)
        if found is None:
            continue
        items, before, after = found
        named = sum(1 for item in items if normalize(item) in plain)
        # The thing asked a list of, named right after the series (…等多种形式).
        # …or the kind every item is of (原创性技术、引领性技术…: 哪几种技术). Without a noun
        # read as the thing listed, any word of the question heading them does.
        head = any(
            _heads(w, after[: _HEAD_CHARS + len(w)]) or all(i.endswith(w) for i in items)
            for w in (nouns[:1] or words)
        )
        # Counted (进哪五个地方), by a character every item holds (五进: 进企业…).
        by = counted_by.get(len(items))
        counted = by is not None and "哪" in plain
        spelled = by is not None and by not in _GENERIC and all(by in i for i in items)
        claimed = named == len(items) and _only_these(text, items)
        asked = (listing and head) or (named and more) or counted or spelled or claimed
        if not (asked or like):
            continue
        score = _NAMED_ITEM * named + (_HEAD if head else 0.0)
        score += _COUNTED * (int(counted) + int(spelled))
        score += sum(engine.tokenizer.weight(w) for w in words if w in before + after)
        if score > 0:
            scored.append((score, Picked(items, ETC.match(after) is not None, claimed)))
    scored.sort(key=lambda s: -s[0])
    if not scored or (len(scored) > 1 and scored[1][0] == scored[0][0]):
        return None  # none asked, or two alike (two series of five: which 五 is not said)
    return scored[0][1]


def series_reply(
    engine: Engine, question: str, intent: str, entry: Entry, confidence: float, picked: Picked
) -> Reply:
    """The items of the series asked for, each cited to the passage, then the whole passage:
    what else it says stays in the reply (除了财政税收…还搞了哪些招数: the fund and the award
    follow the series)."""
    compose = engine.compose
    cite = compose.cite(entry)
    texts = engine.intents.response
    verdict = claim_verdict(engine, question, holds=True) if picked.claimed else ""
    blocks: list[Block] = [Note(verdict)] if verdict else []
    blocks += [
        Heading(entry.title),
        Note(texts("series_some" if picked.open else "series_all")),
        ItemList(tuple(ListItem(item, cite) for item in picked.items)),
        Note(texts("series_source")),
        Passage(entry.text.strip("\n"), cite),
    ]
    return compose.finish(
        question,
        "answer",
        intent,
        blocks,
        confidence=confidence,
        contacts=compose.cards(compose.entry_contacts(entry)),
        passage=compose.full_passage(entry, entry.text),
        entry=entry.id,
    )


def _only_these(text: str, items: tuple[str, ...]) -> bool:
    """Whether the question's own 、-series names nothing but the items (each of its parts
    holds one): 尊重知识、崇尚创新、诚信守法、公平竞争 does; with 、开放合作 it does not."""
    every = CLAUSE.findall(text)
    if len(every) > 2 or any(ch.isdigit() for ch in text):
        return False  # the series and its tag only: another claim (a day) is not confirmed
    clauses = [c for c in every if "、" in c]
    plain = [normalize(i) for i in items]
    return len(clauses) == 1 and all(
        any(i in normalize(part) for i in plain) for part in clauses[0].split("、")
    )


def _heads(noun: str, after: str) -> bool:
    """Whether the noun is the head of the words after a series: last, or before a verb or
    a break (等多种形式, 等形式开展…, 等…服务机构建设); not a modifier of another noun
    (…的知识产权保护责任: 保护 is no thing listed)."""
    at = after.find(noun)
    return at >= 0 and _HEAD_END.match(after, at + len(noun)) is not None


def _series(clause: str, leads: tuple[str, ...]) -> tuple[tuple[str, ...], str, str] | None:
    """A clause's 、-series: its items and the clause's words before and after them (after
    starting with 等 when 等 closes it); None under three items (or two closed by 等)."""
    parts = clause.split("、")
    if len(parts) < 2:
        return None
    for i, part in enumerate(parts[1:], 1):
        etc = ETC.search(part)
        if etc:  # …等创新性、引领性条款: all after 等 is what the series is of
            after = "、".join([part[etc.start() :], *parts[i + 1 :]])
            parts = [*parts[:i], part[: etc.start()]]
            break
    else:
        if len(parts) < 3:
            return None
        parts[-1], after = _last_item(parts[-1], parts[1:-1])
    first, before = _first_item(parts[0], parts[1:], leads)
    items = tuple(p.strip() for p in (first, *parts[1:]))
    longest = max(len(i) for i in items[1:-1] or items[1:])
    bound = _longest_item(longest)
    if any(not item for item in items) or len(items[0]) > bound or len(items[-1]) > bound:
        return None  # an edge item still holding its clause (同时也对知识产权服务机构和展会)
    return items, before, after


def _longest_item(others: int) -> int:
    """How long an edge item may be beside others at most `others` long, and still be one."""
    return max(_ITEM_STRETCH * others, _ITEM_FLOOR)


def _last_item(last: str, others: list[str]) -> tuple[str, str]:
    """The last item of a series 等 does not close, and what follows it: cut at the 的 that
    ends an item not much longer than the others (公平竞争的社会氛围 → 公平竞争, 的社会氛围;
    电子商务平台相关方的…)."""
    longest = max((len(o) for o in others), default=len(last))
    at = last.find("的")
    if 0 < at <= _longest_item(longest):
        return last[:at], last[at:]
    return last, ""


def _first_item(first: str, others: list[str], leads: tuple[str, ...]) -> tuple[str, str]:
    """The first item of a series and the clause's words before it: after a word opening the
    clause (`leads`: 通过报纸 → 报纸), from the last character all other items start with
    (推动《条例》进企业 → 进企业)."""
    before = ""
    stripped = True
    while stripped:  # 推动建立市场主导: both words open the clause
        stripped = False
        for lead in leads:
            if first.startswith(lead) and len(first) > len(lead):
                before, first = before + lead, first[len(lead) :]
                stripped = True
                break
    heads = {o.strip()[:1] for o in others}
    if len(heads) == 1:
        head = heads.pop()
        at = first.rfind(head)
        if at > 0:
            before, first = before + first[:at], first[at:]
    return first, before
