"""Benchmarks over a knowledge base of every law in ../shared/corpus beside the seed material.

Usage:  python benchmarks/corpus.py [--corpus DIR] [--rounds N] [--passes N] [--cold-runs N]
            [--baseline DIR]

Prints: time to import the whole corpus, the article count, the one-time semantic index
build, per-question latency (p50/p99) in batch mode over tests/eval/corpus.yaml, cold start of
`ask` on that base (vectors cached) and its peak RSS, measured as benchmarks/engine_latency.py
does (with `--baseline DIR`, side by side with that checkout of the previous version), the
seed evaluation with and without the corpus beside it, and the accuracy of the corpus
evaluation next to the baselines (with `--baseline`, on both versions).
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from engine_latency import measure, report  # noqa: E402

if TYPE_CHECKING:
    from bot.engine import Engine


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", default=str(ROOT.parent / "shared" / "corpus"))
    parser.add_argument("--rounds", type=int, default=3, help="fresh processes per version")
    parser.add_argument("--passes", type=int, default=3, help="passes over the set per round")
    parser.add_argument("--cold-runs", type=int, default=3)
    parser.add_argument("--baseline", type=Path, help="checkout of the previous version")
    args = parser.parse_args()
    corpus = Path(args.corpus)
    work = Path(tempfile.mkdtemp(prefix="ipreg-corpus-"))
    knowledge = work / "knowledge"
    start = time.perf_counter()
    articles = build_corpus(corpus, knowledge)
    elapsed = time.perf_counter() - start
    if not articles:
        print(f"no law texts in {corpus}")
        return 1
    print(f"import of the laws in {corpus}, {articles} articles: {elapsed:.2f} s")
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

    trees = {"old": args.baseline.resolve(), "new": ROOT} if args.baseline else {"new": ROOT}
    eval_set = str(ROOT / "tests/eval/corpus.yaml")
    print(f"{args.rounds} rounds of {args.passes} passes over {eval_set}:")
    report(measure(trees, str(knowledge), eval_set, args))
    alone = seed_hits(Engine.from_dirs(ROOT / "knowledge", intents_dir()))
    beside = seed_hits(engine)
    print(
        f"seed evaluation, all questions, hit@1 / hit@3: alone {alone[0]:.1%} / {alone[1]:.1%}, "
        f"with the corpus loaded {beside[0]:.1%} / {beside[1]:.1%}"
    )
    for name, tree in trees.items():
        print(f"== corpus evaluation, {name} ({tree}) ==", flush=True)
        command = ["eval", "--knowledge", str(knowledge), "--set", eval_set, "--split", "test"]
        subprocess.run([sys.executable, "-m", "bot", *command, "--baselines"], cwd=tree, check=True)
    shutil.rmtree(work, ignore_errors=True)
    return 0


def build_corpus(corpus: Path, knowledge: Path) -> int:
    """The seed knowledge base copied to `knowledge` with every law text of `corpus` imported
    beside it; the number of articles imported (0: no law texts, nothing built)."""
    from bot.importer import import_law

    files = sorted(corpus.glob("*.md")) + sorted(corpus.glob("*.txt"))
    if not files:
        return 0
    shutil.copytree(ROOT / "knowledge", knowledge)
    return sum(import_law(f, knowledge).article_count for f in files)


def seed_hits(engine: Engine) -> tuple[float, float]:
    """hit@1 and hit@3 of the seed evaluation (every split) on an engine."""
    from bot.evaluation import DEFAULT_SET, evaluate, load_items, metrics

    m = metrics(evaluate(engine, load_items(DEFAULT_SET)))
    return m.hit1, m.hit3


if __name__ == "__main__":
    raise SystemExit(main())
