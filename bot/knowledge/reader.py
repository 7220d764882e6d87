"""Typed, problem-recording access to the YAML mappings of a knowledge directory."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from bot.knowledge.problems import Problem
from bot.knowledge.yamlio import line_of

ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.:-]*$")


class Reader:
    """Typed field access on one YAML mapping that records problems instead of raising."""

    def __init__(self, node: dict[str, Any], file: str, problems: list[Problem]) -> None:
        self.node = node
        self.file = file
        self.line = line_of(node)
        self.problems = problems

    def problem(self, message: str) -> None:
        self.problems.append(Problem(self.file, self.line, message))

    def text(self, key: str, *, required: bool = True) -> str | None:
        value = self.node.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                self.problem(f"missing required field '{key}'")
            return None
        if isinstance(value, (bool, dict | list)):
            self.problem(f"field '{key}' must be text, not {type(value).__name__}")
            return None
        return str(value).strip()

    def integer(self, key: str, *, required: bool = True) -> int | None:
        value = self.node.get(key)
        if value is None:
            if required:
                self.problem(f"missing required field '{key}'")
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            self.problem(f"field '{key}' must be an integer")
            return None
        return value

    def texts(self, key: str) -> tuple[str, ...]:
        value = self.node.get(key)
        if value is None:
            return ()
        if isinstance(value, str):
            return (value.strip(),)
        if not isinstance(value, list) or any(isinstance(v, dict | list) for v in value):
            self.problem(f"field '{key}' must be a list of text")
            return ()
        return tuple(str(v).strip() for v in value if v is not None and str(v).strip())

    def ident(self, key: str = "id") -> str | None:
        value = self.text(key)
        if value is not None and not ID_PATTERN.match(value):
            self.problem(f"'{key}' {value!r} may only hold letters, digits and _ . : -")
            return None
        return value


def items_of(data: Any, key: str, file: str, problems: list[Problem]) -> list[dict[str, Any]]:
    """The list under `key` of a top-level mapping, keeping only mappings."""
    if data is None:
        return []
    if not isinstance(data, dict):
        problems.append(Problem(file, 1, f"top level must be a mapping with '{key}:'"))
        return []
    items = data.get(key)
    if items is None:
        return []
    if not isinstance(items, list):
        problems.append(Problem(file, line_of(data), f"'{key}' must be a list"))
        return []
    good = []
    for item in items:
        if isinstance(item, dict):
            good.append(item)
        else:
            problems.append(
                Problem(file, line_of(data), f"every item of '{key}' must be a mapping")
            )
    return good


def word_list(path: Path) -> list[str]:
    """A one-word-a-line text file; `#` starts a comment."""
    words = []
    for raw in path.read_text(encoding="utf-8-sig").splitlines():
        line = raw.split("#", 1)[0].strip()
        if line:
            words.append(line)
    return words
