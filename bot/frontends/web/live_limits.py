"""Limits of the live quiz's endpoints, and its refusals' wording.

A hall plays from behind one NAT, so the chat API's per-IP limit (BOT_WEB_RATE_LIMIT) does
not apply here. Instead: every player token has its own bucket (`TOKEN_PER_MINUTE`, ample
for a phone that polls its state every two seconds and answers), joins are limited per game
(`JOINS_PER_MINUTE`), and one IP address gets a generous cap against floods
(BOT_LIVE_RATE_LIMIT requests a minute, default 6000: 300 phones streaming, or 100 of them
polling every second). All are token buckets (bot.app.ratelimit) kept in memory per process.
"""

from __future__ import annotations

import logging
from collections.abc import Hashable, Mapping
from dataclasses import dataclass, field

from starlette.requests import Request

from bot.app.ratelimit import RateLimiter
from bot.frontends.web.errors import MESSAGES, ApiError
from bot.frontends.web.inputs import client_key
from bot.settings import Settings

_LOGGER = logging.getLogger(__name__)

IP_PER_MINUTE = 6000
TOKEN_PER_MINUTE = 240
JOINS_PER_MINUTE = 3000

LIVE_MESSAGES = {
    "live_not_found": "没有这个 PIN 的竞赛，请核对大屏幕上的数字后再试。",
    "live_no_player": "请先输入 PIN 和昵称加入竞赛。",
    "live_not_host": "需要主持人密钥（X-Host-Key）。",
    "live_unavailable": "现场竞赛暂时不可用，请稍后再试。",
    "bad_game": "题目数应为 1–50，每题时间应为 5–300 秒。",
    "bad_name": "请填写昵称（1–16 个字）。",
    "bad_token": "令牌格式不正确。",
    "bad_answer": '请提供题目编号和所选选项，例如 {"question_id": 1, "option_ids": [0]}。',
    "bad_version": "version 应为整数。",
    "bad_action": "没有这个操作。",
    "game_full": "本场竞赛人数已满。",
    "finished": "本场竞赛已经结束。",
    "already_started": "竞赛已经开始了。",
    "not_open": "现在没有进行中的题目。",
    "not_paused": "竞赛没有暂停。",
    "not_found": MESSAGES["not_found"],
    "no_pin": "暂时无法生成 PIN，请重试。",
    "empty_quiz": MESSAGES["empty_quiz"],
    "rate_limited": "操作太频繁了，请稍等片刻再试。",
}


def live_refusal(status: int, code: str, **extra: object) -> ApiError:
    return ApiError(status, code, LIVE_MESSAGES.get(code, MESSAGES.get(code, code)), **extra)


def _limited(limiter: RateLimiter, key: Hashable) -> None:
    wait = limiter.retry_after(key)
    if wait:
        error = live_refusal(429, "rate_limited", retry_after=wait)
        error.headers["Retry-After"] = str(wait)
        raise error


@dataclass
class LiveLimits:
    ip_per_minute: int = IP_PER_MINUTE
    token_per_minute: int = TOKEN_PER_MINUTE
    joins_per_minute: int = JOINS_PER_MINUTE
    ip: RateLimiter = field(init=False)
    token: RateLimiter = field(init=False)
    joins: RateLimiter = field(init=False)

    def __post_init__(self) -> None:
        self.ip = RateLimiter(self.ip_per_minute)
        self.token = RateLimiter(self.token_per_minute)
        self.joins = RateLimiter(self.joins_per_minute)

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> LiveLimits:
        """BOT_LIVE_RATE_LIMIT per IP (read and checked by `bot.settings.Settings`)."""
        return cls(ip_per_minute=Settings.from_env(env).live_rate_limit)

    def by_ip(self, request: Request) -> None:
        _limited(self.ip, client_key(request))

    def by_token(self, token: str) -> None:
        _limited(self.token, token)

    def joining(self, game_id: int) -> None:
        _limited(self.joins, game_id)
