"""The platform-free reply every front end renders: text, citations, suggestions, contacts."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

KINDS = ("answer", "clarify", "smalltalk", "fallback")


@dataclass(frozen=True)
class Citation:
    """Where a stated fact comes from: the document's title, a locator and the entry id."""

    source: str
    locator: str
    entry: str

    @property
    def line(self) -> str:
        glue = "" if not self.locator or self.locator[0] in "第（(" else " "
        return f"{self.source}{glue}{self.locator}"


@dataclass(frozen=True)
class Suggestion:
    entry: str
    title: str


@dataclass(frozen=True)
class ContactCard:
    id: str
    name: str
    organization: str
    phone: str
    email: str | None = None
    serves: str = ""


@dataclass
class Reply:
    """One answer. `text` is exactly what a user sees, source line included."""

    question: str
    kind: str
    intent: str
    text: str
    citations: list[Citation] = field(default_factory=list)
    confidence: float = 0.0
    suggestions: list[Suggestion] = field(default_factory=list)
    contacts: list[ContactCard] = field(default_factory=list)
    # The full cited passage behind 查看原文 (the parent paragraph of a carved-out entry).
    passage: str | None = None
    body: str = ""

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown reply kind {self.kind!r}")

    @property
    def entry(self) -> str | None:
        return self.citations[0].entry if self.citations else None

    def to_json(self) -> dict[str, Any]:
        """The public JSON contract of `ask --json` and the HTTP API."""
        return {
            "question": self.question,
            "kind": self.kind,
            "intent": self.intent,
            "text": self.text,
            "citations": [asdict(c) for c in self.citations],
            "confidence": round(self.confidence, 4),
            "suggestions": [asdict(s) for s in self.suggestions],
        }
