"""What marks a message as following on from the asker's previous one (那高校呢, 具体咋做,
它们违规了怎么罚): the `follow_ups:` data of intents/rules.yaml. How a follow-up is then read
with the previous question is bot/engine/followup.py.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from bot.knowledge.problems import Problem, checked_regex

# What a message may carry besides words (？, ～, emoji).
_NOT_WORDS = re.compile(r"[\W_]+")


@dataclass(frozen=True)
class FollowUps:
    """How a follow-up looks (`cues`), which of its words only say it follows (`strip`), and
    how long it may be: a long message starting with 那 asks something of its own. A short
    question (`bare_chars`) nothing answers well alone (奖金多少钱, 一共多少天) is read with
    the previous one too; `pronouns` (它们, 他) stand for what the previous one was about."""

    cues: tuple[re.Pattern[str], ...] = ()
    strip: re.Pattern[str] | None = None
    max_chars: int = 0
    bare_chars: int = 0
    pronouns: tuple[re.Pattern[str], ...] = ()
    # Words asking for more of the same (具体咋做, 举个例子): read with the whole question.
    more: re.Pattern[str] | None = None
    # Words asking what a thing named says (方案里怎么说): the name alone is the follow-up.
    says: re.Pattern[str] | None = None
    # A whole message asking whether there is more (还有呢, 还有别的吗, 就这些吗)…
    again: re.Pattern[str] | None = None
    # …or for the same at more length (展开讲讲, 说详细点): bot/engine/more.py.
    expand: re.Pattern[str] | None = None
    # A message disputing the last answer (不对吧，我记得是到11月底): the answer again, as the
    # material words it.
    disputes: re.Pattern[str] | None = None
    # Words asking which thing, not whether (多少, 什么): a dispute with one asks its own.
    which: re.Pattern[str] | None = None
    # A whole message asking for the source's own words (给原文, 原话呢): the last answer's
    # passage in full.
    original: re.Pattern[str] | None = None
    # Words saying what was meant (我问的是…): a message with them asks again, disputes nothing.
    reasks: re.Pattern[str] | None = None
    # Words asking whether a thing counts among the last answer's series (进社区算不算): read
    # with the previous question, whatever its words, when that answer lists things.
    membership: re.Pattern[str] | None = None
    # How such a message is read: {previous} question, {thing} asked about.
    membership_reading: str = "{previous}，{thing}"
    # Pronouns standing for a person (他, 她), and a question asking who, its group `whom`
    # the one asked after (方案联系人是谁): the person is whom it asked after.
    persons: re.Pattern[str] | None = None
    whom: re.Pattern[str] | None = None
    # A short claim about the last answer (是罚款吧, 是10月底吧): asked of the last question
    # as it stands, so what the claim takes for granted is checked against its answer.
    claims: re.Pattern[str] | None = None
    # Words going back to the question before the last one (回到刚才那个，它给什么提供参考):
    # the rest is read with that one instead.
    back: re.Pattern[str] | None = None
    # Words correcting what the asker said last (说错了 是第六条, 我说的是第三部分): a short
    # rest is the last question with it in place, as 第六条呢 would be.
    corrects: re.Pattern[str] | None = None
    # Words after a place asking only what is there (第四个是啥, 第二点讲的什么): the place
    # alone is the follow-up, as 第四个呢 is.
    what_is: re.Pattern[str] | None = None

    def corrected(self, text: str) -> str:
        """What a self-correction puts in place (说错了 是第六条 → 第六条); empty for a message
        that is none, or whose rest is a question of its own (longer than `bare_chars`)."""
        if self.corrects is None or not (found := self.corrects.search(text)):
            return ""
        rest = _NOT_WORDS.sub("", text[found.end() :])
        return rest if 0 < len(rest) <= self.bare_chars else ""

    def restated(self, text: str) -> str:
        """The question a self-correction asks instead, when it is one of its own (说错了 我是问
        宣贯活动到哪天结束 → 宣贯活动到哪天结束); empty otherwise (a short rest is `corrected`)."""
        if self.corrects is None or not (found := self.corrects.search(text)):
            return ""
        rest = text[found.end() :].strip()
        return rest if len(_NOT_WORDS.sub("", rest)) > self.bare_chars else ""

    def follows(self, text: str) -> bool:
        """Whether the (cleaned) message reads as a follow-up of the one before."""
        text = text.strip()
        return 0 < len(text) <= self.max_chars and any(c.search(text) for c in self.cues)

    def asks_more(self, text: str) -> tuple[bool, bool]:
        """Whether the whole message asks for more (`again`), and whether at more length
        (`expand`); punctuation and emoji aside."""
        words = _NOT_WORDS.sub("", text)
        if not 0 < len(words) <= self.max_chars:
            return False, False  # a message of its own; nor may a long one reach the patterns
        expand = bool(self.expand and self.expand.fullmatch(words))
        return expand or bool(self.again and self.again.fullmatch(words)), expand

    def rest(self, text: str) -> str:
        """The message without the words that only say it follows (那…呢)."""
        return self.strip.sub("", text).strip() if self.strip else text.strip()


def read_follow_ups(raw: Any, file: str, line: int, problems: list[Problem]) -> FollowUps:
    """The `follow_ups:` mapping of an intents file; problems by file and line."""
    if not isinstance(raw, dict):
        problems.append(Problem(file, line, "'follow_ups' must be a mapping"))
        return FollowUps()
    compiled = (checked_regex(cue, file, line, problems) for cue in raw.get("cues") or [])
    cues = [cue for cue in compiled if cue is not None]
    keys = (
        "strip",
        "more",
        "says",
        "again",
        "expand",
        "disputes",
        "which",
        "original",
        "reasks",
        "membership",
    )
    strip, more, says, again, expand, disputes, which, original, reasks, membership = (
        _pattern(raw.get(key), file, line, problems) for key in keys
    )
    counts = []
    for key in ("max_chars", "bare_chars"):
        value = raw.get(key, 0)
        if not isinstance(value, int) or value < 0:
            problems.append(Problem(file, line, f"'{key}' must be a whole number"))
            value = 0
        counts.append(value)
    # Patterns: 他 is no pronoun inside 其他 or 他人.
    found = (checked_regex(str(p), file, line, problems) for p in raw.get("pronouns") or () if p)
    pronouns = tuple(p for p in found if p is not None)
    return FollowUps(
        tuple(cues),
        strip,
        counts[0],
        counts[1],
        pronouns,
        more,
        says,
        again,
        expand,
        disputes,
        which,
        original,
        reasks,
        membership,
        str(raw.get("membership_reading") or "{previous}，{thing}"),
        _pattern(raw.get("persons"), file, line, problems),
        _pattern(raw.get("whom"), file, line, problems),
        _pattern(raw.get("claims"), file, line, problems),
        _pattern(raw.get("back"), file, line, problems),
        _pattern(raw.get("corrects"), file, line, problems),
        _pattern(raw.get("what_is"), file, line, problems),
    )


def _pattern(raw: Any, file: str, line: int, problems: list[Problem]) -> re.Pattern[str] | None:
    return checked_regex(raw, file, line, problems) if raw else None
