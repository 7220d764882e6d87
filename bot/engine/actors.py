"""Who did something, as a question says it against what the passage says: a body said to
have set up, issued or adopted what the passage says another did (专利奖是国家设立的吗), an
issuer a listed document does not give (方案是省国资委制定的吗), a day given to another deed
(条例是11月1号通过的吧), and, asked who did it, that no passage names a doer (知识产权基金是谁
设立的). Part of the premise checks (bot/engine/premise.py); the patterns are data."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from bot.engine.asks import CLAUSE
from bot.engine.days import DAY, held, stated_days, unheld_day
from bot.engine.material import noted, read_material, unused
from bot.engine.normalize import clean, normalize
from bot.engine.premise_words import Deeds
from bot.engine.reply import Reply
from bot.numerals import chinese_date, to_int

if TYPE_CHECKING:
    from bot.engine.core import Engine
    from bot.knowledge.model import Entry


def _written(word: str, text: str) -> bool:
    """Whether the text writes the word; a number counts whole (4届 is not in 14届)."""
    if not word[:1].isdigit():
        return word in text
    return re.search(r"(?<!\d)" + re.escape(word), text) is not None


def _digits(text: str) -> str:
    """The text with Chinese numbers as digits (第五次 → 第5次), so either way of writing a
    number compares equal."""
    return _NUMERAL.sub(lambda m: str(to_int(m.group(0)) or m.group(0)), normalize(text))


_NUMERAL = re.compile(r"[一二两三四五六七八九十百]+")


def unacted(
    actor: str,
    verb: str,
    passage: str,
    subject: list[str],
    deeds: Deeds,
    words: Callable[[str], Sequence[str]],
    issuer: str = "",
) -> str:
    """The passage's first clause with the deed to the `subject` (weightiest word first),
    when no such clause names the actor: every word of its name (`words`: canonical, so
    人民代表大会常务委员会 is 人大常委会; without the province) written in the clause, numbers
    either way; a clause opening with the deed (制定了《…方案》) has its doer left out as the
    document's own, its `issuer`. Empty when one names it, none does the deed to the subject,
    or no subject is named (是领导小组办公室印发的吗: of what?)."""
    named, clauses = _doing(actor, verb, passage, subject, deeds, words)
    return _unnamed_in(named, clauses, verb, deeds, words, issuer)


def _unnamed_in(
    named: list[str],
    clauses: list[str],
    verb: str,
    deeds: Deeds,
    words: Callable[[str], Sequence[str]],
    issuer: str,
) -> str:
    """The first of the clauses doing the deed when none names the actor (`named`, its
    words); empty when one does, or there is no actor or clause to read."""
    if not named or not clauses:
        return ""
    for clause in clauses:
        if _names(named, issuer if deeds.at(verb, clause) == 0 else clause, words):
            return ""
    return clauses[0]


def _doing(
    actor: str,
    verb: str,
    passage: str,
    subject: list[str],
    deeds: Deeds,
    words: Callable[[str], Sequence[str]],
) -> tuple[list[str], list[str]]:
    """The words of the actor's name (numbers as digits) and the passage's clauses doing the
    deed to the subject."""
    name = deeds.not_names.sub("", actor) if deeds.not_names else actor
    named = [_digits(w) for w in words(name)]
    clauses = [c.strip() for c in CLAUSE.findall(passage) if deeds.at(verb, c.strip()) >= 0]
    # Every word of the subject, else its weightiest (subject[0]): 交易平台 is no 转化平台.
    # A title inside another (《…〈条例〉…实施方案》) names what the outer one is about, not
    # what the clause does the deed to: the plan was made, not the regulation.
    own = {c: _INNER_TITLE.sub("", c) for c in clauses}
    about = [c for c in clauses if subject and all(w in own[c] for w in subject)]
    return named, about or [c for c in clauses if subject and subject[0] in own[c]]


def _names(named: Sequence[str], doer: str, words: Callable[[str], Sequence[str]]) -> bool:
    """Whether the text of a doer (a clause, an issuer) names every word of a body's name
    (`named`, numbers as digits): as one of its canonical words, or written in it."""
    said = {_digits(w) for w in words(doer)}
    written = _digits(doer)
    return all(w in said or _written(w, written) for w in named)


# A body's name as a question writes it: Chinese only (not 国家(, ab, 9月20日).
_NAME = re.compile(r"[\u4e00-\u9fff\d]{2,24}")
# A title nested in another (〈河北省知识产权保护和促进条例〉 inside 《…实施方案》).
_INNER_TITLE = re.compile(r"〈[^〉]*〉")


def _body_words(engine: Engine) -> Callable[[str], Sequence[str]]:
    """The canonical words of a text, without the province's name before them when a word
    of two characters or more is left (河北省政府 is 省政府, 省人大 is 人大; 省委 stays)."""
    names = sorted(engine.intents.bodies.province, key=len, reverse=True)

    def bare(word: str) -> str:
        return next((word[len(p) :] for p in names if word.startswith(p)), word)

    def words(text: str) -> list[str]:
        kept = (w if len(bare(w)) < 2 else bare(w) for w in engine.tokenizer.words(text))
        return [w for w in kept if w not in names]

    return words


def is_day(actor: str) -> bool:
    """Whether the one a claim says did something is a day (条例是9月28日施行的吧)."""
    return bool(DAY.fullmatch(re.sub(r"\s+", "", actor)))


def _claim(
    engine: Engine, question: str, reply: Reply
) -> tuple[re.Match[str], str, re.Pattern[str] | None] | None:
    """The claim of who did what the question makes (its match, the text read, and the
    `actor_premise` pattern, which the match is of when said 是…的); None when it makes none."""
    pattern, by = engine.intents.actor_premise, engine.intents.actor_by
    text = engine.fixer.fix(clean(reply.read_as or question))
    heard = engine.intents.premises.heard
    if heard is not None and heard.search(text):
        # 我听说专利奖是国家设立的: a claim heard is checked as if asked whether it holds.
        text = text.rstrip("。.！!") + engine.intents.premises.heard_check
    found = pattern.search(text) if pattern else None
    for later in (by, engine.intents.actor_said):
        if found is None and later is not None:
            # 由国务院设立专利奖是不是, 省政府设立知识产权基金对吧: the thing after the deed
            found = later.search(text)
    return (found, text, pattern) if found is not None else None


def _about(found: re.Match[str], text: str, pattern: re.Pattern[str] | None) -> str:
    """What the claim says was done: before 是 (专利奖是国家设立的吧), or after the deed
    (由国务院设立专利奖是不是)."""
    if found.re is pattern:
        return text[: found.start()]
    return found.group("subject") or text[: found.start()]


def _claimed_subject(engine: Engine, about: str) -> list[str]:
    """The words of what the claim says was done (专利奖), weightiest first."""
    subject = _subject_words(engine, about)
    subject.sort(key=engine.tokenizer.weight, reverse=True)
    return subject


def confirmed(engine: Engine, question: str, reply: Reply) -> bool:
    """Whether the answering passage says the body the question claims did the deed to what
    it is about (专利奖是省政府设立的，对吧: 规定省政府设立专利奖): a claim it bears out."""
    entry = engine.kb.entries.get(reply.entry or "")
    claim = _claim(engine, question, reply) if reply.kind == "answer" and entry else None
    if claim is None or entry is None:
        return False
    found, text, pattern = claim
    actor, verb = re.sub(r"\s+", "", found.group("actor")), found.group("verb")
    if not _is_body(engine, actor):
        return False
    subject = _claimed_subject(engine, _about(found, text, pattern))
    words, deeds = _body_words(engine), engine.intents.deeds
    named, clauses = _doing(actor, verb, entry.text, subject, deeds, words)
    issuer = _issuer(engine, entry)
    return bool(named and clauses) and not _unnamed_in(named, clauses, verb, deeds, words, issuer)


def _is_body(engine: Engine, actor: str) -> bool:
    """Whether the one a claim says did something is a body by name (省政府), not a day."""
    doers = engine.intents.doers
    return bool(
        _NAME.fullmatch(actor) and not DAY.fullmatch(actor) and (not doers or doers.search(actor))
    )


def _issuer(engine: Engine, entry: Entry) -> str:
    """The issuer of the entry's document: the doer of a clause opening with the deed."""
    source = engine.kb.sources.get(entry.source or "")
    return source.issuer or "" if source is not None else ""


