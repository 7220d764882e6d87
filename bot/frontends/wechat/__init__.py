"""The WeChat channel: an official account's and a WeCom app's callback, served by the web app.

A thin adapter over the application layer, with the platform's protocol (signatures, the AES
safe mode, message parsing, replies) done by wechatpy:

    settings.py      the environment's WECHAT_*/WECOM_* variables
    protocol.py      handshake, verifying and opening a callback, sealing the reply (wechatpy)
    xmlsafe.py       bounded, DTD-free parsing of the bodies
    deliveries.py    each message handled once, however often the platform delivers it
    conversation.py  what to say: questions, numbered suggestions, practice, events
    dialogue.py      pending suggestions and practice questions per hashed user, expiring
    render.py        a reply's blocks as one text within the platform's reply size
    links.py         a link card (news message) to a live game
    pages.py         the full passage on the web, where a cut answer links to
    callback.py      the FastAPI routes

`mount` is what the web app calls when `WeChatSettings.enabled`; nothing imports wechatpy
until then (it is the `wechat` extra).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from bot.frontends.wechat.settings import Account, WeChatSettings

if TYPE_CHECKING:
    from fastapi import FastAPI

    from bot.app import Assistant

__all__ = ["Account", "WeChatSettings", "mount"]

_LOGGER = logging.getLogger(__name__)


def mount(app: FastAPI, assistant: Assistant, settings: WeChatSettings) -> None:
    """Serve the callbacks `settings` turn on (and the passage page) in `app`.

    Raises RuntimeError when wechatpy is not installed and ValueError when the intents lack
    the channel's texts; a reload that would drop them is refused.
    """
    try:
        from bot.frontends.wechat.callback import router
    except ImportError as exc:  # the extra is not installed
        raise RuntimeError(
            f"the WeChat channel is configured but cannot load ({exc}); "
            "install it with: pip install 'ipreg-bot[wechat]'"
        ) from exc
    from bot.frontends.wechat.texts import missing_texts

    problems = missing_texts(assistant.engine)
    if problems:
        raise ValueError("; ".join(problems))
    assistant.holder.add_validator(missing_texts)
    app.include_router(router(assistant, settings))
    for account in settings.accounts:
        mode = "safe mode" if account.safe_mode else "plaintext mode"
        _LOGGER.info("%s callback at %s (%s)", account.channel, account.path, mode)
