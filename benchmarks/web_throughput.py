"""Throughput of the web API: 1,000 POST /api/ask from 50 concurrent clients on loopback.

Why: the web chat is meant for a whole campaign's audience at once (a lecture hall opening the
page together); this shows how many answers a second one process serves and how long the
slowest wait. It starts `python -m bot web` in its own process (so the clients do not share a
GIL with the server) with the rate limit off (BOT_WEB_RATE_LIMIT=0) and the access log off,
then 50 httpx clients each send questions from a shared queue until 1,000 are answered.

    .venv/bin/python benchmarks/web_throughput.py [--requests 1000] [--concurrency 50]
    .venv/bin/python benchmarks/web_throughput.py --url http://127.0.0.1:8080  # a running server

Questions cycle through the evaluation set, so after the first pass the engine's search cache
answers repeats; `--unique` appends a counter to every question to defeat that cache.
Exit status 1 when any request was not answered with 200.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import yaml
from timing import percentile

REPO = Path(__file__).resolve().parents[1]
EVAL_SET = REPO / "tests" / "eval" / "seed.yaml"


def questions() -> list[str]:
    items = yaml.safe_load(EVAL_SET.read_text(encoding="utf-8"))
    return [item["q"] for item in items]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def cpu_seconds(pid: int) -> float | None:
    """User + system CPU time of a process, from /proc (Linux); None elsewhere."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@contextmanager
def server_process() -> Iterator[tuple[str, int]]:
    """`python -m bot web` on a free port, rate limit and access log off; yields URL and pid."""
    port = free_port()
    env = {**os.environ, "BOT_WEB_RATE_LIMIT": "0", "BOT_WEB_ACCESS_LOG": "0"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "bot", "web", "--host", "127.0.0.1", "--port", str(port)],
        cwd=REPO,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                httpx.get(url + "/api/health", timeout=1).raise_for_status()
                break
            except httpx.HTTPError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise SystemExit("the web server did not start") from None
                time.sleep(0.1)
        yield url, proc.pid
    finally:
        proc.terminate()
        proc.wait(timeout=10)


async def run(url: str, total: int, concurrency: int, unique: bool, pid: int | None = None) -> int:
    pool = questions()
    queue: asyncio.Queue[str] = asyncio.Queue()
    for i in range(total):
        question = pool[i % len(pool)]
        queue.put_nowait(f"{question} {i}" if unique else question)
    latencies: list[float] = []
    failures: list[str] = []

    async def client(http: httpx.AsyncClient) -> None:
        async with http:
            while True:
                try:
                    question = queue.get_nowait()
                except asyncio.QueueEmpty:
                    return
                start = time.perf_counter()
                try:
                    response = await http.post("/api/ask", json={"question": question})
                    ok = response.status_code == 200 and "kind" in response.json()
                    if not ok:
                        failures.append(f"{response.status_code} {response.text[:80]}")
                except httpx.HTTPError as exc:
                    failures.append(repr(exc))
                    continue
                latencies.append(time.perf_counter() - start)

    # One warm-up request so jieba's dictionary and the first-call costs are not timed.
    async with httpx.AsyncClient(base_url=url) as http:
        await http.post("/api/ask", json={"question": "条例什么时候施行？"})
    # Clients are built before the clock starts: each loads a TLS context (~20 ms of CPU),
    # which would otherwise be counted in the latency of the other clients' first requests.
    clients = [httpx.AsyncClient(base_url=url, timeout=30) for _ in range(concurrency)]
    cpu_before = cpu_seconds(pid) if pid else None
    began = time.perf_counter()
    await asyncio.gather(*(client(http) for http in clients))
    elapsed = time.perf_counter() - began
    cpu_after = cpu_seconds(pid) if pid else None

    answered = total - len(failures)
    ms = sorted(x * 1000 for x in latencies)
    p50 = statistics.median(ms)
    p99 = percentile(ms, 0.99)
    print(f"requests:   {total} from {concurrency} concurrent clients ({url})")
    print(f"answered:   {answered}/{total}" + (" (every one)" if not failures else ""))
    print(f"latency:    p50 {p50:.1f} ms, p99 {p99:.1f} ms, max {ms[-1]:.1f} ms")
    print(f"throughput: {answered / elapsed:.0f} answers/s ({elapsed:.2f} s)")
    if cpu_before is not None and cpu_after is not None:
        # Where the time goes: the server's own CPU per request; the rest is the clients
        # (same machine) and waiting.
        server_ms = (cpu_after - cpu_before) * 1000 / total
        print(f"server CPU: {server_ms:.2f} ms per request ({os.cpu_count()} CPUs shared)")
    for failure in failures[:5]:
        print(f"failure:    {failure}")
    return 0 if not failures else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=1000)
    parser.add_argument("--concurrency", type=int, default=50)
    parser.add_argument("--url", help="benchmark a running server instead of starting one")
    parser.add_argument("--unique", action="store_true", help="defeat the engine's search cache")
    args = parser.parse_args()
    if args.url:
        return asyncio.run(run(args.url, args.requests, args.concurrency, args.unique))
    with server_process() as (url, pid):
        return asyncio.run(run(url, args.requests, args.concurrency, args.unique, pid))


if __name__ == "__main__":
    sys.exit(main())
