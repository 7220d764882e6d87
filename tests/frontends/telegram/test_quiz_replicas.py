"""Two replicas of the bot over one database score every quiz answer once.

With webhook replicas behind a load balancer, a redelivered update may reach a different
process than the first delivery. Replica A polls the fake Bot API; replica B receives the
same updates the way a webhook replica would (Application.process_update). The answers
table's unique (poll, user) constraint makes "counts once" hold across processes; runs on
SQLite and, when BOT_TEST_POSTGRES_URL is set, on PostgreSQL.
"""

from __future__ import annotations

import asyncio
import random
from typing import Any

from fakebot.server import FakeBotApi
from telegram import Update

from bot.engine import Engine
from bot.frontends.telegram.app import build_application
from bot.frontends.telegram.quiz import QuizOptions
from bot.storage import Database, QuestionLog

from .conftest import settings_for
from .helpers import GROUP, HASH_SECRET
from .test_quiz import (  # noqa: F401 - fixtures used by name
    ADMIN,
    ALICE,
    BOB,
    CAROL,
    DAVE,
    PAUSE,
    QuizBotFactory,
    answer_rows,
    db_url,
    has_answers,
    make_quiz_bot,
    people,
    polls,
    registered,
    right_option,
    say,
    vote,
    wrong_option,
)


async def test_two_replicas_on_one_database_score_each_answer_once(
    api: FakeBotApi,
    people: None,  # noqa: F811
    make_quiz_bot: QuizBotFactory,  # noqa: F811
    tg_engine: Engine,
    db_url: str,  # noqa: F811
) -> None:
    replica_b = build_application(
        settings_for(api),
        tg_engine,
        QuestionLog(Database(db_url), HASH_SECRET),
        quiz_options=QuizOptions(PAUSE),
    )
    async with make_quiz_bot() as replica_a, replica_b:
        assert replica_b.post_init is not None
        await replica_b.post_init(replica_b)
        await replica_b.start()
        try:
            say(api, GROUP, ADMIN, "/quiz 1 30")
            [poll] = await polls(api, GROUP, 1)
            await registered(replica_a, poll.poll_id)
            votes: dict[int, list[int]] = {
                ALICE: [right_option(poll)],
                BOB: [wrong_option(poll)],
                CAROL: [right_option(poll)],
                DAVE: [right_option(poll)],
            }
            updates: list[dict[str, Any]] = []
            for user, options in votes.items():
                updates.append(api.poll_answer(poll.poll_id, user, options))  # to replica A
            # The same updates again, each to replica B, concurrently, plus later votes.
            second_thoughts = [vote(poll, user, [wrong_option(poll)], api) for user in votes]
            deliveries = [*updates, *second_thoughts]
            random.Random(7).shuffle(deliveries)
            await asyncio.gather(
                *(
                    replica_b.process_update(
                        Update.de_json(dict(u, update_id=900 + i), replica_b.bot)
                    )
                    for i, u in enumerate(deliveries)
                )
            )
            await has_answers(replica_a, len(votes), poll.poll_id)
            await api.wait_until_consumed()
        finally:
            await replica_b.stop()
            assert replica_b.post_shutdown is not None
            await replica_b.post_shutdown(replica_b)

    rows = [r for r in await answer_rows(db_url) if r.poll_id == poll.poll_id]
    assert len(rows) == len(votes)  # one answer per user, whichever replica saw it first
    assert len({r.user_hash for r in rows}) == len(votes)
    # The first answer stands: each user's recorded choice is one they actually sent first,
    # and a later "second thought" never replaced it.
    correct = {r.display_name: r.correct for r in rows}
    assert sum(correct.values()) <= 3
