"""Benchmarks over a knowledge base of every law in ../shared/corpus beside the seed material.

Usage:  python benchmarks/corpus.py [--corpus DIR] [--rounds N]

Prints: time to import the whole corpus, the article count, per-question latency (p50/p99)
in batch mode over tests/eval/corpus.yaml, the one-time semantic index build, cold start of
`ask` on that base (vectors cached) and its peak RSS,
the seed evaluation with and without the corpus beside it, and the accuracy of the corpus
evaluation next to the baselines.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from engine_latency import batch_latency, cold_start  # noqa: E402
from timing import percentile  # noqa: E402

if TYPE_CHECKING:
    from bot.engine import Engine


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", default=str(ROOT.parent / "shared" / "corpus"))
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    corpus = Path(args.corpus)
    files = sorted(corpus.glob("*.md")) + sorted(corpus.glob("*.txt"))
    if not files:
        print(f"no law texts in {corpus}")
        return 1

    from bot.importer import import_law

    work = Path(tempfile.mkdtemp(prefix="ipreg-corpus-"))
    knowledge = work / "knowledge"
    shutil.copytree(ROOT / "knowledge", knowledge)
    start = time.perf_counter()
    articles = sum(import_law(f, knowledge).article_count for f in files)
    elapsed = time.perf_counter() - start
    print(f"import of {len(files)} laws, {articles} articles: {elapsed:.2f} s")
    from bot.config import intents_dir
    from bot.engine import Engine

    start = time.perf_counter()
    engine = Engine.from_dirs(knowledge, intents_dir())
    elapsed = time.perf_counter() - start
    semantic = engine.retriever.semantic
    if semantic is not None:
        print(
            f"semantic index: {semantic.passages} passages, {semantic.embedded} embedded now, "
            f"{elapsed:.1f} s (once: vectors are cached by content)"
        )

    timings = batch_latency(str(knowledge), str(ROOT / "tests/eval/corpus.yaml"), args.rounds)
    print(f"batch latency over {len(timings)} answers:")
    print(f"  p50 {statistics.median(timings):.2f} ms   p99 {percentile(timings, 0.99):.2f} ms")
    cold, peak_mb = cold_start(str(knowledge), 3)
    print(f"cold start of `ask`: median {statistics.median(cold):.2f} s; peak RSS {peak_mb:.0f} MB")
    alone = seed_hits(Engine.from_dirs(ROOT / "knowledge", intents_dir()))
    beside = seed_hits(engine)
    print(
        f"seed evaluation, all questions, hit@1 / hit@3: alone {alone[0]:.1%} / {alone[1]:.1%}, "
        f"with the corpus loaded {beside[0]:.1%} / {beside[1]:.1%}"
    )
    subprocess.run(
        [
            sys.executable,
            "-m",
            "bot",
            "eval",
            "--knowledge",
            str(knowledge),
            "--set",
            str(ROOT / "tests/eval/corpus.yaml"),
            "--split",
            "test",
            "--baselines",
        ],
        cwd=ROOT,
        check=True,
    )
    shutil.rmtree(work, ignore_errors=True)
    return 0


def seed_hits(engine: Engine) -> tuple[float, float]:
    """hit@1 and hit@3 of the seed evaluation (every split) on an engine."""
    from bot.evaluation import DEFAULT_SET, evaluate, load_items, metrics

    m = metrics(evaluate(engine, load_items(DEFAULT_SET)))
    return m.hit1, m.hit3


if __name__ == "__main__":
    raise SystemExit(main())
