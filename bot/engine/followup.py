"""A message that only makes sense after the one before it (那高校呢, 具体咋做, 还有呢).

In a chat people ask on from their last question. The engine itself keeps no conversation:
the application hands it the asker's previous question, and a follow-up is read with it — the
thing it names in place of the thing the previous one named (企业有什么职责 + 那高校呢 → 高校有
什么职责), or else added to it (领导干部怎么学条例 + 具体咋做). What marks a follow-up is data
(`follow_ups:` in intents/rules.yaml).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from bot.engine.normalize import clean, normalize
from bot.engine.reply import Reply
from bot.knowledge.problems import Problem

if TYPE_CHECKING:
    from bot.engine.core import Engine

# Between the parts of a duty's subject (展会、专业市场、电子商务平台; 高等学校、科研机构).
_SUBJECT_PARTS = re.compile(r"、|和|及|或者")


# A previous question longer than a question may be is no question to read with.
MAX_PREVIOUS_CHARS = 500


@dataclass(frozen=True)
class FollowUps:
    """How a follow-up looks (`cues`), which of its words only say it follows (`strip`), and
    how long it may be: a long message starting with 那 asks something of its own."""

    cues: tuple[re.Pattern[str], ...] = ()
    strip: re.Pattern[str] | None = None
    max_chars: int = 0

    def follows(self, text: str) -> bool:
        """Whether the (cleaned) message reads as a follow-up of the one before."""
        text = text.strip()
        return 0 < len(text) <= self.max_chars and any(c.search(text) for c in self.cues)

    def rest(self, text: str) -> str:
        """The message without the words that only say it follows (那…呢)."""
        return self.strip.sub("", text).strip() if self.strip else text.strip()


def read_with(previous: str, rest: str, names: Iterable[str]) -> str:
    """The follow-up read with the previous question: the longest of `names` (the things
    questions name: duty subjects, organisations) the follow-up names alone takes the place of
    the longest the previous one names; a follow-up naming none adds its words to it (具体咋做)
    or, with none left (还有呢), asks it again. Empty when the follow-up names a thing and asks
    something of its own: it stands alone."""
    ordered = sorted({n for n in names if n}, key=len, reverse=True)
    new = next((n for n in ordered if n in rest), "")
    if new:
        old = next((n for n in ordered if n in previous and n not in new), "")
        if old and not rest.replace(new, "").strip("的 "):
            return previous.replace(old, new)
        return ""  # it names its own thing and asks its own question (那高校要做什么呢)
    return f"{previous.rstrip('？?。！! ')}，{rest}" if rest else previous


def read_follow_ups(raw: Any, file: str, line: int, problems: list[Problem]) -> FollowUps:
    """The `follow_ups:` mapping of an intents file; problems by file and line."""
    if not isinstance(raw, dict):
        problems.append(Problem(file, line, "'follow_ups' must be a mapping"))
        return FollowUps()
    cues: list[re.Pattern[str]] = []
    for cue in raw.get("cues") or []:
        try:
            cues.append(re.compile(str(cue)))
        except re.error as exc:
            problems.append(Problem(file, line, f"bad regex {cue!r}: {exc}"))
    strip = None
    if raw.get("strip"):
        try:
            strip = re.compile(str(raw["strip"]))
        except re.error as exc:
            problems.append(Problem(file, line, f"bad regex {raw['strip']!r}: {exc}"))
    max_chars = raw.get("max_chars", 0)
    if not isinstance(max_chars, int) or max_chars < 0:
        problems.append(Problem(file, line, "'max_chars' must be a whole number"))
        max_chars = 0
    return FollowUps(tuple(cues), strip, max_chars)


def follow_up(engine: Engine, question: str, previous: str, reply: Reply) -> Reply:
    """`reply` to `question` as asked, unless it is a follow-up of `previous` that, read with
    it, finds something: then the reply to that reading, with a note saying how it was read."""
    follow = engine.intents.follow_ups
    text = normalize(engine.fixer.fix(clean(question)))
    if not follow.follows(text) or len(previous) > MAX_PREVIOUS_CHARS:
        return reply
    before = normalize(engine.fixer.fix(clean(previous)))
    reading = read_with(before, follow.rest(text), thing_names(engine))
    if not reading or reading == text:
        return reply
    again = engine.answer_alone(reading)
    if again.kind == "smalltalk" or (again.kind == "fallback" and again.entry is None):
        return reply  # read with the one before, it finds nothing either
    note = engine.intents.response("follow_up_read").format(question=reading)
    return engine.compose.noted(question, again, note, reading)


def thing_names(engine: Engine) -> list[str]:
    """What questions name that a follow-up may name instead (normalised): duty subjects,
    each of a subject's parts (展会 of 展会、专业市场、电子商务平台) and their aliases;
    contacts' organisations and aliases; the laws and the campaign documents."""
    kb = engine.kb
    names = [n for _, found in engine.retriever.subject_docs for n in found]
    for entry in kb.entries.values():
        names += [normalize(p) for p in _SUBJECT_PARTS.split(entry.subject or "") if p]
    for c in kb.contacts.values():
        names += [normalize(a) for a in (c.organization, *c.aliases) if a]
    for law in kb.laws.values():
        names += [normalize(a) for a in law.aliases]
    names += [normalize(s.short) for s in kb.sources.values() if s.short]
    return names
