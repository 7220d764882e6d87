"""WeChat callbacks under load: 1,000 encrypted messages from 100 users through the fake
platform, every one to be answered within WeChat's five seconds; beside it the web API's figures
for the same questions, users and pacing.

Why: WeChat gives a passive reply five seconds and then retries; an official account's
followers all write at once after an announcement. This starts `python -m bot web` in its own
process with an official account in safe mode (a fresh Token, AppID and EncodingAESKey, a
temporary SQLite database, rate limits off), then 100 users, all at once, each send 10
questions of the evaluation set one after another: a user waits for the reply, then reads and
types for `--think` seconds (±50 %, default 1) before the next; `--think 0` sends at once (a
closed-loop overload). Each callback is signed and AES-encrypted by the fake platform of
tests/frontends/wechat/fake.py exactly as documented, and each reply is verified and
decrypted by it. The engine meets these questions for the first time (no search cache).
The fake waits five seconds for each reply and then delivers the message again, as the
platform does (three deliveries at most). Then the same questions, users and pacing go to
`POST /api/ask` of a second fresh server. After each load the server is stopped (it writes
every record) and `python -m bot stats --json` must count exactly the callbacks on `wechat`
and the API questions on `web` (each plus one warm-up): each answered and recorded once.

    .venv/bin/python benchmarks/wechat_callbacks.py [--users 100] [--per-user 10] [--think 1]

The servers run with OMP_NUM_THREADS=1 (the sentence encoder's threads) unless the variable
is set.

Exit status 1 when any callback was not answered in time, or the records do not add up.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import yaml
from timing import describe, percentile

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))

from frontends.wechat.fake import FakeWeChat, free_port, new_aes_key  # noqa: E402

EVAL_SET = REPO / "tests" / "eval" / "seed.yaml"
TOKEN = "benchmarkToken2024"
APP_ID = "wxbenchmark0000001"
WINDOW = 5.0  # WeChat's wait for a passive reply, in seconds


def questions() -> list[str]:
    items = yaml.safe_load(EVAL_SET.read_text(encoding="utf-8"))
    return [item["q"] for item in items]


@contextmanager
def server_process(
    database_url: str, aes_key: str
) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """`python -m bot web` with the official account in safe mode; yields URL and process."""
    port = free_port()
    env = {
        **os.environ,
        "BOT_DATABASE_URL": database_url,
        "BOT_WEB_RATE_LIMIT": "0",
        "BOT_WEB_ACCESS_LOG": "0",
        "BOT_USER_RATE_LIMIT": "0",
        "BOT_HASH_SECRET": "benchmark-secret",
        "WECHAT_TOKEN": TOKEN,
        "WECHAT_APP_ID": APP_ID,
        "WECHAT_ENCODING_AES_KEY": aes_key,
        # One encoder thread unless told otherwise: with two, each query waits whenever the
        # other thread's core is busy (here: the clients), and the tail grows several-fold.
        "OMP_NUM_THREADS": os.environ.get("OMP_NUM_THREADS", "1"),
    }
    proc = subprocess.Popen(
        [sys.executable, "-m", "bot", "web", "--host", "127.0.0.1", "--port", str(port)],
        cwd=REPO,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                httpx.get(url + "/api/health", timeout=1).raise_for_status()
                break
            except httpx.HTTPError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise SystemExit("the web server did not start") from None
                time.sleep(0.1)
        yield url, proc
    finally:
        if proc.poll() is None:
            proc.terminate()
            proc.wait(timeout=30)


def pause(think: float, rng: random.Random) -> float:
    """A user's reading and typing time before the next message: `think` ± 50 %."""
    return think * rng.uniform(0.5, 1.5) if think > 0 else 0.0


async def wechat_load(
    fake: FakeWeChat, pool: list[str], users: int, per_user: int, think: float
) -> dict:
    latencies: list[float] = []
    failures: list[str] = []
    retried: list[int] = []

    async def user(number: int, http: httpx.AsyncClient) -> None:
        openid = f"oBenchUser{number:04d}"
        rng = random.Random(number)
        for i in range(per_user):
            if i:
                await asyncio.sleep(pause(think, rng))
            question = pool[(number * per_user + i) % len(pool)]
            xml = fake.text_xml(openid, question)
            start = time.perf_counter()
            try:
                delivery, attempt = await fake.adeliver_with_retries(xml, http, user=openid)
            except AssertionError as exc:  # a reply that does not verify or decrypt
                failures.append(repr(exc))
                continue
            if delivery is None:
                failures.append("no reply in three deliveries")
                continue
            latencies.append(time.perf_counter() - start)
            retried.append(attempt - 1)
            if delivery.status != 200 or not delivery.content:
                failures.append(f"{delivery.status} {delivery.body[:80]}")

    limits = httpx.Limits(max_connections=users, max_keepalive_connections=users)
    async with httpx.AsyncClient(base_url=fake.base_url, timeout=30, limits=limits) as http:
        # One warm-up callback so first-call costs (jieba, the encoder) are not timed.
        await fake.adeliver(fake.post_request(fake.text_xml("oWarmUp", "条例什么时候施行？")), http)
        began = time.perf_counter()
        await asyncio.gather(*(user(n, http) for n in range(users)))
        elapsed = time.perf_counter() - began
    return {"latencies": latencies, "failures": failures, "elapsed": elapsed, "retried": retried}