def acted(engine: Engine, question: str, reply: Reply) -> Reply:
    """`reply`, with a note first when the question says a body set up, issued or adopted
    something and the answering passage says so of another (专利奖是国家设立的吗: 规定省政府
    设立专利奖). A menu of which only one suggestion says so of what the question is about
    (专利奖) is then that one, answered."""
    claim = _claim(engine, question, reply)
    if claim is None:
        return reply
    found, text, pattern = claim
    actor, verb = found.group("actor"), found.group("verb")
    about = _about(found, text, pattern)
    subject = _claimed_subject(engine, about)
    entries, deeds = engine.kb.entries, engine.intents.deeds
    dating = is_day(actor)

    def says(clause: str) -> bool:
        """Whether a clause says the deed of what is asked about; one giving a day (the
        actor is a day: 条例是9月28日施行的吧) may name it by no title (自…起施行)."""
        if deeds.at(verb, clause.strip()) < 0:
            return False
        if dating:
            return bool(DAY.search(clause)) and (
                any(w in clause for w in subject) or "《" not in clause
            )
        return bool(subject) and subject[0] in clause

    if reply.kind == "clarify":
        saying = {
            s.entry: frozenset(c for c in CLAUSE.findall(entries[s.entry].text) if says(c))
            for s in reply.suggestions
        }
        doing = [e for e, clauses in saying.items() if clauses]
        if not doing and found.re is pattern:
            # 条例是省政府常务会议通过的政府规章吧: the menu went after what follows the deed
            # (政府规章); the claim up to its deed, asked alone, may find the passage.
            again = engine.answer_alone(f"{text[: found.end('verb')]}的吧")
            found_alone = (
                [again.entry] if again.kind == "answer" else [x.entry for x in again.suggestions]
            )
            saying = {
                e: frozenset(c for c in CLAUSE.findall(entries[e].text) if says(c))
                for e in found_alone
                if e in entries
            }
            doing = [e for e, clauses in saying.items() if clauses]
        if len({saying[e] for e in doing}) != 1:
            return reply  # none, or two saying different things
        entry = entries[doing[0]]
        reply = engine.compose.answer(question, reply.intent, entry, reply.confidence)
    entry = entries.get(reply.entry or "")
    clause = issuer = ""
    actor = re.sub(r"\s+", "", actor)
    doers = engine.intents.doers
    if reply.kind == "answer" and entry is not None and _is_body(engine, actor):
        issuer = _issuer(engine, entry)
        words = _body_words(engine)
        clause = unacted(actor, verb, entry.text, subject, deeds, words, issuer)
    elif reply.kind == "answer" and entry is None and _NAME.fullmatch(actor):
        return _issued(engine, question, about, actor, reply)
    elif (
        reply.kind == "answer"
        and entry
        and DAY.fullmatch(actor)
        and held(actor, read_material(engine).dated)
    ):
        # 条例是2023年11月1号通过的吧: a day of another fact (a day none gives is said by
        # `dated`); the day the passage gives the deed (9月21日审议通过).
        dated = [c for c in CLAUSE.findall(entry.text) if says(c)]
        if dated and all(unheld_day(actor, c, spanned=False) for c in dated):
            note = engine.intents.response("deed_day_not_held").format(clause=dated[0].strip())
            return noted(engine, question, reply, note, denies=True)
        # 那个印发方案的通知是9月21号发的吧: a deed of issuing, and the document's own date.
        source = engine.kb.sources.get(entry.source or "")
        day = chinese_date(source.date) if source and source.date else ""
        if (
            not dated
            and day
            and deeds.at(verb, "印发") >= 0
            and unheld_day(actor, day, spanned=False)
        ):
            note = engine.intents.response("issuer_not_held")
            shown = note.format(actor=actor, documents=source.display)
            return noted(engine, question, reply, shown, denies=True)
    if not clause:
        return reply
    note = engine.intents.response("actor_not_held").format(clause=clause, actor=actor)
    # 不对 only where the clause names another doer (规定省政府设立专利奖), not where it names
    # none (鼓励设立知识产权基金: who does is not said, so neither is the claim wrong).
    at = deeds.at(verb, clause)
    other = (at == 0 and bool(issuer)) or bool(doers and doers.search(clause[:at]))
    return noted(engine, question, reply, note, denies=other)


