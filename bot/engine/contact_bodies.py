"""Bodies a contact question names (省司法厅, 辛集市领导小组这边, 省国资委) and how they stand to
the contacts: the asker's own, a contact's organisation or alias, or the issuer of the
document giving a contact (领导小组办公室 issued the plan naming 王国强)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.engine.bodies import Body, named_bodies
from bot.engine.normalize import normalize
from bot.knowledge.model import Contact

if TYPE_CHECKING:
    from bot.engine.core import Engine


class BodyReader:
    """Reads the bodies of one engine's questions against its contacts."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._text: str | None = None

    def named(self, text: str) -> list[Body]:
        e = self.engine
        rules = e.intents.bodies
        sending = e.intents.sending_words

        def is_place(word: str) -> bool:
            return (
                word in e.tokenizer.places
                or word in rules.places
                or bool(rules.below and rules.below.fullmatch(word))
            )

        def is_name_part(word: str) -> bool:
            """A word of a body's name: a place, or a word the base uses (知识产权, 战略),
            not one of asking or sending (麻烦, 告诉, 联系)."""
            if is_place(word):
                return True
            return (
                len(word) >= 2
                and all("\u4e00" <= ch <= "\u9fff" for ch in word)
                and word not in sending
                and word in self.material()
            )

        return named_bodies(text, e.tokenizer.cut(text), rules, is_place, is_name_part)

    def material(self) -> str:
        """Every entry's text, normalised, once per engine: the words the base uses."""
        if self._text is None:
            self._text = "\n".join(normalize(e.text) for e in self.engine.kb.entries.values())
        return self._text

    def issued_by(self, body: Body) -> list[Contact]:
        """The contacts given by a document the body issued (领导小组办公室 issued the plan
        naming 王国强)."""
        kb = self.engine.kb
        name = self.engine.intents.bodies.without_province(normalize(body.name))
        found = []
        for c in kb.contacts.values():
            source = kb.sources.get(c.source or "")
            if name and source and source.issuer and name in normalize(source.issuer):
                found.append(c)
        return found

    def own(self, body: Body) -> bool:
        """The asker's own body: named after 我们是…; or followed by 这边 / 的， and no
        contact's (辛集市领导小组这边…问省里; but 省国资委这边找谁 asks about the 国资委)."""
        return body.own or (body.here and not self.belongs(body))

    def belongs(self, body: Body) -> bool:
        """Whether a contact is of the body: its organisation or an alias holds the body's
        word (国资委, 市场监管局), or the body issued the document giving the contact (领导
        小组办公室 issued the plan naming 王国强); never a body of a place below the province."""
        if body.below:
            return False
        contacts = list(self.engine.kb.contacts.values())
        return self.aliased(body, contacts) or bool(self.issued_by(body))

    def aliased(self, body: Body, people: list[Contact]) -> bool:
        """Whether one of `people`'s organisation or aliases holds the body's word."""
        rules = self.engine.intents.bodies
        word = rules.without_province(normalize(body.word))
        return any(
            word in rules.without_province(normalize(a))
            for c in people
            for a in (c.organization, *c.aliases)
            if a
        )
