"""SIGKILL at random instants while a group answers a quiz poll: no answer is lost, none
counts twice.

Each trial starts `python -m bot run` against the fake Bot API, lets a few members vote on
the open poll, and kills the process (SIGKILL): every other trial at the instant a getUpdates
call acknowledges the votes (Telegram will not send them again; the bot has not stored them
yet), the others a random moment later. A last, clean start must then hold every vote exactly once: Telegram keeps
what was not acknowledged, and the journal on disk what was acknowledged but not stored.
The bot's log must name no voter and no user id.
"""

from __future__ import annotations

import asyncio
import os
import random
import signal
from pathlib import Path

import pytest
import pytest_asyncio
from fakebot.server import FakeBotApi
from sqlalchemy import select
from sqlalchemy.exc import OperationalError

from bot.quiz.models import QuizAnswer
from bot.storage import Database
from tests.databases import backends, scratch_url
from tests.frontends.telegram.process import bot_process

# Trials per database: SQLite always, PostgreSQL when BOT_TEST_POSTGRES_URL is set. Each is
# a process start (about 3 s); 30 keep CI within its 15 minutes, half of them at the
# dangerous instant. BOT_FAULT_TRIALS runs more.
TRIALS = {"sqlite": 30, "postgresql": 10}
VOTERS_PER_TRIAL = 3
GROUP = -1001000000042
ADMIN = 7001
FIRST_VOTER = 910000


async def stored(url: str) -> list[tuple[str, str]]:
    database = Database(url)
    try:
        async with database.session() as session:
            rows = (await session.scalars(select(QuizAnswer))).all()
        return [(r.poll_id, r.user_hash) for r in rows]
    except OperationalError:
        return []
    finally:
        await database.dispose()


async def until(check, timeout: float, what: str) -> None:  # type: ignore[no-untyped-def]
    deadline = asyncio.get_running_loop().time() + timeout
    while not await check():
        if asyncio.get_running_loop().time() > deadline:
            raise TimeoutError(what)
        await asyncio.sleep(0.05)


async def acknowledged(api: FakeBotApi, update_id: int, timeout: float = 30.0) -> None:
    """Return the moment a getUpdates call with an offset past `update_id` arrives."""
    deadline = asyncio.get_running_loop().time() + timeout
    while not any(int(c.get("offset") or 0) > update_id for c in api.calls("getUpdates")):
        if asyncio.get_running_loop().time() > deadline:
            raise TimeoutError("the bot never acknowledged the votes")
        await asyncio.sleep(0.001)


@pytest_asyncio.fixture(params=backends())
async def database_url(request: pytest.FixtureRequest, tmp_path: Path):  # type: ignore[no-untyped-def]
    async with scratch_url(request.param, tmp_path / "data" / "bot.db") as url:
        yield request.param, url


async def test_sigkill_at_random_instants_loses_no_quiz_answer(
    tmp_path: Path, database_url: tuple[str, str]
) -> None:
    backend, url = database_url
    trials = int(os.environ.get("BOT_FAULT_TRIALS") or TRIALS[backend])
    rng = random.Random(20261205)
    env = {
        "BOT_DATABASE_URL": url,
        "BOT_SEMANTIC": "off",
        "BOT_QUIZ_JOURNAL": str(tmp_path / "journal.jsonl"),
        "BOT_ADMIN_IDS": str(ADMIN),
        "BOT_SNAPSHOT_DIR": str(tmp_path / "snapshot"),
    }
    async with FakeBotApi() as api:
        api.user(ADMIN, "Host")
        voters = [FIRST_VOTER + i for i in range(trials * VOTERS_PER_TRIAL)]
        for voter in voters:
            api.user(voter, f"Voter{voter}")
        api.group(GROUP, "知识竞赛群", members=[ADMIN, *voters])
        api.set_admins(GROUP, [ADMIN], creator_id=ADMIN)

        # A round with one poll open for ten minutes: every trial votes on it.
        async with bot_process(api, tmp_path, **env) as bot:
            api.group_message(GROUP, ADMIN, "/quiz 1 600")
            poll = (await api.wait_for(lambda: list(api.polls.values()), 60, message="poll"))[0]
            await bot.stop(signal.SIGTERM)

        cast: list[int] = []
        kills = 0
        for trial in range(trials):
            async with bot_process(api, tmp_path, **env) as bot:
                calls = len(api.calls("getUpdates"))
                await api.wait_for(
                    lambda c=calls: len(api.calls("getUpdates")) > c, 60, message="polling"
                )
                batch = voters[trial * VOTERS_PER_TRIAL : (trial + 1) * VOTERS_PER_TRIAL]
                last = 0
                for voter in batch:
                    option = rng.randrange(len(poll.poll["options"]))
                    last = api.poll_answer(poll.poll_id, voter, [option])["update_id"]
                    cast.append(voter)
                if trial % 2 == 0:
                    # The dangerous instant: the moment a getUpdates call acknowledges the
                    # votes (its offset moves past them), before the bot could store them.
                    await acknowledged(api, last)
                else:
                    await asyncio.sleep(rng.uniform(0.0, 0.6))
                bot.process.send_signal(signal.SIGKILL)
                await bot.process.wait()
                kills += 1
                log = bot.output()
                assert not any(f"Voter{v}" in log or str(v) in log for v in batch), log[-2000:]

        # A clean start afterwards: every vote is stored, once.
        async with bot_process(api, tmp_path, **env) as bot:

            async def complete() -> bool:
                return len(await stored(url)) >= len(cast)

            await until(complete, 60, "all votes stored")
            await bot.stop(signal.SIGTERM)
    rows = await stored(url)
    assert kills == trials
    assert len(rows) == len(cast)  # nothing lost …
    assert len(set(rows)) == len(rows)  # … nothing counted twice
    print(f"\n{backend}: {kills} SIGKILL trials, {len(cast)} votes cast, {len(rows)} stored")