async def web_load(url: str, pool: list[str], users: int, per_user: int, think: float) -> dict:
    """The same questions, users and pacing through `POST /api/ask`."""
    latencies: list[float] = []
    failures: list[str] = []

    async def client(number: int, http: httpx.AsyncClient) -> None:
        rng = random.Random(number)
        for i in range(per_user):
            if i:
                await asyncio.sleep(pause(think, rng))
            question = pool[(number * per_user + i) % len(pool)]
            start = time.perf_counter()
            try:
                response = await http.post("/api/ask", json={"question": question})
            except httpx.HTTPError as exc:
                failures.append(repr(exc))
                continue
            latencies.append(time.perf_counter() - start)
            if response.status_code != 200:
                failures.append(f"{response.status_code} {response.text[:80]}")

    limits = httpx.Limits(max_connections=users, max_keepalive_connections=users)
    async with httpx.AsyncClient(base_url=url, timeout=30, limits=limits) as http:
        await http.post("/api/ask", json={"question": "条例什么时候施行？"})  # warm-up
        began = time.perf_counter()
        await asyncio.gather(*(client(n, http) for n in range(users)))
        elapsed = time.perf_counter() - began
    return {"latencies": latencies, "failures": failures, "elapsed": elapsed}


def report(name: str, result: dict, total: int) -> None:
    ms = [x * 1000 for x in result["latencies"]]
    answered = total - len(result["failures"])
    print(f"{name}:")
    print(f"  answered:   {answered}/{total}" + (" (every one)" if not result["failures"] else ""))
    if ms:
        print(f"  latency ms: {describe(ms)}")
        print(f"  throughput: {len(ms) / result['elapsed']:.0f}/s ({result['elapsed']:.2f} s)")
    for failure in result["failures"][:5]:
        print(f"  failure:    {failure}")


def recorded(database_url: str) -> dict[str, int]:
    out = subprocess.run(
        [sys.executable, "-m", "bot", "stats", "--json", "--database", database_url],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "BOT_HASH_SECRET": "benchmark-secret"},
    )
    return dict(json.loads(out.stdout)["by_channel"])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=100)
    parser.add_argument("--per-user", type=int, default=10)
    parser.add_argument(
        "--think",
        type=float,
        default=1.0,
        help="seconds a user reads and types before the next message (±50%%); 0: at once",
    )
    parser.add_argument("--no-web", action="store_true", help="skip the web API comparison")
    args = parser.parse_args()
    total = args.users * args.per_user
    pool = questions()
    aes_key = new_aes_key()
    web = None
    with tempfile.TemporaryDirectory(prefix="wechat-bench-") as tmp:
        # Each load on a fresh server (and database), so both meet a cold engine.
        database_url = f"sqlite:///{Path(tmp) / 'wechat.db'}"
        with server_process(database_url, aes_key) as (url, _proc):
            fake = FakeWeChat(url, token=TOKEN, aes_key=aes_key, app_id=APP_ID)
            wechat = asyncio.run(wechat_load(fake, pool, args.users, args.per_user, args.think))
        counts = recorded(database_url)
        if not args.no_web:
            web_database_url = f"sqlite:///{Path(tmp) / 'web.db'}"
            with server_process(web_database_url, aes_key) as (url, _proc):
                web = asyncio.run(web_load(url, pool, args.users, args.per_user, args.think))
            counts["web"] = recorded(web_database_url).get("web", 0)
    print(
        f"{total} encrypted callbacks (safe mode) from {args.users} users at once, "
        f"{args.per_user} each, {args.think:g} s (±50 %) between a reply and the next message"
    )
    report("WeChat callbacks", wechat, total)
    slowest = max(wechat["latencies"], default=0.0)
    in_time = sum(1 for x in wechat["latencies"] if x < WINDOW)
    redelivered = sum(1 for r in wechat["retried"] if r)
    p99 = percentile(wechat["latencies"], 0.99) * 1000 if wechat["latencies"] else 0.0
    print(
        f"  within {WINDOW:.0f} s: {in_time}/{total} (p99 {p99:.1f} ms); "
        f"answered only on a redelivery: {redelivered}"
    )
    if web is not None:
        report("web API (POST /api/ask: the same questions, users and pacing)", web, total)
    print(f"recorded:     wechat {counts.get('wechat', 0)}, web {counts.get('web', 0)}")
    ok = not wechat["failures"] and in_time == total and slowest < WINDOW
    # The warm-up callback is a question too.
    ok = ok and counts.get("wechat", 0) == total + 1
    if web is not None:
        ok = ok and not web["failures"] and counts.get("web", 0) == total + 1
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
