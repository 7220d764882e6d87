"""Quiz answer benchmark: 500 users answer one poll at once through QuizService.

Usage:  python benchmarks/quiz_answers.py [--users N] [--bursts N] [--url URL]

Each burst opens a round and a poll, then fires one `record_answer` per user concurrently
(asyncio.gather), as a group answering within the same second would. Per-answer processing
time is from the call to its return — so it includes waiting for the answers ahead of it —
and is quoted as p50/p99 over all bursts after a first, cold one (quoted apart). Each burst then checks, in the database, that every
user is stored exactly once with the points the scoring rules give, and that a redelivery of
every answer is refused as a duplicate. Also reported: the same answers one at a time (no
concurrency), i.e. the cost of a lone answer. Default database: a fresh SQLite file (WAL).

The first burst of a fresh process is slower mostly because it triggers Python's first full
garbage collection over everything loaded at start-up; `--gc-freeze` shows the difference.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import func, select  # noqa: E402
from timing import percentile  # noqa: E402

from bot.knowledge.loader import load_knowledge  # noqa: E402
from bot.quiz import QuizService, Round  # noqa: E402
from bot.quiz.bank import load_bank  # noqa: E402
from bot.quiz.models import QuizAnswer  # noqa: E402
from bot.quiz.scoring import PollWindow, assess  # noqa: E402
from bot.storage import Database  # noqa: E402
from bot.storage.models import utcnow  # noqa: E402


async def timed(coro_factory) -> tuple[float, object]:  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    result = await coro_factory()
    return (time.perf_counter() - start) * 1000, result


async def burst(service: QuizService, chat_id: int, users: int, concurrent: bool) -> list[float]:
    started = utcnow()
    round_ = await service.start_round(chat_id, 1, n=1, seconds=60, at=started)
    assert isinstance(round_, Round)
    question = await service.next_question(round_.id)
    assert question is not None
    poll_id = f"bench-{chat_id}"
    closes = started + timedelta(seconds=60)
    await service.register_poll(
        poll_id,
        round_.id,
        chat_id,
        1,
        question.item,
        question.order,
        question.correct_index,
        started,
        closes,
    )
    received = started + timedelta(seconds=2)
    choices = {u: u % len(question.options) for u in range(users)}

    def answer(u: int):  # type: ignore[no-untyped-def]
        return lambda: service.record_answer(
            poll_id, 100_000 + u, f"用户{u}", [choices[u]], received
        )

    if concurrent:
        results = await asyncio.gather(*(timed(answer(u)) for u in range(users)))
    else:
        results = [await timed(answer(u)) for u in range(users)]
    latencies = [ms for ms, _ in results]
    outcomes = [outcome for _, outcome in results]
    assert all(o.status == "recorded" for o in outcomes), "an answer was not recorded"  # type: ignore[attr-defined]
    # Redelivery of every answer: all refused.
    again = await asyncio.gather(*(answer(u)() for u in range(users)))
    assert all(o.status == "duplicate" for o in again), "a redelivered answer counted"
    # In the database: each user exactly once, with the points the rules give.
    window = PollWindow(started, closes, question.correct_index)
    expected = sum(assess(window, [choices[u]], received).points for u in range(users))
    async with service.db.session() as session:
        rows, distinct, points = (
            await session.execute(
                select(
                    func.count(QuizAnswer.id),
                    func.count(func.distinct(QuizAnswer.user_hash)),
                    func.sum(QuizAnswer.points),
                ).where(QuizAnswer.poll_id == poll_id)
            )
        ).one()
    assert rows == distinct == users, (rows, distinct, users)
    assert points == expected, (points, expected)
    await service.finish_round(round_.id)
    return latencies


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--users", type=int, default=500)
    parser.add_argument("--bursts", type=int, default=5)
    parser.add_argument("--url", help="database URL (default: a fresh SQLite file)")
    parser.add_argument(
        "--gc-freeze",
        action="store_true",
        help="gc.freeze() after loading, as a bot may at start-up (spares the cold burst a full GC)",
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = args.url or f"sqlite:///{Path(tmp) / 'quiz-bench.db'}"
        db = Database(url)
        items = load_bank(load_knowledge(ROOT / "knowledge"))
        service = QuizService(db, lambda: items)
        await service.prepare()
        if args.gc_freeze:
            gc.freeze()
        try:
            # The first burst warms connections and statement caches; quoted apart.
            cold = await burst(service, -1, args.users, concurrent=True)
            together: list[float] = []
            walls: list[float] = []
            for b in range(args.bursts):
                start = time.perf_counter()
                together += await burst(service, -100 - b, args.users, concurrent=True)
                walls.append((time.perf_counter() - start) * 1000)
            alone = await burst(service, -2, min(args.users, 200), concurrent=False)
        finally:
            await service.close()
            await db.dispose()
    backend = "SQLite (WAL)" if url.startswith("sqlite") else url.split(":", 1)[0]
    print(f"database: {backend}; {args.bursts} bursts of {args.users} concurrent answers")
    print(
        f"per-answer processing, all at once: p50 {statistics.median(together):.1f} ms, "
        f"p99 {percentile(together, 0.99):.1f} ms, max {max(together):.1f} ms"
    )
    print(f"first (cold) burst: p99 {percentile(cold, 0.99):.1f} ms, max {max(cold):.1f} ms")
    print(f"burst wall time incl. checks: median {statistics.median(walls):.0f} ms")
    print(
        f"per-answer processing, one at a time: p50 {statistics.median(alone):.2f} ms, "
        f"p99 {percentile(alone, 0.99):.2f} ms"
    )
    print(f"every answer scored exactly once: yes ({args.bursts * args.users} answers checked)")


if __name__ == "__main__":
    asyncio.run(main())
