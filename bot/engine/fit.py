"""Fit the chosen entry to what was asked: a whole section for a list question, or the part
of a passage that mentions the topic when the passage lacks the specific thing asked.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from difflib import SequenceMatcher

from bot.engine.asks import CLAUSE, LIST, AskType
from bot.engine.retrieve import Candidate
from bot.knowledge.model import Entry, KnowledgeBase
from bot.numerals import to_int

# A sentence or clause up to its full stop or semicolon.
SENTENCE = re.compile(r"[^。；;！？!?\n]+[。；;！？!?]?")
# A topic shorter than this is a stray character pair rather than what the question is about.
MIN_TOPIC = 2


_ENUMERATOR = re.compile(r"^\s*([（(][一二三四五六七八九十]+[）)]|[一二三四五六七八九十]+、)\s*")


def enumerated(text: str) -> bool:
    """Whether a heading carries its own number (（一）…, 一、…)."""
    return bool(_ENUMERATOR.match(text))


def _name(entry: Entry) -> str:
    """An item's heading without its enumerator (三、工作重点 → 工作重点)."""
    return _ENUMERATOR.sub("", entry.heading or "").strip("。 ")


def descend(kb: KnowledgeBase, section: Entry, text: str) -> Entry:
    """A sub-section the question names (方案里的工作重点 → the 工作重点 of the plan's parts)."""
    for item in kb.items_of(section.id):
        name = _name(item)
        if item.kind == "section" and kb.items_of(item.id) and len(name) >= 2 and name in text:
            return descend(kb, item, text)
    return section


def section_of(
    kb: KnowledgeBase,
    candidates: Sequence[Candidate],
    asks: Sequence[AskType],
    margin: float,
    text: str = "",
) -> Entry | None:
    """The section to answer with as a list, or None.

    The top entry when it is a section, or — for a question asking for a list — the top
    item's own section when that scores within `margin` of it (宣贯工作重点有哪几项 names the
    section; 宣传月有哪些形式 names one item, whose own passage holds the list). A sub-section
    the question names by its heading is taken instead of its parent.
    """
    top = candidates[0]
    section: Entry | None = None
    if top.entry.kind == "section":
        section = top.entry
    elif top.entry.item_of and any(a.name == LIST for a in asks):
        parent = next((c for c in candidates if c.entry.id == top.entry.item_of), None)
        if parent is not None and parent.score >= top.score - margin:
            section = parent.entry
    if section is None or not kb.items_of(section.id):
        return None
    return descend(kb, section, text)


_PUNCT = re.compile(r"[\s，。、；：:;,.!！?？“”\"'‘’（）()《》<>【】\[\]]+")


def related(a: Entry, b: Entry) -> bool:
    """Entries that say the same thing: one carved from the other, or the same passage."""
    return a.parent == b.id or b.parent == a.id or a.text == b.text


def ahead(candidates: Sequence[Candidate]) -> float:
    """How far the top candidate's score leads the best one saying something else."""
    top = candidates[0]
    rivals = [c for c in candidates[1:] if not related(top.entry, c.entry)]
    return top.score - rivals[0].score if rivals else top.score


def compact(text: str) -> str:
    """Text without spaces, punctuation and brackets: 注重总结，强化提升 → 注重总结强化提升."""
    return _PUNCT.sub("", text)


def part_names(kb: KnowledgeBase, shortest: int = 4) -> list[tuple[str, Entry]]:
    """The names a question may call a part of a document by: each item's heading without
    its enumerator, and a section's title and aliases (the title is how a follow-up names
    the list just shown: 《条例》重点规范的内容第四部分), `shortest` characters or more;
    longest first."""
    names: list[tuple[str, Entry]] = []
    for entry in kb.entries.values():
        own = [_name(entry)] if entry.item_of else []
        if entry.kind == "section":
            own.extend((entry.title, *entry.aliases))
        names.extend((n, entry) for n in {compact(o) for o in own} if len(n) >= shortest)
    return sorted(names, key=lambda pair: -len(pair[0]))


def _near(a: Entry, b: Entry) -> bool:
    """The same entry, or one is the other's section or the passage it was carved from."""
    return a.id == b.id or b.id in (a.item_of, a.parent) or a.id in (b.item_of, b.parent)


def named_part(names: Sequence[tuple[str, Entry]], text: str, top: Entry) -> Entry | None:
    """The section or item a list question calls by its name (最后那块“有关要求”, 注重总结强化
    提升这一条) when the best-scoring entry is that part, its section or one of its items:
    the name says which part, the scores that it is the right document. The longest name
    wins."""
    plain = compact(text)
    return next((e for name, e in names if name in plain and _near(e, top)), None)


