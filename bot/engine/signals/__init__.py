"""Matching signals. Each module scores every indexed document for a query, one float each.

A new signal is a new module with the same `scores(query)` shape, one float per document
(a list or a numpy array); the combination of signals lives in `bot.engine.retrieve` alone.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.knowledge.model import Entry


@dataclass(frozen=True)
class Query:
    """A question in matching form: words (canonical, stop words removed) and their weights."""

    text: str
    words: tuple[str, ...]
    terms: tuple[str, ...]
    weights: dict[str, float] = field(default_factory=dict, hash=False)


@dataclass
class Document:
    """One entry as the signals see it: term lists per field, and strings to compare."""

    entry: Entry
    fields: dict[str, tuple[str, ...]]
    term_set: frozenset[str]  # every field
    key_set: frozenset[str]  # title, questions, keywords, subject: what the entry is about
    phrases: tuple[str, ...]  # canonical word strings of the entry's questions and title
    paragraphs: tuple[frozenset[str], ...] = ()
