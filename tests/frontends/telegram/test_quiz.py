"""Quizzes end to end: the real Application over HTTP against the fake Bot API server.

Rounds are driven as in production: the bot posts native quiz polls, users vote through the
fake server (`poll_answer` updates), and the bot's JobQueue timer moves the round on when a
poll's open period (5 s, Telegram's shortest) ends; the fake server closes the poll then
too. Every test runs on SQLite and, when BOT_TEST_POSTGRES_URL is set, on PostgreSQL too.
"""

from __future__ import annotations

import asyncio
import contextlib
import csv
import io
import re
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from fakebot.server import FakeBotApi, PollRecord, SentMessage
from sqlalchemy import func, select
from telegram.ext import Application

from bot.engine import Engine
from bot.frontends.telegram.app import build_application, polling, quiz_of
from bot.frontends.telegram.commands import COMMANDS
from bot.frontends.telegram.quiz import PRACTICE_NEXT, QuizOptions
from bot.quiz import AnswerOutcome, PollInfo, QuizService
from bot.quiz.models import QuizAnswer, QuizPoll, QuizRound
from bot.quiz.scoring import BASE_POINTS, PollWindow, points_for
from bot.storage import Database, QuestionLog
from tests.databases import backends as _backends
from tests.databases import scratch_url

from .conftest import settings_for
from .helpers import GROUP, HASH_SECRET, buttons, collect_errors, eventually, exchange

GROUP_B = -1009876543210
ADMIN, OWNER_ID, ALICE, BOB, CAROL, DAVE = 1, 2, 11, 12, 13, 14
# A name that breaks HTML unless escaped (the fake server rejects a bare "&" or "<b").
ALICE_NAME = "Alice <b>&amp; Co"
PAUSE = 0.3  # seconds between a poll's close and the next step (production: 3)

QuizBotFactory = Callable[..., contextlib.AbstractAsyncContextManager[Application]]


# -- fixtures ---------------------------------------------------------------------------------


@pytest.fixture(params=_backends())
async def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[str]:
    """An SQLite file in tmp_path, or the PostgreSQL test database (emptied before and after)."""
    async with scratch_url(request.param, tmp_path / "data" / "bot.db") as url:
        yield url


@pytest.fixture
def people(api: FakeBotApi) -> None:
    """A group with an owner, an administrator and three members; a second group."""
    api.user(OWNER_ID, "Owner")
    api.user(ADMIN, "Admin", "admin")
    api.user(ALICE, ALICE_NAME)
    api.user(BOB, "Bob")
    api.user(CAROL, "Carol", last_name="Chen")
    api.user(DAVE, "Dave")
    members = [ALICE, BOB, CAROL, DAVE]
    for group in (GROUP, GROUP_B):
        api.group(group, "知识竞赛群", members=members)
        api.set_admins(group, [OWNER_ID, ADMIN], creator_id=OWNER_ID)


@pytest.fixture
def make_quiz_bot(api: FakeBotApi, tg_engine: Engine, db_url: str) -> QuizBotFactory:
    """`async with make_quiz_bot() as app:` — a running bot over the test database.

    Each call builds a new Application and database handle over the same URL, as a
    restarted process would.
    """

    @contextlib.asynccontextmanager
    async def make(pause: float = PAUSE, **overrides: Any) -> AsyncIterator[Application]:
        store = QuestionLog(Database(db_url), HASH_SECRET)
        application = build_application(
            settings_for(api, **overrides), tg_engine, store, quiz_options=QuizOptions(pause)
        )
        errors = collect_errors(application)
        async with polling(application, poll_timeout=1.0):
            yield application
        assert not errors, errors

    return make


# -- helpers ----------------------------------------------------------------------------------


def say(api: FakeBotApi, chat: int, user: int, text: str) -> int:
    """A group member writes; returns the message id (privacy mode must deliver it)."""
    update = api.group_message(chat, user, text)
    assert update is not None, f"privacy mode dropped {text!r}"
    return int(update["message"]["message_id"])


