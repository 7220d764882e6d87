"""The knowledge base: its model, the YAML loader and the validator behind `check`."""

from bot.knowledge.loader import KnowledgeError, load_knowledge
from bot.knowledge.model import (
    Article,
    Chapter,
    Contact,
    Entry,
    KnowledgeBase,
    Law,
    QuizQuestion,
    Source,
)
from bot.knowledge.problems import Problem

__all__ = [
    "Article",
    "Chapter",
    "Contact",
    "Entry",
    "KnowledgeBase",
    "KnowledgeError",
    "Law",
    "Problem",
    "QuizQuestion",
    "Source",
    "load_knowledge",
]