def holds_list(kb: KnowledgeBase, entry: Entry, lister: AskType) -> bool:
    """A section with items, or a passage holding a series."""
    return bool(kb.items_of(entry.id)) if entry.kind == "section" else lister.held(entry.text)


# One item of the list asked for, named by the question (除了进企业还要进哪儿, 像进学校这种).
_EXAMPLE = re.compile(
    r"(?:除了|除去)([^，,。？?！!、还]{2,12}?)(?:之外|以外|外)?[，,]?(?=还|其他|其它|别的)"
    r"|像([^，,。？?！!、]{2,12}?)(?:这种|这样|这类|之类|那样|那种)"
)


def example_item(text: str) -> str:
    """The item of the asked list the question names as an example; empty when none."""
    found = _EXAMPLE.search(text)
    return compact(found.group(1) or found.group(2)) if found else ""


def series_items(passage: str) -> list[str]:
    """The items of the passage's 、-series (the first carries its clause's verb, the last
    its 等…)."""
    return [item for items in series(passage) for item in items]


def series(passage: str) -> list[list[str]]:
    """Each 、-series of the passage, clause by clause, as its items."""
    found = (_series(clause) for clause in CLAUSE.findall(passage))
    return [items for items in ([p for p in parts if p] for parts in found) if items]


def _series(clause: str) -> list[str]:
    """The items of one clause's 、-series (none under three parts, or two closed by 等). The series ends at its
    等: what follows names the kind (经费保障、促进转移转化等创新性、引领性条款: two items and
    the kind's two words, not four items)."""
    parts = [compact(p) for p in clause.split("、")]
    # Two items make a series when 等 closes it (加强交易、运营等平台建设).
    if len(parts) < 2 or (len(parts) == 2 and not ETC.search(parts[1])):
        return []
    for i, part in enumerate(parts[1:], 1):
        closing = ETC.search(part)
        if closing:
            return [*parts[:i], part[: closing.start()]]
    return parts


# A name counting what it stands for (五进, 三个有关要求 is not one): a numeral, then one or
# two characters each item holds.
_COUNTED = re.compile(r"([一二两三四五六七八九十]|\d)([\u4e00-\u9fff]{1,2})")


def counted_series(passage: str, name: str) -> bool:
    """Whether the passage spells out a counted name: a series of that many items, each
    holding its characters (五进: 进企业、进学校、进社区、进单位、进市场)."""
    found = _COUNTED.fullmatch(name)
    count = to_int(found.group(1)) if found else None
    if found is None or count is None or count < 2:
        return False
    return any(
        len(items) == count and all(found.group(2) in item for item in items)
        for items in (_series(clause) for clause in CLAUSE.findall(passage))
    )


def names_item(passage: str, example: str) -> bool:
    """Whether one item of a series in the passage is the example (上电视 ~ 电视, 保护中心 ~
    知识产权保护中心, 推动《条例》进企业 ~ 进企业)."""
    return any(
        example in item or (len(item) >= MIN_TOPIC and item in example)
        for item in series_items(passage)
    )


def value_holders(exact: Sequence[AskType], candidates: Sequence[Candidate]) -> list[Entry]:
    """The passages holding every value asked (a date, an amount…), else those holding any:
    what a reply saying the rest is not stated may offer."""
    window = [c.entry for c in candidates if c.score > 0]
    return [e for e in window if not lacking(exact, e.text)] or [
        e for e in window if any(a.held(e.text) for a in exact)
    ]


def broader(candidates: Sequence[Candidate], margin: float) -> Candidate:
    """The top candidate, or the passage it was carved from when that scores within
    `margin` of it: a list question wants every item, and the whole passage holds them."""
    top = candidates[0]
    if not top.entry.parent:
        return top
    whole = next((c for c in candidates if c.entry.id == top.entry.parent), None)
    return whole if whole is not None and whole.score >= top.score - margin else top


# What a list question asks a list of: the words after 哪些 / 哪几项 (哪些行为是禁止的).
_LIST_OF = re.compile(
    r"(?:(?:哪|那)(?:些|几)|几)(?:个|项|种|类|条|部|样|家|所)?([\u4e00-\u9fff]{2,12})"
)
# The 等 that closes a series, not one inside a word (高等院校, 同等, 平等, 等级).
ETC = re.compile(r"(?<![高同中平相对均初])等(?![级同于])")
# A line of recipients separated by commas, ending with a colon (a notice's 主送).
_ADDRESS = re.compile(r"^([^，。；：\n]{2,40}，){2,}[^，。；：\n]{2,40}[：:]$")
# Where the name of what is asked about ends: 部门和组织的职责 → 部门和组织.
_PARTICLE = re.compile(r"[的是有呢吗啊呀要在都]")
# Two or more things named together: 甲、乙 / 甲和乙 / 甲及乙.
# 及 joins two things (甲及乙, 及其) except in words of its own (及时, 及早, 涉及, 提及…).
_JOINED = re.compile(r"[、和与或]|(?<![涉普波危顾提触惠遍])及(?![时早])")
# Words that make a noun no kind of it (重点行业, 相关部门, 其他领域).
_GENERIC = re.compile(r"(重点|相关|有关|其他|其它|主要|特定|各类|各个|各|一些|部分|不同的?)$")
_NUMBERED = re.compile(r"[（(][一二三四五六七八九十][）)]")


