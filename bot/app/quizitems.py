"""The quiz's questions for the knowledge base in service: the bank and those generated."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from bot.app.holder import EngineHolder
from bot.engine import Engine
from bot.knowledge.model import KnowledgeBase
from bot.quiz import QuizItem, quiz_items

# Generated quiz questions are drawn with this seed (the same questions on every restart).
QUIZ_SEED = 0


def quiz_items_of(
    source: Engine | EngineHolder, seed: int = QUIZ_SEED
) -> Callable[[], Sequence[QuizItem]]:
    """The quiz's questions for the current knowledge base, built once per base: generating
    them takes a few milliseconds, drawing one must not. Given the engine holder, a
    reload's new base is picked up by itself."""
    cache: list[tuple[KnowledgeBase, list[QuizItem]]] = []

    def items() -> Sequence[QuizItem]:
        kb = source.engine.kb if isinstance(source, EngineHolder) else source.kb
        if not cache or cache[0][0] is not kb:
            cache[:] = [(kb, quiz_items(kb, seed))]
        return cache[0][1]

    return items