async def polls(api: FakeBotApi, chat: int, n: int, timeout: float = 8.0) -> list[PollRecord]:
    """The first `n` polls the bot sent to `chat`, in order."""

    def found() -> list[PollRecord]:
        records = sorted(
            (r for r in api.polls.values() if r.chat_id == chat), key=lambda r: r.message_id
        )
        return records if len(records) >= n else []

    return (await api.wait_for(found, timeout, message=f"{n} poll(s) in {chat}"))[:n]


async def text_containing(
    api: FakeBotApi, chat: int, needle: str, timeout: float = 8.0
) -> SentMessage:
    def found() -> SentMessage | None:
        return next(
            (
                m
                for m in api.messages_to(chat)
                if m.kind == "text" and needle in (m.plain_text or "")
            ),
            None,
        )

    message = await api.wait_for(found, timeout, message=f"a message with {needle!r}")
    assert message is not None
    return message


def vote(record: PollRecord, user: int, options: list[int], api: FakeBotApi) -> dict[str, Any]:
    """A forged poll_answer update (what Telegram delivers late or again)."""
    return {
        "poll_answer": {
            "poll_id": record.poll_id,
            "user": {"id": user, "is_bot": False, "first_name": api._users[user]["first_name"]},
            "option_ids": options,
            "option_persistent_ids": [record.option_persistent_ids[i] for i in options],
        }
    }


def service(app: Application) -> QuizService:
    return quiz_of(app).service


async def answer_rows(url: str) -> list[QuizAnswer]:
    db = Database(url)
    try:
        async with db.session() as session:
            return list((await session.scalars(select(QuizAnswer).order_by(QuizAnswer.id))).all())
    finally:
        await db.dispose()


async def poll_rows(url: str) -> dict[str, QuizPoll]:
    db = Database(url)
    try:
        async with db.session() as session:
            return {p.poll_id: p for p in (await session.scalars(select(QuizPoll))).all()}
    finally:
        await db.dispose()


async def count_answers(app: Application, poll_id: str | None = None) -> int:
    async with service(app).db.session() as session:
        query = select(func.count(QuizAnswer.id))
        if poll_id is not None:
            query = query.where(QuizAnswer.poll_id == poll_id)
        return int(await session.scalar(query) or 0)


async def has_answers(app: Application, n: int, poll_id: str | None = None) -> None:
    async def enough() -> bool:
        return await count_answers(app, poll_id) >= n

    await eventually(enough, timeout=8.0)


async def registered(app: Application, poll_id: str) -> PollInfo:
    """The poll as the bot stored it (it registers a poll right after Telegram sent it)."""
    found: list[PollInfo] = []

    async def check() -> bool:
        info = await service(app).get_poll(poll_id)
        if info is not None:
            found.append(info)
        return info is not None

    await eventually(check)
    return found[-1]


async def closed(app: Application, poll_id: str) -> None:
    async def check() -> bool:
        info = await service(app).get_poll(poll_id)
        return info is not None and info.closed

    await eventually(check, timeout=8.0)


def right_option(record: PollRecord) -> int:
    return int(record.poll["correct_option_ids"][0])


def wrong_option(record: PollRecord) -> int:
    return (right_option(record) + 1) % len(record.poll["options"])


def expected_points(answer: QuizAnswer, poll: QuizPoll) -> int:
    window = PollWindow(poll.opened_at, poll.closes_at, poll.correct_index)
    return points_for(answer.correct, window, answer.received_at)


def totals(rows: list[QuizAnswer]) -> dict[str, int]:
    """Points per display name."""
    out: dict[str, int] = {}
    for row in rows:
        out[row.display_name] = out.get(row.display_name, 0) + row.points
    return out


def ranking_lines(text: str) -> list[tuple[int, str, int]]:
    """(rank, name, points) from the lines '1. name — 25 分（答对 …）' of a posted ranking."""
    return [
        (int(m.group(1)), m.group(2), int(m.group(3)))
        for m in re.finditer(r"^(\d+)\. (.+) — (\d+) 分（", text, re.MULTILINE)
    ]


# -- a full round -----------------------------------------------------------------------------


