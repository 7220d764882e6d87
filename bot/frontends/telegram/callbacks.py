"""Compact, signed callback data for inline buttons.

Telegram gives a button at most 64 bytes of callback data, and a client can send any bytes it
likes back, so data is `<action>|<index>|<mac>`: an action letter, an index into a sorted
table (entries, contacts or example questions), and 12 hex digits of an HMAC-SHA256 over the
first two parts. The HMAC key mixes the bot token (which users never see) with a fingerprint
of the tables, so forged data fails the check, and buttons sent before the knowledge base
changed (their indexes may now point elsewhere) fail it too instead of answering the wrong
thing. `decode` returns None for anything it does not accept; it never raises.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

MAX_CALLBACK_BYTES = 64
MAC_HEX_DIGITS = 12


class Action(StrEnum):
    """What pressing a button does; the value is the letter stored in the data."""

    PASSAGE = "v"  # show the full cited passage (查看原文) of an entry
    SUGGESTION = "s"  # answer with an entry chosen from a clarify reply
    CONTACT = "c"  # send a contact's text card and Telegram contact card
    CALL = "p"  # send a contact's Telegram contact card (its phone a tap to call)
    EXAMPLE = "q"  # ask one of the /start example questions


@dataclass(frozen=True)
class Button:
    """A decoded, verified press: the action and the entry id, contact id or question."""

    action: Action
    target: str


class CallbackCodec:
    """Encodes (action, target) as signed callback data and decodes it back."""

    def __init__(
        self,
        entry_ids: Sequence[str],
        contact_ids: Sequence[str],
        examples: Sequence[str],
        secret: str,
    ) -> None:
        self._tables: dict[Action, list[str]] = {
            Action.PASSAGE: sorted(entry_ids),
            Action.SUGGESTION: sorted(entry_ids),
            Action.CONTACT: sorted(contact_ids),
            Action.CALL: sorted(contact_ids),
            Action.EXAMPLE: list(examples),
        }
        self._index = {
            action: {target: i for i, target in enumerate(table)}
            for action, table in self._tables.items()
        }
        fingerprint = hashlib.sha256()
        for action in Action:
            fingerprint.update(action.value.encode())
            for target in self._tables[action]:
                fingerprint.update(b"\0" + target.encode("utf-8"))
        self._key = hmac.new(
            secret.encode("utf-8"), b"callback-data:" + fingerprint.digest(), hashlib.sha256
        ).digest()

    def _mac(self, payload: str) -> str:
        digest = hmac.new(self._key, payload.encode("ascii"), hashlib.sha256).hexdigest()
        return digest[:MAC_HEX_DIGITS]

    def pack(self, action: Action, index: int) -> str:
        """Signed data for a raw index (tests use it to forge out-of-range data)."""
        payload = f"{action.value}|{index}"
        return f"{payload}|{self._mac(payload)}"

    def encode(self, action: Action, target: str) -> str:
        """Callback data for a target in the action's table; KeyError if it is not there."""
        data = self.pack(action, self._index[action][target])
        assert len(data.encode()) <= MAX_CALLBACK_BYTES
        return data

    def decode(self, data: object) -> Button | None:
        """The button behind `data`, or None when it is malformed, forged or stale."""
        if not isinstance(data, str) or len(data) > MAX_CALLBACK_BYTES or not data.isascii():
            return None
        parts = data.split("|")
        if len(parts) != 3:
            return None
        letter, number, mac = parts
        if not hmac.compare_digest(mac, self._mac(f"{letter}|{number}")):
            return None
        try:
            action = Action(letter)
        except ValueError:
            return None
        if not number.isdigit():
            return None
        table = self._tables[action]
        index = int(number)
        if index >= len(table):
            return None
        return Button(action, table[index])
