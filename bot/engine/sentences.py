"""Answers held by one sentence of the material rather than a whole passage.

A fill-in question names the words of a sentence and asks what follows each (解读第三点开头
那句，要完善啥、推动啥、促进啥): the sentence holding every one of those words, in order, is
the answer, whatever the passage around it scores. Retrieval weighs the named words little
(several common verbs), so the passage ranks low or ties; the words' order in one sentence is
the evidence instead.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Sequence

from bot.engine.fit import SENTENCE
from bot.knowledge.model import Entry, KnowledgeBase

# A slot to fill: 啥, 什么, or a blank (拓宽__、丰富__; 拓宽（ ）; 拓宽……).
_BLANK = r"(?:啥|什么|_{2,}|\(\s*\)|\.{3,})"
# Two or more slots in a run: 完善啥、推动啥、促进啥 / 掀起什么，营造什么.
_RUN = re.compile(rf"(?:[\u4e00-\u9fff]{{1,8}}?{_BLANK}[、，,和及]?){{2,}}")
_SLOT = re.compile(rf"([\u4e00-\u9fff]{{1,8}}?){_BLANK}")
# A cue shorter than this (要, 是, 干) names nothing of the sentence.
MIN_CUE = 2
# Restating entries (a duty is the plan's words under its subject) come last, so the
# original passage is the one cited.
_RESTATING = ("duty",)


def campaign_sentences(
    kb: KnowledgeBase, within: frozenset[str] = frozenset()
) -> Iterator[tuple[str, Entry]]:
    """Every sentence of the campaign material (not an imported law's articles, sections or
    contacts) with its entry, restating entries last; `within`: only those documents."""
    entries = [
        e
        for e in kb.entries.values()
        if e.law is None
        and e.kind not in ("section", "contact")
        and (not within or e.source in within)
    ]
    entries.sort(key=lambda e: e.kind in _RESTATING)
    for entry in entries:
        for raw in SENTENCE.findall(entry.text):
            if raw.strip():
                yield raw.strip(), entry


def distinct(pairs: Iterable[tuple[str, Entry]]) -> list[tuple[str, Entry]]:
    """Each sentence once, with the first entry holding it: one inside another (a carved
    part, a duty restating half of it) shows as the longer."""
    found: list[tuple[str, Entry]] = []
    for sentence, entry in pairs:
        if any(sentence in s for s, _ in found):
            continue
        found = [(s, e) for s, e in found if s not in sentence]
        found.append((sentence, entry))
    return found


def fill_cues(text: str, cut: Callable[[str], list[str]]) -> list[str]:
    """The words a fill-in question (cleaned: half-width) names before each slot of its
    longest run of slots (two or more, all different); empty when it has no such run or a
    slot names no word (企业负责什么、高校负责什么 names 负责 twice: the subjects differ)."""
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
    return cues if len(cues) >= 2 and len(set(cues)) == len(cues) else []


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
    """The one sentence of the campaign material holding every cue in order, and its entry
    (the best ranked holding it, else the first); None when no sentence, or more than one
    different sentence, holds them."""
    if len(cues) < 2:
        return None
    found = distinct((s, e) for s, e in campaign_sentences(kb) if _in_order(s, cues))
    if len(found) != 1:
        return None
    sentence, entry = found[0]
    return next((r for r in ranked if sentence in r.text), entry), sentence
