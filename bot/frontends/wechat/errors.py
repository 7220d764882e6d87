"""A callback refused: its HTTP status and a reason for the log (never sent in detail)."""

from __future__ import annotations


class Refused(Exception):
    """The request is not a genuine, fresh, well-formed WeChat callback."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason
