"""Summaries of timings shared by every benchmark, so each quoted p99 means the same thing.

The benchmarks are scripts (`python benchmarks/x.py`), which puts this folder on sys.path.
"""

from __future__ import annotations

import statistics


def percentile(values: list[float], q: float) -> float:
    """The nearest-rank q-quantile (q in [0, 1]) of `values`."""
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[index]


def describe(ms: list[float]) -> str:
    """p50, p90, p99 and max of timings in milliseconds, as one line."""
    return (
        f"p50 {statistics.median(ms):.1f}, p90 {percentile(ms, 0.90):.1f}, "
        f"p99 {percentile(ms, 0.99):.1f}, max {max(ms):.1f}"
    )
