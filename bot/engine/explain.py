"""How a question was read and scored, in a few lines: for organisers improving the knowledge
base (`python -m bot ask --explain`), not for users."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.engine.normalize import clean, normalize

if TYPE_CHECKING:
    from bot.engine.core import Engine

SHOWN = 6


def explain(engine: Engine, question: str) -> str:
    """The cleaned question, the reply's kind and confidence, the words and their weights,
    and the top entries with each signal's part of their score."""
    reply = engine.answer(question)
    text = engine.fixer.fix(clean(question))
    about, frame = engine.reading(text)
    query = engine.retriever.query(normalize(about), frame)
    lines = [
        f"question: {question!r} -> {text!r}",
        f"reply: {reply.kind}/{reply.intent} confidence={reply.confidence:.3f}",
        "words: " + " ".join(f"{w}({query.weights[w]:.1f})" for w in query.words),
    ]
    for c in engine.search(about, frame=frame)[:SHOWN]:
        lines.append(
            f"  {c.score:.3f} cov={c.coverage:.2f} fuzzy={c.fuzzy:.2f} "
            f"bm25={c.bm25:.1f} {c.entry.id}"
        )
    return "\n".join(lines)