def listed_in(passage: str, nouns: Sequence[str]) -> bool | None:
    """Whether the passage lists what the question asks a list of: None when it never names
    it; False when no clause naming it names two things together (明确…的禁止行为 names the
    prohibited acts and lists none)."""
    for noun in nouns:
        clauses = [c for c in CLAUSE.findall(passage) if noun in c]
        if clauses:
            # 附件：《条例》简要解读 names its one item after the colon.
            labelled = re.compile(re.escape(noun) + r"\s*[：:]\s*\S")
            # Named only as 重点行业 (针对重点行业、重点领域开展…): no kind of it is named.
            listing = [c for c in clauses if not _only_generic(c, noun)]
            return any(_JOINED.search(c.replace(noun, "")) or labelled.search(c) for c in listing)
    return None


def _only_generic(clause: str, noun: str) -> bool:
    """Whether every mention of the noun in the clause is a generic one (重点行业, 相关部门)."""
    starts = [m.start() for m in re.finditer(re.escape(noun), clause)]
    return bool(starts) and all(_GENERIC.search(clause[:i]) for i in starts)


# What a list question asks a list of, named before an ask that ends its clause
# (典型指导性案例都有哪些？).
_LIST_BEFORE = re.compile(
    r"([\u4e00-\u9fff]{2,12}?)(?:都|一共|具体|主要|分别)?(?:有|是|包括|包含)(?:哪|那)(?:些|几)"
    r"[呢呀啊吗]?(?=[？?。!！，,]|$)"
)

# What has the things a list question asks of, named before the ask (…机制具体包括哪些方式),
# when those things are ways of doing it, which a passage may list without the word: not
# requirements (注重总结强化提升具体有哪些要求: the heading names it, the text lists them).
_WAYS = ("方式", "形式", "途径", "方法", "办法", "手段", "路径", "做法")
_LIST_OWNER = re.compile(
    r"([\u4e00-\u9fff]{2,12}?)(?:都|一共|具体|主要|分别)?(?:有|包括|包含|指|是指)(?:哪|那)(?:些|几)"
)


def list_nouns(text: str, words: Callable[[str], list[str]]) -> list[str]:
    """The words a list question asks a list of, in order (哪些别的法规 → 别的, 法规); the
    last word before an ask that ends its clause (典型指导性案例都有哪些？→ 指导性案例)."""
    before = _LIST_BEFORE.search(text)
    if before:
        return [w for w in words(before.group(1)) if len(w) >= MIN_TOPIC][-1:]
    found = _LIST_OF.search(text)
    if not found:
        return []
    nouns = [w for w in words(found.group(1)) if len(w) >= MIN_TOPIC]
    # Then what has them (纠纷多元化解机制具体包括哪些方式 → 机制): a passage never naming 方式
    # is judged by whether it lists the mechanism's.
    owner = _LIST_OWNER.search(text) if nouns and nouns[-1] in _WAYS else None
    held = [w for w in words(owner.group(1)) if len(w) >= MIN_TOPIC][-1:] if owner else []
    return nouns + [w for w in held if w not in nouns]


def list_object(text: str) -> str:
    """What a list question asks a list or a count of, as written (有几个快速维权中心 →
    快速维权中心); empty when it says none."""
    found = _LIST_OF.search(text)
    if found:
        return compact(_PARTICLE.split(found.group(1))[0])
    # Named before the ask (领导小组成员单位都有哪些), the thing after its 的 (领导小组的成员
    # 单位) when that names something on its own.
    before = _LIST_BEFORE.search(text)
    if not before:
        return ""
    name = compact(before.group(1))
    last = name.rsplit("的", 1)[-1]
    return last if len(last) >= 2 * MIN_TOPIC else name


