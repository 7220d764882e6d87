"""The rate limiter every channel shares: its arithmetic, and the chat channels' verdicts."""

from __future__ import annotations

import pytest

from bot.app.ratelimit import RateLimiter, Verdict


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


# -- chat channels: tell once, then stay silent ------------------------------------------------


def test_check_allows_a_burst_and_notifies_once() -> None:
    now = [0.0]
    limiter = RateLimiter(3, clock=lambda: now[0])
    verdicts = [limiter.check(1) for _ in range(6)]
    assert verdicts == [Verdict.ALLOW] * 3 + [Verdict.NOTIFY, Verdict.DROP, Verdict.DROP]
    assert limiter.check(2) is Verdict.ALLOW  # per user
    now[0] = 60.0  # the bucket has refilled
    assert [limiter.check(1) for _ in range(4)] == [Verdict.ALLOW] * 3 + [Verdict.NOTIFY]


def test_check_zero_means_unlimited() -> None:
    limiter = RateLimiter(0)
    assert all(limiter.check(1) is Verdict.ALLOW for _ in range(1000))