async def test_a_full_round_scores_right_wrong_late_and_duplicate_answers(
    api: FakeBotApi, people: None, make_quiz_bot: QuizBotFactory, db_url: str
) -> None:
    async with make_quiz_bot() as app:
        say(api, GROUP, ADMIN, "/quiz 2 5")
        intro = await text_containing(api, GROUP, "知识竞赛开始")
        assert "共 2 题" in (intro.plain_text or "") and "30 秒" not in (intro.plain_text or "")
        [first] = await polls(api, GROUP, 1)
        assert "poll_answer" in api.allowed_updates and "poll" not in api.allowed_updates

        # The poll as Telegram received it.
        [sent] = api.calls("sendPoll")
        info = await registered(app, first.poll_id)
        assert info.position == 1 and info.round_id is not None
        assert sent["type"] == "quiz" and sent["is_anonymous"] is False
        assert sent["open_period"] == 5 and sent["allows_revoting"] is False
        assert sent["correct_option_ids"] == [info.correct_index]
        assert "correct_option_id" not in sent
        assert [o["text"] for o in first.poll["options"]] == list(info.options)
        assert first.poll["question"].startswith("第1/2题：")
        assert first.poll["question"].endswith(info.question)
        assert "来源：" in first.poll["explanation"]
        assert info.closes_at is not None
        assert abs((info.closes_at - info.opened_at).total_seconds() - 5) < 1e-6

        alice = api.poll_answer(first.poll_id, ALICE, [right_option(first)])
        api.poll_answer(first.poll_id, BOB, [wrong_option(first)])
        await has_answers(app, 2, first.poll_id)
        api.enqueue_raw(alice)  # Telegram delivers the same update again (same update_id)
        api.enqueue_raw(vote(first, ALICE, [wrong_option(first)], api))  # a second vote
        api.enqueue_raw(vote(first, BOB, [], api))  # Bob retracts his vote
        await api.wait_until_consumed()

        await closed(app, first.poll_id)  # the open period ends
        # Carol voted in time on Telegram's side but her answer reaches the bot after the
        # close: late, ignored.
        api.enqueue_raw(vote(first, CAROL, [right_option(first)], api))

        _, second = await polls(api, GROUP, 2)
        assert second.poll["question"].startswith("第2/2题：")
        api.poll_answer(second.poll_id, CAROL, [right_option(second)])
        api.poll_answer(second.poll_id, BOB, [right_option(second)])
        api.poll_answer(second.poll_id, ALICE, [wrong_option(second)])
        await has_answers(app, 3, second.poll_id)
        results = await text_containing(api, GROUP, "知识竞赛结束")

    rows = await answer_rows(db_url)
    polls_by_id = await poll_rows(db_url)
    by_poll = {(r.poll_id, r.display_name): r for r in rows}
    assert len(rows) == 5  # Alice, Bob on the first; Carol, Bob, Alice on the second
    assert (first.poll_id, "Carol Chen") not in by_poll  # late
    assert by_poll[(first.poll_id, ALICE_NAME)].correct  # the repeated vote changed nothing
    assert not by_poll[(first.poll_id, "Bob")].correct  # the retraction changed nothing
    for row in rows:
        assert row.points == expected_points(row, polls_by_id[row.poll_id])
        assert row.points == 0 or BASE_POINTS <= row.points <= BASE_POINTS + 5
    assert by_poll[(first.poll_id, ALICE_NAME)].points >= BASE_POINTS

    # The ranking: every participant with the points the rules give, best first.
    text = results.plain_text or ""
    posted = ranking_lines(text)
    points = totals(rows)
    assert sorted(name for _, name, _ in posted) == sorted(points)
    assert [p for _, _, p in posted] == sorted(points.values(), reverse=True)
    assert all(points[name] == p for _, name, p in posted)
    assert ALICE_NAME in text  # escaped on the way out, shown as typed
    # The right answers with their sources.
    for poll in (first, second):
        stored = polls_by_id[poll.poll_id]
        assert stored.question in text and stored.options[stored.correct_index] in text
        assert f"来源：{stored.source_line}" in text
    assert "共 2 题，3 人参与" in text


# -- who may start a round, and how -----------------------------------------------------------


