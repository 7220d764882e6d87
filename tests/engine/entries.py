"""Hand-made entries for tests of the engine's sentence-level functions."""

from __future__ import annotations

from bot.knowledge.model import Entry


def make_entry(ident: str, text: str, kind: str = "faq", law: str | None = None) -> Entry:
    """An entry of the plan (source `plan`, locator 一) with just an id, a kind and a text."""
    return Entry(ident, kind, ident, text, "plan", "一", law=law)
