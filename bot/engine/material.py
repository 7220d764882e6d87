"""What the premise checks read of the whole knowledge base (every text, the dated ones, the
first characters of every series' items), read once per engine, and how a check's note is put
before a reply."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING
from weakref import WeakKeyDictionary

from bot.engine.days import DAY
from bot.engine.fit import series
from bot.engine.normalize import clean
from bot.engine.reply import Reply

if TYPE_CHECKING:
    from bot.engine.core import Engine


@dataclass(frozen=True)
class Material:
    """What the checks read of the whole knowledge base, read once per engine."""

    text: str  # every entry's text, the contacts' too, one after the other
    passages: tuple[str, ...]  # the texts of the entries that are no contact
    dated: tuple[str, ...]  # the texts giving a day
    heads: frozenset[str]  # the first characters of the items of every series it holds
    # Every 、-series of those passages, as its items (保护中心、快速维权中心、信息服务机构).
    series: tuple[tuple[str, ...], ...] = ()
    # The passages of documents with an issuer, whose clauses opening with a deed (制定了…)
    # have that issuer as their doer; the interpretation has none.
    issued: frozenset[str] = frozenset()


# Each engine's material: its knowledge base never changes (a reload builds a new engine,
# and the old one's entry goes with it).
_MATERIAL: WeakKeyDictionary[Engine, Material] = WeakKeyDictionary()


def read_material(engine: Engine) -> Material:
    """The engine's material, read on its first question that needs it."""
    found = _MATERIAL.get(engine)
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
        sources = engine.kb.sources
        issued = frozenset(
            e.text
            for e in entries
            if e.kind != "contact" and e.source in sources and sources[e.source].issuer
        )
        found = _MATERIAL[engine] = Material(
            "\n".join(texts), passages, dated, heads, tuple(map(tuple, held)), issued
        )
    return found


def unused(engine: Engine, word: str) -> bool:
    """Whether the base never uses the word, not even inside a longer one (微信 in 微信公众号),
    nor as two characters starting items of a series it holds (财税: 财政、税收)."""
    material = read_material(engine)
    if len(word) == 2 and all(c in material.heads for c in word):
        return False
    return engine.retriever.foreign(word) and word not in material.text


def noted(engine: Engine, question: str, reply: Reply, note: str, denies: bool = False) -> Reply:
    """`reply` with the note first, or right after the note saying how a follow-up was read
    (接上一问，按…理解), which stays the first thing said. A note that `denies` the claim the
    question makes (the material gives another day, doer, issuer) opens with the plain no its
    ending asks for (…对吧: 不对。; …吗: 不是。)."""
    if denies:
        note = claim_verdict(engine, question, holds=False) + note
    read = bool(reply.read_as) and bool(reply.blocks) and reply.blocks[0].type == "note"
    checked = engine.compose.noted(question, reply, note, reply.read_as or "", at=int(read))
    checked.read_as = reply.read_as
    return checked


def claim_verdict(engine: Engine, question: str, holds: bool) -> str:
    """对。/不对。 (or 是的。/不是。) for the claim the message itself makes; empty when it asks
    rather than claims."""
    parts = engine.intents.parts(engine.fixer.fix(clean(question)))
    return engine.intents.premises.verdict(parts, holds)
