"""Input-method slips the sound of a term cannot find (条例一共几张, 条列), mended in the
context that gives them away before anything else reads a question: the `slips:` data of
intents/rules.yaml. Sound-alike terms are bot/engine/pinyin.py's job.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from bot.knowledge.problems import Problem, checked_regex
from bot.knowledge.yamlio import line_of
from bot.numerals import arabize_ordinals


@dataclass(frozen=True)
class Slip:
    """One slip: `pattern` becomes `to`, only in a message `when` finds something in (张 is
    章 only where the law is asked about: 宣传海报一共几张 keeps its 张)."""

    pattern: re.Pattern[str]
    to: str
    when: re.Pattern[str] | None = None

    def mend(self, text: str) -> str:
        if self.when is not None and not self.when.search(text):
            return text
        return self.pattern.sub(self.to, text)


def mend(text: str, slips: Sequence[Slip]) -> str:
    """The text with every slip mended; places written as clean() writes them (第五张 → 第五章
    → 第5章)."""
    out = text
    for slip in slips:
        out = slip.mend(out)
    return arabize_ordinals(out) if out != text else out


def read_slips(raw: Any, file: str, line: int, problems: list[Problem]) -> list[Slip]:
    """The `slips:` list of an intents file: mappings of `pattern`, `to` and optional
    `when`, each a regex but `to`; problems by file and line."""
    if not isinstance(raw, list):
        problems.append(Problem(file, line, "'slips' must be a list"))
        return []
    slips = []
    for node in raw:
        at = line_of(node) if isinstance(node, dict) else line
        if not isinstance(node, dict) or not node.get("pattern") or node.get("to") is None:
            problems.append(Problem(file, at, "a slip needs 'pattern' and 'to'"))
            continue
        raw_when = node.get("when")
        pattern = checked_regex(node["pattern"], file, at, problems, "slip: ")
        when = checked_regex(raw_when, file, at, problems, "slip: ") if raw_when else None
        if pattern is not None and (when is not None or not raw_when):
            slips.append(Slip(pattern, str(node["to"]), when))
    return slips
