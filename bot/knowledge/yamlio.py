"""YAML reading that remembers the line of every mapping, so problems can name it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from bot.knowledge.problems import Problem

LINE_KEY = "__line__"


# libyaml's parser when PyYAML was built with it: a knowledge base of several laws loads
# several times faster. Construction (and so the line bookkeeping) stays in Python.
_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _LineLoader(_BaseLoader):  # type: ignore[misc, valid-type]
    """SafeLoader that stores each mapping's 1-based start line under LINE_KEY."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        mapping = super().construct_mapping(node, deep=deep)
        mapping[LINE_KEY] = node.start_mark.line + 1
        return mapping


# Dates stay strings: "2023-09-28" is shown to users as written, never re-formatted.
_LineLoader.yaml_implicit_resolvers = {
    key: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for key, resolvers in _BaseLoader.yaml_implicit_resolvers.items()
}


def line_of(node: Any, default: int = 1) -> int:
    """The line a mapping started on, or `default` for scalars and lists."""
    if isinstance(node, dict):
        return int(node.get(LINE_KEY, default))
    return default


def read_yaml(path: Path, display: str) -> tuple[Any, list[Problem]]:
    """Parse one file; a syntax error becomes a Problem naming its line instead of a traceback."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        return None, [Problem(display, 1, f"not valid UTF-8 ({exc.reason})")]
    except OSError as exc:
        return None, [Problem(display, 1, f"cannot read file: {exc.strerror}")]
    try:
        return yaml.load(text, Loader=_LineLoader), []
    except yaml.MarkedYAMLError as exc:
        return None, [syntax_problem(display, exc)]
    except yaml.YAMLError as exc:
        return None, [Problem(display, 1, f"YAML error: {exc}")]


def syntax_problem(display: str, exc: yaml.MarkedYAMLError) -> Problem:
    """A syntax error at the line where the broken construct starts (an unclosed `[` three
    lines up), naming the line where the parser noticed, when the parser says both."""
    problem, context = exc.problem_mark, exc.context_mark
    reason = exc.problem or exc.context or "invalid YAML"
    if context is not None and problem is not None and context.line < problem.line:
        detail = f"{exc.context} (line {context.line + 1}): {reason} (line {problem.line + 1})"
        return Problem(display, context.line + 1, f"YAML syntax error: {detail}")
    mark = problem or context
    return Problem(display, mark.line + 1 if mark else 1, f"YAML syntax error: {reason}")


def strip_lines(node: Any) -> Any:
    """A copy without the LINE_KEY bookkeeping, for writing data back out."""
    if isinstance(node, dict):
        return {k: strip_lines(v) for k, v in node.items() if k != LINE_KEY}
    if isinstance(node, list):
        return [strip_lines(v) for v in node]
    return node
