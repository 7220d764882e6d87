"""The Telegram quiz's group pacer: at most 20 messages a minute into one group."""

from __future__ import annotations

import pytest

from bot.frontends.telegram.quiz.pacing import GroupPacer


async def test_the_pacer_allows_twenty_a_minute_per_group_then_waits() -> None:
    now = [0.0]
    waits: list[float] = []

    async def sleep(seconds: float) -> None:
        waits.append(seconds)
        now[0] += seconds

    pacer = GroupPacer(limit=20, period=60.0, clock=lambda: now[0], sleep=sleep)
    for i in range(20):
        now[0] = i * 0.5
        assert await pacer.acquire(-100) == 0.0
    assert pacer.sent_within(-100) == 20
    now[0] = 10.0
    assert await pacer.acquire(-100) == pytest.approx(50.0)  # the first left the window at 60
    assert await pacer.acquire(-200) == 0.0  # another group has its own budget
    assert await pacer.acquire(42) == 0.0  # private chats are not paced
    assert await pacer.acquire(42) == 0.0 and pacer.sent_within(42) == 0
    now[0] = 60.4
    assert await pacer.acquire(-100) == pytest.approx(0.1)  # the second left at 60.5
    assert waits == [pytest.approx(50.0), pytest.approx(0.1)]
