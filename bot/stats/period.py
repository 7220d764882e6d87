"""Periods and UTC days, and reading dates and times back from SQL aggregates."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import ColumnElement, func

from bot.storage import Database

# The longest span `questions_per_day` fills with zero days (ten years).
MAX_DAYS = 3660


@dataclass(frozen=True)
class Period:
    """UTC days from `since` to `until`, both included; None leaves that side open."""

    since: date | None = None
    until: date | None = None

    def __post_init__(self) -> None:
        if self.since and self.until and self.since > self.until:
            raise ValueError(f"since ({self.since}) is after until ({self.until})")

    @property
    def start(self) -> datetime | None:
        return day_start(self.since) if self.since else None

    @property
    def end(self) -> datetime | None:
        """The first moment after the period (exclusive)."""
        return day_start(self.until + timedelta(days=1)) if self.until else None

    @property
    def unbounded(self) -> bool:
        """Neither side is bounded (all time)."""
        return self.since is None and self.until is None

    def conditions(self, column: Any) -> list[ColumnElement[bool]]:
        out: list[ColumnElement[bool]] = []
        if self.start is not None:
            out.append(column >= self.start)
        if self.end is not None:
            out.append(column < self.end)
        return out

    def to_json(self) -> dict[str, str | None]:
        return {
            "since": self.since.isoformat() if self.since else None,
            "until": self.until.isoformat() if self.until else None,
        }

    def __str__(self) -> str:
        if self.unbounded:
            return "全部"
        return f"{self.since or '…'} 至 {self.until or '…'}"


ALL_TIME = Period()


def day_start(day: date) -> datetime:
    """00:00 UTC of a day."""
    return datetime.combine(day, time(0), tzinfo=UTC)


def utc_day(moment: datetime) -> date:
    return moment.astimezone(UTC).date()


def day_expression(db: Database, column: Any) -> Any:
    """The UTC day of a timestamp column as SQL: stored UTC text on SQLite, timestamptz on
    PostgreSQL."""
    if db.is_sqlite:
        return func.date(column)
    return func.date(func.timezone("UTC", column))


def as_date(value: Any) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def as_utc(value: Any) -> datetime:
    """Aggregates (min/max) bypass UtcDateTime on SQLite: parse and mark them UTC."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)
