"""The rate limiter's arithmetic and the web settings read from the environment."""

from __future__ import annotations

import pytest

from bot.frontends.web.limits import RateLimiter
from bot.frontends.web.settings import WebSettings


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_bucket_allows_a_burst_then_a_steady_pace() -> None:
    clock = Clock()
    limiter = RateLimiter(30, clock=clock)
    assert [limiter.take("a") for _ in range(30)] == [0.0] * 30
    wait = limiter.take("a")
    assert wait == pytest.approx(2.0)  # 30 a minute: one token every 2 s
    assert limiter.retry_after("a") == 2
    clock.now += 2.0
    assert limiter.take("a") == 0.0
    assert limiter.take("a") > 0


def test_clients_have_their_own_buckets() -> None:
    limiter = RateLimiter(2, clock=Clock())
    assert limiter.take("a") == limiter.take("a") == 0.0
    assert limiter.take("a") > 0
    assert limiter.take("b") == 0.0


def test_zero_turns_the_limit_off() -> None:
    limiter = RateLimiter(0)
    assert not limiter.enabled
    assert all(limiter.retry_after("a") == 0 for _ in range(1000))
    assert len(limiter) == 0


def test_idle_clients_are_forgotten() -> None:
    clock = Clock()
    limiter = RateLimiter(60, clock=clock, max_clients=100)
    for i in range(100):
        limiter.take(f"10.0.0.{i}")
    clock.now += 61  # every bucket has refilled
    limiter.take("new")
    assert len(limiter) == 1
    # All active: the least recently seen half goes.
    for i in range(101):
        clock.now += 0.001
        limiter.take(f"busy{i}")
    assert len(limiter) <= 100
    assert limiter.take("busy100") == 0.0


def test_settings_from_env() -> None:
    assert WebSettings.from_env({}) == WebSettings()
    assert WebSettings().frame_ancestors == "*"
    assert WebSettings().rate_limit == 30
    settings = WebSettings.from_env(
        {
            "BOT_WEB_FRAME_ANCESTORS": "'self' https://www.example.gov.cn",
            "BOT_WEB_RATE_LIMIT": "0",
            "BOT_WEB_CORS_ORIGINS": "https://a.example, https://b.example",
            "BOT_WEB_ACCESS_LOG": "off",
        }
    )
    assert settings.frame_ancestors == "'self' https://www.example.gov.cn"
    assert settings.rate_limit == 0
    assert settings.cors_origins == ("https://a.example", "https://b.example")
    assert settings.access_log is False


@pytest.mark.parametrize(
    "env",
    [
        {"BOT_WEB_FRAME_ANCESTORS": "*; script-src *"},
        {"BOT_WEB_FRAME_ANCESTORS": "https://a.example, https://b.example"},
        {"BOT_WEB_FRAME_ANCESTORS": "https://a.example\r\nX-Evil: 1"},
        {"BOT_WEB_RATE_LIMIT": "many"},
        {"BOT_WEB_RATE_LIMIT": "-1"},
    ],
)
def test_bad_settings_are_refused(env: dict[str, str]) -> None:
    with pytest.raises(ValueError, match="BOT_WEB_"):
        WebSettings.from_env(env)
