"""What the channel remembers between two messages of one user, in memory, briefly.

A passive reply cannot carry buttons, so a user picks a suggestion by replying with its
number and answers a practice question by replying with a letter: the channel keeps the
suggestions it offered and the practice question it asked, per user, until they are used or
expire. Users are known here only by the keyed hash of their id (as in the database); the
store holds at most `capacity` users and forgets the least recently active beyond that. A
restart forgets everything, which costs a user one "reply with the number" at most.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

# Suggestions can be picked for this long after they were offered.
SUGGESTIONS_TTL = 10 * 60
# A practice question can be answered for this long after it was asked.
PRACTICE_TTL = 30 * 60
# Users remembered at most (the least recently active are forgotten first).
CAPACITY = 20_000


@dataclass(frozen=True)
class Offered:
    """Suggestions offered for `question`: their entry ids, in the order they were numbered."""

    question: str
    entries: tuple[str, ...]
    at: float


@dataclass(frozen=True)
class Asked:
    """A practice question sent as `poll_id` with `options` options (A, B, …)."""

    poll_id: str
    options: int
    at: float


@dataclass
class _State:
    offered: Offered | None = None
    asked: Asked | None = None


class DialogueStore:
    """Pending suggestions and practice questions per user hash; expiring and bounded."""

    def __init__(
        self,
        *,
        capacity: int = CAPACITY,
        suggestions_ttl: float = SUGGESTIONS_TTL,
        practice_ttl: float = PRACTICE_TTL,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.capacity = capacity
        self.suggestions_ttl = suggestions_ttl
        self.practice_ttl = practice_ttl
        self.clock = clock
        self._users: OrderedDict[str, _State] = OrderedDict()

    def __len__(self) -> int:
        return len(self._users)

    def _state(self, user: str) -> _State:
        state = self._users.get(user)
        if state is None:
            state = self._users[user] = _State()
            while len(self._users) > self.capacity:
                self._users.popitem(last=False)
        else:
            self._users.move_to_end(user)
        return state

    def _drop_if_empty(self, user: str) -> None:
        state = self._users.get(user)
        if state is not None and state.offered is None and state.asked is None:
            del self._users[user]

    # -- suggestions ------------------------------------------------------------------------

    def offer(self, user: str, question: str, entries: tuple[str, ...]) -> None:
        """Remember the numbered suggestions just sent (replacing any earlier ones)."""
        self._state(user).offered = Offered(question, entries, self.clock())

    def offered(self, user: str) -> Offered | None:
        """The user's suggestions, unless they expired."""
        state = self._users.get(user)
        if state is None or state.offered is None:
            return None
        if self.clock() - state.offered.at > self.suggestions_ttl:
            state.offered = None
            self._drop_if_empty(user)
            return None
        return state.offered

    def clear_offer(self, user: str) -> None:
        state = self._users.get(user)
        if state is not None:
            state.offered = None
            self._drop_if_empty(user)

    # -- practice ---------------------------------------------------------------------------

    def ask(self, user: str, poll_id: str, options: int) -> None:
        """Remember the practice question just sent."""
        self._state(user).asked = Asked(poll_id, options, self.clock())

    def asked(self, user: str) -> Asked | None:
        """The user's open practice question, unless it expired."""
        state = self._users.get(user)
        if state is None or state.asked is None:
            return None
        if self.clock() - state.asked.at > self.practice_ttl:
            state.asked = None
            self._drop_if_empty(user)
            return None
        return state.asked

    def stop_practice(self, user: str) -> bool:
        """Forget the user's practice question; True when there was one."""
        had = self.asked(user) is not None
        state = self._users.get(user)
        if state is not None:
            state.asked = None
            self._drop_if_empty(user)
        return had

    def forget(self, user: str) -> None:
        """Everything about the user (they unfollowed)."""
        self._users.pop(user, None)