async def test_only_administrators_start_rounds_and_bad_arguments_get_the_usage(
    api: FakeBotApi, people: None, make_quiz_bot: QuizBotFactory, tg_engine: Engine
) -> None:
    texts = tg_engine.intents.response
    async with make_quiz_bot(admin_ids=frozenset({DAVE})) as app:
        asked = say(api, GROUP, BOB, "/quiz")
        refusal = await text_containing(api, GROUP, texts("tg_quiz_admin_only"))
        assert refusal.reply_to == asked
        [private] = await exchange(api, BOB, "/quiz")
        assert private.plain_text == texts("tg_quiz_groups_only") and "/practice" in (
            private.plain_text or ""
        )
        for bad in ("/quiz 0", "/quiz 51", "/quiz 5 4", "/quiz 5 601", "/quiz x", "/quiz 1 5 9"):
            before = len(api.messages_to(GROUP))
            say(api, GROUP, ADMIN, bad)
            [usage] = (await api.wait_for_messages(before + 1, chat_id=GROUP))[before:]
            assert usage.plain_text == texts("tg_quiz_usage"), bad
        assert api.calls("sendPoll") == []
        assert await service(app).running_round(GROUP) is None

        # Dave is no group administrator but is listed in BOT_ADMIN_IDS; the owner counts.
        say(api, GROUP, DAVE, "/quiz 1 30")
        await polls(api, GROUP, 1)
        say(api, GROUP, OWNER_ID, "/quiz")
        busy = await text_containing(api, GROUP, "已有一轮竞赛正在进行")
        assert "1/1" in (busy.plain_text or "")
        assert len(api.calls("sendPoll")) == 1
        say(api, GROUP, BOB, "/quiz_stop")
        await api.wait_for(
            lambda: len([m for m in api.texts(GROUP) if m == texts("tg_quiz_admin_only")]) == 2
        )
        assert await service(app).running_round(GROUP) is not None


async def test_quiz_stop_ends_the_round_with_its_results(
    api: FakeBotApi, people: None, make_quiz_bot: QuizBotFactory, db_url: str, tg_engine: Engine
) -> None:
    async with make_quiz_bot() as app:
        say(api, GROUP, ADMIN, "/quiz_stop")
        await text_containing(api, GROUP, tg_engine.intents.response("tg_quiz_not_running"))
        say(api, GROUP, ADMIN, "/quiz 5 60")
        [first] = await polls(api, GROUP, 1)
        api.poll_answer(first.poll_id, ALICE, [right_option(first)])
        await has_answers(app, 1)
        say(api, GROUP, OWNER_ID, "/quiz_stop")
        results = await text_containing(api, GROUP, "知识竞赛已提前结束")
        await api.wait_for(lambda: first.poll["is_closed"], message="stopPoll")
        assert api.calls("stopPoll")[0]["message_id"] == first.message_id
        await asyncio.sleep(PAUSE * 3)  # nothing further is posted for the stopped round
        assert len(api.calls("sendPoll")) == 1
    text = results.plain_text or ""
    assert "共出 1 题，1 人参与" in text
    [(rank, name, points)] = ranking_lines(text)
    [row] = await answer_rows(db_url)
    assert (rank, name, points) == (1, ALICE_NAME, row.points) and row.points >= BASE_POINTS
    db = Database(db_url)
    async with db.session() as session:
        [round_] = (await session.scalars(select(QuizRound))).all()
        [poll] = (await session.scalars(select(QuizPoll))).all()
    await db.dispose()
    assert round_.status == "stopped" and poll.closed


