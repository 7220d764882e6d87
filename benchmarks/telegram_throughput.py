"""Telegram front end throughput: private questions from many users through the fake Bot API.

Why: the bot must keep up with a busy outreach campaign. The bot runs as in production — its
own process, the real Application from build_application (handlers, rendering, per-chat
ordering, the question log on SQLite) — and talks HTTP to the fake Bot API server from the
tests, which runs here with the simulated users. Telegram's flood limiter (30 messages a
second) and the per-user limit are off, so what is measured is the bot itself.

Each simulated user asks a question, waits for the answer, then asks the next (a closed loop
of `--users` concurrent users) until `--questions` have been answered. Latency runs from the
moment the fake server queues the update to the moment the bot's sendMessage arrives: long
polling, handling, rendering and the HTTP round trip. With 200 users always waiting, most of
it is queueing (latency ≈ users ÷ throughput), so a single user's latency on an idle bot is
measured first as well.

Run:  .venv/bin/python benchmarks/telegram_throughput.py [--users 200] [--questions 2000]
Exit status 1 unless every question is answered exactly once, recorded, and error-free.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import signal
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests"))  # the fake Bot API server lives with the tests

from fakebot.server import FakeBotApi  # noqa: E402
from timing import describe  # noqa: E402

from bot.engine import Engine  # noqa: E402
from bot.frontends.telegram.app import build_application, polling  # noqa: E402
from bot.settings import Settings  # noqa: E402
from bot.storage import Database, QuestionLog  # noqa: E402

FIRST_USER = 1_000_000
IDLE_QUESTIONS = 50


def _engine() -> Engine:
    return Engine.from_dirs(REPO / "knowledge", REPO / "intents")


def question_pool(engine: Engine) -> list[str]:
    """Realistic questions: the phrasings the knowledge base lists for its entries."""
    pool = [q for entry in engine.kb.entries.values() for q in entry.questions]
    return pool or ["条例什么时候施行？"]


# -- the bot (child process) ---------------------------------------------------------------


async def serve(base_url: str, token: str, database_url: str) -> int:
    """Run the bot until SIGINT/SIGTERM; print how many errors reached its error handler."""
    store = QuestionLog(Database(database_url), "benchmark")
    settings = Settings(token=token, api_base_url=base_url, user_rate_limit=0)
    application = build_application(settings, _engine(), store, flood_control=False)
    errors: list[str] = []

    async def remember(update: object, context: object) -> None:
        errors.append(repr(getattr(context, "error", None)))

    application.add_error_handler(remember)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    async with polling(application, poll_timeout=10):
        await stop.wait()
    print(json.dumps({"errors": errors}), flush=True)
    return 0


# -- the users (this process) --------------------------------------------------------------


class Users:
    """Simulated users over the fake server: ask, wait for the answer, ask again."""

    def __init__(self, api: FakeBotApi, pool: list[str]) -> None:
        self.api = api
        self.pool = pool
        self.waiting: dict[int, asyncio.Future[float]] = {}
        self.received: Counter[int] = Counter()
        self.asked_by: Counter[int] = Counter()
        self.asked = 0
        self._seen = 0

    async def watch(self) -> None:
        """Resolve each user's pending question when the bot's answer arrives."""
        api = self.api
        while True:
            await api.wait_for(lambda: len(api.sent_messages) > self._seen, timeout=3600)
            now = time.perf_counter()
            fresh = api.sent_messages[self._seen :]
            self._seen += len(fresh)
            for message in fresh:
                self.received[message.chat_id] += 1
                future = self.waiting.pop(message.chat_id, None)
                if future is not None and not future.done():
                    future.set_result(now)

    async def ask(self, chat: int, question: str) -> float:
        future: asyncio.Future[float] = asyncio.get_running_loop().create_future()
        self.waiting[chat] = future
        self.asked += 1
        self.asked_by[chat] += 1
        started = time.perf_counter()
        self.api.private_message(chat, question)
        return await asyncio.wait_for(future, 30) - started

    async def run(self, chat: int, total: int, latencies: list[float]) -> None:
        while self.asked < total:
            question = self.pool[(self.asked * 7 + chat) % len(self.pool)]
            latencies.append(await self.ask(chat, question))


async def benchmark(users: int, questions: int) -> int:
    pool = question_pool(_engine())
    async with FakeBotApi() as api:
        with tempfile.TemporaryDirectory() as tmp:
            database_url = f"sqlite:///{tmp}/bot.db"
            for i in range(users + 1):
                api.user(FIRST_USER + i, f"User{i}")
            bot = await asyncio.create_subprocess_exec(
                sys.executable,
                __file__,
                "--serve",
                api.base_url,
                api.token,
                database_url,
                stdout=asyncio.subprocess.PIPE,
            )
            try:
                await api.wait_for_request("setMyCommands", timeout=60)
                simulation = Users(api, pool)
                watcher = asyncio.create_task(simulation.watch())

                idle: list[float] = []  # one user, nobody else: the bot's own latency
                await simulation.run(FIRST_USER + users, IDLE_QUESTIONS, idle)

                loaded: list[float] = []
                target = simulation.asked + questions
                started = time.perf_counter()
                await asyncio.gather(
                    *(simulation.run(FIRST_USER + i, target, loaded) for i in range(users))
                )
                elapsed = time.perf_counter() - started
                await asyncio.sleep(0.5)  # late duplicates would arrive now
                watcher.cancel()
                bot.send_signal(signal.SIGINT)
                output, _ = await asyncio.wait_for(bot.communicate(), 30)
            finally:
                if bot.returncode is None:
                    bot.kill()
                    await bot.wait()
            store = QuestionLog(Database(database_url))
            recorded = await store.count()
            await store.close()

    errors = json.loads(output.decode().strip().splitlines()[-1])["errors"]
    answered = sum(simulation.received.values())
    asked = simulation.asked
    print(f"users: {users}; questions: {len(loaded)} under load + {len(idle)} idle")
    print(f"answered/s under load: {len(loaded) / elapsed:.1f} (wall time {elapsed:.2f} s)")
    print(f"reply latency under load, ms: {describe([s * 1000 for s in loaded])}")
    print(f"reply latency of one user on an idle bot, ms: {describe([s * 1000 for s in idle])}")
    print(f"answers received: {answered}; recorded in the database: {recorded}; errors: {errors}")
    # Exactly once: every chat got as many answers as it asked questions, no more, no less.
    once = simulation.received == simulation.asked_by
    ok = answered == asked == recorded and not errors and once
    print("every question answered exactly once" if ok else "FAILED: see the counts above")
    return 0 if ok else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument("--questions", type=int, default=2000)
    parser.add_argument("--serve", nargs=3, metavar=("BASE_URL", "TOKEN", "DATABASE_URL"))
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    if args.serve:
        return asyncio.run(serve(*args.serve))
    return asyncio.run(benchmark(args.users, args.questions))


if __name__ == "__main__":
    raise SystemExit(main())
