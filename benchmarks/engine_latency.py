"""Engine benchmarks: per-question latency in batch mode, cold start of `ask`, peak RSS.

Usage:  python benchmarks/engine_latency.py [--knowledge DIR] [--set FILE] [--rounds N]

Latency is measured in one process over every question of the evaluation set, repeated
`--rounds` times with the engine's per-question caches cleared, and quoted as median and p99.
Cold start is the wall time of `python -m bot ask QUESTION` from process start to exit
(median of several runs); peak RSS is that process's maximum resident set size.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from timing import percentile  # noqa: E402


def clear_caches(engine) -> None:  # type: ignore[no-untyped-def]
    from bot.engine import normalize

    engine.retriever.rank.cache_clear()
    engine.fixer.fix.cache_clear()
    engine.tokenizer.words.cache_clear()
    engine.tokenizer.terms.cache_clear()
    engine.tokenizer.subword_spans.cache_clear()
    normalize.clean.cache_clear()
    normalize.normalize.cache_clear()


def batch_latency(knowledge: str, eval_set: str, rounds: int) -> list[float]:
    from bot.config import intents_dir
    from bot.engine import Engine
    from bot.evaluation import load_items

    engine = Engine.from_dirs(knowledge, intents_dir())
    questions = [i.question for i in load_items(eval_set)]
    timings = []
    for _ in range(rounds):
        clear_caches(engine)
        for question in questions:
            start = time.perf_counter()
            engine.answer(question)
            timings.append((time.perf_counter() - start) * 1000)
    return timings


def cold_start(knowledge: str, runs: int) -> tuple[list[float], float]:
    times = []
    peak_kb = 0
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "bot", "ask", "--knowledge", knowledge, "条例什么时候施行"],
            cwd=ROOT,
            check=True,
            capture_output=True,
        )
        times.append(time.perf_counter() - start)
        peak_kb = max(peak_kb, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
    return times, peak_kb / 1024


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--knowledge", default=str(ROOT / "knowledge"))
    parser.add_argument("--set", dest="eval_set", default=str(ROOT / "tests/eval/seed.yaml"))
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--cold-runs", type=int, default=5)
    args = parser.parse_args()

    timings = batch_latency(args.knowledge, args.eval_set, args.rounds)
    print(f"knowledge: {args.knowledge}")
    print(f"batch latency over {len(timings)} answers (caches cleared each round):")
    print(f"  p50 {statistics.median(timings):.2f} ms   p99 {percentile(timings, 0.99):.2f} ms")
    cold, peak_mb = cold_start(args.knowledge, args.cold_runs)
    print(f"cold start of `ask` (process start to exit), {len(cold)} runs:")
    print(f"  median {statistics.median(cold):.2f} s   min {min(cold):.2f} s")
    print(f"peak RSS of `ask`: {peak_mb:.0f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