async def test_two_groups_play_at_once_on_the_timer(
    api: FakeBotApi, people: None, make_quiz_bot: QuizBotFactory, db_url: str
) -> None:
    async with make_quiz_bot():
        say(api, GROUP, ADMIN, "/quiz 1 5")
        say(api, GROUP_B, OWNER_ID, "/quiz 1 5")
        [a] = await polls(api, GROUP, 1)
        [b] = await polls(api, GROUP_B, 1)
        assert a.poll_id != b.poll_id
        api.poll_answer(a.poll_id, ALICE, [right_option(a)])
        api.poll_answer(a.poll_id, BOB, [wrong_option(a)])
        api.poll_answer(b.poll_id, BOB, [right_option(b)])
        results_a = await text_containing(api, GROUP, "知识竞赛结束", timeout=10)
        results_b = await text_containing(api, GROUP_B, "知识竞赛结束", timeout=10)
    rows = await answer_rows(db_url)
    stored = await poll_rows(db_url)
    assert sorted((r.chat_id, r.display_name) for r in rows) == sorted(
        [(GROUP, ALICE_NAME), (GROUP, "Bob"), (GROUP_B, "Bob")]
    )
    for poll in stored.values():
        assert poll.closed and poll.closed_at == poll.closes_at  # closed by the timer
    text_a, text_b = results_a.plain_text or "", results_b.plain_text or ""
    assert [n for _, n, _ in ranking_lines(text_a)] == [ALICE_NAME, "Bob"]
    assert [n for _, n, _ in ranking_lines(text_b)] == ["Bob"]
    assert stored[a.poll_id].question in text_a and stored[b.poll_id].question in text_b


# -- a restart in the middle of a round -------------------------------------------------------


async def test_a_restart_mid_round_loses_nothing(
    api: FakeBotApi, people: None, make_quiz_bot: QuizBotFactory, db_url: str
) -> None:
    async with make_quiz_bot() as app:
        say(api, GROUP, ADMIN, "/quiz 2 5")
        [first] = await polls(api, GROUP, 1)
        api.poll_answer(first.poll_id, ALICE, [right_option(first)])
        api.poll_answer(first.poll_id, BOB, [wrong_option(first)])
        await has_answers(app, 2)
    before = {(r.poll_id, r.display_name): r.points for r in await answer_rows(db_url)}

    # The bot is down; the first poll is still open and Carol votes. Telegram keeps it.
    api.poll_answer(first.poll_id, CAROL, [right_option(first)])
    async with make_quiz_bot() as app:
        await has_answers(app, 3)  # Carol's answer, scored like any in-time answer
        _, second = await polls(api, GROUP, 2)  # the new bot closes the first on time
        api.poll_answer(second.poll_id, DAVE, [wrong_option(second)])
        await has_answers(app, 4)

    # Down again: Alice votes on the second poll, whose open period then ends while the
    # bot is away (the fake server closes it at its close date, like Telegram).
    api.poll_answer(second.poll_id, ALICE, [right_option(second)])
    second_closes = (await poll_rows(db_url))[second.poll_id].closes_at
    assert second_closes is not None
    await api.wait_for(lambda: second.poll["is_closed"], timeout=8, message="poll expired")
    while datetime.now(UTC) <= second_closes:
        await asyncio.sleep(0.05)

    async with make_quiz_bot():
        results = await text_containing(api, GROUP, "知识竞赛结束")

    rows = await answer_rows(db_url)
    stored = await poll_rows(db_url)
    after = {(r.poll_id, r.display_name): r for r in rows}
    assert all(after[key].points == points for key, points in before.items())  # intact
    assert len(rows) == 5
    carol = after[(first.poll_id, "Carol Chen")]
    assert carol.correct and carol.points >= BASE_POINTS
    assert stored[first.poll_id].closed_at == stored[first.poll_id].closes_at
    # Queued while the bot was down for a poll that closed meanwhile: judged at the close.
    alice_late = after[(second.poll_id, ALICE_NAME)]
    assert alice_late.correct and alice_late.points == BASE_POINTS
    assert alice_late.received_at == second_closes
    assert all(p.closed for p in stored.values())
    for row in rows:
        assert row.points == expected_points(row, stored[row.poll_id])
    db = Database(db_url)
    async with db.session() as session:
        [round_] = (await session.scalars(select(QuizRound))).all()
    await db.dispose()
    assert round_.status == "finished"
    text = results.plain_text or ""
    posted = {name: points for _, name, points in ranking_lines(text)}
    assert posted == totals(rows)
    assert "共 2 题，4 人参与" in text
    assert len(api.calls("sendPoll")) == 2


