"""What a question asks for — a list, an amount, a place, a procedure… — and whether a
passage holds that kind of information.

Finding the right topic is not answering: "知识产权基金每年有多少钱" is about the passage that
mentions the fund, but that passage states no amount. Each ask type is data (intents/asks.yaml):
patterns that recognise the question, and evidence patterns that a passage holding such
information matches. A passage without evidence is offered as what the material says about
the topic, with a plain statement that the specific thing asked is not stated.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Any

from bot.knowledge.problems import Problem, checked_regex
from bot.knowledge.yamlio import line_of

# The ask type that asks for every item of something: answered from the sections' structure.
LIST = "list"
# The ask types that ask for every place the material says something: of a quoted term
# (各种“体系”), or of any term (高校在解读里被点名了好几回).
GATHER = "gather"
PLACES = "places"


@dataclass(frozen=True)
class AskType:
    name: str
    # How the reply names what the material does not state (具体金额, 具体地址…).
    missing: str
    patterns: tuple[re.Pattern[str], ...]
    evidence: tuple[re.Pattern[str], ...] = ()
    # The evidence is the value's own form (a sum, an address, an @): a passage without it
    # cannot answer, so it is not offered as a suggestion either.
    exact: bool = False
    # A list of the things answers it too (有几项措施，分别是哪些: count the items).
    by_list: bool = False
    # Clauses that name the thing asked (the patterns' group `thing`: 承担什么责任 → 责任)
    # only as something set out, not what it is (明确…的保护责任, 对…惩戒措施作出规定);
    # `{thing}` stands for it. A passage whose every clause naming it is one holds none of it.
    hollow: tuple[str, ...] = ()
    # Words a passage uses for the same thing (义务 asked, 保护责任 set out): each group
    # names one thing, so a hollow clause in any of its words is hollow for all.
    kin: tuple[tuple[str, ...], ...] = ()
    # Clauses that name the thing as a heading ((四)加强知识产权保护措施): the text under it
    # is its content, so they count neither as setting it out nor as stating it.
    headings: tuple[str, ...] = ()
    # The thing this question asks about, bound by `asked_types`.
    thing: str = ""
    # False: evidence the question itself says is none (约谈了还不改会怎样: not the 约谈).
    own_words: bool = True
    # The question, bound by `asked_types` when `own_words` is False.
    asked_text: str = ""
    # False: a contact's card answers it by itself (怎么上报 → whom to report to).
    on_cards: bool = True
    # False: it asks after someone other than a card's person (局长是谁), so what a card
    # lacks is not said of the person shown unless the question names them.
    of_contact: bool = True
    # Ask types it is a narrower form of (report_when of when): asked with it, they are not.
    replaces: tuple[str, ...] = ()
    # False: its patterns' spans name what the question is about (什么责任), so they weigh
    # as the question's words, not as the least word like other frames (哪几点).
    frame: bool = True

    def asked(self, text: str) -> bool:
        return any(p.search(text) for p in self.patterns)

    def without_frame(self, text: str) -> str:
        """The question without the words that say what kind of thing is asked (哪几点,
        一条条列出来): they tell what is asked, not what about."""
        for pattern in self.patterns:
            text = pattern.sub(" ", text)
        return text

    def held(self, passage: str) -> bool:
        """Whether the passage holds this kind of information (a list type needs none);
        bound to a question whose own words are no evidence, what it says is not counted."""
        if self.asked_text:
            return not self.evidence or any(
                m.group(0) not in self.asked_text
                for p in self.evidence
                for m in p.finditer(passage)
            )
        return not self.evidence or any(p.search(passage) for p in self.evidence)

    def bound(self, text: str) -> AskType:
        """This type for one question: with the thing it asks about, when the type has
        hollow forms (the first `thing` group: 承担什么责任 → 责任, and {thing} in `missing`
        filled in), and with the question itself when its own words are no evidence."""
        if not self.hollow and self.own_words:
            return self
        thing = self._thing(text) if self.hollow else ""
        return replace(
            self,
            thing=thing,
            missing=self.missing.replace("{thing}", thing) if thing else self.missing,
            asked_text="" if self.own_words else text,
        )

    def _thing(self, text: str) -> str:
        for pattern in self.patterns:
            if "thing" in pattern.groupindex:
                for m in pattern.finditer(text):
                    if m.group("thing"):
                        return m.group("thing")
        return ""

    def hollow_in(self, passage: str, about: str) -> bool:
        """Whether all the passage says of the thing asked (责任) is that it was set out, of
        what the question is about (`about`, 电商平台): every clause naming the thing is a
        hollow form, and one of them names `about`. Others' duties set out (政府有什么职责:
        明确主管部门…的职责) leave the passage an answer; what else it says of `about` is not
        weighed (明确服务机构…的禁止行为 beside 加强对服务机构的…监管 is hollow)."""
        if not self.thing or not about:
            return False
        words = next((g for g in self.kin if self.thing in g), (self.thing,))
        thing = "(?:" + "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)) + ")"
        heads = [re.compile(h.replace("{thing}", thing)) for h in self.headings]
        clauses = [
            c
            for c in CLAUSE.findall(passage)
            if any(w in c for w in words) and not any(h.search(c) for h in heads)
        ]
        forms = [re.compile(h.replace("{thing}", thing)) for h in self.hollow]
        hollow = [c for c in clauses if any(f.search(c) for f in forms)]
        return bool(clauses) and len(hollow) == len(clauses) and any(about in c for c in hollow)


def message_parts(text: str, next_question: re.Pattern[str] | None = None) -> list[str]:
    """The clauses of a message (CLAUSE, below), each a question or a statement of its own;
    `next_question` also cuts one where another question starts in it (…？另外宣贯活动啥时候
    结束, …顺便问下专利奖谁设立的: the data's `next_question`)."""
    pieces = next_question.split(text) if next_question else [text]
    return [p.strip() for piece in pieces for p in CLAUSE.findall(piece) if p.strip()]


# A sentence or clause, up to its comma, full stop, semicolon or mark (bot/engine/fit.py
# reads passages by it too).
CLAUSE = re.compile(r"[^，,。；;！？!?\n]+")


def _spans(ask: AskType, text: str) -> list[tuple[int, int]]:
    return [m.span() for p in ask.patterns for m in p.finditer(text) if m.group(0)]


def asked_types(asks: list[AskType], text: str) -> list[AskType]:
    """Every ask type the question matches, in the data's order. A list asked only by the
    words that ask a value (已经转化成几项了: a count) is not asked: 分别是哪些 would be."""
    found = [a.bound(text) for a in asks if a.asked(text)]
    # 亮点什么时候报: when to report, not any time (及时 would do for that).
    replaced = {name for a in found for name in a.replaces}
    found = [a for a in found if a.name not in replaced]
    values = [span for a in found if a.exact for span in _spans(a, text)]
    if not values:
        return found
    return [
        a
        for a in found
        if a.name != LIST
        or not all(any(v[0] <= s[0] and s[1] <= v[1] for v in values) for s in _spans(a, text))
    ]


def frames(asks: list[AskType], text: str) -> tuple[str, ...]:
    """The spans of the question that only say what kind of thing is asked."""
    return tuple(
        m.group(0) for a in asks for p in a.patterns for m in p.finditer(text) if m.group(0)
    )


def unframed(asks: list[AskType], text: str) -> str:
    """The text without the words saying what kind of answer it asks, of every ask type it
    asks (罚款多少 → 罚款; 啥时候截止 → nothing)."""
    for ask in asked_types(asks, text):
        text = ask.without_frame(text)
    return text


def topic_text(asks: list[AskType], text: str, names: tuple[str, ...]) -> str:
    """The question with the frames of the named ask types removed; the question itself
    when too little would be left to search on."""
    stripped = text
    for ask in asks:
        if ask.name in names:
            stripped = ask.without_frame(stripped)
    return stripped if len(stripped.replace(" ", "")) >= 2 else text


def _compile(raw: Any, file: str, line: int, problems: list[Problem]) -> list[re.Pattern[str]]:
    found = (checked_regex(p, file, line, problems) for p in (raw if isinstance(raw, list) else []))
    return [pattern for pattern in found if pattern is not None]


def _hollow(raw: Any, file: str, line: int, problems: list[Problem]) -> tuple[str, ...]:
    """The `hollow` (or `headings`) forms: regular expressions over a clause, with {thing}
    in each."""
    forms = []
    for form in raw if isinstance(raw, list) else []:
        form = str(form)
        try:
            re.compile(form.replace("{thing}", "x"))
        except re.error as exc:
            problems.append(Problem(file, line, f"bad regex {form!r}: {exc}"))
            continue
        if "{thing}" not in form:
            problems.append(Problem(file, line, f"hollow form {form!r} lacks {{thing}}"))
            continue
        forms.append(form)
    return tuple(forms)


def _kin(raw: Any, file: str, line: int, problems: list[Problem]) -> tuple[tuple[str, ...], ...]:
    """The `kin` groups: lists of words naming one thing."""
    if raw is None:
        return ()
    groups = []
    for group in raw if isinstance(raw, list) else [raw]:
        if (
            not isinstance(group, list)
            or len(group) < 2
            or not all(isinstance(w, str) and w for w in group)
        ):
            problems.append(Problem(file, line, "every 'kin' group must list two words or more"))
            continue
        groups.append(tuple(group))
    return tuple(groups)


def read_asks(data: Any, file: str, problems: list[Problem]) -> list[AskType]:
    """The `asks:` list of an intents file; problems by file and line."""
    asks: list[AskType] = []
    if not isinstance(data, list):
        problems.append(Problem(file, 1, "'asks' must be a list"))
        return asks
    for node in data:
        if not isinstance(node, dict):
            problems.append(Problem(file, 1, "every ask type must be a mapping"))
            continue
        line = line_of(node)
        name = node.get("name")
        patterns = _compile(node.get("patterns"), file, line, problems)
        if not name or not patterns:
            problems.append(Problem(file, line, "an ask type needs 'name' and 'patterns'"))
            continue
        missing = str(node.get("missing") or "")
        evidence = _compile(node.get("evidence"), file, line, problems)
        # A type with evidence may find a passage lacking it, and says what is missing.
        if evidence and not missing and name != LIST:
            problems.append(Problem(file, line, f"ask type '{name}' needs 'missing'"))
            continue
        exact = node.get("exact") is True
        by_list = node.get("by_list") is True
        hollow = _hollow(node.get("hollow"), file, line, problems)
        headings = _hollow(node.get("headings"), file, line, problems)
        kin = _kin(node.get("kin"), file, line, problems)
        own_words = node.get("own_words") is not False
        on_cards = node.get("on_cards") is not False
        of_contact = node.get("of_contact") is not False
        replaces = tuple(str(r) for r in node.get("replaces") or ())
        frame = node.get("frame") is not False
        if hollow and not missing:
            problems.append(Problem(file, line, f"ask type '{name}' needs 'missing'"))
            continue
        if hollow and not any("thing" in p.groupindex for p in patterns):
            # Without the thing asked there is nothing to find hollow: the forms would sleep.
            problems.append(
                Problem(
                    file,
                    line,
                    f"ask type '{name}': 'hollow' needs a pattern with a (?P<thing>…) group",
                )
            )
            continue
        asks.append(
            AskType(
                str(name),
                missing,
                tuple(patterns),
                tuple(evidence),
                exact,
                by_list,
                hollow,
                kin=kin,
                headings=headings,
                own_words=own_words,
                on_cards=on_cards,
                of_contact=of_contact,
                replaces=replaces,
                frame=frame,
            )
        )
    names = {a.name for a in asks}
    for ask in asks:
        unknown = [r for r in ask.replaces if r not in names]
        if unknown:  # a typo would leave the looser ask asked beside it, silently
            problems.append(Problem(file, 1, f"ask type '{ask.name}' replaces unknown {unknown}"))
    return asks
