"""A problem found in a data file, always with the file and line a person must fix."""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    """One validation problem; prints as `file:line: message` like a compiler error."""

    file: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}"


def checked_regex(
    raw: object, file: str, line: int, problems: list[Problem], label: str = ""
) -> re.Pattern[str] | None:
    """`raw` compiled as a regular expression; None, with a problem at the file and line
    (after `label`, when given), when it is not one."""
    try:
        return re.compile(str(raw))
    except re.error as exc:
        problems.append(Problem(file, line, f"{label}bad regex {raw!r}: {exc}"))
        return None