async def test_an_answer_acknowledged_just_before_a_crash_is_not_lost(
    api: FakeBotApi,
    people: None,
    make_quiz_bot: QuizBotFactory,
    db_url: str,
    monkeypatch: pytest.MonkeyPatch,
    _quiz_journal: Path,
) -> None:
    """The process dies after getUpdates returned a poll answer (so the next call would
    acknowledge it and Telegram never sends it again) and before the answer was stored:
    the journal on disk brings it back at the next start, counted once."""
    async with make_quiz_bot() as app:
        say(api, GROUP, ADMIN, "/quiz 2 30")
        [first] = await polls(api, GROUP, 1)
        api.poll_answer(first.poll_id, ALICE, [right_option(first)])
        await has_answers(app, 1)
        quiz = quiz_of(app)

        async def lost(poll_id: str, *args: Any, **kwargs: Any) -> AnswerOutcome:
            """As if the process died between receiving the answer and storing it."""
            return AnswerOutcome(status="unknown", poll_id=poll_id)

        async def no_wait(timeout: float) -> None:
            return None

        monkeypatch.setattr(quiz.service, "record_answer", lost)
        monkeypatch.setattr(quiz.outbox, "registrations_done", no_wait)
        api.poll_answer(first.poll_id, BOB, [wrong_option(first)])
        await api.wait_until_consumed()
        await asyncio.sleep(0.3)
        assert len(await answer_rows(db_url)) == 1  # Bob's answer is only in the journal
        assert '"poll_id"' in _quiz_journal.read_text(encoding="utf-8")
    async with make_quiz_bot():
        rows = await answer_rows(db_url)
        assert sorted(r.display_name for r in rows) == sorted([ALICE_NAME, "Bob"])
    # Replayed once, then dropped from the journal: a third start adds nothing.
    async with make_quiz_bot():
        assert len(await answer_rows(db_url)) == 2
    assert '"poll_id"' not in _quiz_journal.read_text(encoding="utf-8")


# -- standings, statistics, export ------------------------------------------------------------


async def test_leaderboard_mystats_and_export(
    api: FakeBotApi, people: None, make_quiz_bot: QuizBotFactory, db_url: str, tg_engine: Engine
) -> None:
    texts = tg_engine.intents.response
    async with make_quiz_bot() as app:
        say(api, GROUP, ADMIN, "/leaderboard")
        await text_containing(api, GROUP, texts("tg_leaderboard_empty"))
        say(api, GROUP, ADMIN, "/quiz_export")
        await text_containing(api, GROUP, texts("tg_export_empty"))

        say(api, GROUP, ADMIN, "/quiz 1 30")
        [poll] = await polls(api, GROUP, 1)
        api.poll_answer(poll.poll_id, ALICE, [right_option(poll)])
        api.poll_answer(poll.poll_id, BOB, [wrong_option(poll)])
        await has_answers(app, 2)
        say(api, GROUP, ADMIN, "/quiz_stop")
        await text_containing(api, GROUP, "知识竞赛已提前结束")
        rows = await answer_rows(db_url)
        alice_points = next(r.points for r in rows if r.display_name == ALICE_NAME)

        say(api, GROUP, BOB, "/leaderboard")
        board = await text_containing(api, GROUP, texts("tg_leaderboard_title"))
        text = board.plain_text or ""
        assert texts("tg_leaderboard_series") in text and texts("tg_leaderboard_all_time") in text
        assert f"1. {ALICE_NAME} — {alice_points} 分" in text and "2. Bob — 0 分" in text
        [hint] = await exchange(api, BOB, "/leaderboard")
        assert hint.plain_text == texts("tg_leaderboard_groups_only")

        [stats] = await exchange(api, ALICE, "/mystats")
        stats_text = stats.plain_text or ""
        assert "参加 1 轮（1 个群），答题 1 道，答对 1 道" in stats_text
        assert f"得分 {alice_points} 分" in stats_text and "最近一次竞赛作答" in stats_text
        say(api, GROUP, ALICE, "/mystats")
        await text_containing(api, GROUP, texts("tg_mystats_private_only"))

        say(api, GROUP, BOB, "/quiz_export")
        await api.wait_for(
            lambda: api.texts(GROUP).count(texts("tg_quiz_admin_only")) == 1, message="refusal"
        )
        assert api.documents == []
        say(api, GROUP, ADMIN, "/quiz_export")
        [document] = await api.wait_for(lambda: api.documents, message="CSV document")
    assert document.chat_id == GROUP and document.filename.endswith(".csv")
    assert document.content.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM, for Excel
    table = list(csv.reader(io.StringIO(document.content.decode("utf-8-sig"))))
    assert table[0] == ["用户", "答题数", "答对数", "得分", "最后答题时间（北京时间）"]
    exported = {row[0]: (int(row[1]), int(row[2]), int(row[3])) for row in table[1:]}
    expected = {r.display_name: (1, int(r.correct), r.points) for r in await answer_rows(db_url)}
    assert exported == expected
    assert "2 人" in (document.caption or "")


