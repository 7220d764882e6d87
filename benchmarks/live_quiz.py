"""A hall's live quiz under load: 500 phones join one game and answer 5 questions.

Why: at an outreach event a whole hall plays one game at once; this shows that every answer
counts exactly once, that an answer is acknowledged quickly, and that every phone sees each
new question promptly after the host's "next" — with one web process on SQLite, or with the
players split over two web processes sharing one PostgreSQL (changes travel by
LISTEN/NOTIFY).

    .venv/bin/python benchmarks/live_quiz.py [--players 500] [--questions 5] [--seconds 10]
    .venv/bin/python benchmarks/live_quiz.py --processes 2 --database postgresql://…/db

It starts `python -m bot web` (per process, its own port; BOT_SEMANTIC=off unless
--semantic, the access log off, the live limits as in production), creates a game through
the admin API, and runs every player as an asyncio task in this process with aiohttp: join,
follow the server-sent events, and answer each question once after a human-like pause drawn
uniformly from 0.3 s to --think seconds (a tenth of the players send their answer twice, as
a double tap or a retry would). The host (on process 1) opens a question, waits for its
deadline and a reveal pause, and moves on.

Reported: the answer request's latency (p50/p99/max; acceptance: p99 ≤ 100 ms); per question
the time from the host's request to each player's stream delivering the new question
(acceptance: all ≤ 1 s); each web process's peak RSS (VmHWM) and CPU; and the database check:
one row per player and question, each acknowledged answer stored once. Exit status 1 when an
acceptance check fails.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import aiohttp
from sqlalchemy import text
from timing import describe, percentile

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bot.storage import Database

REPO = Path(__file__).resolve().parents[1]
ADMIN = "benchmark-admin-token"
REVEAL_PAUSE = 1.0  # seconds the host leaves the answer on screen before the next question


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def proc_status(pid: int) -> dict[str, int]:
    """VmRSS and VmHWM (peak) in KiB, from /proc (Linux)."""
    out = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            out[key] = int(value.split()[0])
    return out


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@contextmanager
def web_processes(count: int, database: str, semantic: bool) -> Iterator[list[tuple[str, int]]]:
    env = {
        **os.environ,
        "BOT_DATABASE_URL": database,
        "BOT_ADMIN_TOKEN": ADMIN,
        "BOT_WEB_ACCESS_LOG": "0",
        "OMP_NUM_THREADS": "1",
        "BOT_SEMANTIC": "on" if semantic else "off",
    }
    procs = []
    try:
        for _ in range(count):
            port = free_port()
            proc = subprocess.Popen(
                [sys.executable, "-m", "bot", "web", "--port", str(port)],
                cwd=REPO,
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            procs.append((f"http://127.0.0.1:{port}", proc))
        for url, proc in procs:
            wait_ready(url, proc)
        yield [(url, proc.pid) for url, proc in procs]
    finally:
        for _, proc in procs:
            proc.terminate()
        for _, proc in procs:
            proc.wait(timeout=30)


def wait_ready(url: str, proc: subprocess.Popen[bytes]) -> None:
    import urllib.request

    deadline = time.monotonic() + 120
    while True:
        try:
            with urllib.request.urlopen(url + "/api/health", timeout=1):
                return
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"the web process at {url} did not start") from None
            time.sleep(0.2)


class Player:
    def __init__(self, index: int, url: str, pin: str) -> None:
        self.index = index
        self.url = url
        self.pin = pin
        self.token = ""
        self.player_id = 0
        self.seen: dict[int, float] = {}  # question id → when its state arrived
        self.answered: set[int] = set()
        self.acknowledged: list[tuple[int, bool]] = []  # (question, repeat)
        self.failures: list[str] = []
        self.finished = asyncio.Event()


class Bench:
    def __init__(self, args: argparse.Namespace, urls: list[str]) -> None:
        self.args = args
        self.urls = urls
        self.rng = random.Random(7)
        self.latencies: list[float] = []
        self.reconnects = 0

    async def post(self, http: aiohttp.ClientSession, url: str, body: object, **kw: object):  # type: ignore[no-untyped-def]
        async with http.post(url, json=body, **kw) as response:  # type: ignore[arg-type]
            return response.status, await response.json()

    async def join(self, http: aiohttp.ClientSession, player: Player) -> None:
        status, data = await self.post(
            http, f"{player.url}/api/live/{player.pin}/players", {"name": f"观众{player.index}"}
        )
        if status not in (200, 201):
            raise SystemExit(f"join failed: {status} {data}")
        player.token, player.player_id = data["token"], data["player_id"]

    async def follow(self, http: aiohttp.ClientSession, player: Player) -> None:
        headers = {"Authorization": f"Bearer {player.token}"}
        path = f"{player.url}/api/live/{player.pin}/events"
        while not player.finished.is_set():
            try:
                async with http.get(path, headers=headers) as response:
                    async for raw in response.content:
                        line = raw.decode().strip()
                        if line.startswith("data:"):
                            self.on_state(http, player, json.loads(line[5:]))
                            if player.finished.is_set():
                                return
            except (TimeoutError, aiohttp.ClientError) as exc:
                player.failures.append(f"stream: {exc!r}")
                await asyncio.sleep(0.5)
            self.reconnects += 1

    def on_state(self, http: aiohttp.ClientSession, player: Player, state: dict) -> None:  # type: ignore[type-arg]
        if state["status"] == "finished":
            player.finished.set()
            return
        question = state.get("question")
        if state["status"] != "question" or question is None:
            return
        number = question["id"]
        if number not in player.seen:
            player.seen[number] = time.perf_counter()
        if number not in player.answered:
            player.answered.add(number)
            options = len(question["options"])
            asyncio.get_running_loop().create_task(self.answer(http, player, number, options))

    async def answer(
        self, http: aiohttp.ClientSession, player: Player, number: int, options: int
    ) -> None:
        await asyncio.sleep(self.rng.uniform(0.3, self.args.think))
        body = {"question_id": number, "option_ids": [self.rng.randrange(options)]}
        headers = {"Authorization": f"Bearer {player.token}"}
        url = f"{player.url}/api/live/{player.pin}/answers"
        sends = 2 if player.index % 10 == 0 else 1  # a double tap, or a retry
        for _ in range(sends):
            began = time.perf_counter()
            try:
                status, data = await self.post(http, url, body, headers=headers)
            except aiohttp.ClientError as exc:
                player.failures.append(f"answer: {exc!r}")
                continue
            self.latencies.append(time.perf_counter() - began)
            if status != 200 or not data.get("accepted"):
                player.failures.append(f"answer {number}: {status} {data}")
            else:
                player.acknowledged.append((number, bool(data.get("repeat"))))


async def run(args: argparse.Namespace, servers: list[tuple[str, int]], database: str) -> int:
    urls = [url for url, _ in servers]
    bench = Bench(args, urls)
    host_url = urls[0]
    connector = aiohttp.TCPConnector(limit=0, force_close=False)
    timeout = aiohttp.ClientTimeout(total=None, sock_connect=10, sock_read=60)
    async with aiohttp.ClientSession(connector=connector, timeout=timeout) as http:
        admin = {"Authorization": f"Bearer {ADMIN}"}
        status, game = await bench.post(
            http,
            f"{host_url}/api/live",
            {"questions": args.questions, "seconds": args.seconds},
            headers=admin,
        )
        assert status == 201, game
        pin, key = game["pin"], {"X-Host-Key": game["host_key"]}
        players = [Player(i, urls[i % len(urls)], pin) for i in range(args.players)]
        began = time.perf_counter()
        for start in range(0, len(players), 50):  # a hall joins over some seconds, not at once
            await asyncio.gather(*(bench.join(http, p) for p in players[start : start + 50]))
        joined = time.perf_counter() - began
        streams = [asyncio.create_task(bench.follow(http, p)) for p in players]
        await asyncio.sleep(2.0)  # every phone on the lobby screen
        base = {pid: (proc_status(pid), cpu_seconds(pid)) for _, pid in servers}

        opened: dict[int, float] = {}
        for number in range(1, args.questions + 1):
            opened[number] = time.perf_counter()
            action = "start" if number == 1 else "next"
            status, state = await bench.post(
                http, f"{host_url}/api/live/{pin}/{action}", None, headers=key
            )
            assert status == 200 and state["question"]["id"] == number, state
            await asyncio.sleep(args.seconds + 0.5)  # the deadline passes: reveal
            await asyncio.sleep(REVEAL_PAUSE)
        await bench.post(http, f"{host_url}/api/live/{pin}/next", None, headers=key)  # finished
        await asyncio.wait_for(asyncio.gather(*(p.finished.wait() for p in players)), 30)
        for task in streams:
            task.cancel()
        await asyncio.gather(*streams, return_exceptions=True)
        ends = {pid: (proc_status(pid), cpu_seconds(pid)) for _, pid in servers}

    rows = await stored_answers(database, pin)
    return report(args, bench, players, opened, joined, servers, base, ends, database, rows)


async def stored_answers(database: str, pin: str) -> list[tuple[int, int]]:
    """(player, question) of every answer stored for the game, read through the bot's own
    database layer (SQLite or PostgreSQL alike)."""
    db = Database(database)
    try:
        async with db.session() as session:
            game_id = (
                await session.execute(text("SELECT id FROM live_games WHERE pin = :p"), {"p": pin})
            ).scalar()
            result = await session.execute(
                text("SELECT player_id, question FROM live_answers WHERE game_id = :g"),
                {"g": game_id},
            )
            return [(int(p), int(q)) for p, q in result.all()]
    finally:
        await db.dispose()


def report(args, bench, players, opened, joined, servers, base, ends, database, rows) -> int:  # type: ignore[no-untyped-def]
    ok = True
    ms = [x * 1000 for x in bench.latencies]
    p99 = percentile(ms, 0.99)
    print(
        f"setup:      {args.players} players, {args.questions} questions of {args.seconds} s, "
        f"{len(servers)} web process(es), database {database.split(':')[0]}"
    )
    print(f"joined:     {args.players} in {joined:.1f} s (batches of 50)")
    print(f"answers:    {len(ms)} requests, {describe(ms)} ms  (acceptance: p99 ≤ 100 ms)")
    ok &= p99 <= 100
    worst = []
    for number, at in opened.items():
        delays = [(p.seen[number] - at) * 1000 for p in players if number in p.seen]
        missing = sum(1 for p in players if number not in p.seen)
        worst.append(max(delays) if delays else float("inf"))
        print(
            f"question {number}: seen by {len(delays)}/{len(players)} after the host's request: "
            f"{describe(delays)} ms" + (f", {missing} never" if missing else "")
        )
        ok &= missing == 0
    print(f"fan-out:    slowest delivery {max(worst):.0f} ms  (acceptance: ≤ 1000 ms)")
    ok &= max(worst) <= 1000
    for url, pid in servers:
        rss0, cpu0 = base[pid]
        rss1, cpu1 = ends[pid]
        print(
            f"process {url}: RSS {rss0['VmRSS'] / 1024:.0f} MB before the game, "
            f"peak {rss1['VmHWM'] / 1024:.0f} MB; CPU {cpu1 - cpu0:.1f} s during the game"
        )
    failures = [f for p in players for f in p.failures if not f.startswith("stream")]
    print(f"streams:    {bench.reconnects} reconnections (streams end every 25 s by design)")
    new = sum(1 for p in players for _, repeat in p.acknowledged if not repeat)
    repeats = sum(1 for p in players for _, repeat in p.acknowledged if repeat)
    expected = {(p.player_id, n - 1) for p in players for n, repeat in p.acknowledged if not repeat}
    stored = set(rows)
    once = len(rows) == len(stored) == len(expected) == args.players * args.questions
    print(
        f"database:   {len(rows)} answers stored for {args.players} × {args.questions}; "
        f"{new} acknowledged as new + {repeats} repeats acknowledged as repeats; "
        f"every acknowledged answer stored exactly once: {once and stored == expected}"
    )
    ok &= once and stored == expected
    for failure in failures[:5]:
        print(f"failure:    {failure}")
    ok &= not failures
    print("result:     " + ("PASS" if ok else "FAIL"))
    return 0 if ok else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--players", type=int, default=500)
    parser.add_argument("--questions", type=int, default=5)
    parser.add_argument("--seconds", type=int, default=10, help="seconds per question")
    parser.add_argument("--think", type=float, default=6.0, help="answers come 0.3–THINK s in")
    parser.add_argument("--processes", type=int, default=1)
    parser.add_argument("--database", help="database URL (default: a new SQLite file)")
    parser.add_argument("--semantic", action="store_true", help="keep semantic matching on")
    args = parser.parse_args()
    database = args.database or f"sqlite:///{tempfile.mkdtemp(prefix='live-bench-')}/bot.db"
    if args.processes > 1 and database.startswith("sqlite"):
        print("note: on SQLite one web process serves a game; use --database postgresql://…")
    with web_processes(args.processes, database, args.semantic) as servers:
        return asyncio.run(run(args, servers, database))


if __name__ == "__main__":
    sys.exit(main())
