"""Quiz answers on disk before Telegram is told they arrived.

Telegram forgets an update once a getUpdates call acknowledges it (the offset moves past
it), and a poll answer is never sent again. The bot could crash between that acknowledgement
and writing the answer to the database, losing the answer for good. So every poll answer a
getUpdates response carries is appended to a journal file and flushed to disk (fsync) before
the response reaches PTB, whose next call is what acknowledges it. At start-up the journal
is replayed — answers already stored are refused by the database as duplicates, so nothing
counts twice — and entries whose answers are stored are dropped.

Long polling only: with a webhook, Telegram is acknowledged by the HTTP reply to its call.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from telegram.request import HTTPXRequest

from bot.settings import Settings

_LOGGER = logging.getLogger(__name__)

DEFAULT_PATH = Path("data") / "quiz-answers.jsonl"


@dataclass(frozen=True)
class JournalEntry:
    """One poll answer as received: enough to score it again after a crash."""

    update_id: int
    poll_id: str
    user_id: int
    name: str
    option_ids: tuple[int, ...]
    received_at: float  # Unix time the getUpdates response arrived


def journal_path() -> Path:
    """BOT_QUIZ_JOURNAL, or data/quiz-answers.jsonl beside the default database."""
    return Settings.from_env().quiz_journal


class AnswerJournal:
    """An append-only file of poll answers, compacted once their answers are stored."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        self._lock = threading.Lock()
        self._done: set[int] = set()

    def record_response(self, payload: bytes) -> int:
        """Append the poll answers of a getUpdates response; returns how many (fsync'd)."""
        try:
            data = json.loads(payload)
        except ValueError:
            return 0
        now = time.time()
        lines = []
        for update in data.get("result") or () if isinstance(data, dict) else ():
            entry = _entry(update, now)
            if entry is not None:
                lines.append(json.dumps(entry.__dict__, ensure_ascii=False))
        if not lines:
            return 0
        with self._lock:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with self.path.open("a", encoding="utf-8") as out:
                out.write("\n".join(lines) + "\n")
                out.flush()
                os.fsync(out.fileno())
        return len(lines)

    def entries(self) -> list[JournalEntry]:
        """Every entry on disk not yet marked stored, oldest first (bad lines skipped)."""
        if not self.path.exists():
            return []
        found: dict[int, JournalEntry] = {}
        with self._lock:
            text = self.path.read_text(encoding="utf-8", errors="replace")
        for line in text.splitlines():
            try:
                raw = json.loads(line)
                entry = JournalEntry(
                    int(raw["update_id"]),
                    str(raw["poll_id"]),
                    int(raw["user_id"]),
                    str(raw.get("name", "")),
                    tuple(int(o) for o in raw["option_ids"]),
                    float(raw["received_at"]),
                )
            except (ValueError, KeyError, TypeError):
                continue  # a line cut short by a crash mid-write
            if entry.update_id not in self._done:
                found[entry.update_id] = entry
        return list(found.values())

    def stored(self, update_id: int) -> None:
        """The answer of this update is in the database: its entry may go."""
        self._done.add(update_id)

    def backlog(self) -> int:
        """Entries marked stored but still in the file."""
        return len(self._done)

    def compact(self) -> None:
        """Rewrite the file with the entries whose answers are not stored yet (atomically)."""
        pending = self.entries()
        with self._lock:
            if not self.path.exists():
                return
            temporary = self.path.with_suffix(".tmp")
            with temporary.open("w", encoding="utf-8") as out:
                for entry in pending:
                    out.write(json.dumps(entry.__dict__, ensure_ascii=False) + "\n")
                out.flush()
                os.fsync(out.fileno())
            os.replace(temporary, self.path)
            self._done.clear()


def _entry(update: Any, now: float) -> JournalEntry | None:
    if not isinstance(update, dict) or not isinstance(update.get("poll_answer"), dict):
        return None
    answer = update["poll_answer"]
    user = answer.get("user")
    if not isinstance(user, dict) or "id" not in user:
        return None  # an anonymous admin voting as the chat: nobody to score
    with contextlib.suppress(KeyError, TypeError, ValueError):
        name = " ".join(p for p in (user.get("first_name"), user.get("last_name")) if p)
        return JournalEntry(
            int(update["update_id"]),
            str(answer["poll_id"]),
            int(user["id"]),
            name or str(user.get("username") or ""),
            tuple(int(o) for o in answer.get("option_ids") or ()),
            now,
        )
    return None


class JournaledRequest(HTTPXRequest):
    """PTB's HTTP client for getUpdates, journaling poll answers before returning them."""

    def __init__(self, journal: AnswerJournal, **options: Any) -> None:
        super().__init__(**options)
        self.journal = journal

    async def do_request(
        self, url: str, method: str, *args: Any, **kwargs: Any
    ) -> tuple[int, bytes]:
        code, payload = await super().do_request(url, method, *args, **kwargs)
        if code == 200 and url.rstrip("/").endswith("getUpdates"):
            self.journal.record_response(payload)  # on disk before PTB can acknowledge it
        return code, payload
