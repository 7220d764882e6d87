"""Each asker's previous question, so a follow-up (那高校呢) is read with it.

The engine keeps no conversation; this remembers, per channel, user and conversation, the
last question answered (as the engine read it), and the one before it (回到刚才那个…), for
ten minutes, in memory: a restart or another replica forgets them, and a follow-up is then
answered on its own, as before. Only the question text is kept, keyed by the platform's
ids, never written anywhere, and dropped once too old.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable

from bot.app.incoming import Incoming
from bot.engine import Reply
from bot.engine.normalize import MAX_QUESTION_CHARS

# How many askers are remembered; the least recent is forgotten first.
MAX_ASKERS = 10_000
# Seconds after which a previous question no longer frames the next one.
FOLLOW_UP_SECONDS = 600.0
# Where a message stands on its own: an inline query is no turn of a conversation.
NOT_CONVERSATIONS = ("inline",)


class Conversations:
    """The last question of each recent asker (thread-safe: the web API answers on threads)."""

    def __init__(
        self,
        max_askers: int = MAX_ASKERS,
        seconds: float = FOLLOW_UP_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.max_askers = max_askers
        self.seconds = seconds
        self.clock = clock
        # Per asker: when, the last question as read, and the one before it ("" if none).
        self._last: OrderedDict[tuple[str, str, str], tuple[float, str, str]] = OrderedDict()
        self._lock = threading.Lock()

    @staticmethod
    def _key(incoming: Incoming) -> tuple[str, str, str] | None:
        """Per channel, user and conversation: a question asked in a private chat never
        frames (nor shows in the note of) a reply in a group."""
        if incoming.user is None or incoming.chat_type in NOT_CONVERSATIONS:
            return None
        chat = incoming.chat_type if incoming.chat is None else str(incoming.chat)
        return incoming.channel, str(incoming.user), chat

    def previous(self, incoming: Incoming) -> str | None:
        """The asker's last question, if recent enough to frame this one."""
        found = self._found(incoming)
        return None if found is None else found[1]

    def earlier(self, incoming: Incoming) -> str | None:
        """The asker's question before the last one, if any and recent enough."""
        found = self._found(incoming)
        return found[2] or None if found is not None else None

    def _found(self, incoming: Incoming) -> tuple[float, str, str] | None:
        key = self._key(incoming)
        if key is None:
            return None
        now = self.clock()
        with self._lock:
            found = self._last.get(key)
            if found is not None and now - found[0] > self.seconds:
                del self._last[key]  # forgotten once too old, not only when crowded out
                found = None
        return found

    def remember(self, incoming: Incoming, reply: Reply) -> None:
        """Keep the question as it was read (高校有什么职责 for 那高校呢); small talk and empty
        messages leave the last question in place."""
        key = self._key(incoming)
        text = incoming.text
        if key is None or reply.kind == "smalltalk" or not text.strip():
            return
        if len(text) > MAX_QUESTION_CHARS:
            return
        now = self.clock()
        with self._lock:
            before = self._last.get(key)
            kept = before[1] if before is not None and now - before[0] <= self.seconds else ""
            self._last[key] = (now, reply.read_as or text, kept)
            self._last.move_to_end(key)
            # Oldest first: drop those too old to frame anything, then any beyond the bound.
            while self._last:
                first = next(iter(self._last.values()))
                if now - first[0] <= self.seconds and len(self._last) <= self.max_askers:
                    break
                self._last.popitem(last=False)

    def __len__(self) -> int:
        return len(self._last)
