"""A numbered place of a document asked by its number (方案三（二）讲的什么, 方案四（三）): the
passage cited at that place, found by the locators of the knowledge base's entries, not by
retrieval, which the bare numbers give nothing to go on."""

from __future__ import annotations

import unicodedata
from typing import TYPE_CHECKING

from bot.engine.reply import Reply

if TYPE_CHECKING:
    from bot.engine.core import Engine


def _form(text: str) -> str:
    return unicodedata.normalize("NFKC", text).replace(" ", "")


def located(engine: Engine, question: str, text: str) -> Reply | None:
    """The passage at a bracketed place (三（二）) of a document the (cleaned) question names,
    or of the only document with such a place when it names none, when the question asks
    nothing else: of the entries cited there, the longest (the whole item, not one of its
    sentences). None otherwise."""
    if "(" not in text:
        return None
    kb = engine.kb
    # Of the documents named; with none named, of the one document numbering a place so (四
    # （三）说了啥: only the plan has parts with items), a bare （三） being no such place.
    named = engine.named_documents(text)
    of = named or frozenset(kb.sources)
    places: dict[str, list[str]] = {}
    holders: dict[str, set[str]] = {}
    for entry in kb.entries.values():
        source = kb.sources.get(entry.source or "")
        if entry.source not in of or source is None or not entry.locator:
            continue
        place = _form(entry.locator.removeprefix(source.short))
        if "(" in place and place in text and (named or not place.startswith("(")):
            places.setdefault(place, []).append(entry.id)
            holders.setdefault(place, set()).add(source.id)
    if not places or (not named and any(len(h) > 1 for h in holders.values())):
        return None
    place = max(places, key=len)
    rest = text.replace(place, " ")
    # Words naming the document (方案) are where to look, not what is asked.
    if any(not engine.named_documents(w) for w in engine.specific_words(rest)):
        return None  # 解读（四）里技术调查官是干啥的: a thing of its own, for retrieval
    entry = max((kb.entries[i] for i in places[place]), key=lambda e: len(e.text))
    return engine.compose.answer(question, "search", entry, 1.0)
