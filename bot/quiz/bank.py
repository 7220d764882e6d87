"""Quiz items as every front end sends them, and the hand-written bank loaded from quiz.yaml.

A `QuizItem` is platform-free but sized for the strictest front end: Telegram quiz polls
(Bot API 10.0). `fits_telegram` checks those limits so that nothing is ever cut to fit: the
bank is validated by `python -m bot check`, and generated items that do not fit are dropped.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from bot.engine.compose import citation
from bot.knowledge.loader import (
    QUIZ_EXPLANATION_MAX,
    QUIZ_EXPLANATION_MAX_NEWLINES,
    QUIZ_OPTION_MAX,
    QUIZ_OPTIONS_MAX,
    QUIZ_OPTIONS_MIN,
    QUIZ_QUESTION_MAX,
)
from bot.knowledge.model import KnowledgeBase, QuizQuestion

Origin = Literal["bank", "generated"]

__all__ = [
    "QUIZ_EXPLANATION_MAX",
    "QUIZ_EXPLANATION_MAX_NEWLINES",
    "QUIZ_OPTIONS_MAX",
    "QUIZ_OPTIONS_MIN",
    "QUIZ_OPTION_MAX",
    "QUIZ_QUESTION_MAX",
    "Origin",
    "QuizItem",
    "fits_telegram",
    "limit_problems",
    "load_bank",
    "source_line",
]

# Prefix of the source line appended to a poll's explanation.
SOURCE_PREFIX = "来源："


@dataclass(frozen=True)
class QuizItem:
    """One multiple-choice question with its right answer and where the answer comes from.

    `correct` indexes `options`. `source` and `locator` name the citation in the knowledge
    base; `source_line` is it rendered as users read it (《…》第五条, 《…》 三（二）).
    """

    id: str
    question: str
    options: tuple[str, ...]
    correct: int
    explanation: str
    source: str
    locator: str
    source_line: str
    tags: tuple[str, ...] = ()
    difficulty: int = 1
    origin: Origin = "bank"

    @property
    def answer(self) -> str:
        """The text of the right option."""
        return self.options[self.correct]

    @property
    def poll_explanation(self) -> str:
        """The explanation with the source line on its own line when that still fits Telegram;
        otherwise the explanation alone (the source line then shows in the round's summary)."""
        full = f"{self.explanation}\n{SOURCE_PREFIX}{self.source_line}"
        return full if _explanation_fits(full) else self.explanation


def _explanation_fits(text: str) -> bool:
    return len(text) <= QUIZ_EXPLANATION_MAX and text.count("\n") <= QUIZ_EXPLANATION_MAX_NEWLINES


def limit_problems(item: QuizItem) -> list[str]:
    """Every way the item breaks Telegram's quiz-poll limits (empty when it fits)."""
    problems = []
    if not item.question.strip():
        problems.append("empty question")
    if len(item.question) > QUIZ_QUESTION_MAX:
        problems.append(f"question has {len(item.question)} > {QUIZ_QUESTION_MAX} characters")
    if not QUIZ_OPTIONS_MIN <= len(item.options) <= QUIZ_OPTIONS_MAX:
        problems.append(f"{len(item.options)} options, not {QUIZ_OPTIONS_MIN}–{QUIZ_OPTIONS_MAX}")
    for option in item.options:
        if not option.strip():
            problems.append("empty option")
        elif len(option) > QUIZ_OPTION_MAX:
            problems.append(f"option {option[:20]!r}… over {QUIZ_OPTION_MAX} characters")
    if len(set(item.options)) != len(item.options):
        problems.append("options repeat")
    if not 0 <= item.correct < len(item.options):
        problems.append(f"correct index {item.correct} out of range")
    if not item.explanation.strip():
        problems.append("empty explanation")
    elif not _explanation_fits(item.explanation):
        problems.append(
            f"explanation over {QUIZ_EXPLANATION_MAX} characters or "
            f"{QUIZ_EXPLANATION_MAX_NEWLINES} line breaks"
        )
    return problems


def fits_telegram(item: QuizItem) -> bool:
    """True when the item can be sent as a Telegram quiz poll exactly as it is."""
    return not limit_problems(item)


def source_line(kb: KnowledgeBase, source_id: str, locator: str) -> str:
    """The citation as the engine renders it: the document's title in 《》 and the locator."""
    return citation(kb, source_id, locator, "").line


def from_question(kb: KnowledgeBase, question: QuizQuestion) -> QuizItem:
    return QuizItem(
        id=question.id,
        question=question.question,
        options=tuple(question.options),
        correct=question.answer,
        explanation=question.explanation,
        source=question.source,
        locator=question.locator,
        source_line=source_line(kb, question.source, question.locator),
        tags=tuple(question.tags),
        difficulty=question.difficulty,
        origin="bank",
    )


def load_bank(kb: KnowledgeBase) -> list[QuizItem]:
    """The hand-written questions of kb.quiz, in file order.

    `check` has validated them, so a bank item that does not fit is a bug in the loader's
    checks: it raises instead of being dropped quietly.
    """
    items = [from_question(kb, q) for q in kb.quiz.values()]
    for item in items:
        problems = limit_problems(item)
        if problems:
            raise ValueError(f"quiz question {item.id!r} does not fit Telegram: {problems}")
    return items


def unique_ids(items: Iterable[QuizItem]) -> list[QuizItem]:
    """The items with the first of each id kept (bank before generated when concatenated)."""
    seen: set[str] = set()
    out = []
    for item in items:
        if item.id not in seen:
            seen.add(item.id)
            out.append(item)
    return out
