"""The application layer: one assistant (engine holder, question recorder, quiz) that every
channel adapter calls; see service.py."""

from bot.app.holder import EngineHolder, ReloadResult, build_engine
from bot.app.incoming import CHANNELS, Incoming
from bot.app.recorder import QuestionRecorder
from bot.app.service import Assistant

__all__ = [
    "CHANNELS",
    "Assistant",
    "EngineHolder",
    "Incoming",
    "QuestionRecorder",
    "ReloadResult",
    "build_engine",
]
