"""The words premises are read by (bot/engine/premise.py): the `deeds:` and `premises:` data
of intents/rules.yaml — which words do one deed, which clauses check what they say, which
words name no thing. Data, so another domain changes them without code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from bot.engine.days import Bounds
from bot.knowledge.problems import Problem, checked_regex


@dataclass(frozen=True)
class Deeds:
    """Words for one deed (设 is 设立 is 建立), and those that first in a clause are no deed
    (通过全面学习…: by means of)."""

    kin: tuple[tuple[str, ...], ...] = ()
    not_first: frozenset[str] = frozenset()
    # Words around a body's name that are no part of it (由, 咱, 本; 里, 这边).
    not_names: re.Pattern[str] | None = None

    def at(self, verb: str, clause: str) -> int:
        """Where the clause does the deed (the verb or a kin word), or -1."""
        words = next((group for group in self.kin if verb in group), (verb,))
        # One character is no deed of its own in a passage (设 in 建设): its kin words are.
        words = tuple(w for w in words if len(w) > 1) or words
        for word in sorted(words, key=len, reverse=True):
            found = clause.find(word)
            if found == 0 and word in self.not_first:
                found = clause.find(word, 1)
            if found >= 0:
                return found
        return -1


def read_deeds(raw: Any, file: str, problems: list[Problem]) -> Deeds:
    """The `deeds:` mapping: `kin`, lists of words for one deed, and `not_first`."""
    if not isinstance(raw, dict):
        problems.append(Problem(file, 1, "'deeds' must be a mapping"))
        return Deeds()
    kin, not_first = raw.get("kin") or [], raw.get("not_first") or []
    if not isinstance(kin, list) or not all(isinstance(g, list) for g in kin):
        problems.append(Problem(file, 1, "'deeds.kin' must be a list of lists of words"))
        kin = []
    if not isinstance(not_first, list):
        problems.append(Problem(file, 1, "'deeds.not_first' must be a list of words"))
        not_first = []
    not_names = raw.get("not_names")
    pattern = (
        checked_regex(not_names, file, 1, problems, "deeds.not_names: ") if not_names else None
    )
    groups = tuple(tuple(str(w) for w in group) for group in kin)
    return Deeds(groups, frozenset(str(w) for w in not_first), pattern)


@dataclass(frozen=True)
class PremiseWords:
    """Patterns reading premises; each None (the check is off) when the data leaves it out."""

    # A clause checking what it says (…的吧, …对吗): its day is a premise.
    checking: re.Pattern[str] | None = None
    # A message asking whether a thing is among others (…包括进农村吗, 有没有进乡村).
    whether: re.Pattern[str] | None = None
    # Words before a series' shared first character that leave it the item's (有进农村).
    membership: str = ""
    # Words naming no thing of their own (进别的地方, 进哪些单位).
    vague: re.Pattern[str] | None = None
    # Things a message asks whether something includes (group `things`), how they are
    # joined, and words around one that are no part of it (包括在内, 报纸等).
    includes: re.Pattern[str] | None = None
    joiners: re.Pattern[str] | None = None
    not_things: re.Pattern[str] | None = None
    # A message asking whether there is something (有经费补贴吗, 有没有奖金).
    any: re.Pattern[str] | None = None
    # Measures a question may take for granted (罚款, 吊销): one the material never names,
    # in a clause checking it (会被罚款是不是), is said not to be named before the answer.
    measures: re.Pattern[str] | None = None
    # Sweeping words (所有, 一律, 直接): one the material never uses, in a clause checking it
    # (所有授权专利都能拿专利奖吗), is said not to be the material's before the answer.
    sweeping: re.Pattern[str] | None = None
    # Asking whether someone too must do it (社区工作人员是不是也得…: group `who`).
    also: re.Pattern[str] | None = None
    # What a question says a subject must or may do, first after it (国企要开展宣贯吗): a
    # duty someone too may be asked of (乡镇也要吗).
    modal: re.Pattern[str] | None = None
    # The deed a month claimed is of, right after it (十一月施行, 9月印发): the month is
    # checked against the passage's clauses saying that deed, and not at all by a passage
    # saying none (宣贯活动在条例11月施行前就结束了吧: 11月 is the law's, not the schedule's).
    month_deed: re.Pattern[str] | None = None
    # A part of a message asking for something, not claiming it (能把…全部列出来吗).
    requests: re.Pattern[str] | None = None
    # A claim the asker heard (我听说…, 据说…), checked as if it ended with `heard_check`.
    heard: re.Pattern[str] | None = None
    heard_check: str = ""
    # A message ending as a claim, not a question (…的吧, 对不对): a menu of one for it is that
    # passage, when a note says what of the claim the material does not hold.
    asserts: re.Pattern[str] | None = None
    # Words the typo fixer leaves beside a word, as no slip of a term (是政府 is 是 + 政府, not
    # 市政府, which would hide the premise).
    kept_by_fixer: frozenset[str] = frozenset()
    # Words marking a day as an end or a start (到10月30日吧: it must be the span's end).
    day_bounds: Bounds = field(default_factory=Bounds)
    # How a claim is answered yes or no by its ending (…对吧: 对。/不对。; …吗: 是的。/不是。),
    # said before a note showing the material holds otherwise, or a count it holds.
    verdicts: tuple[tuple[re.Pattern[str], str, str], ...] = ()

    def verdict(self, parts: list[str], holds: bool) -> str:
        """The word answering a claim among a message's parts yes (`holds`) or no: by the
        first ending that any part has, so a tag (…对吧) outranks a question after it (…来得
        及吗); empty when no part claims (…呢, 有哪些)."""
        for pattern, yes, no in self.verdicts:
            if any(pattern.search(p.rstrip("？?。!！~～ ")) for p in parts):
                return yes if holds else no
        return ""


_PREMISE_PATTERNS = (
    "checking",
    "whether",
    "vague",
    "includes",
    "joiners",
    "not_things",
    "any",
    "measures",
    "sweeping",
    "also",
    "modal",
    "month_deed",
    "requests",
    "heard",
    "asserts",
)


def read_premise_words(raw: Any, file: str, problems: list[Problem]) -> PremiseWords:
    """The `premises:` mapping; problems by file."""
    if not isinstance(raw, dict):
        problems.append(Problem(file, 1, "'premises' must be a mapping"))
        return PremiseWords()
    found = {
        key: checked_regex(raw[key], file, 1, problems, f"premises.{key}: ")
        for key in _PREMISE_PATTERNS
        if raw.get(key)
    }
    includes = found.get("includes")
    if includes is not None and "things" not in includes.groupindex:
        problems.append(Problem(file, 1, "premises.includes needs the group 'things'"))
        found["includes"] = None
    membership, kept = raw.get("membership") or "", raw.get("kept_by_fixer") or []
    heard_check = raw.get("heard_check") or ""
    if not isinstance(heard_check, str):
        problems.append(Problem(file, 1, "premises.heard_check must be a string"))
        heard_check = ""
    if not isinstance(membership, str):
        problems.append(Problem(file, 1, "premises.membership must be a string of characters"))
        membership = ""
    if not isinstance(kept, list):
        problems.append(Problem(file, 1, "premises.kept_by_fixer must be a list of words"))
        kept = []
    plain = {"membership", "kept_by_fixer", "heard_check", "day_bounds", "verdicts", "__line__"}
    unknown = sorted(set(raw) - {*_PREMISE_PATTERNS, *plain})
    if unknown:
        problems.append(Problem(file, 1, f"premises: unknown key(s) {', '.join(unknown)}"))
    return PremiseWords(
        membership=membership,
        kept_by_fixer=frozenset(map(str, kept)),
        heard_check=heard_check,
        day_bounds=_read_bounds(raw.get("day_bounds"), file, problems),
        verdicts=_read_verdicts(raw.get("verdicts"), file, problems),
        **found,
    )


def _read_verdicts(
    raw: Any, file: str, problems: list[Problem]
) -> tuple[tuple[re.Pattern[str], str, str], ...]:
    """`premises.verdicts`: a list of [ending pattern, yes word, no word], first match wins."""
    if raw is None:
        return ()
    shaped = isinstance(raw, list) and all(
        isinstance(v, list) and len(v) == 3 and all(isinstance(x, str) for x in v) for v in raw
    )
    if not shaped:
        problems.append(Problem(file, 1, "premises.verdicts takes [pattern, yes, no] lists"))
        return ()
    read = []
    for pattern, yes, no in raw:
        compiled = checked_regex(pattern, file, 1, problems, "premises.verdicts: ")
        if compiled is not None:
            read.append((compiled, yes, no))
    return tuple(read)


_BOUNDS = ("before_end", "after_end", "before_start", "after_start")


def _read_bounds(raw: Any, file: str, problems: list[Problem]) -> Bounds:
    """`premises.day_bounds`: a pattern for each side of a day that makes it a bound."""
    if raw is None:
        return Bounds()
    if not isinstance(raw, dict) or set(raw) - {*_BOUNDS, "__line__"}:
        problems.append(Problem(file, 1, f"premises.day_bounds takes {', '.join(_BOUNDS)}"))
        return Bounds()
    return Bounds(
        **{
            key: checked_regex(raw[key], file, 1, problems, f"premises.day_bounds.{key}: ")
            for key in _BOUNDS
            if raw.get(key)
        }
    )
