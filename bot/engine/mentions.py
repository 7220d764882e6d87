"""Every place the campaign material mentions a term: 材料里出现过的各种“体系”帮我盘一下.

Such a list is gathered across passages, so no single entry holds it. A list question that
quotes a term and asks for all of its places is answered with the sentences holding it, in
the order of the material, each cited; repeated sentences (a duty restating the plan, a part
carved from its passage) show once.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from bot.engine.asks import GATHER, LIST, PLACES, AskType
from bot.engine.sentences import campaign_sentences, distinct
from bot.knowledge.model import Entry, KnowledgeBase

# A term the question quotes: “体系”, 「责任」, "纳入".
# One character is a term only as a character (带“法”字的说法) or as the kind asked for (哪些
# “人”, 哪些「新」的东西); not a verb whose objects are asked (条例“进”哪些地方: 五进).
_QUOTED = re.compile(
    r"[“\"「『‘]([\u4e00-\u9fff]{2,6})[”\"」』’]"
    r"|(?:(?<=哪些)|(?<=哪几)|(?<=什么)|(?<=啥))[“\"「『‘]([\u4e00-\u9fff])[”\"」』’]"
    r"|[“\"「『‘]([\u4e00-\u9fff])[”\"」』’](?=字|的(?:句子|词|说法|话))"
)
# More places than this: the term is too common to list every one (知识产权).
MAX_MENTIONS = 20
# An unquoted term is looked for among this many of the question's heaviest words.
MAX_WORDS_TRIED = 3


def gathered_term(text: str, asks: Sequence[AskType]) -> str:
    """The quoted term a question asks every mention of: quoted, and asking for every place
    (各种, 几处: the `gather` and `places` ask types) or for a list of it (解读里“加大”了哪两样
    东西), not for its meaning or a value (“省有关单位”都指哪些单位); empty when none."""
    found = _QUOTED.search(text)
    names = {a.name for a in asks}
    listed = LIST in names and not any(a.exact or a.name == "definition" for a in asks)
    term = next((g for g in found.groups() if g), "") if found else ""
    return term if GATHER in names or PLACES in names or listed else ""


def gathered(
    kb: KnowledgeBase,
    text: str,
    asks: Sequence[AskType],
    words: Callable[[], Sequence[str]],
    within: frozenset[str] = frozenset(),
) -> tuple[str, ...]:
    """The forms of the term whose every mention a question asks for: the quoted term as
    written; or, for a question asking where the material names something without quoting
    it (高校在解读里被点名了好几回), the first of its `words` (heaviest first) that the
    material names in two to `MAX_MENTIONS` sentences, with its synonyms (高等学校). A
    document's own name (方案, 解读) says where to look, not what; `within`, the documents
    the question names. Empty when none."""
    quoted = gathered_term(text, asks)
    if quoted:
        return (quoted,)
    if not any(a.name == PLACES for a in asks):
        return ()
    names = " ".join(s.short for s in kb.sources.values())
    for word in list(words())[:MAX_WORDS_TRIED]:
        forms = (word, *next((g for g in kb.synonyms if word in g), ()))
        if word not in names and 2 <= len(mentions(kb, *forms, within=within)) <= MAX_MENTIONS:
            return tuple(dict.fromkeys(forms))
    return ()


# Where a question says to look: 解读里, 方案中, 方案和解读里 (the words before 里/中).
_WITHIN = re.compile(r"([\u4e00-\u9fff、和跟与及]{2,12}?)(?:里面|里头|里|中|当中)")
_JOINS = re.compile(r"[、和跟与及]")


def named_sources(kb: KnowledgeBase, text: str) -> frozenset[str]:
    """The documents a question says to look in (解读里 → the interpretation; 通知里 → both
    notices), by the end of each document's short name; empty when it names none."""
    found: set[str] = set()
    for match in _WITHIN.finditer(text):
        for part in _JOINS.split(match.group(1)):
            found.update(
                s.id
                for s in kb.sources.values()
                if len(part) >= 2 and any(part.endswith(s.short[-n:]) for n in (2, 3, 4))
            )
    return frozenset(found)


def mentions(
    kb: KnowledgeBase, *forms: str, within: frozenset[str] = frozenset()
) -> list[tuple[str, Entry]]:
    """The sentences of the campaign material holding any of `forms`, each once, with the
    first entry holding it (bot/engine/sentences.py); a heading holding it is one of them
    (（五）强化知识产权服务保障). `within`: only the documents named (解读里…), when any."""
    forms = tuple(f for f in forms if f)
    if not forms:
        return []
    pairs = campaign_sentences(kb, within)
    return distinct((s, e) for s, e in pairs if any(f in s for f in forms))
