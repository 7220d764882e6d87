"""Mounting the admin console on the web app: the login, the pages and the console's API.

The console needs the database (accounts, sessions, the audit log and learned wordings live
there, shared by every replica): the assistant's question log's, else its quiz's.
"""

from __future__ import annotations

import asyncio
import logging

from fastapi import FastAPI

from bot.admin.apply import LearnedApplier
from bot.admin.auth import AdminAuth
from bot.app import Assistant
from bot.frontends.web.admin_auth import AdminGate
from bot.frontends.web.admin_knowledge import KnowledgeApi
from bot.frontends.web.admin_overview import OverviewApi
from bot.frontends.web.admin_pages import AdminPages
from bot.frontends.web.admin_questions import QuestionsApi
from bot.frontends.web.admin_quiz import QuizApi
from bot.storage import Database

_LOGGER = logging.getLogger(__name__)
# Seconds between two looks at the database's learned wordings (another replica may have
# applied some); the first look is at start.
LEARNED_POLL = 30.0


def console_database(assistant: Assistant) -> Database | None:
    if assistant.database is not None:
        return assistant.database
    if assistant.quiz is not None:
        return assistant.quiz.db
    return None


def mount_console(app: FastAPI, assistant: Assistant, auth: AdminAuth) -> AdminGate:
    """Add the console's routes; the gate is what every admin route checks."""
    gate = AdminGate(auth)
    app.include_router(gate.router())
    app.include_router(AdminPages(gate).router())
    app.include_router(OverviewApi(gate, assistant).router())
    applier = LearnedApplier(auth.db, assistant.holder)
    app.include_router(QuestionsApi(gate, assistant, applier).router())
    app.include_router(KnowledgeApi(gate, assistant).router())
    app.include_router(QuizApi(gate, assistant).router())
    app.state.admin_gate = gate
    return gate


async def follow_learned(assistant: Assistant, every: float = LEARNED_POLL) -> None:
    """Build the database's learned wordings into the engine at start, and again whenever
    they change (an apply on another replica); runs until cancelled."""
    while True:
        try:
            if await assistant.load_learned():
                _LOGGER.info("learned wordings changed in the database: knowledge reloaded")
        except Exception:  # a bug here must not end the loop
            _LOGGER.exception("could not follow the learned wordings")
        await asyncio.sleep(every)
