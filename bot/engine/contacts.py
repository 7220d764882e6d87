"""Who to contact: the person, organisation or number named, the contact whose matters fit,
or every contact — a contact question always reaches contact cards, and says plainly what
the material does not give (an email, a mobile number, the phone of a body it only names).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from bot.engine.asks import LIST, AskType, asked_types
from bot.engine.contact_bodies import BodyReader
from bot.engine.fit import SENTENCE, lacking, mentioning, topic
from bot.engine.intents import Scope
from bot.engine.normalize import normalize
from bot.engine.positions import documents_named
from bot.engine.reply import Reply
from bot.knowledge.model import Contact, Entry

# A phone number as written: digits, with a dash or space after the area code.
_NUMBER = re.compile(r"(?<!\d)\d{3,4}[- ]?\d{7,8}(?!\d)|(?<!\d)\d{7,8}(?!\d)")
# A value of a way of contact a question states: an e-mail address or a phone number.
_VALUE = re.compile(r"[A-Za-z0-9._+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+|" + _NUMBER.pattern)

if TYPE_CHECKING:
    from bot.engine.core import Engine

# A thing the question names, found in a passage, that long at least: asked how to reach
# it, the reply says what the material says of it (shorter overlaps are chance: 宣贯).
MIN_CONTACT_TOPIC = 3
# How many of a contact question's passages are read for whom its matter goes to.
DIRECTION_DEPTH = 3


class ContactDesk:
    """Answers contact questions for one engine."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.bodies = BodyReader(engine)

    def find(self, question: str, text: str, intent: str) -> Reply:
        """Who to contact, always with contact cards: a body no contact is or belongs to
        (省司法厅) is said to have no way of contact given; else the person, organisation or
        phone number named; else the contact whose matters fit clearly best; else every
        contact, the likeliest first. A matter the material says whom to send to (亮点工作报
        给谁) gets those sentences first."""
        text = self.engine.intents.bodies.without_negated(text)  # 我们不是国企: not its card
        body = self.unknown_body(text)
        if body and not self._person_named(text):
            # 省司法厅的电话: not the card of a body the material does give.
            return self.of_topic(question, text, intent, body) or self._not_given(
                question, text, intent, body
            )
        corrected = self.not_theirs(question, text, intent)
        if corrected is not None:
            return corrected
        named = self._named(text)
        reply = self._find(question, text, intent, named)
        if reply.kind != "answer" or named:
            return reply  # the contact named (刘亚强电话, 国资委那边谁对接): its card alone
        return self.directed(question, text, intent, reply) or reply

    def directed(self, question: str, text: str, intent: str, reply: Reply) -> Reply | None:
        """The sentences of the passages the question finds that say whom its matter goes
        to (a sending word and a word of the question's own), cited, then the cards of those
        passages and of `reply`; None when no passage says so."""
        e = self.engine
        titles = self._titles()
        # A word of a contact document's title names the campaign (条例宣贯的联系人), not a
        # matter to send.
        words = {
            e.tokenizer.canonical.get(w, w)
            for w in e.weighty(text)
            if not any(normalize(w) in t for t in titles)
        }
        sending = e.intents.sending_words
        picked: list[tuple[str, Entry]] = []
        score = 0.0
        for found in e.search(text)[:DIRECTION_DEPTH]:
            entry = found.entry
            if found.score < e.tuning.answer or entry.kind in ("contact", "section", "article"):
                continue
            for sentence in SENTENCE.findall(entry.text):
                said = {
                    e.tokenizer.canonical.get(w, w) for w in e.tokenizer.words(normalize(sentence))
                }
                line = sentence.strip()
                if words & said and any(w in line for w in sending):
                    if all(line != seen for seen, _ in picked):  # a part and its whole
                        picked.append((line, entry))
                    score = max(score, found.score)
        if not picked:
            return None
        ids = [c for _, entry in picked for c in entry.contacts]
        ids += [c.id for c in reply.shown_contacts]
        people = [e.kb.contacts[c] for c in dict.fromkeys(ids) if c in e.kb.contacts]
        return e.compose.directions(question, intent, picked, people, score)

    def _titles(self) -> list[str]:
        """The titles of the documents that give a contact, normalised."""
        kb = self.engine.kb
        return [
            normalize(kb.sources[c.source].title)
            for c in kb.contacts.values()
            if c.source in kb.sources
        ]

    def not_theirs(self, question: str, text: str, intent: str) -> Reply | None:
        """A person named beside a document or organisation whose contact is someone else
        (实施方案的联系人是刘亚强吗: the plan names 王国强; 王国强是国资委的吗, asked as no
        contact question): whose contact it is, then both cards; None when nothing is named
        against the person."""
        person = self._person_named(text)
        if not person:
            return None
        below = [b for b in self.bodies.named(text) if b.below and not self.bodies.own(b)]
        if below:
            # 邢台市市场监管局的联系人是刘亚强吗: the material gives that body no contact.
            return self._not_given(question, text, intent, below[-1].name)
        last = re.split(r"[，,；;。]", text.rstrip("？?。！! "))[-1]
        checking = self.engine.intents.premises.checking
        checked = bool(checking and checking.search(last))
        # 王国强是省知识产权局的吧, 刘亚强是领导小组办公室的吧 (it issued only 王国强's plan):
        # a body that is no contact's by name, nor issued the named person's document.
        strange = [
            b
            for b in self.bodies.named(text)
            if not self.bodies.own(b)
            and not b.below
            and not self.bodies.aliased(b, list(self.engine.kb.contacts.values()))
            and not set(self.bodies.issued_by(b)) & set(person)
        ]
        if strange and checked:
            # 王国强是省知识产权局的吧: what the material writes as their unit, shown first,
            # without saying the body named is not it (省市场监督管理局 is his, by its full name).
            message = self.engine.intents.response("contact_body_not_held").format(
                named="、".join(c.name for c in person),
                units="、".join(f"“{c.organization}”" for c in person),
            )
            return self.engine.compose.contact_list(
                question, intent, person, 1.0, note=message, kind="answer"
            )
        holder, given = self._holder(self._others(text))
        key = "contact_not_theirs"
        numbers = self._by_number(text)
        if not given and numbers:  # 王国强的电话是0311-87902543吗: 刘亚强's number
            holder, given = numbers[0][1], [numbers[0][0]]  # each value with its own holder
            key = "contact_number_not_theirs"
        # Only a value in the clause that checks it (not the asker's own number before a
        # question: 我的电话是138…，王国强电话是多少呢).
        stated = _VALUE.search(last)
        if not given and not numbers and stated and checked:
            # 刘亚强的邮箱是153627465@qq.com吗: no card holds that value; theirs shows.
            message = self.engine.intents.response("contact_value_not_held").format(
                value=stated.group(0), named="、".join(c.name for c in person)
            )
            return self.engine.compose.contact_list(
                question, intent, person, 1.0, note=message, kind="answer"
            )
        if not given or {c.id for c in given} & {c.id for c in person}:
            return None
        message = self.engine.intents.response(key).format(
            holder=holder,
            given="、".join(c.name for c in given),
            named="、".join(c.name for c in person),
        )
        return self.engine.compose.contact_list(
            question, intent, [*given, *person], 1.0, note=message, kind="answer"
        )

    def _holder(self, text: str) -> tuple[str, list[Contact]]:
        """What the question names that gives contacts — a document (《实施方案》) or an
        organisation by name or alias (国资委) — and those contacts."""
        kb = self.engine.kb
        words = self.engine.tokenizer.words(normalize(text))
        for source in documents_named(kb, words):
            given = [c for c in kb.contacts.values() if c.source == source]
            if given:
                return f"《{kb.sources[source].short}》", given
        by_alias = self._by_alias(text)
        if by_alias:
            alias, contact = by_alias[0]
            return alias, [contact]
        return "", []

    def _by_number(self, text: str) -> list[tuple[Contact, str]]:
        """The contacts whose phone number (with or without its area code) or e-mail address
        the text gives (王国强的电话是0311-87902543吗: 刘亚强's), each with that value."""
        plain = normalize(text)
        # Whole numbers only (13887902543 holds 87902543 but is no landline of anyone's).
        numbers = {re.sub(r"\D", "", n) for n in _NUMBER.findall(plain)}
        found = []
        for c in self.engine.kb.contacts.values():
            full = re.sub(r"\D", "", c.phone)
            local = re.sub(r"\D", "", c.phone.rsplit("-", 1)[-1])
            if len(local) >= 7 and numbers & {full, local}:
                found.append((c, c.phone))
            elif c.email and normalize(c.email) in plain:
                found.append((c, c.email))
        return found

    def _by_alias(self, text: str) -> list[tuple[str, Contact]]:
        """The contacts whose organisation or an alias the text names, each with the longest
        of those names, in the knowledge base's order."""
        plain = normalize(text)
        found = []
        for c in self.engine.kb.contacts.values():
            names = [a for a in (c.organization, *c.aliases) if a and normalize(a) in plain]
            if names:
                found.append((max(names, key=len), c))
        return found

    def _others(self, text: str) -> str:
        """The question without the asker's own body (我们是县市场监管局的): it names no one
        to contact."""
        for body in self.bodies.named(text):
            if self.bodies.own(body):
                text = text.replace(body.name, " ")
        return text

    def _named(self, text: str) -> list[Contact]:
        """The contacts the question names: by name, else by phone number, else by
        organisation or alias, else as given by a document a body it names issued (领导小组
        办公室 → the plan's 王国强; after the aliases, so 国资委 beside it still names 刘亚强);
        the asker's own body (我们是县市场监管局的) names no one."""
        text = self._others(text)
        kb = self.engine.kb
        people = list(kb.contacts.values())
        given = {c.id for _, c in self._by_alias(text)}
        if given and self._several(text):
            # 国资委和方案的联系人分别是谁: the document's too, not the organisation's alone
            # (a document alone, 方案里说亮点报给谁, says where to look, not whose contact;
            # 国资委转发了…的方案，有问题找谁 asks one).
            documents = documents_named(kb, self.engine.tokenizer.words(normalize(text)))
            given |= {c.id for c in people if c.source in documents}
        person = self._person_named(text)
        if person or given:
            return person or [c for c in people if c.id in given]
        issued = {c.id for body in self.bodies.named(text) for c in self.bodies.issued_by(body)}
        return [c for c in people if c.id in issued]

    def _several(self, text: str) -> bool:
        """Whether the question asks for several (分别是谁, 两份通知的联系人都是谁)."""
        return any(a.name == LIST for a in asked_types(self.engine.intents.asks, text))

    def people_named(self, text: str) -> list[Contact]:
        """The contacts the question names by name, in its order (王国强和刘亚强是哪个单位的)."""
        plain = normalize(text)
        named = [c for c in self.engine.kb.contacts.values() if normalize(c.name) in plain]
        return sorted(named, key=lambda c: plain.find(normalize(c.name)))

    def _person_named(self, text: str) -> list[Contact]:
        """The contacts the question names by name, else by phone number or address."""
        return self.people_named(text) or [c for c, _ in self._by_number(text)]

    def unknown_body(self, text: str) -> str:
        """The body the (cleaned) question asks about when no contact is or belongs to it
        (省司法厅, 省市场监管局局长, 石家庄市市场监管局 beside the province's): the last body it
        names that is not the asker's own, unless a contact is named after it. Empty when
        there is none."""
        asked = [b for b in self.bodies.named(text) if not self.bodies.own(b)]
        if not asked or self.bodies.belongs(asked[-1]) or self._named(text[asked[-1].end :]):
            return ""
        return asked[-1].name

    def _default_first(self, text: str, order: list[str]) -> list[str]:
        """Every contact, likeliest first; but one whose document addresses others than the
        question names (刘亚强: the SASAC's enterprises) does not go before the campaign's
        own contact (`default_contact`) for anyone else (我们学校想请专家来讲条例，找谁联系)."""
        kb, words = self.engine.kb, set(self.engine.tokenizer.words(normalize(text)))
        first = kb.contacts.get(order[0]) if order else None
        default = kb.default_contact
        if first is None or not default or first.id == default or not first.audiences:
            return order
        named = {*first.audiences, *first.aliases, first.organization}
        canonical = self.engine.tokenizer.canonical
        if any(canonical.get(normalize(n), normalize(n)) in words for n in named):
            return order
        return [default, *(c for c in order if c != default)]

    def _not_given(self, question: str, text: str, intent: str, body: str) -> Reply:
        """The material gives no way to reach `body`: said so, and whom to ask instead."""
        e = self.engine
        order = [c.entry.id for c in e.search(text, Scope(kinds=("contact",)))]
        rank = {ident: i for i, ident in enumerate(order)}
        people = sorted(e.kb.contacts.values(), key=lambda c: rank.get(c.id, len(rank)))
        message = e.intents.response("body_contact_missing").format(body=body)
        return e.compose.contact_list(question, intent, people, 0.0, note=message)

    def _find(self, question: str, text: str, intent: str, named: list[Contact]) -> Reply:
        if len(named) == 1:
            return self.card(question, text, intent, self.engine.kb.entries[named[0].id], 1.0)
        people = self.people_named(text)
        if len(people) > 1:  # 王国强、刘亚强电话多少: each named person's card
            return self._cards_of(question, text, intent, people)
        t = self.engine.tuning
        # Without the words saying what is asked (发哪个邮箱): the matter decides whose.
        about, frame = self.engine.reading(text)
        found = self.engine.search(about, Scope(kinds=("contact",)), frame)
        scoped = sorted(found, key=lambda c: c.score, reverse=True)
        # One contact fits clearly better than the others: that one, unless several are
        # asked for (两个通知的联系人分别是谁).
        if scoped and scoped[0].score >= t.clarify and not self._several(text):
            rivals = [c for c in scoped[1:] if c.score >= scoped[0].score - t.scoped_gap]
            if not rivals:
                return self.card(question, text, intent, scoped[0].entry, scoped[0].score)
        partial = self.of_topic(question, text, intent)
        if partial is not None:
            return partial
        order = self._default_first(text, [c.entry.id for c in scoped])
        reply = self.engine.contacts(None, question=question, order=order)
        kb = self.engine.kb
        people = [kb.contacts[c.id] for c in reply.shown_contacts]
        asked = self._asked(text)
        others = self._addressed_elsewhere(text, asked)
        if others and any(p.id not in others for p in people):
            # 我是高职院校的，宣贯遇到问题该联系谁: not the SASAC's contact, whose notice is
            # addressed to 省国资委监管企业.
            people = [p for p in people if p.id not in others]
            reply = self.engine.compose.contact_list(question, intent, people, 0.5)
        cards = [kb.entries[p.id].text for p in people if p.id in kb.entries]
        unheld = [a for a in asked if a.exact and not any(a.held(card) for card in cards)]
        if unheld:
            # 举报电话是多少, 电话几点到几点有人接: the material gives the campaign's contacts,
            # no such line and no hours.
            missing = "、".join(dict.fromkeys(a.missing for a in unheld))
            message = self.engine.intents.response("partial_missing").format(missing=missing)
            return self.engine.compose.contact_list(question, intent, people, 0.0, note=message)
        return reply

    def _addressed_elsewhere(self, text: str, asked: list[AskType]) -> frozenset[str]:
        """The contacts of documents addressed to kinds of unit (sources.yaml `addressees`)
        when the asker says they are a kind no contact fits (高职院校, 民营电商公司, 市直单位);
        empty when they say none, or one that fits (国企: the SASAC's contact)."""
        e = self.engine
        kind = e.intents.bodies.kind_said(text)
        if not kind or any(not a.of_contact for a in asked):
            return frozenset()  # 我是记者，想采访…: a line no card gives, said for every card
        fits = e.search(kind, Scope(kinds=("contact",)))
        if any(c.score >= e.tuning.clarify for c in fits):
            return frozenset()
        return self._addressed()

    def _addressed(self) -> frozenset[str]:
        """The contacts of documents addressed to kinds of unit (sources.yaml `addressees`:
        the SASAC notice's, to 省国资委监管企业)."""
        kb = self.engine.kb
        return frozenset(
            c.id
            for c in kb.contacts.values()
            if (source := kb.sources.get(c.source or "")) is not None and source.addressees
        )

    def of_topic(self, question: str, text: str, intent: str, body: str = "") -> Reply | None:
        """Asked how to reach something the material mentions but gives no contact for
        (快速维权中心的电话): what it says of it, that it gives no contact, and whom to ask.
        With `body`, only a passage naming that body (知识产权保护中心) will do."""
        # 按方案该跟谁联系: the document named gives a contact, who is the answer.
        named = documents_named(self.engine.kb, self.engine.tokenizer.words(normalize(text)))
        if any(c.source in named for c in self.engine.kb.contacts.values()):
            return None
        found = self.engine.search(text)
        if body:
            name = self.engine.intents.bodies.without_province(normalize(body))
            found = [c for c in found if name in normalize(c.entry.text)]
        if not found or found[0].entry.kind in ("article", "contact", "section"):
            return None
        if found[0].entry.contacts:
            # The passage names whom to contact about it (宣贯活动要报告给谁: the notice and
            # its contact): the material does give a contact, the cards answer.
            return None
        top = found[0]
        about = topic(text, top.entry.text)
        shown = mentioning(top.entry.text, about)
        if body and not shown.strip().rstrip("…").endswith(("。", "；", "！")):
            return None  # its name in an address line or as an issuer: nothing said of it
        kb = self.engine.kb
        names = [normalize(a) for c in kb.contacts.values() for a in (c.organization, *c.aliases)]
        # The titles of the documents that give a contact: the campaign (宣贯活动的联系人) has
        # one, the plan's, though no passage about it names one.
        titles = self._titles()
        if (
            len(about) < MIN_CONTACT_TOPIC
            or any(n and n in normalize(about) for n in names)
            or any(normalize(about) in t for t in titles)
        ):
            return None
        return self.engine.compose.partial(
            question,
            intent,
            top.entry,
            top.score,
            topic=about,
            missing=self.engine.intents.response("missing_contact_way"),
            shown=shown,
        )

    def card(self, question: str, text: str, intent: str, entry: Entry, score: float) -> Reply:
        """One contact's card; asked for a way to reach them the base does not hold (an
        email), the card with a plain statement that it is not stated. A count or a list
        (联系人有几个) the cards answer themselves."""
        elsewhere = self._addressed_to_others(question, text, intent, entry, score)
        if elsewhere is not None:
            return elsewhere
        asks = [a for a in self._asked(text) if not a.by_list and a.name != LIST and a.on_cards]
        missing = lacking(asks, entry.text)
        if (
            missing is not None
            and not missing.of_contact
            and entry.id not in {c.id for c in self.people_named(text)}
        ):
            # 省市场监管局局长是谁: not stated, and whom to ask; not said of 王国强, whom the
            # question does not name.
            note = self.engine.intents.response("partial_missing").format(missing=missing.missing)
            people = [self.engine.kb.contacts[entry.id]]
            return self.engine.compose.contact_list(question, intent, people, score, note=note)
        if missing is not None:
            return self.engine.compose.contact_missing(
                question, intent, entry, score, missing.missing
            )
        return self.engine.compose.answer(question, intent, entry, score)

    def _addressed_to_others(
        self, question: str, text: str, intent: str, entry: Entry, score: float
    ) -> Reply | None:
        """A contact asked after by an asker saying they are not of those their document is
        addressed to (我们厂不是国企，能联系刘亚强吗: the SASAC notice is addressed to 省国资委
        监管企业): whose contact they are and to whom that document goes, then the other
        documents' contacts first. None for any other asker."""
        kb, intents = self.engine.kb, self.engine.intents
        person = kb.contacts.get(entry.id)
        source = kb.sources.get(person.source or "") if person is not None else None
        if person is None or source is None or not source.addressees:
            return None
        # Only an asker saying what they are not (不是国企, 不归国资委管): a kind they say they
        # are is matched to the cards by retrieval, too loosely to deny them one (省属国有企业
        # 办公室 fits no card's words, yet is the SASAC's).
        negated = intents.bodies.negated
        if negated is None or negated.search(text) is None:
            return None
        addressed = self._addressed()
        others = [c for c in kb.contacts.values() if c.id not in addressed]
        if not others:
            return None
        note = intents.response("contact_addressed").format(
            name=person.name, document=source.display, addressees=source.addressees
        )
        return self.engine.compose.contact_list(
            question, intent, [*others, person], score, note=note, kind="answer"
        )

    def _cards_of(self, question: str, text: str, intent: str, people: list[Contact]) -> Reply:
        """The named people's cards, with what a card lacks of what was asked said plainly
        (王国强、刘亚强邮箱多少: 资料中未载明王国强的邮箱。)."""
        asks = [
            a
            for a in asked_types(self.engine.intents.asks, self._contact_parts(text))
            if not a.by_list and a.name != LIST and a.on_cards
        ]
        entries, respond = self.engine.kb.entries, self.engine.intents.response
        lacks = [
            respond("contact_missing").format(name=p.name, missing=missing.missing)
            for p in people
            if p.id in entries
            for missing in [lacking(asks, entries[p.id].text)]
            if missing is not None
        ]
        note = "".join(lacks) or None
        return self.engine.compose.contact_list(
            question, intent, people, 1.0, note=note, kind="answer"
        )

    def _asked(self, text: str) -> list[AskType]:
        """What the parts asking for a contact ask (宣贯活动什么时候开始？另外联系人是谁: only
        the second's), and, anywhere in the message, what is not a card's to give (被人侵权了
        去哪投诉，电话多少: no complaint line)."""
        asks = self.engine.intents.asks
        asked = asked_types(asks, self._contact_parts(text))
        return asked + [a for a in asked_types(asks, text) if not a.of_contact and a not in asked]

    def _contact_parts(self, text: str) -> str:
        """The parts of a message that ask for a contact (条例啥时候施行？国资委联系人是谁？
        → the second): what else it asks is not asked of the card. The whole message when
        no part alone does."""
        parts = [p for p in self.engine.intents.parts(text) if self.engine.intents.asks_contact(p)]
        return " ".join(parts) or text

    def names_contact(self, text: str) -> bool:
        """The question names a contact: by name, phone number, organisation or alias
        (省市场监管局那边谁管, 0311-67565891是谁的电话)."""
        return bool(self._named(text))
