"""Web front end: chat and quiz pages plus a JSON API, for people without Telegram."""

from bot.frontends.web.app import create_app, run_web
from bot.frontends.web.settings import WebSettings

__all__ = ["WebSettings", "create_app", "run_web"]
