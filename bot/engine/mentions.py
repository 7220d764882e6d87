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
from bot.engine.fit import SENTENCE
from bot.knowledge.model import Entry, KnowledgeBase

# A term the question quotes: “体系”, 「责任」, "纳入".
_QUOTED = re.compile(r"[“\"「『‘]([\u4e00-\u9fff]{1,6})[”\"」』’]")
# Passages that restate others (a duty is the plan's words under its subject) come last, so
# the original is the one cited.
_RESTATING = ("duty",)
# More places than this: the term is too common to list every one (知识产权).
MAX_MENTIONS = 20


def gathered_term(text: str, asks: Sequence[AskType]) -> str:
    """The quoted term a question asks every mention of: quoted, and asking for every place
    (各种, 几处: the `gather` and `places` ask types) or for a list of it (解读里“加大”了哪两样
    东西), not for its meaning or a value (“省有关单位”都指哪些单位); empty when none."""
    found = _QUOTED.search(text)
    names = {a.name for a in asks}
    listed = LIST in names and not any(a.exact or a.name == "definition" for a in asks)
    return found.group(1) if found and (GATHER in names or PLACES in names or listed) else ""


def gathered(
    kb: KnowledgeBase, text: str, asks: Sequence[AskType], words: Callable[[], Sequence[str]]
) -> tuple[str, ...]:
    """The forms of the term whose every mention a question asks for: the quoted term as
    written; or, for a question asking where the material names something without quoting
    it (高校在解读里被点名了好几回), the first of its `words` (heaviest first) that the
    material names in two to `MAX_MENTIONS` sentences, with its synonyms (高等学校). A
    document's own name (方案, 解读) says where to look, not what. Empty when none."""
    quoted = gathered_term(text, asks)
    if quoted:
        return (quoted,)
    if not any(a.name == PLACES for a in asks):
        return ()
    names = " ".join(f"{s.short} {s.title}" for s in kb.sources.values())
    for word in words():
        forms = (word, *next((g for g in kb.synonyms if word in g), ()))
        if word not in names and 2 <= len(mentions(kb, *forms)) <= MAX_MENTIONS:
            return tuple(dict.fromkeys(forms))
    return ()


def mentions(kb: KnowledgeBase, *forms: str) -> list[tuple[str, Entry]]:
    """The sentences of the campaign material (not an imported law's articles) holding any
    of `forms`, each with the first entry holding it; a sentence inside another shows once.
    A heading holding it is one of them (（五）强化知识产权服务保障)."""
    forms = tuple(f for f in forms if f)
    if not forms:
        return []
    entries = [
        e for e in kb.entries.values() if e.law is None and e.kind not in ("section", "contact")
    ]
    entries.sort(key=lambda e: e.kind in _RESTATING)
    found: list[tuple[str, Entry]] = []
    for entry in entries:
        for raw in SENTENCE.findall(entry.text):
            sentence = raw.strip()
            if not any(f in sentence for f in forms):
                continue
            if any(sentence in s for s, _ in found):
                continue
            found = [(s, e) for s, e in found if s not in sentence]
            found.append((sentence, entry))
    return found
