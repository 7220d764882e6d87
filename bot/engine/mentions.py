"""Every place the campaign material mentions a term: 材料里出现过的各种“体系”帮我盘一下.

Such a list is gathered across passages, so no single entry holds it. A list question that
quotes a term and asks for all of its places is answered with the sentences holding it, in
the order of the material, each cited; repeated sentences (a duty restating the plan, a part
carved from its passage) show once.
"""

from __future__ import annotations

import re

from bot.engine.fit import SENTENCE
from bot.knowledge.model import Entry, KnowledgeBase

# A term the question quotes: “体系”, 「责任」, "纳入".
_QUOTED = re.compile(r"[“\"「『‘]([\u4e00-\u9fff]{1,6})[”\"」』’]")
# Words asking for every place, not for one passage (各种, 所有, 几处, 一共提到…).
_GATHER = re.compile(
    r"各种|所有|全部|哪几处|[几两三四]处|好几|一共提到|都提到|找全|盘一下|出现过|各处|哪些地方|几个地方"
)
# A heading alone (（一）全面落实普法责任。): the sentences under it say it again.
_HEADING = re.compile(r"^[（(][一二三四五六七八九十]+[）)]\s*[^，,]{1,14}[。.]?$")
# Passages that restate others (a duty is the plan's words under its subject) come last, so
# the original is the one cited.
_RESTATING = ("duty",)
# More places than this: the term is too common to list every one (知识产权).
MAX_MENTIONS = 20


def gathered_term(text: str, listed: bool = False) -> str:
    """The quoted term a question asks every mention of: quoted, and asking for every place
    (各种, 几处) or, `listed`, for a list (解读里“加大”了哪两样东西); empty when none."""
    found = _QUOTED.search(text)
    return found.group(1) if found and (listed or _GATHER.search(text)) else ""


def mentions(kb: KnowledgeBase, term: str) -> list[tuple[str, Entry]]:
    """The sentences of the campaign material (not an imported law's articles) holding
    `term`, each with the first entry holding it; a sentence inside another shows once."""
    if not term:
        return []
    entries = [
        e for e in kb.entries.values() if e.law is None and e.kind not in ("section", "contact")
    ]
    entries.sort(key=lambda e: e.kind in _RESTATING)
    found: list[tuple[str, Entry]] = []
    for entry in entries:
        for raw in SENTENCE.findall(entry.text):
            sentence = raw.strip()
            if term not in sentence or _HEADING.match(sentence):
                continue
            if any(sentence in s for s, _ in found):
                continue
            found = [(s, e) for s, e in found if s not in sentence]
            found.append((sentence, entry))
    return found