# -- practice ---------------------------------------------------------------------------------


async def test_practice_in_private_one_question_at_a_time(
    api: FakeBotApi, people: None, make_quiz_bot: QuizBotFactory, tg_engine: Engine
) -> None:
    texts = tg_engine.intents.response
    async with make_quiz_bot() as app:
        [poll_message] = await exchange(api, ALICE, "/practice")
        assert poll_message.kind == "poll"
        first = api.poll_by_message(ALICE, poll_message.message_id)
        sent = api.calls("sendPoll")[-1]
        assert sent["type"] == "quiz" and sent["is_anonymous"] is False
        assert "open_period" not in sent and sent["allows_revoting"] is False
        assert "来源：" in first.poll["explanation"]

        before = len(api.messages_to(ALICE))
        api.poll_answer(first.poll_id, ALICE, [right_option(first)])
        [feedback] = (await api.wait_for_messages(before + 1, chat_id=ALICE))[before:]
        text = feedback.plain_text or ""
        assert text.startswith(texts("tg_practice_right").format(points=BASE_POINTS))
        info = await service(app).get_poll(first.poll_id)
        assert info is not None and f"来源：{info.source_line}" in text
        assert "共答 1 道，答对 1 道，累计 10 分" in text
        assert buttons(feedback) == {texts("tg_practice_next"): PRACTICE_NEXT}

        before = len(api.messages_to(ALICE))
        api.callback_query(ALICE, feedback.message_id, PRACTICE_NEXT, ALICE)
        [second_message] = (await api.wait_for_messages(before + 1, chat_id=ALICE))[before:]
        second = api.poll_by_message(ALICE, second_message.message_id)
        assert second.poll["question"] != first.poll["question"]
        before = len(api.messages_to(ALICE))
        api.poll_answer(second.poll_id, ALICE, [wrong_option(second)])
        [feedback] = (await api.wait_for_messages(before + 1, chat_id=ALICE))[before:]
        info = await service(app).get_poll(second.poll_id)
        assert info is not None
        assert texts("tg_practice_wrong").format(answer=info.answer) in (feedback.plain_text or "")
        assert "共答 2 道，答对 1 道，累计 10 分" in (feedback.plain_text or "")

        [third_message] = await exchange(api, ALICE, "开始答题")
        assert third_message.kind == "poll"
        totals_ = await service(app).practice_score(ALICE)
        assert (totals_.answered, totals_.correct, totals_.points) == (2, 1, 10)
        say(api, GROUP, ALICE, "/practice")
        await text_containing(api, GROUP, texts("tg_practice_private_only"))
        # Practice does not count in any group's standings.
        assert (await service(app).leaderboard(GROUP)).all_time == []


async def test_help_and_menu_list_the_quiz_commands(
    api: FakeBotApi, people: None, make_quiz_bot: QuizBotFactory
) -> None:
    async with make_quiz_bot():
        [help_text] = await exchange(api, ALICE, "/help")
        await api.wait_for_request("setMyCommands")
    assert all(f"/{name}" in (help_text.plain_text or "") for name in COMMANDS[8:])
    menu = {c["command"]: c["description"] for c in api.commands}
    for name in ("quiz", "quiz_stop", "leaderboard", "mystats", "practice", "quiz_export"):
        assert re.search(r"[\u4e00-\u9fff]", menu[name]), name