def an_item(passage: str, thing: str) -> bool:
    """Whether `thing` is itself one item of a series in the passage (保护中心、快速维权中心、
    信息服务机构等): asked for a list or a count of those, the series does not answer."""
    thing = thing.replace("各", "")  # 领导小组各成员单位: the members, as the line has them
    if len(thing) < 2 * MIN_TOPIC:
        return False
    for clause in CLAUSE.findall(passage):
        parts = _series(clause)
        # The first item carries the clause's verb (加强知识产权保护中心), the last what the
        # clause says of them all (…、公共服务机构的工作人员未依法履行…).
        last = parts[-1] if parts else ""
        if parts and (
            parts[0].endswith(thing) or thing in parts[1:] or last.startswith(thing + "的")
        ):
            return True
    # An address line's recipients (…，省知识产权战略实施工作领导小组各成员单位，…：): asked
    # which 成员单位 there are, the line naming them as one recipient lists none.
    for line in passage.splitlines():
        if _ADDRESS.match(line.strip()):
            recipients = [compact(p).replace("各", "") for p in re.split(r"[，,]", line)]
            if any(r.rstrip("：:").endswith(thing) for r in recipients):
                return True
    return False


def _series_naming(lister: AskType, passage: str, nouns: Sequence[str]) -> bool:
    """Whether a series of the passage names what is asked a list of (an address line of
    单位), or its items are numbered (（一）…（二）: they name no kind)."""
    if _NUMBERED.search(passage):
        return True
    return any(n in m.group(0) for p in lister.evidence for m in p.finditer(passage) for n in nouns)


def lacking(
    asks: Sequence[AskType], passage: str, nouns: Sequence[str] = (), thing: str = ""
) -> AskType | None:
    """The first thing the question asks for that the passage does not hold. A value asked
    beside a list (已经转化成几项国际标准了: a count) is judged first. Then a list question is
    judged by its list: a passage holding a series answers it, unless what it asks a list or
    a count of is one item of that series (有几个快速维权中心), or the passage names what is
    asked a list of without listing it and its series name something else; one without a
    series lacks it when it names what is asked a list of and lists none of it (明确…的禁止
    行为)."""
    lister = next((a for a in asks if a.name == LIST), None)
    # A value asked beside the list (派5个人去，培训费每人多少钱) must be there too, unless
    # the list answers it (有几项措施，分别是哪些: a count).
    value = next((a for a in asks if a.exact and not a.by_list and not a.held(passage)), None)
    if lister is not None and value is not None:
        return value
    if lister is not None:
        if thing and an_item(passage, thing):
            return lister
        named_unlisted = listed_in(passage, nouns) is False
        if lister.held(passage) and not (
            named_unlisted and not _series_naming(lister, passage, nouns)
        ):
            return None
        if named_unlisted:
            return lister
    return next(iter(unheld(asks, passage)), None)


def unheld(asks: Sequence[AskType], passage: str) -> list[AskType]:
    """Every specific asked, the list aside, that the passage does not hold: 收不收费，去哪
    申请 lacks both an amount and a place."""
    return [a for a in asks if a.name != LIST and not a.held(passage)]


def topic(
    question: str, passage: str, common: Callable[[str], float] | None = None, most: float = 1.0
) -> str:
    """What the question and the passage share: their longest common stretch of text; with
    `common` (the share of entries holding a text), the longest held by no more than `most`
    of them, the rarer first (知识产权在政府考核里占几分: 政府考核, not 知识产权, which nearly
    every passage holds)."""
    if common is None:
        match = SequenceMatcher(None, question, passage, autojunk=False).find_longest_match(
            0, len(question), 0, len(passage)
        )
        found = question[match.a : match.a + match.size].strip("，。？?！!、 ")
        return found if len(found) >= MIN_TOPIC else ""
    shared = set()
    for start in range(len(question)):
        end = start + MIN_TOPIC
        while end <= len(question) and question[start:end] in passage:
            shared.add(question[start:end].strip("，。？?！!、 "))
            end += 1
    # Longest first; the share (a scan of every entry) only for one length at a time.
    for size in sorted({len(s) for s in shared if len(s) >= MIN_TOPIC}, reverse=True):
        shares = {s: common(s) for s in shared if len(s) == size}
        rare = [s for s in shares if shares[s] <= most]
        if rare:
            return min(rare, key=lambda s: (shares[s], question.find(s)))
    return ""


def mentioning(passage: str, words: str) -> str:
    """The sentences of the passage that mention `words`, verbatim and in order; the whole
    passage when none does."""
    if not words:
        return passage
    sentences = SENTENCE.findall(passage)
    picked = [i for i, s in enumerate(sentences) if words in s]
    # Sentences apart in the passage stay apart (……): joined, the addressee line 省国资委监管
    # 企业 and a later sentence read as one sentence the passage never says.
    out = ""
    for n, i in enumerate(picked):
        if n and i != picked[n - 1] + 1:
            out += "……"
        out += sentences[i].strip()
    return out.strip() or passage
