"""A live game as the service reads it: an immutable snapshot of its row, and the pure rules
of its phases, PINs, tokens and nicknames (no database, no clock of its own).

Phases, as players and the host screen see them:

* `lobby` — players join; nothing asked yet;
* `question` — the current question is open until its deadline (or paused: the clock stops);
* `reveal` — the deadline has passed (or the host closed the question early): the right
  answer, the distribution and the ranking show until the host moves on;
* `finished` — the host ended the game, or moved on after the last question.

The phase is derived from the stored row and the time, so every process (and a restarted
one) agrees on it without a timer of its own.
"""

from __future__ import annotations

import hashlib
import re
import secrets
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Literal

from bot.live.models import PIN_LENGTH, LiveGame

Phase = Literal["lobby", "question", "reveal", "finished"]

# Limits of a game, for the API and the CLI.
MIN_QUESTIONS, MAX_QUESTIONS, DEFAULT_QUESTIONS = 1, 50, 5
MIN_SECONDS, MAX_SECONDS, DEFAULT_SECONDS = 5, 300, 20
MAX_PLAYERS = 2000
NAME_CHARS = 16  # nickname length, in characters
# A player token as the browser proposes it (or the server makes it): URL-safe, long enough.
TOKEN_PATTERN = re.compile(r"[A-Za-z0-9_-]{22,64}")
_PIN_FORMAT = re.compile(rf"[0-9]{{{PIN_LENGTH}}}")


def now_iso(moment: datetime) -> str:
    return moment.isoformat(timespec="milliseconds")


@dataclass(frozen=True)
class Question:
    """One question of a game as shown: options already shuffled, `correct` indexes them."""

    item: str
    text: str
    options: tuple[str, ...]
    correct: int
    source_line: str
    explanation: str

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Question:
        return cls(
            item=str(data["item"]),
            text=str(data["text"]),
            options=tuple(str(o) for o in data["options"]),
            correct=int(data["correct"]),
            source_line=str(data.get("source_line", "")),
            explanation=str(data.get("explanation", "")),
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "item": self.item,
            "text": self.text,
            "options": list(self.options),
            "correct": self.correct,
            "source_line": self.source_line,
            "explanation": self.explanation,
        }


@dataclass(frozen=True)
class Timing:
    opened_at: datetime
    deadline: datetime

    @property
    def seconds(self) -> float:
        return (self.deadline - self.opened_at).total_seconds()


@dataclass(frozen=True)
class GameView:
    """A snapshot of one `live_games` row."""

    id: int
    pin: str
    host_key_hash: str
    status: str  # lobby | running | finished (stored)
    seconds: int
    questions: tuple[Question, ...]
    current: int  # 0-based; -1 before the first question
    timings: tuple[Timing, ...]
    paused_left_ms: int | None
    join_url: str | None
    version: int
    created_at: datetime
    ended_at: datetime | None

    def join_link(self, base: str) -> str:
        """The address given when the game was made, else its players' page at `base`."""
        return self.join_url or join_url(base, self.pin)

    @classmethod
    def of(cls, row: LiveGame) -> GameView:
        return cls(
            id=row.id,
            pin=row.pin,
            host_key_hash=row.host_key_hash,
            status=row.status,
            seconds=row.seconds_per_question,
            questions=tuple(Question.from_json(q) for q in row.questions),
            current=row.current,
            timings=tuple(
                Timing(datetime.fromisoformat(a), datetime.fromisoformat(b))
                for a, b in (row.timings or [])
            ),
            paused_left_ms=row.paused_left_ms,
            join_url=row.join_url,
            version=row.version,
            created_at=row.created_at,
            ended_at=row.ended_at,
        )

    @property
    def total(self) -> int:
        return len(self.questions)

    @property
    def paused(self) -> bool:
        return self.paused_left_ms is not None

    @property
    def question(self) -> Question | None:
        return self.questions[self.current] if 0 <= self.current < self.total else None

    @property
    def timing(self) -> Timing | None:
        return self.timings[self.current] if 0 <= self.current < len(self.timings) else None

    def phase(self, now: datetime) -> Phase:
        if self.status == "finished":
            return "finished"
        if self.status == "lobby" or self.timing is None:
            return "lobby"
        if self.paused or now <= self.timing.deadline:
            return "question"
        return "reveal"

    def closed_count(self, now: datetime) -> int:
        """How many questions are over (their answers final): the ranking counts these."""
        if self.current < 0:
            return 0
        if self.phase(now) == "question":
            return self.current
        return min(self.current + 1, len(self.timings))

    def deadline_of(self, index: int) -> datetime | None:
        return self.timings[index].deadline if 0 <= index < len(self.timings) else None


# -- PINs, keys, tokens, nicknames -------------------------------------------------------------


def new_pin() -> str:
    """Six digits, never starting with 0 (people drop a leading zero)."""
    return str(secrets.randbelow(9 * 10 ** (PIN_LENGTH - 1)) + 10 ** (PIN_LENGTH - 1))


def valid_pin(pin: str) -> bool:
    return bool(_PIN_FORMAT.fullmatch(pin))


def join_url(base: str, pin: str) -> str:
    """The players' page of a game on the server at `base` (what its QR code holds)."""
    return f"{base.rstrip('/')}/live?pin={pin}"


def host_url(base: str, pin: str, host_key: str) -> str:
    """The host screen of a game; the key stays in the fragment (never sent to a server)."""
    return f"{base.rstrip('/')}/live/host/{pin}#key={host_key}"


def new_secret() -> str:
    return secrets.token_urlsafe(24)


def digest(secret: str) -> str:
    """What is stored of a host key or player token (both random, so no salt is needed)."""
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def valid_token(token: str) -> bool:
    return bool(TOKEN_PATTERN.fullmatch(token))


def clean_name(raw: str) -> str:
    """A nickname fit for the big screen: NFKC, no control or format characters, runs of
    spaces as one, at most NAME_CHARS characters; "" when nothing is left."""
    text = unicodedata.normalize("NFKC", raw)
    text = "".join(c for c in text if unicodedata.category(c)[0] not in ("C",) or c == " ")
    text = " ".join(text.split())
    return text[:NAME_CHARS].strip()


def numbered(name: str, n: int) -> str:
    """The n-th taker of a nickname is called `name 2`, `name 3`, …"""
    suffix = f" {n}"
    return name[: NAME_CHARS - len(suffix)].rstrip() + suffix


def resumed_timing(timing: Timing, left_ms: int, now: datetime) -> Timing:
    """The timing of a question resumed at `now` with `left_ms` of its period left: shifted so
    the share of the period left (the speed bonus) goes on from where it was paused."""
    left = timedelta(milliseconds=left_ms)
    period = timing.deadline - timing.opened_at
    return Timing(opened_at=now + left - period, deadline=now + left)
