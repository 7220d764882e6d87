"""SIGTERM (what `docker stop` sends) stops `python -m bot run` cleanly, losing nothing.

python-telegram-bot's run_polling / run_webhook stop on SIGTERM: the updater stops fetching,
updates already fetched are still handled, then the post-shutdown hook closes the question
log, which first waits for its writer to commit every queued record (QuestionLog.close).
"""

from __future__ import annotations

import asyncio
import json
import signal
from pathlib import Path

from fakebot.server import FakeBotApi
from sqlalchemy import func, select

from bot.quiz.models import QuizAnswer
from bot.storage import Database, QuestionLog

from .helpers import GROUP
from .process import STARTUP_TIMEOUT, bot_process, free_port

USERS = range(80_001, 80_021)
QUESTIONS = ["条例什么时候施行？", "宣贯活动什么时候开展？", "亮点工作报给谁？"]


async def stored_questions(url: str) -> list[str]:
    log = QuestionLog(Database(url))
    try:
        return [r.question for r in await log.recent(None)]
    finally:
        await log.close()


async def _ask_then_terminate(api: FakeBotApi, tmp_path: Path, **env: str) -> str:
    for user in USERS:
        api.user(user, f"用户{user}")
    async with bot_process(api, tmp_path, **env) as bot:
        await api.wait_for_request("setMyCommands", timeout=STARTUP_TIMEOUT)
        sent = []
        for user in USERS:
            for question in QUESTIONS:
                text = f"{question}（{user}）"
                api.private_message(user, text)
                sent.append(text)
        await api.wait_until_consumed(timeout=20)
        # Every update has been handed to the bot; most are still being answered (in a
        # typical run 1 of 60 replies is out in polling mode, about half with a webhook).
        code = await bot.stop(signal.SIGTERM)
        output = bot.output()
    assert code == 0, output
    assert "Traceback" not in output
    assert sorted(await stored_questions(bot.database_url)) == sorted(sent)
    # At INFO the log holds no user's message text (nor the token).
    assert not any(question in output for question in QUESTIONS)
    assert api.token not in output
    return output


async def test_sigterm_in_polling_mode_loses_no_question(api: FakeBotApi, tmp_path: Path) -> None:
    await _ask_then_terminate(api, tmp_path)


async def test_sigterm_in_webhook_mode_loses_no_question(api: FakeBotApi, tmp_path: Path) -> None:
    port = free_port()
    output = await _ask_then_terminate(
        api,
        tmp_path,
        BOT_WEBHOOK_URL=f"http://127.0.0.1:{port}/hook",
        BOT_LISTEN="127.0.0.1",
        BOT_PORT=str(port),
        BOT_LOG_FORMAT="json",
    )
    # Structured logs: every line one JSON object.
    records = [json.loads(line) for line in output.splitlines() if line.strip()]
    assert records and all({"time", "level", "logger", "message"} <= set(r) for r in records)


async def test_sigterm_right_after_start_exits_cleanly(api: FakeBotApi, tmp_path: Path) -> None:
    async with bot_process(api, tmp_path) as bot:
        await api.wait_for_request("getUpdates", timeout=STARTUP_TIMEOUT)
        await asyncio.sleep(0.2)
        assert await bot.stop(signal.SIGTERM) == 0, bot.output()


async def test_sigterm_mid_round_loses_no_score_and_a_restart_closes_the_round(
    api: FakeBotApi, tmp_path: Path
) -> None:
    """Quiz answers in flight when SIGTERM arrives are all stored; a restarted process
    picks the open round up, closes it when its poll ends and posts the ranking."""
    admin, players = 70_000, range(70_001, 70_021)
    api.user(admin, "管理员")
    for user in players:
        api.user(user, f"选手{user}")
    api.group(GROUP, "知识竞赛群", members=list(players))
    api.set_admins(GROUP, [admin])

    async with bot_process(api, tmp_path) as bot:
        await api.wait_for_request("setMyCommands", timeout=STARTUP_TIMEOUT)
        api.group_message(GROUP, admin, "/quiz 1 10")
        poll = await api.wait_for(
            lambda: next((p for p in api.polls.values() if p.chat_id == GROUP), None), timeout=20
        )
        right = int(poll.poll["correct_option_ids"][0])
        for user in players:
            api.poll_answer(poll.poll_id, user, [right])
        await api.wait_until_consumed(timeout=20)
        assert await bot.stop(signal.SIGTERM) == 0, bot.output()

    db = Database(bot.database_url)
    try:
        async with db.session() as session:
            stored = await session.scalar(
                select(func.count(QuizAnswer.id)).where(QuizAnswer.poll_id == poll.poll_id)
            )
    finally:
        await db.dispose()
    assert stored == len(players)

    async with bot_process(api, tmp_path) as restarted:
        results = await api.wait_for(
            lambda: next(
                (
                    m
                    for m in api.messages_to(GROUP)
                    if m.kind == "text" and "知识竞赛结束" in (m.plain_text or "")
                ),
                None,
            ),
            timeout=30,
        )
        assert f"{len(players)} 人参与" in (results.plain_text or "")
        assert await restarted.stop(signal.SIGTERM) == 0, restarted.output()