def _issued(engine: Engine, question: str, before: str, actor: str, reply: Reply) -> Reply:
    """`reply`, the documents with their issuers and dates (a `sources` rule's), with a note
    first when the question gives a body (省知识产权局, a doer) that issued none of the
    documents it names (方案 → the plan), else none at all, or a day none of them gives: its
    own, or that of the document issuing it (the plan: the notice whose title names it)."""
    if not any(r.name == reply.intent and r.action == "sources" for r in engine.intents.rules):
        return reply  # the attachments, say: no issuers listed to check against
    sources = list(engine.kb.sources.values())
    named = engine.named_documents(before)
    of = [s for s in sources if s.id in named] or sources
    issuing = [s for s in sources if any(o.title in s.title and s is not o for o in of)]
    days = "\n".join(chinese_date(s.date) for s in (*of, *issuing) if s.date)
    unlisted = [raw for raw, *_ in stated_days(actor) if not days or not held(raw, [days])]
    deeds, doers = engine.intents.deeds, engine.intents.doers
    name = DAY.sub("", actor)
    name = deeds.not_names.sub("", name) if deeds.not_names else name
    words = _body_words(engine)
    body = [_digits(w) for w in words(name)] if doers and doers.search(name) else []
    if body and not any(_names(body, s.issuer, words) for s in of if s.issuer):
        unlisted.insert(0, name)
    if not unlisted:
        return reply
    shown = "、".join(s.display for s in of) if named else "各文件"
    note = engine.intents.response("issuer_not_held")
    said = note.format(actor="”“".join(unlisted), documents=shown)
    # Said against what the documents give (an issuer, a date), not where they give none.
    issuers = any(s.issuer for s in of)
    return noted(
        engine, question, reply, said, denies=bool(days) or (unlisted[0] == name and issuers)
    )


