"""Answers held by one sentence of the material rather than a whole passage.

A fill-in question names the words of a sentence and asks what follows each (解读第三点开头
那句，要完善啥、推动啥、促进啥): the sentence holding every one of those words, in order, is
the answer, whatever the passage around it scores. Retrieval weighs the named words little
(several common verbs), so the passage ranks low or ties; the words' order in one sentence is
the evidence instead.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from bot.engine.fit import SENTENCE
from bot.knowledge.model import Entry, KnowledgeBase

# A slot to fill: 啥, 什么, or a blank (拓宽__、丰富__; 拓宽（ ）; 拓宽……).
_BLANK = r"(?:啥|什么|_{2,}|\(\s*\)|\.{3,})"
# Two or more slots in a run: 完善啥、推动啥、促进啥 / 掀起什么，营造什么.
_RUN = re.compile(rf"(?:[\u4e00-\u9fff]{{1,8}}?{_BLANK}[、，,和及]?){{2,}}")
_SLOT = re.compile(rf"([\u4e00-\u9fff]{{1,8}}?){_BLANK}")
# A cue shorter than this (要, 是, 干) names nothing of the sentence.
MIN_CUE = 2
# Restating entries (a duty is the plan's words under its subject) are searched last, so
# the original passage is the one cited.
_RESTATING = ("duty",)


def fill_cues(text: str, cut: Callable[[str], list[str]]) -> list[str]:
    """The words a fill-in question (cleaned: half-width) names before each slot of its
    longest run of slots (two or more); empty when it has no such run or a slot names no
    word."""
    runs = [m.group(0) for m in _RUN.finditer(text)]
    if not runs:
        return []
    run = max(runs, key=len)
    cues = []
    for segment in _SLOT.findall(run):
        words = [w for w in cut(segment) if w.strip()]
        if not words or len(words[-1]) < MIN_CUE:
            return []
        cues.append(words[-1])
    return cues if len(cues) >= 2 else []


def _in_order(sentence: str, cues: Sequence[str]) -> bool:
    at = 0
    for cue in cues:
        at = sentence.find(cue, at)
        if at < 0:
            return False
        at += len(cue)
    return True


def filled(
    kb: KnowledgeBase, ranked: Sequence[Entry], cues: Sequence[str]
) -> tuple[Entry, str] | None:
    """The sentence holding every cue in order, and its entry: searched in the ranked
    entries first, then in the rest of the campaign material (not an imported law's
    articles); None when no sentence, or more than one unrelated sentence, holds them."""
    if len(cues) < 2:
        return None
    rest = sorted(
        (e for e in kb.entries.values() if e.law is None and e.kind not in ("section", "contact")),
        key=lambda e: e.kind in _RESTATING,
    )
    found: list[tuple[Entry, str]] = []
    for entry in [*ranked, *rest]:
        for raw in SENTENCE.findall(entry.text):
            sentence = raw.strip()
            if _in_order(sentence, cues) and all(sentence != s for _, s in found):
                found.append((entry, sentence))
    return found[0] if len(found) == 1 else None
