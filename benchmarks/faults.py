"""Faults while people ask: what users get, what is recorded, what the logs say.

The bot runs as operators run it (`python -m bot run`, its own process) against the fake Bot
API, which runs here with the users: 30 users ask 5 questions a second in all (each question
a unique text). One scenario at a time, each on a fresh bot over the same database:

* none (the baseline); the Bot API answering 502 for 15 s; 429 (retry_after 5) for 30 s;
  sendMessage hanging (30 s, beyond the bot's timeout) for 30 s;
* with --postgres-url/--pg-data/--pg-bin (a server this script may stop): PostgreSQL frozen
  (SIGSTOP) for 20 s, and stopped for 20 s.

Printed per scenario: replies p50/p95 (all, and of questions asked during the fault), replies
lost and whether the user was told, duplicate replies, question records lost once the
database is back, log lines, and whether the bot's log holds any question text, user name or
raw user id it was sent (it must not).

Run:  .venv/bin/python benchmarks/faults.py [--seconds 60] [--only 502,429]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shlex
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests"))

from fakebot.server import FakeBotApi  # noqa: E402
from timing import percentile  # noqa: E402

from bot.storage import Database, QuestionLog  # noqa: E402

USERS = 30
RATE = 5.0
FIRST_USER = 730000
NOTICES = ("未能送达", "没有收到上一个问题的回答")


@dataclass
class Run:
    name: str
    asked: dict[int, list[tuple[float, str]]] = field(default_factory=lambda: defaultdict(list))
    replies: dict[int, list[float]] = field(default_factory=lambda: defaultdict(list))
    notices: dict[int, int] = field(default_factory=lambda: defaultdict(int))
    fault: tuple[float, float] = (0.0, 0.0)


def latencies(run: Run, during: bool) -> tuple[list[float], int, int]:
    """Reply latencies (s) matched in order per chat; questions without a reply; extra replies."""
    found, lost, extra = [], 0, 0
    start, end = run.fault
    for chat, questions in run.asked.items():
        got = run.replies.get(chat, [])
        extra += max(0, len(got) - len(questions))
        for i, (at, _) in enumerate(questions):
            if during and not start <= at <= end:
                continue
            if i < len(got):
                found.append(got[i] - at)
            else:
                lost += 1
    return found, lost, extra


async def drive(api: FakeBotApi, run: Run, seconds: float) -> None:
    seen = len(api.sent_messages)
    stop = time.monotonic() + seconds
    n = 0

    async def watch() -> None:
        nonlocal seen
        while True:
            await asyncio.sleep(0.01)
            fresh = api.sent_messages[seen:]
            seen += len(fresh)
            now = time.monotonic()
            for message in fresh:
                text = message.plain_text or ""
                if any(mark in text for mark in NOTICES):
                    run.notices[message.chat_id] += 1
                else:
                    run.replies[message.chat_id].append(now)

    watcher = asyncio.create_task(watch())
    while time.monotonic() < stop:
        chat = FIRST_USER + n % USERS
        question = f"条例什么时候施行？第{n}问"
        run.asked[chat].append((time.monotonic(), question))
        api.private_message(chat, question)
        n += 1
        await asyncio.sleep(1 / RATE)
    await asyncio.sleep(75)  # retries, timeouts and notices settle
    watcher.cancel()


def pg_ctl(args: argparse.Namespace, *words: str) -> None:
    data = Path(args.pg_data)
    opts = shlex.split((data / "postmaster.opts").read_text())[1:]
    kept = [w for i, w in enumerate(opts) if w != "-D" and (i == 0 or opts[i - 1] != "-D")]
    extra = (
        ["-o", shlex.join(kept), "-l", str(data.parent / "faults.log")]
        if words[0] == "start"
        else []
    )
    command = shlex.join([f"{args.pg_bin}/pg_ctl", "-D", str(data), "-w", *words, *extra])
    subprocess.run(
        ["su", "postgres", "-s", "/bin/sh", "-c", command], check=True, capture_output=True
    )


def pg_pids(args: argparse.Namespace) -> list[int]:
    master = int((Path(args.pg_data) / "postmaster.pid").read_text().split()[0])
    pids = [master]
    for proc in Path("/proc").iterdir():
        if proc.name.isdigit():
            try:
                status = (proc / "status").read_text()
            except OSError:
                continue
            if f"PPid:\t{master}\n" in status:
                pids.append(int(proc.name))
    return pids


async def fault(name: str, api: FakeBotApi, args: argparse.Namespace, run: Run) -> None:
    """Wait a third of the run, apply the fault for its duration, lift it."""
    await asyncio.sleep(args.seconds / 3)
    start = time.monotonic()
    if name == "502":
        api.inject_fault("sendMessage", "502", times=10**6)
        await asyncio.sleep(15)
        api.clear_faults()
    elif name == "429":
        api.inject_fault("sendMessage", "429", times=10**6, retry_after=5)
        await asyncio.sleep(30)
        api.clear_faults()
    elif name == "hang":
        api.inject_fault("sendMessage", "timeout", times=10**6, seconds=30)
        await asyncio.sleep(30)
        api.clear_faults()
    elif name == "pg-frozen":
        pids = pg_pids(args)
        for pid in pids:
            os.kill(pid, signal.SIGSTOP)
        await asyncio.sleep(20)
        for pid in pids:
            os.kill(pid, signal.SIGCONT)
    elif name == "pg-stopped":
        await asyncio.to_thread(pg_ctl, args, "stop", "-m", "fast")
        await asyncio.sleep(20)
        await asyncio.to_thread(pg_ctl, args, "start")
    run.fault = (start, time.monotonic())


async def scenario(name: str, args: argparse.Namespace, url: str, work: Path) -> dict[str, object]:
    run = Run(name)
    log = work / f"{name}.log"
    async with FakeBotApi() as api:
        for i in range(USERS):
            api.user(FIRST_USER + i, f"Person{FIRST_USER + i}")
        env = {k: v for k, v in os.environ.items() if not k.startswith(("BOT_", "TELEGRAM_"))}
        env.update(
            TELEGRAM_BOT_TOKEN=api.token,
            TELEGRAM_API_BASE_URL=api.base_url,
            BOT_DATABASE_URL=url,
            BOT_HASH_SECRET="faults",
            BOT_USER_RATE_LIMIT="0",
            BOT_QUIZ_JOURNAL=str(work / "journal.jsonl"),
            BOT_LOG_LEVEL="INFO",
        )
        before = await count(url)
        with log.open("wb") as out:
            bot = await asyncio.create_subprocess_exec(
                sys.executable, "-m", "bot", "run", cwd=REPO, env=env, stdout=out, stderr=out
            )
            try:
                await api.wait_for_request("setMyCommands", timeout=120)
                driving = asyncio.create_task(drive(api, run, args.seconds))
                if name != "none":
                    await fault(name, api, args, run)
                await driving
            finally:
                bot.send_signal(signal.SIGTERM)
                await asyncio.wait_for(bot.wait(), 60)
        recorded = await count(url) - before
    asked = sum(len(q) for q in run.asked.values())
    found, lost, extra = latencies(run, during=False)
    during, _, _ = latencies(run, during=True) if name != "none" else (found, 0, 0)
    text = log.read_text(encoding="utf-8", errors="replace")
    if args.keep_logs:
        args.keep_logs.mkdir(parents=True, exist_ok=True)
        (args.keep_logs / log.name).write_text(text, encoding="utf-8")
    leaked = [q for qs in run.asked.values() for _, q in qs if q in text] + [
        str(u)
        for u in range(FIRST_USER, FIRST_USER + USERS)
        if str(u) in text or f"Person{u}" in text
    ]
    lost_chats = {c for c, qs in run.asked.items() if len(run.replies.get(c, [])) < len(qs)}
    told = sum(1 for c in lost_chats if run.notices.get(c))
    return {
        "scenario": name,
        "asked": asked,
        "p50 ms": round(statistics.median(found) * 1000) if found else None,
        "p95 ms": round(percentile(found, 0.95) * 1000) if found else None,
        "p95 during fault ms": round(percentile(during, 0.95) * 1000) if during else None,
        "replies lost": lost,
        "chats told": f"{told}/{len(lost_chats)}",
        "duplicates": extra,
        "records lost": asked - recorded,
        "log lines": text.count("\n"),
        "personal data in log": len(leaked),
    }


async def count(url: str) -> int:
    database = Database(url)
    log = QuestionLog(database)
    try:
        await log.prepare()
        return await log.count()
    finally:
        await database.dispose()


async def main_async(args: argparse.Namespace) -> int:
    names = ["none", "502", "429", "hang"]
    if args.postgres_url and args.pg_data and args.pg_bin:
        names += ["pg-frozen", "pg-stopped"]
    if args.only:
        names = [n for n in names if n in args.only.split(",")]
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        url = args.postgres_url or f"sqlite:///{work / 'bot.db'}"
        rows = [await scenario(name, args, url, work) for name in names]
    for row in rows:
        print("  ".join(f"{k}: {v}" for k, v in row.items()), flush=True)
    return 0 if all(r["personal data in log"] == 0 and r["duplicates"] == 0 for r in rows) else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--only", help="comma-separated scenarios")
    parser.add_argument("--postgres-url")
    parser.add_argument("--pg-data")
    parser.add_argument("--pg-bin")
    parser.add_argument("--keep-logs", type=Path, help="copy each scenario's bot log here")
    return asyncio.run(main_async(parser.parse_args()))


if __name__ == "__main__":
    raise SystemExit(main())
