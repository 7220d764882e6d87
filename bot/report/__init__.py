"""The campaign report: `python -m bot report --out report.html [--since DATE] [--until DATE]`.

One self-contained HTML page (no scripts, no external files: it can be mailed or archived)
with the campaign's figures: questions per day, answer kinds, questions per channel
(Telegram, web, …), top topics, quiz rounds, participants and scores per group (named by
their Telegram titles where the bot has seen them), live hall games, and the questions the
bot could not answer as a table. It reads on a phone (390 px wide: tables scroll in their own
box) and prints on A4 (a print stylesheet opens the data tables and keeps sections whole).
Charts are matplotlib SVG inlined in the page; every number a chart shows is also in a
table next to it, and in a JSON block (`<script type="application/json" id="report-data">`)
for tools. The numbers are `bot.stats`' over the same database, so they equal the database's.

Days are UTC days, `--since` and `--until` both inclusive (see `bot.stats`). The database
is opened like every command opens it (`Database.migrate`): a database that does not exist
yet is created, and its report is the empty one.
"""

from __future__ import annotations

import asyncio
import os
import tempfile
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from sqlalchemy.exc import SQLAlchemyError

from bot import stats
from bot.report.fonts import CjkFont, NoCjkFont, find_cjk_font
from bot.storage import Database, MigrationError

__all__ = ["ReportData", "ReportError", "build_report", "collect", "write_report"]

TOP_ENTRIES = 15
TOP_UNANSWERED = 50


class ReportError(Exception):
    """The report cannot be written; the message says why and what to do."""


@dataclass(frozen=True)
class ReportData:
    """Everything the page shows, read from the database in one go."""

    period: stats.Period
    generated_at: datetime
    overview: stats.Overview
    per_day: list[stats.DayCount]
    top_entries: list[stats.EntryCount]
    unanswered: list[stats.UnansweredQuestion]  # every group, most asked first
    groups: list[stats.GroupQuiz]
    channels: list[stats.ChannelCounts] = field(default_factory=list)  # most questions first
    undelivered: int = 0
    # chat id → the group's title as Telegram last gave it (bot.quiz.titles); groups without
    # one are called 群 1, 群 2, … (`group_names`).
    titles: dict[int, str] = field(default_factory=dict)
    # Live hall games (bot.live): the totals and one row per game.
    live: stats.LiveStats = field(default_factory=stats.LiveStats)
    live_games: list[stats.LiveGameRow] = field(default_factory=list)

    @property
    def group_names(self) -> dict[int, str]:
        """chat id → how the page calls each group."""
        from bot.report.charts import group_names

        return group_names(self.groups, self.titles)

    @property
    def empty(self) -> bool:
        return (
            self.overview.questions == 0
            and not self.groups
            and self.overview.practice.answers == 0
            and not self.live_games
        )

    @property
    def unanswered_total(self) -> int:
        """Questions (not groups) the bot could not answer."""
        return sum(q.count for q in self.unanswered)


async def collect(
    db: Database,
    period: stats.Period = stats.ALL_TIME,
    titles: dict[str, str] | None = None,
    *,
    now: datetime | None = None,
) -> ReportData:
    """Read the report's numbers from the database."""
    from bot.quiz.titles import chat_titles
    from bot.storage.models import utcnow

    groups = await stats.quiz_groups(db, period)
    return ReportData(
        period=period,
        generated_at=now or utcnow(),
        overview=await stats.overview(db, period),
        per_day=await stats.questions_per_day(db, period),
        top_entries=await stats.top_entries(db, TOP_ENTRIES, period, titles),
        unanswered=await stats.unanswered(db, None, period),
        groups=groups,
        channels=await stats.channel_counts(db, period),
        undelivered=await stats.undelivered(db, period),
        titles=await chat_titles(db, [g.chat_id for g in groups]),
        live=await stats.live_stats(db, period),
        live_games=await stats.live_games(db, period),
    )


def build_report(data: ReportData, font: CjkFont) -> str:
    """The HTML page for `data`, charts drawn with `font`."""
    from bot.report.page import render_page

    return render_page(data, font)


def _open_database(url: str) -> Database:
    try:
        return Database(url)  # an SQLite file's directory is created here
    except OSError as exc:
        raise ReportError(f"cannot create the database: {exc.strerror or exc}") from exc
    except Exception as exc:  # a malformed URL or unknown scheme
        raise ReportError(f"bad database URL: {exc}") from exc


async def _read(url: str, period: stats.Period, titles: dict[str, str]) -> ReportData:
    db = _open_database(url)
    try:
        # A new database is created, an older one upgraded: then every table is there and
        # whatever holds nothing yet reads as empty.
        await db.migrate()
        return await collect(db, period, titles)
    except (SQLAlchemyError, OSError, MigrationError) as exc:
        raise ReportError(f"cannot read the database {db!r}: {exc}") from exc
    finally:
        await db.dispose()


def write_report(
    database_url: str,
    out_path: str | os.PathLike[str],
    since: date | None = None,
    until: date | None = None,
    *,
    knowledge: Path | str | None = None,
) -> str:
    """Write the report of the database at `database_url` to `out_path`; return a summary.

    `since`/`until` are UTC days, both inclusive. Entry titles come from the knowledge
    directory (`knowledge`, default BOT_KNOWLEDGE_DIR or ./knowledge). A database that does
    not exist yet is created (the report is then empty). Raises ReportError when no CJK font
    is installed, the database cannot be opened or read, or the period is reversed.
    """
    try:
        period = stats.Period(since, until)
    except ValueError as exc:
        raise ReportError(str(exc)) from exc
    try:
        font = find_cjk_font()
    except NoCjkFont as exc:
        raise ReportError(str(exc)) from exc
    data = asyncio.run(_read(database_url, period, stats.knowledge_titles(knowledge)))
    page = build_report(data, font)
    out = Path(out_path)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        # Write beside the target and rename: a reader never sees half a page.
        fd, tmp = tempfile.mkstemp(prefix=f".{out.name}.", dir=out.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(page)
            os.chmod(tmp, 0o644)
            os.replace(tmp, out)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except OSError as exc:
        raise ReportError(f"cannot write {out}: {exc.strerror or exc}") from exc
    return summary(data)


def summary(data: ReportData) -> str:
    """One line for the terminal."""
    o = data.overview
    if data.empty:
        return f"no data in period {data.period}"
    return (
        f"{o.questions} questions from {o.askers} users "
        f"({o.kinds['answer']} answered, {o.kinds['clarify']} clarified, "
        f"{o.kinds['fallback']} unanswered, {len(data.unanswered)} distinct); "
        f"{o.rounds} quiz rounds in {o.groups} groups, {o.participants} participants"
        + (
            f"; {data.live.games} live games, {data.live.players} players"
            if data.live.games
            else ""
        )
    )
