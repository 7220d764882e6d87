"""Live quiz for outreach events (现场知识竞赛): a host screen, phones in the hall, one
leaderboard.

Platform-free, like `bot.quiz`: the web pages and the CLI call `LiveService`; everything a
game is lives in the database (bot.live.models), so a restart or a second process on the same
PostgreSQL carries on with it. Parts: `game` (the row as a snapshot, phases, PINs, tokens,
nicknames), `control` (host actions), `answers` (judging and the once-only group-commit
writer), `standings` (rankings and distributions), `notify` (change events; LISTEN/NOTIFY on
PostgreSQL), `views` (what a phone, the host screen and the results page see).
"""

from bot.live.answers import AnswerResult
from bot.live.control import ACTIONS, Refused
from bot.live.game import (
    DEFAULT_QUESTIONS,
    DEFAULT_SECONDS,
    MAX_PLAYERS,
    MAX_QUESTIONS,
    MAX_SECONDS,
    MIN_QUESTIONS,
    MIN_SECONDS,
    GameView,
    Question,
)
from bot.live.service import Created, Joined, LiveError, LiveService, Player

__all__ = [
    "ACTIONS",
    "DEFAULT_QUESTIONS",
    "DEFAULT_SECONDS",
    "MAX_PLAYERS",
    "MAX_QUESTIONS",
    "MAX_SECONDS",
    "MIN_QUESTIONS",
    "MIN_SECONDS",
    "AnswerResult",
    "Created",
    "GameView",
    "Joined",
    "LiveError",
    "LiveService",
    "Player",
    "Question",
    "Refused",
]
