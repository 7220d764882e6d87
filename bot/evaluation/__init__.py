"""Accuracy on the evaluation sets: ranked (hit@k, MRR, refusals, confident wrong) and asked
(lists complete, missing specifics not answered, contacts, small talk); baselines; tuning."""

from bot.evaluation.asked import AskedMetrics, AskedOutcome, asked_metrics, evaluate_asked
from bot.evaluation.baselines import baseline_bm25, baseline_metrics, baseline_wratio
from bot.evaluation.ranked import Metrics, Outcome, evaluate, metrics, ranking_of
from bot.evaluation.report import print_report, run_eval
from bot.evaluation.sets import (
    ASKED_SET,
    DEFAULT_SET,
    OOS,
    SMALLTALK,
    AskedItem,
    Item,
    load_asked,
    load_items,
    of_split,
)

__all__ = [
    "ASKED_SET",
    "DEFAULT_SET",
    "OOS",
    "SMALLTALK",
    "AskedItem",
    "AskedMetrics",
    "AskedOutcome",
    "Item",
    "Metrics",
    "Outcome",
    "asked_metrics",
    "baseline_bm25",
    "baseline_metrics",
    "baseline_wratio",
    "evaluate",
    "evaluate_asked",
    "load_asked",
    "load_items",
    "metrics",
    "of_split",
    "print_report",
    "ranking_of",
    "run_eval",
]
