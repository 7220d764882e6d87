"""The bodies and office-holders a question names (省司法厅, 邢台市…领导小组办公室, 省市场监管局
局长), read off its words with the rules of `bodies:` in intents/rules.yaml.

A contact question naming a body no contact belongs to must be told that the material gives
no way to reach it, not be handed another body's phone as if it were that body's; the asker's
own body (我们是县市场监管局的，…) is not the one asked about.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from bot.knowledge.problems import Problem, checked_regex

# A word that is punctuation: a clause ends there.
_BOUNDARY = re.compile(r"[^\w]+")


@dataclass(frozen=True)
class BodyRules:
    """How bodies are named in questions (intents/rules.yaml `bodies:`)."""

    suffixes: tuple[str, ...] = ()
    not_bodies: tuple[str, ...] = ()
    province: tuple[str, ...] = ()
    places: frozenset[str] = frozenset()
    below: re.Pattern[str] | None = None
    own_before: re.Pattern[str] | None = None
    own_after: re.Pattern[str] | None = None
    not_own_after: re.Pattern[str] | None = None
    # A kind of unit the asker says they are not (我是市直单位不是国企): no body asked about.
    negated: re.Pattern[str] | None = None
    # What kind of unit the asker says they are (我是高职院校的, 我们是民营电商公司): group `kind`.
    asker_kind: re.Pattern[str] | None = None

    def kind_said(self, text: str) -> str:
        """The kind of unit the asker says they are; empty when they say none."""
        found = self.asker_kind.search(text) if self.asker_kind else None
        return found.group("kind") if found else ""

    def without_negated(self, text: str) -> str:
        """The text without what the asker says they are not (我们不是国企，联系人是谁 →
        我们，联系人是谁): the contact of what they are not is not theirs."""
        return self.negated.sub("", text) if self.negated else text

    def is_province(self, word: str) -> bool:
        return word in self.province

    def without_province(self, name: str) -> str:
        """The name without the province said before it (河北省知识产权局 → 知识产权局)."""
        for word in sorted(self.province, key=len, reverse=True):
            if name.startswith(word):
                return name[len(word) :]
        return name


@dataclass(frozen=True)
class Body:
    name: str  # as the question writes it, with the words of its name before the suffix word
    word: str  # the word ending like a body's name (司法厅, 局长)
    end: int  # where it ends in the text
    own: bool  # the asker's own: named right after 我们是…
    here: bool  # followed by 这边 or 的， — the asker's own, or the one asked about (国资委这边)
    below: bool  # a place below the province is named before it in its clause


def named_bodies(
    text: str,
    words: Sequence[str],
    rules: BodyRules,
    is_place: Callable[[str], bool],
    is_name_part: Callable[[str], bool],
) -> list[Body]:
    """Every body the (cleaned, segmented) question names, in order. A word ending in a
    suffix names one when two characters or more come before the suffix (司法厅, 国资委; not
    大局, 原委) or words of its name do (省市场监管局局长, 以…为中心 names none)."""
    found: list[Body] = []
    clause_start = 0
    offset = 0
    for i, word in enumerate(words):
        offset += len(word)
        if _BOUNDARY.fullmatch(word):
            clause_start = i + 1
            continue
        suffix = next((s for s in rules.suffixes if word.endswith(s)), None)
        if suffix is None or any(word.endswith(n) for n in rules.not_bodies):
            continue
        start = i
        while start > clause_start and (
            is_name_part(words[start - 1]) or rules.is_province(words[start - 1])
        ):
            start -= 1
        # 大局, 原委, 干部 end like a body and are none; 局长, 中心 alone need a name before.
        extra = len(word) - len(suffix)
        if 0 < extra < 2 or (extra == 0 and start == i):
            continue
        before, after = "".join(words[:start]), "".join(words[i + 1 :])
        own = bool(
            rules.own_before
            and rules.own_before.search(before)
            and not (rules.not_own_after and rules.not_own_after.match(after))
        )
        here = bool(rules.own_after and rules.own_after.match(after))
        province = start < i and rules.is_province(words[start])
        place = next(
            (
                k
                for k in range(clause_start, i)
                if is_place(words[k]) and not rules.is_province(words[k])
            ),
            None,
        )
        below = not province and place is not None
        # Said with its place (邢台的市场监管局), not as the province's 市场监管局.
        name = "".join(words[place if below and place is not None else start : i + 1])
        found.append(Body(name, word, offset, own, here, below))
    return found


def read_body_rules(data: Any, file: str, problems: list[Problem]) -> BodyRules:
    """The `bodies:` mapping of an intents file; problems by file and line."""
    if not isinstance(data, dict):
        problems.append(Problem(file, 1, "'bodies' must be a mapping"))
        return BodyRules()

    def texts(key: str) -> tuple[str, ...]:
        value = data.get(key) or []
        return tuple(str(v) for v in value) if isinstance(value, list) else ()

    def pattern(key: str) -> re.Pattern[str] | None:
        raw = data.get(key)
        return checked_regex(raw, file, 1, problems, f"bodies.{key}: ") if raw else None

    return BodyRules(
        suffixes=tuple(sorted(set(texts("suffixes")), key=len, reverse=True)),
        not_bodies=texts("not_bodies"),
        province=texts("province"),
        places=frozenset(texts("places")),
        below=pattern("below"),
        own_before=pattern("own_before"),
        own_after=pattern("own_after"),
        not_own_after=pattern("not_own_after"),
        negated=pattern("negated"),
        asker_kind=pattern("asker_kind"),
    )
