"""Intent rules: ordered, data-defined patterns that decide how a question is handled.

A rule matches on regular expressions (named groups become slots) or keyword sets. The first
matching rule wins; its `action` names a handler, and `scope` narrows retrieval. Rules only
route: whatever they do not take, retrieval answers.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.engine.asks import AskType, message_parts, read_asks
from bot.engine.bodies import BodyRules, read_body_rules
from bot.engine.follow_cues import FollowUps, read_follow_ups
from bot.engine.premise_words import Deeds, PremiseWords, read_deeds, read_premise_words
from bot.engine.slips import Slip, read_slips
from bot.knowledge.problems import Problem, checked_regex
from bot.knowledge.yamlio import line_of, read_yaml

ACTIONS = (
    "smalltalk",
    "decline",
    "help",
    "article",
    "chapter",
    "contact",
    "sources",
    "attachments",
    "document_field",
    "out_of_scope",
    "law_of_place",
    "retrieve",
)


MENUS = ("duties", "contacts")


@dataclass(frozen=True)
class Scope:
    """Restricts retrieval to entry kinds and/or tags; empty means everything."""

    kinds: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()

    def admits(self, kind: str, tags: tuple[str, ...]) -> bool:
        if self.kinds and kind not in self.kinds:
            return False
        return not self.tags or bool(set(tags) & set(self.tags))

    def __bool__(self) -> bool:
        return bool(self.kinds or self.tags)


@dataclass(frozen=True)
class Rule:
    name: str
    action: str
    patterns: tuple[re.Pattern[str], ...] = ()
    any_words: tuple[str, ...] = ()
    all_words: tuple[str, ...] = ()
    none_words: tuple[str, ...] = ()
    reply: str | None = None
    scope: Scope = field(default_factory=Scope)
    max_length: int | None = None
    # A menu to show when the question holds nothing but the rule's own words.
    bare: str | None = None
    # Small-talk words that, in a short message nothing in the knowledge base answers, say
    # what it is (好的没别的问题了，拜拜～) where the whole-message patterns are too strict.
    cues: tuple[str, ...] = ()
    # Messages of this small talk in other words: one near them in meaning is this small talk
    # (bot/engine/chatter.py).
    examples: tuple[str, ...] = ()
    file: str = ""
    line: int = 0

    def match(self, text: str) -> dict[str, str] | None:
        """Slots when the rule matches `text` (a cleaned question), else None."""
        if self.max_length is not None and len(text) > self.max_length:
            return None
        if any(word in text for word in self.none_words):
            return None
        if self.all_words and not all(word in text for word in self.all_words):
            return None
        slots: dict[str, str] = {}
        matched = bool(self.all_words)
        if self.any_words and any(word in text for word in self.any_words):
            matched = True
        for pattern in self.patterns:
            found = pattern.search(text)
            if found:
                slots = {k: v for k, v in found.groupdict().items() if v is not None}
                matched = True
                break
        return slots if matched else None


@dataclass(frozen=True)
class Intent:
    """The routing decision for one question."""

    rule: Rule
    slots: dict[str, str]

    @property
    def name(self) -> str:
        return self.rule.name


@dataclass
class IntentSet:
    rules: list[Rule]
    responses: dict[str, str]
    asks: list[AskType] = field(default_factory=list)
    # Words jieba's dictionary tags as places that name no place (沾边): never a jurisdiction.
    not_places: frozenset[str] = frozenset()
    # Words that put a message within the campaign's field though the knowledge base may not
    # use them (商标, 热线): a question nothing answers keeps the contact's card.
    domain_words: frozenset[str] = frozenset()
    # Words of sending something to someone or getting in touch (报送, 联系): a sentence with
    # one tells whom a contact question's matter goes to (有关工作亮点及时报送政府和上级主管部门).
    sending_words: frozenset[str] = frozenset()
    # Words that make a clause a question (谁, 什么, 吗): a part of a message without one
    # (我是高校老师) asks nothing of its own.
    question_words: frozenset[str] = frozenset()
    # How a message that only makes sense after the previous one looks (那高校呢).
    follow_ups: FollowUps = field(default_factory=FollowUps)
    # How questions name bodies (局, 办公室, 局长; the province; the asker's own).
    bodies: BodyRules = field(default_factory=BodyRules)
    # Input-method slips mended before anything else reads a question (条例几张).
    slips: tuple[Slip, ...] = ()
    # Words comparing two things the message names before them (哪个更早, 隔了多久), each
    # with what to ask of each thing ({thing}是什么时候).
    compare: tuple[tuple[re.Pattern[str], str], ...] = ()
    # A body said to have made, issued or adopted something (专利奖是国家设立的吗): the
    # groups `actor` and `verb`.
    actor_premise: re.Pattern[str] | None = None
    # The same said with 由 before the body and the thing after the deed (由国务院设立专利奖
    # 是不是): the groups `actor`, `verb` and `subject`.
    actor_by: re.Pattern[str] | None = None
    # The same said plainly, body first (省政府设立知识产权基金，对吧): the same groups.
    actor_said: re.Pattern[str] | None = None
    # Who did something asked (知识产权基金是谁设立的: groups `subject` and `verb`), and what
    # names a body that did it in a passage's clause before the verb (省政府, 管理部门).
    actor_asked: re.Pattern[str] | None = None
    doers: re.Pattern[str] | None = None
    deeds: Deeds = field(default_factory=Deeds)
    # How premises are read: which clauses check, which words name no thing (premise.py).
    premises: PremiseWords = field(default_factory=PremiseWords)
    # Words starting another question within a clause (…另外宣贯活动啥时候结束): where a
    # message is cut into its parts (bot/engine/asks.py, message_parts).
    next_question: re.Pattern[str] | None = None
    # Question words that ask nothing there (十几个人, 几十家): removed before asks_something.
    no_question: re.Pattern[str] | None = None
    confirm_tag: re.Pattern[str] | None = None
    # Words opening a clause before its 、-series (通过报纸、电视…: 通过), not the first item's.
    series_leads: tuple[str, ...] = ()

    def route(self, text: str) -> Intent | None:
        """The first matching rule."""
        return next(self.matches(text), None)

    def matches(self, text: str) -> Iterator[Intent]:
        """Every matching rule in order: a handler may decline and let the next one try."""
        for rule in self.rules:
            slots = rule.match(text)
            if slots is not None:
                yield Intent(rule, slots)

    def cued(self, text: str, starts: frozenset[int]) -> Rule | None:
        """The first small-talk rule one of whose cue words starts a word of the text
        (`starts`: where its words begin): 存在吗 holds no 在吗."""
        for rule in self.rules:
            if any(word in text for word in rule.none_words):
                continue  # 你们几点下班 asks something: no goodbye
            for cue in rule.cues:
                at = text.find(cue)
                while at >= 0:
                    if at in starts:
                        return rule
                    at = text.find(cue, at + 1)
        return None

    def chatty(self) -> list[Rule]:
        """The rules that give examples of messages nothing answers, in order: small talk,
        help, and what is out of scope."""
        kinds = ("smalltalk", "help", "out_of_scope")
        return [r for r in self.rules if r.examples and r.action in kinds]

    def rule(self, name: str) -> Rule | None:
        """The rule of that name (a reply's intent), if any."""
        return next((r for r in self.rules if r.name == name), None)

    def response(self, key: str) -> str:
        return self.responses.get(key, "")

    def parts(self, text: str) -> list[str]:
        """The clauses of a message, cut also where another question starts in one
        (`next_question`): each a question or a statement of its own."""
        return message_parts(text, self.next_question)

    def confirmed_claim(self, text: str) -> str | None:
        """A claim with a clause asking only whether the asker has it right (条例一共七章六十条，
        我没记错吧; …施行的对吧，我稿子里这么写没问题吧): the claim alone, ending as a claim
        does (…吧), for the premise checks to read; None for any other message."""
        if self.confirm_tag is None:
            return None
        parts = self.parts(text)
        kept = [p for p in parts if not self.confirm_tag.fullmatch(p)]
        if not kept or len(kept) == len(parts):
            return None
        claim = "，".join(kept)
        if self.asks_something(claim) or claim.endswith(("吧", "吗", "么", "嘛", "呢")):
            return claim
        return f"{claim}吧"

    def asks_something(self, text: str) -> bool:
        if self.no_question is not None:
            text = self.no_question.sub("", text)
        return any(w in text for w in self.question_words)

    def asks_contact(self, text: str) -> bool:
        """Whether a contact rule matches the text (国资委联系人是谁)."""
        return self.routes_to(text, "contact")

    def routes_to(self, text: str, action: str) -> bool:
        """Whether a rule of that action matches the text (附件是什么: `attachments`)."""
        return any(m.rule.action == action for m in self.matches(text))


def _texts(node: dict[str, Any], key: str) -> tuple[str, ...]:
    value = node.get(key) or ()
    if isinstance(value, str):
        value = (value,)
    return tuple(str(v) for v in value if v is not None)


REQUIRED_RESPONSES = ("fallback", "help", "empty", "too_long", "no_content", "rate_limited")


def collect_intents(directory: Path | str) -> tuple[IntentSet, list[Problem]]:
    """Load every `*.yaml` in the intents directory in name order, with problems by file and line."""
    directory = Path(directory)
    rules: list[Rule] = []
    responses: dict[str, str] = {}
    asks: list[AskType] = []
    not_places: set[str] = set()
    domain_words: set[str] = set()
    sending_words: set[str] = set()
    question_words: set[str] = set()
    series_leads: set[str] = set()
    follow_ups = FollowUps()
    bodies = BodyRules()
    slips: list[Slip] = []
    compare: list[tuple[re.Pattern[str], str]] = []
    actor: dict[str, re.Pattern[str] | None] = {}
    deeds = Deeds()
    premises = PremiseWords()
    problems: list[Problem] = []
    if not directory.is_dir():
        return IntentSet(rules, responses), [
            Problem(str(directory), 1, "intents directory not found")
        ]
    for path in sorted(directory.glob("*.yaml")):
        display = str(path.relative_to(directory.parent)) if directory.parent else str(path)
        data, found = read_yaml(path, display)
        problems.extend(found)
        if data is None:
            continue
        if not isinstance(data, dict):
            problems.append(Problem(display, 1, "top level must be a mapping"))
            continue
        raw_responses = data.get("responses") or {}
        if isinstance(raw_responses, dict):
            for key, value in raw_responses.items():
                if key != "__line__":
                    responses[str(key)] = str(value).strip()
        for node in data.get("rules") or []:
            rule = _read_rule(node, display, problems)
            if rule is not None:
                rules.append(rule)
        if "asks" in data:
            asks.extend(read_asks(data["asks"], display, problems))
        not_places.update(_texts(data, "not_places"))
        domain_words.update(_texts(data, "domain_words"))
        sending_words.update(_texts(data, "sending_words"))
        question_words.update(_texts(data, "question_words"))
        series_leads.update(_texts(data, "series_leads"))
        if "bodies" in data:
            bodies = read_body_rules(data["bodies"], display, problems)
        if "follow_ups" in data:
            node = data["follow_ups"]
            line = line_of(node) if isinstance(node, dict) else 1
            follow_ups = read_follow_ups(node, display, line, problems)
        if "slips" in data:
            slips.extend(read_slips(data["slips"], display, 1, problems))
        if "compare" in data:
            compare.extend(_read_compare(data["compare"], display, problems))
        if "deeds" in data:
            deeds = read_deeds(data["deeds"], display, problems)
        if "premises" in data:
            premises = read_premise_words(data["premises"], display, problems)
        for key, groups in _GROUPED_PATTERNS.items():
            if key in data:
                actor[key] = _read_grouped(data[key], display, problems, key, groups)
    seen: dict[str, int] = {}
    for rule in rules:
        if rule.name in seen:
            problems.append(Problem(rule.file, rule.line, f"duplicate rule name '{rule.name}'"))
        seen[rule.name] = rule.line
        if rule.reply and rule.reply not in responses:
            problems.append(Problem(rule.file, rule.line, f"unknown response '{rule.reply}'"))
    for key in REQUIRED_RESPONSES:
        if rules and key not in responses:
            problems.append(Problem(str(directory), 1, f"missing response '{key}'"))
    intent_set = IntentSet(
        rules,
        responses,
        asks,
        frozenset(not_places),
        frozenset(domain_words),
        frozenset(sending_words),
        frozenset(question_words),
        follow_ups,
        bodies,
        tuple(slips),
        tuple(compare),
        actor.get("actor_premise"),
        actor.get("actor_by"),
        actor.get("actor_said"),
        actor.get("actor_asked"),
        actor.get("doers"),
        deeds,
        premises,
        actor.get("next_question"),
        actor.get("no_question"),
        actor.get("confirm_tag"),
        series_leads=tuple(sorted(series_leads, key=len, reverse=True)),
    )
    return intent_set, problems


# Single patterns (who did something; where a message starts another question), each with
# the groups it must name.
_GROUPED_PATTERNS = {
    "actor_premise": ("actor", "verb"),
    "actor_by": ("actor", "verb", "subject"),
    "actor_said": ("actor", "verb", "subject"),
    "actor_asked": ("subject", "verb"),
    "doers": (),
    "next_question": (),
    "no_question": (),
    "confirm_tag": (),
}


def _read_grouped(
    raw: Any, file: str, problems: list[Problem], key: str, groups: tuple[str, ...]
) -> re.Pattern[str] | None:
    """The pattern under `key`, which must name the `groups`."""
    pattern = checked_regex(raw, file, 1, problems, f"{key}: ")
    if pattern is not None and not set(groups) <= set(pattern.groupindex):
        named = ", ".join(f"'{g}'" for g in groups)
        problems.append(Problem(file, 1, f"{key} needs the groups {named}"))
        return None
    return pattern


def _read_compare(
    raw: Any, file: str, problems: list[Problem]
) -> list[tuple[re.Pattern[str], str]]:
    """The `compare:` list: each a `pattern` and the `ask` made of each thing ({thing})."""
    if not isinstance(raw, list):
        problems.append(Problem(file, 1, "'compare' must be a list"))
        return []
    found = []
    for node in raw:
        line = line_of(node) if isinstance(node, dict) else 1
        if not isinstance(node, dict) or "{thing}" not in str(node.get("ask", "")):
            problems.append(
                Problem(file, line, "a comparison needs a pattern and an ask with {thing}")
            )
            continue
        pattern = checked_regex(node.get("pattern"), file, line, problems)
        if pattern is not None:
            found.append((pattern, str(node["ask"])))
    return found


def _read_rule(node: Any, file: str, problems: list[Problem]) -> Rule | None:
    if not isinstance(node, dict):
        problems.append(Problem(file, 1, "every rule must be a mapping"))
        return None
    line = line_of(node)
    name, action = node.get("name"), node.get("action")
    if not name or not action:
        problems.append(Problem(file, line, "a rule needs 'name' and 'action'"))
        return None
    if action not in ACTIONS:
        problems.append(Problem(file, line, f"action must be one of {', '.join(ACTIONS)}"))
        return None
    found = (checked_regex(raw, file, line, problems) for raw in _texts(node, "patterns"))
    patterns = [pattern for pattern in found if pattern is not None]
    scope_node = node.get("scope") or {}
    scope = Scope(
        kinds=_texts(scope_node, "kinds") if isinstance(scope_node, dict) else (),
        tags=_texts(scope_node, "tags") if isinstance(scope_node, dict) else (),
    )
    rule = Rule(
        name=str(name),
        action=str(action),
        patterns=tuple(patterns),
        any_words=_texts(node, "any"),
        all_words=_texts(node, "all"),
        none_words=_texts(node, "none"),
        reply=str(node["reply"]) if node.get("reply") else None,
        scope=scope,
        max_length=node.get("max_length") if isinstance(node.get("max_length"), int) else None,
        bare=str(node["bare"]) if node.get("bare") else None,
        cues=_texts(node, "cues"),
        examples=_texts(node, "examples"),
        file=file,
        line=line,
    )
    if rule.bare is not None and rule.bare not in MENUS:
        problems.append(Problem(file, line, f"bare must be one of {', '.join(MENUS)}"))
    if not (rule.patterns or rule.any_words or rule.all_words):
        problems.append(Problem(file, line, f"rule '{name}' has no patterns or keywords"))
        return None
    return rule
