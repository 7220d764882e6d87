"""Where an Application keeps the channel's objects (PTB's bot_data), for the modules that
reach them from a handler: one place, so admin and app need not import each other."""

from __future__ import annotations

from typing import TYPE_CHECKING

from telegram.ext import Application

if TYPE_CHECKING:
    from bot.frontends.telegram.handlers import Handlers
    from bot.frontends.telegram.quiz import QuizBot

HANDLERS_KEY = "handlers"
QUIZ_KEY = "quiz"


def handlers_of(application: Application) -> Handlers:
    """The handlers object an application was built with (tests reach the codec through it)."""
    handlers: Handlers = application.bot_data[HANDLERS_KEY]
    return handlers


def quiz_of(application: Application) -> QuizBot:
    """The quiz an application was built with (tests and benchmarks read its service)."""
    quiz: QuizBot = application.bot_data[QUIZ_KEY]
    return quiz
