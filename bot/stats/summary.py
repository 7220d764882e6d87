"""The combined figures: the report's overview, what /stats shows, and its JSON form."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from bot.stats.channels import by_channel, channel_counts, undelivered
from bot.stats.live import live_stats
from bot.stats.period import ALL_TIME, Period
from bot.stats.questions import askers, kind_counts, question_counts, top_entries, unanswered
from bot.stats.quiz import practice_stats, quiz_groups, quiz_participants
from bot.stats.rows import KINDS, AdminSummary, Overview
from bot.storage import Database

# Top entries and unanswered questions /stats lists.
DEFAULT_TOP = 5


async def overview(db: Database, period: Period = ALL_TIME) -> Overview:
    kinds = await kind_counts(db, period)
    groups = await quiz_groups(db, period)
    return Overview(
        questions=kinds.total,
        askers=await askers(db, period),
        kinds=kinds,
        rounds=sum(g.rounds for g in groups),
        groups=len(groups),
        participants=await quiz_participants(db, period),
        quiz_answers=sum(g.answers for g in groups),
        quiz_points=sum(g.points for g in groups),
        practice=await practice_stats(db, period),
    )


async def admin_summary(
    db: Database,
    titles: Mapping[str, str] | None = None,
    *,
    limit: int = DEFAULT_TOP,
    now: datetime | None = None,
    period: Period = ALL_TIME,
) -> AdminSummary:
    """Everything /stats shows: the period's figures (all time by default); "today" and
    "the last 7 days" are counted back from `now`, within the period."""
    view = await overview(db, period)
    return AdminSummary(
        counts=await question_counts(db, now=now, period=period),
        kinds=view.kinds,
        top_entries=await top_entries(db, limit, period, titles),
        unanswered=await unanswered(db, limit, period),
        overview=view,
        channels=await channel_counts(db, period),
        undelivered=await undelivered(db, period),
        period=period,
        live=await live_stats(db, period),
    )


def stats_json(summary: AdminSummary, *, records_lost: int = 0) -> dict[str, Any]:
    """The figures of `summary` as one JSON object (`python -m bot stats --json`).

    Keys: period, questions, today, last_7_days, askers, by_kind (every kind), by_channel
    (every known channel, 0 where none), channels (per channel: questions, askers, by_kind,
    undelivered), top_entries, unanswered_top (grouped by normalised wording: question,
    count, users, channels, last_asked), undelivered (replies that could not be delivered),
    records_lost, quiz and live (live hall games: games, finished, players, answers, correct,
    points).

    `records_lost` is what no database can count — questions the running application's
    recorder had to drop because the database stayed unavailable — so the recorder reports
    it and passes it in; read from the database alone it is 0.
    """
    o = summary.overview
    channels = {c.channel: c for c in summary.channels}
    return {
        "period": summary.period.to_json(),
        "questions": summary.counts.total,
        "today": summary.counts.today,
        "last_7_days": summary.counts.last_7_days,
        "askers": o.askers,
        "by_kind": {kind: summary.kinds[kind] for kind in KINDS},
        "by_channel": by_channel(summary.channels),
        "channels": {
            name: {
                "questions": count,
                "askers": channels[name].askers if name in channels else 0,
                "by_kind": {
                    kind: channels[name].kinds[kind] if name in channels else 0 for kind in KINDS
                },
                "undelivered": channels[name].undelivered if name in channels else 0,
            }
            for name, count in by_channel(summary.channels).items()
        },
        "top_entries": [
            {"entry": e.entry, "title": e.title, "count": e.count} for e in summary.top_entries
        ],
        "unanswered_top": [
            {
                "question": q.text,
                "count": q.count,
                "users": q.users,
                "channels": dict(q.channels),
                "last_asked": q.last_asked.isoformat(timespec="seconds"),
            }
            for q in summary.unanswered
        ],
        "undelivered": summary.undelivered,
        "records_lost": records_lost,
        "quiz": {
            "groups": o.groups,
            "rounds": o.rounds,
            "participants": o.participants,
            "answers": o.quiz_answers,
            "points": o.quiz_points,
            "practice": {
                "answers": o.practice.answers,
                "users": o.practice.users,
                "correct": o.practice.correct,
            },
        },
        "live": summary.live.to_json(),
    }
