"""The quiz, independent of any chat platform: question bank, generated questions, scoring,
rounds, polls and standings kept in the shared database.

Front ends (the Telegram adapter sends native quiz polls) call `QuizService` and render what
it returns (the values of `bot.quiz.results`); `quiz_items` gives the questions to draw from.
The service's parts: `rounds` (rounds and drawing questions), `polls` (sent polls),
`answers` (the answer queue and scoring writes), `standings` (rankings, summaries, personal
figures), `export` (CSV); `store` holds what they share.
"""

from bot.knowledge.model import KnowledgeBase
from bot.quiz.bank import QuizItem, fits_telegram, limit_problems, load_bank, unique_ids
from bot.quiz.generate import QuizGenerator, generate
from bot.quiz.results import (
    AlreadyRunning,
    AnswerOutcome,
    Leaderboard,
    PollInfo,
    PracticeTotals,
    PreparedQuestion,
    QuestionSummary,
    RankingRow,
    Round,
    RoundState,
    RoundSummary,
    UserStats,
)
from bot.quiz.service import QuizService


def quiz_items(kb: KnowledgeBase, seed: int = 0, *, generated: bool = True) -> list[QuizItem]:
    """The bank's questions, then (optionally) those generated with `seed`; ids unique.

    A generated question whose right answer the bank already asks from the same source
    (the effective date, the chapter count) is left out, so a round does not ask it twice.
    """
    items = load_bank(kb)
    if generated:
        asked = {(item.source, item.answer) for item in items}
        items += [item for item in generate(kb, seed) if (item.source, item.answer) not in asked]
    return unique_ids(items)


__all__ = [
    "AlreadyRunning",
    "AnswerOutcome",
    "Leaderboard",
    "PollInfo",
    "PracticeTotals",
    "PreparedQuestion",
    "QuestionSummary",
    "QuizGenerator",
    "QuizItem",
    "QuizService",
    "RankingRow",
    "Round",
    "RoundState",
    "RoundSummary",
    "UserStats",
    "fits_telegram",
    "generate",
    "limit_problems",
    "load_bank",
    "quiz_items",
]
