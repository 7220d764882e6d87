"""Quizzes on Telegram: group rounds of native quiz polls, standings, practice and export.

A thin adapter over `bot.quiz.QuizService`, which owns every rule and all state (rounds,
polls, answers, scores) in the database. This package sends what the service prepares and
feeds it what Telegram reports:

* `handlers` — `QuizBot`: the commands, practice in private and poll answers, wired into one
  Application.
* `driver` — `RoundDriver`: posts a round's polls, closes them when their period ends, posts
  the results, and continues open rounds after a restart.
* `practice` — `PracticeDesk`: one untimed poll at a time in private, with feedback.
* `render` — every message the quiz shows, as pure functions of the service's results.
* `pacing` — `QuizOptions` and `GroupPacer` (at most 20 messages a minute per group);
  `outbox` — `QuizOutbox`, through which all of the above send.
"""

from bot.frontends.telegram.quiz.driver import RoundDriver
from bot.frontends.telegram.quiz.handlers import QuizBot, parse_quiz_arguments
from bot.frontends.telegram.quiz.pacing import GROUP_MESSAGES_PER_MINUTE, GroupPacer, QuizOptions
from bot.frontends.telegram.quiz.render import (
    PRACTICE_NEXT,
    QUIZ_TEXT_KEYS,
    display_name,
    poll_question,
    render_leaderboard,
    render_stats,
    render_summary,
)

__all__ = [
    "GROUP_MESSAGES_PER_MINUTE",
    "PRACTICE_NEXT",
    "QUIZ_TEXT_KEYS",
    "GroupPacer",
    "QuizBot",
    "QuizOptions",
    "RoundDriver",
    "display_name",
    "parse_quiz_arguments",
    "poll_question",
    "render_leaderboard",
    "render_stats",
    "render_summary",
]
