"""Memory across reloads: RSS after one reload and after twenty, in one process.

Usage:  python benchmarks/reload_memory.py [--reloads 20] [--knowledge DIR] [--intents DIR]

Each reload builds a whole new engine (semantic matching as configured) and swaps it in
through the application layer's EngineHolder, answering a few questions in between so the
per-engine caches fill; the start-up heap is frozen as the Telegram bot freezes it. The
figure that matters is the ratio: old engines must be freed, not pile up. RSS is read after
glibc has been asked to return freed memory (as the holder does after each swap), and the
count of live Python objects is printed beside it: constant means nothing is pinned.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

QUESTIONS = ["条例什么时候施行", "宣贯活动有哪些工作重点", "谁负责联系", "知识产权基金有多少钱"]


def rss_mb() -> float:
    """The resident set size now (VmRSS), in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS in /proc/self/status")


async def run(knowledge: Path, intents: Path, reloads: int) -> None:
    from bot.app import EngineHolder
    from bot.app.holder import release_replaced
    from bot.engine import Engine

    holder = EngineHolder(Engine.from_dirs(knowledge, intents), knowledge, intents)
    gc.collect()
    gc.freeze()
    readings = []
    for i in range(1, reloads + 1):
        result = await holder.reload()
        assert result.ok, result.problems
        for question in QUESTIONS:
            holder.engine.answer(question)
        release_replaced()
        readings.append(rss_mb())
        if i in (1, 5, 10, reloads):
            objects = len(gc.get_objects()) + gc.get_freeze_count()
            print(
                f"after {i:2d} reload(s): RSS {readings[-1]:.0f} MB, {objects} objects", flush=True
            )
    print(f"RSS after {reloads} reloads / after 1: {readings[-1] / readings[0]:.3f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reloads", type=int, default=20)
    parser.add_argument("--knowledge", type=Path, default=ROOT / "knowledge")
    parser.add_argument("--intents", type=Path, default=ROOT / "intents")
    args = parser.parse_args()
    asyncio.run(run(args.knowledge, args.intents, args.reloads))


if __name__ == "__main__":
    main()
