"""Questions per channel (telegram, web, console, wechat, wecom, live) and undelivered replies.

The channel is the question log's `frontend` column. Channels are listed most questions
first; a channel without questions in the period is left out here, while `by_channel`
(the JSON) names every known channel, with 0 where nothing came.
"""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import case, func, select

from bot.stats.period import ALL_TIME, Period
from bot.stats.rows import KINDS, ChannelCounts, KindCounts
from bot.storage import Database, QuestionRecord
from bot.storage.questions import FRONTENDS as CHANNELS

__all__ = ["CHANNELS", "by_channel", "channel_counts", "undelivered"]

# delivered is false: the reply did not reach the user (NULL and true count as delivered).
_UNDELIVERED = QuestionRecord.delivered.is_(False)


def _order(channel: str) -> int:
    return CHANNELS.index(channel) if channel in CHANNELS else len(CHANNELS)


async def channel_counts(db: Database, period: Period = ALL_TIME) -> list[ChannelCounts]:
    """Each channel with questions in the period: its kinds, askers and undelivered replies;
    most questions first (ties in the order of `CHANNELS`)."""
    where = period.conditions(QuestionRecord.created_at)
    kinds_query = (
        select(QuestionRecord.frontend, QuestionRecord.kind, func.count(QuestionRecord.id))
        .where(*where)
        .group_by(QuestionRecord.frontend, QuestionRecord.kind)
    )
    users_query = (
        select(
            QuestionRecord.frontend,
            func.count(func.distinct(QuestionRecord.user_hash)),
            func.coalesce(func.sum(case((_UNDELIVERED, 1), else_=0)), 0),
        )
        .where(*where)
        .group_by(QuestionRecord.frontend)
    )
    async with db.session() as session:
        kind_rows = (await session.execute(kinds_query)).all()
        user_rows = (await session.execute(users_query)).all()
    kinds: dict[str, dict[str, int]] = defaultdict(lambda: dict.fromkeys(KINDS, 0))
    for channel, kind, n in kind_rows:
        kinds[channel][kind] = int(n)
    users = {channel: (int(n), int(lost)) for channel, n, lost in user_rows}
    out = [
        ChannelCounts(
            channel=channel,
            kinds=KindCounts(counts),
            askers=users.get(channel, (0, 0))[0],
            undelivered=users.get(channel, (0, 0))[1],
        )
        for channel, counts in kinds.items()
    ]
    out.sort(key=lambda c: (-c.total, _order(c.channel), c.channel))
    return out


def by_channel(channels: list[ChannelCounts]) -> dict[str, int]:
    """Questions per channel: every known channel (0 when none), then any other found."""
    counts = dict.fromkeys(CHANNELS, 0)
    for channel in sorted(channels, key=lambda c: (_order(c.channel), c.channel)):
        counts[channel.channel] = channel.total
    return counts


async def undelivered(db: Database, period: Period = ALL_TIME) -> int:
    """Questions whose reply could not be delivered (`delivered` is false) in the period."""
    query = select(func.count(QuestionRecord.id)).where(
        _UNDELIVERED, *period.conditions(QuestionRecord.created_at)
    )
    async with db.session() as session:
        return int(await session.scalar(query) or 0)