def doerless(
    verb: str,
    passage: str,
    material: Sequence[str],
    subject: list[str],
    doers: re.Pattern[str],
    deeds: Deeds,
    issued: frozenset[str] | None = None,
) -> str:
    """The answering passage's first clause naming the subject (every word of it) and, when
    one does, doing the deed to it, when no clause of the whole `material` doing the deed to
    the subject says who did it (鼓励设立知识产权基金); empty when one does. A deed first in
    its clause has its doer left out as the document's own (制定了《…方案》, in the notice of
    the office that made it): said, too — in a passage of a document with an issuer
    (`issued`; None: every one), not in the interpretation (建立技术调查官制度: by whom is
    not stated)."""

    def about(clause: str) -> bool:
        return bool(subject) and all(w in clause for w in subject)

    def done_by(passage: str, clause: str) -> bool:
        at = deeds.at(verb, clause)
        own = at == 0 and (issued is None or passage in issued)
        return own or bool(doers.search(clause[:at]))

    doing = [
        (p, c) for p in material for c in CLAUSE.findall(p) if about(c) and deeds.at(verb, c) >= 0
    ]
    if any(done_by(p, c) for p, c in doing):
        return ""
    own = [c.strip() for c in CLAUSE.findall(passage) if about(c)]
    done = [c for c in own if deeds.at(verb, c) >= 0]
    return (done or own or [""])[0]


def unsaid(engine: Engine, question: str, reply: Reply) -> Reply:
    """`reply`, or what the passage says with the plain word that it does not say who did it,
    when the question asks who set up, made or paid for something and no passage says who
    (知识产权基金是谁设立的: 鼓励设立知识产权基金; …由谁出资: no passage says)."""
    pattern, doers = engine.intents.actor_asked, engine.intents.doers
    text = engine.fixer.fix(clean(reply.read_as or question))
    found = pattern.search(text) if pattern and doers and reply.kind == "answer" else None
    entry = engine.kb.entries.get(reply.entry or "") if found else None
    if found is None or entry is None or doers is None:
        return reply
    verb = found.group("verb")
    subject = _subject_words(engine, found.group("subject"))
    material = read_material(engine)
    clause = doerless(
        verb, entry.text, material.passages, subject, doers, engine.intents.deeds, material.issued
    )
    if not clause:
        return reply
    topic = max((w for w in subject if w in clause), key=len)
    missing = engine.intents.response("actor_unsaid").format(verb=verb)
    partial = engine.compose.partial(
        question, reply.intent, entry, reply.confidence, topic=topic, missing=missing, shown=clause
    )
    partial.read_as = reply.read_as
    return partial


def _subject_words(engine: Engine, text: str) -> list[str]:
    """The words naming what a question is about, as written and as the base uses them
    (嗯就是知识产权基金: 知识产权基金; not 就是)."""
    stop, canonical = engine.tokenizer.stopwords, engine.tokenizer.canonical
    return [
        w
        for w in engine.tokenizer.cut(text)
        if len(w) > 1 and w not in stop and not unused(engine, canonical.get(w, w))
    ]
