"""The answering engine: normalise → route intents → retrieve → compose a cited reply.

It knows nothing of Telegram, the console or the web; every front end calls `Engine.answer`.
"""

from __future__ import annotations

from functools import cache, partial
from pathlib import Path

from bot.engine.asks import GATHER, LIST, PLACES, asked_types, frames, topic_text
from bot.engine.attached import attachment_reading
from bot.engine.chatter import Chatter
from bot.engine.compose import Composer
from bot.engine.contacts import ContactDesk
from bot.engine.days_of import DATED_ASKS, dated_things, days_of
from bot.engine.explain import explain
from bot.engine.fit import (
    ahead,
    lacking,
    list_nouns,
    named_part,
    part_names,
    related,
    section_of,
    value_holders,
)
from bot.engine.followup import follow_up, went_back
from bot.engine.inline import alternatives
from bot.engine.intents import IntentSet, Scope, collect_intents
from bot.engine.list_count import counted_list
from bot.engine.located import located
from bot.engine.lookup import Lookup, named_laws
from bot.engine.mentions import MAX_MENTIONS, gathered, mentions, named_sources
from bot.engine.more import opened
from bot.engine.multi import asked_part, each_asked
from bot.engine.normalize import MAX_QUESTION_CHARS, clean, has_content, normalize
from bot.engine.pinyin import HomophoneFixer
from bot.engine.positions import POSITION, REST, Named, by_place, documents_named
from bot.engine.premise import checked, without_unnamed
from bot.engine.reorder import dated_first, list_first, scored_first, value_first
from bot.engine.reply import Reply
from bot.engine.retrieve import Candidate, Retriever
from bot.engine.routes import handle
from bot.engine.sentences import fill_cues, filled
from bot.engine.shape import Shaper
from bot.engine.ties import is_tie
from bot.engine.tokenize import Tokenizer
from bot.engine.tuning import Tuning, load_tuning
from bot.knowledge.derive import domain_words, structure_id
from bot.knowledge.loader import KnowledgeError, collect
from bot.knowledge.model import Entry, KnowledgeBase
from bot.numerals import to_chinese

MAX_SUGGESTIONS = 3
# Items asked by place (第二第三点) are of a list among this many top entries.
PLACE_DEPTH = 3
# Words lighter than this (多少, 是, 要) do not make a bare question specific.
BARE_WORD_WEIGHT = 4.0


class Engine:
    def __init__(
        self,
        kb: KnowledgeBase,
        intents: IntentSet,
        tuning: Tuning | None = None,
        *,
        semantic: bool = True,
    ) -> None:
        """`semantic=False` keeps retrieval lexical even where the sentence encoder loads."""
        self.kb = kb
        self.intents = intents
        self.tuning = tuning or load_tuning()
        self.tokenizer = Tokenizer(kb.user_words, kb.synonyms, kb.stopwords, intents.not_places)
        domain = domain_words(kb)
        self.tokenizer.add_words(domain)
        kept = intents.premises.kept_by_fixer
        self.fixer = HomophoneFixer(domain, self.tokenizer.knows, intents.slips, kept)
        examples = [text for rule in intents.chatty() for text in rule.examples]
        self.retriever = Retriever(
            kb, self.tokenizer, self.tuning, semantic=semantic, examples=examples
        )
        self.chatter = Chatter(intents, self.retriever)
        self.compose = Composer(kb, intents.response)
        self.desk = ContactDesk(self)
        self.shaper = Shaper(self)
        self.lookup = Lookup(kb, intents, self.compose, self.tokenizer.words, self.tokenizer.places)
        self.parts = part_names(kb, self.tuning.part_name_chars)

    @classmethod
    def from_dirs(
        cls, knowledge: Path | str, intents: Path | str, *, semantic: bool = True
    ) -> Engine:
        """Load and validate both directories; raise KnowledgeError listing every problem."""
        kb, problems = collect(knowledge)
        intent_set, intent_problems = collect_intents(intents)
        if problems or intent_problems:
            raise KnowledgeError(problems + intent_problems)
        return cls(kb, intent_set, semantic=semantic)

    # -- answering ---------------------------------------------------------------------------

    def answer(
        self, question: str, previous: str | None = None, earlier: str | None = None
    ) -> Reply:
        """Answer one question; never raises for any input text. `previous` is the asker's
        question before it, when the caller keeps one: a follow-up (那高校呢) is read with
        it, and the reply says how it was read. `earlier`, the one before that, is what a
        message going back to it (回到刚才那个，…) is read with."""
        question = question if isinstance(question, str) else str(question)
        cleaned = clean(question) if question.strip() else ""
        # 条例一共七章六十条，我没记错吧: the claim, checked; 说错了 我是问宣贯活动到哪天结束:
        # the question put instead.
        instead = self.intents.confirmed_claim(cleaned) or self.intents.follow_ups.restated(cleaned)
        if instead:
            reply = self.answer(instead, previous, earlier)
            reply.question, reply.read_as = question, reply.read_as or instead
            return reply
        attachment, said_before = attachment_reading(self, cleaned, previous)
        if attachment:  # 实施方案的附件讲的啥: what 《条例》简要解读 says
            reply = self.answer_alone(attachment)
            if said_before:  # 附件讲的啥 after a question about the plan
                note = self.intents.response("follow_up_read").format(question=attachment)
                reply = self.compose.noted(question, reply, note, attachment)
            reply.question, reply.read_as = question, attachment
            return checked(self, attachment, reply)
        back = went_back(self, question, earlier)
        if back is not None:
            return back
        reply = self.answer_alone(question)
        if previous and isinstance(previous, str):
            reply = follow_up(self, question, previous, reply)
        return checked(self, question, reply)  # 条例是10月1日施行的吧: not the day it gives

    def answer_alone(self, question: str) -> Reply:
        """Answer one message on its own, whatever was asked before it."""
        respond = self.intents.response
        if not question.strip():
            return self.compose.smalltalk(question, "empty", respond("empty"))
        if len(question) > MAX_QUESTION_CHARS:
            return self.compose.fallback(
                question,
                "too_long",
                respond("too_long").format(limit=MAX_QUESTION_CHARS),
            )
        if not has_content(question):
            return self.compose.smalltalk(question, "no_content", respond("no_content"))
        text = self.fixer.fix(clean(question))
        unloaded = self.lookup.unloaded(text, "article")  # 专利法第几条规定了侵权赔偿
        if unloaded is not None:
            unloaded.question = question
            return unloaded
        for intent in self.intents.matches(text):
            reply = handle(self, question, text, intent)
            if reply is not None:
                return each_asked(self, question, text, reply)
        # 王国强是国资委的吗: a person named against another's organisation is corrected.
        reply = (
            self.desk.not_theirs(question, text, "contact")
            or self.lookup.named(question, text, self.found)  # 条例附则讲了啥, 九章七十条吗
            or located(self, question, text)  # 方案三（二）讲的什么
            or counted_list(self, question, text)  # 工作重点是三条吗
            or self.retrieve(question, text, "search")
        )
        reply = asked_part(self, question, text, reply)  # 给学生讲课，条例的立法目的是什么
        reply = each_asked(self, question, text, reply)  # 印发通知是哪天，条例又是哪天施行
        if reply.kind != "fallback":
            return opened(self, question, text, reply)  # 三个工作重点的原文: not the headings
        talk = self._smalltalk(question, text)
        if talk is not None:
            return talk
        if reply.entry is None and self.chatter.off_topic(text, self.weighty):
            return self.off_topic(question, reply.intent, reply.confidence)
        return reply

    def off_topic(self, question: str, intent: str, confidence: float = 0.0) -> Reply:
        """Refused without the campaign contact's card, who is no help with the weather."""
        message = self.intents.response("off_topic") or self.intents.response("fallback")
        return self.compose.fallback(question, intent, message, confidence, card=False)

    def _smalltalk(self, question: str, text: str) -> Reply | None:
        """Small talk in a short message the rules and retrieval miss (engine/chatter.py)."""
        found = self.chatter.smalltalk(text, self.weighty, self.tuning)
        if found is None:
            return None
        rule, key = found
        return self.compose.smalltalk(question, rule.name, self.intents.response(key))

    def answer_entry(self, entry_id: str, question: str = "") -> Reply:
        """The answer for one entry chosen from suggestions (a button or a typed number)."""
        entry = self.kb.entries.get(entry_id)
        if entry is None:
            return self.compose.fallback(
                question, "unknown_entry", self.intents.response("fallback")
            )
        return self.compose.answer(question or entry.title, "suggestion", entry, 1.0)

    def alternatives(self, question: str, reply: Reply, limit: int = 5) -> list[Reply]:
        """Answers to offer side by side (inline results): bot/engine/inline.py."""
        return alternatives(self, question, reply, limit)

    # -- direct lookups for front-end commands (/article, /chapter, /contact, /duty, /sources) --

    def article(self, number: str, law: str = "") -> Reply:
        """第N条 of the named law (or the primary one); `number` in Chinese or Arabic numerals."""
        question = f"{law}第{number}条"
        return self.lookup.article(question, "article", number.strip())

    def chapter(self, number: str | None = None) -> Reply:
        """第N章, or the whole structure when no number is given."""
        if not number or not number.strip():
            law = self.kb.primary
            if law is None:
                return self.compose.fallback("", "chapter", self.intents.response("fallback"))
            entry = self.kb.entries[structure_id(law.id)]
            return self.compose.answer(entry.title, "chapter", entry, 1.0)
        question = f"第{number.strip()}章"
        last = number.strip() in ("最后", "最后一章", "末章", "last")
        return self.lookup.chapter(question, "chapter", number.strip(), last)

    def contacts(
        self, query: str | None = None, *, question: str = "", order: list[str] | None = None
    ) -> Reply:
        """The contact for a name, organisation or matter; every contact when none is given."""
        if query and query.strip():
            return self.desk.find(query, self.fixer.fix(clean(query)), "contact") or self.contacts()
        rank = {ident: i for i, ident in enumerate(order or [])}
        people = sorted(self.kb.contacts.values(), key=lambda c: rank.get(c.id, len(rank)))
        return self.compose.contact_list(question or query or "", "contact", people, 0.5)

    def duty(self, subject: str | None = None) -> Reply:
        """The duties of a subject (高校, 电商平台…); the list of subjects when none is given."""
        duties = [e for e in self.kb.entries.values() if e.kind == "duty"]
        if subject and subject.strip():
            text = self.fixer.fix(clean(subject))
            return self.retrieve(subject, text, "duty", Scope(kinds=("duty",)))
        prompt = self.intents.response("duty_subjects")
        return self.compose.clarify("", "duty", prompt, duties, 1.0, limit=None)

    def sources(self) -> Reply:
        """The documents the knowledge base cites, with issuer and date."""
        return self.compose.sources("", "sources")

    def explain(self, question: str) -> str:
        """How a question was read and scored: for organisers improving the knowledge base."""
        return explain(self, question)

    def weighty(self, text: str) -> list[str]:
        """The words of `text` heavy enough to make a question specific (not 多少, 是, 要)."""
        words = self.tokenizer.words(normalize(text))
        return [w for w in words if self.tokenizer.weight(w) >= BARE_WORD_WEIGHT]

    def specific_words(self, text: str) -> list[str]:
        """The (cleaned) question's specific words as written that the base uses, heaviest
        first, without the words that only say what is asked (好几回, 哪几处)."""
        about = topic_text(asked_types(self.intents.asks, text), text, (LIST, GATHER, PLACES))
        return sorted(self.named_words(about), key=self.tokenizer.weight, reverse=True)

    def named_words(self, text: str) -> list[str]:
        """The words of a text heavy enough to name a thing that the base uses, once each, in
        the order written (a question's, or a passage's sentence: bot/engine/days_of.py)."""
        t = self.tokenizer
        return [
            w
            for w in dict.fromkeys(t.cut(normalize(text)))
            if t.weight(w) >= BARE_WORD_WEIGHT and not self.retriever.foreign(t.canonical.get(w, w))
        ]

    def _names(self, entry: Entry, text: str) -> bool:
        """Whether the passage names what the question is about, its weightiest word (技术调查
        官咋申请: what it says of it is shown, and that the procedure is not stated; 向哪个部门
        举报假冒专利: not a passage naming 专利 alone)."""
        words = self.specific_words(text)
        return bool(words) and words[0] in entry.text

    def named_documents(self, text: str) -> frozenset[str]:
        """The campaign documents a question names (方案, 解读), by source id."""
        return self._named(text).documents

    def _named(self, text: str) -> Named:
        """The campaign documents and whether the law a (cleaned) question names."""
        documents = documents_named(self.kb, self.tokenizer.words(normalize(text)))
        return Named(documents, bool(named_laws(self.kb, text, self.tokenizer.places)[0]))

    def search(
        self, text: str, scope: Scope | None = None, frame: tuple[str, ...] = ()
    ) -> list[Candidate]:
        """Ranked entries; a question naming a law sees no other law's articles.

        A question about another place's law (北京市有没有专利奖, with Beijing's regulation
        loaded) sees only that law: the campaign material is about Hebei.
        """
        laws, _ = named_laws(self.kb, text, self.tokenizer.places)
        if not laws:
            laws = self.lookup.laws_of_place(text)
        only = frozenset(law.id for law in laws) if laws else None
        elsewhere = bool(laws) and all(law.id != self.kb.primary_law for law in laws)
        return self.retriever.search(
            normalize(text), scope, only, exclusive=elsewhere, frames=frame
        )

    def found(self, text: str) -> list[Entry]:
        """The entries retrieval ranks for a question, best first."""
        about, frame = self.reading(text)
        return [c.entry for c in self.search(about, frame=frame)]

    def reading(self, text: str) -> tuple[str, tuple[str, ...]]:
        """What to search on, and the frames in it: the words that only say what kind of
        answer is wanted (哪几点, 一条条列出来). Left in, and weighed as rare words the base
        never uses, they outweighed the topic (立法目的) and sank the passage about it."""
        t = self.tuning
        asked = asked_types(self.intents.asks, text)
        about = topic_text(asked, without_unnamed(self, text), t.frames_ignored)
        if not t.frames_minor:
            return about, ()
        # Places (第二部分) say which item, not what kind of answer: no frame.
        # Nor types whose spans name the topic (`frame: false`: 什么责任).
        kinds = [a for a in asked if a.name not in (POSITION, REST) and a.frame]
        return about, tuple(normalize(f) for f in frames(kinds, about))

    def retrieve(
        self,
        question: str,
        text: str,
        intent: str,
        scope: Scope | None = None,
        *,
        keep_scope: bool = False,
    ) -> Reply:
        """Decide on the retrieved entries. A rule's scope (duties, dates, contacts) is tried
        first, asking back when its top two are close; one that finds nothing good enough
        widens to everything (`keep_scope` accepts a clarify-level match within it)."""
        t = self.tuning
        about, frame = self.reading(text)
        candidates = self.search(about, scope, frame)
        named = self.retriever.named_subjects(normalize(text))
        if scope and named and any(c.entry.id in named for c in candidates):
            # The question names whose duty it asks about (高校谁负责): that one, not a rival.
            candidates = [c for c in candidates if c.entry.id in named]
        if scope:
            floor = t.clarify if keep_scope else t.answer
            if candidates and candidates[0].score >= floor:
                gap = max(t.gap, t.scoped_gap)
                return self.decide(question, intent, candidates, gap, text=text)
            candidates = self.search(about, frame=frame)
        return self.decide(question, intent, candidates, text=text)

    def decide(
        self,
        question: str,
        intent: str,
        candidates: list[Candidate],
        gap: float | None = None,
        *,
        text: str = "",
    ) -> Reply:
        """Answer, ask back or refuse on the ranked candidates; an answer is fitted to what
        the question (`text`, cleaned) asks for: a section's whole list, or an honest partial
        reply when the passage lacks the specific asked for."""
        t = self.tuning
        needed_gap = t.gap if gap is None else gap
        respond = self.intents.response
        asks = asked_types(self.intents.asks, text) if text else []
        lister = next((a for a in asks if a.name == LIST), None)
        # 方案第一、第三部分, 剩下两条: those items of the list found.
        listed = [c.entry for c in candidates[:PLACE_DEPTH] if c.score >= t.clarify]
        # Far ahead of any other (like a list question's), or a list of the document named
        # (解读的六方面里打头那点: its every passage is in it, so none is far ahead).
        top = candidates[0].entry if candidates else None
        if not listed and len(candidates) > 1 and ahead(candidates) >= t.list_lead:
            listed = [candidates[0].entry]
        elif (
            not listed
            and top
            and top.kind == "section"
            and top.source in self.named_documents(text)
        ):
            listed = [top]
        picked = by_place(self.kb, self.parts, asks, text, listed, lambda: self._named(text))
        if picked is not None and picked.beyond:  # 有关要求第四条, of three: all three, said so
            count, place = to_chinese(len(picked.items)), to_chinese(picked.beyond)
            note = respond("places_beyond").format(count=count, place=place)
            return self.compose.listing(
                question, intent, picked.section, picked.items, t.answer, note
            )
        if picked is not None:
            if len(picked.items) == 1:
                return self.shaper.part(question, intent, picked.items[0], text)
            return self.compose.listing(question, intent, picked.section, picked.items, t.answer)
        within = named_sources(self.kb, text)  # 解读里凡是提到…: that document's places only
        forms = gathered(self.kb, text, asks, lambda: self.specific_words(text), within)
        found = mentions(self.kb, *forms, within=within)
        if 2 <= len(found) <= MAX_MENTIONS:
            return self.compose.mentions(question, intent, forms[0], found, t.answer)
        # 要完善啥、推动啥、促进啥: the one sentence naming each word asked after, in order.
        fill = filled(self.kb, [c.entry for c in candidates], fill_cues(text, self.tokenizer.cut))
        if fill is not None:
            return self.compose.answer(question, intent, fill[0], t.answer, excerpt=fill[1])
        if lister is not None and candidates:
            part = named_part(self.parts, text, candidates[0].entry)
            # Below `answer`, or an item the question names of the section found (解读第一点
            # “强化立法目的和政府职责”讲了哪些内容: that point's content, not the six headings).
            if part is not None and (
                candidates[0].score < t.answer or part.item_of == candidates[0].entry.id
            ):
                return self.shaper.part(question, intent, part, text)
        candidates = scored_first(candidates, MAX_SUGGESTIONS, t.answer, t.score_lead)
        floor = t.clarify
        if candidates and candidates[0].entry.kind == "article":
            floor = t.clarify_article
        if not candidates or candidates[0].score < floor:
            score = candidates[0].score if candidates else 0.0
            return self.compose.fallback(question, intent, respond("fallback"), score)
        if lister is not None:
            nouns = list_nouns(text, lambda part: self.tokenizer.words(normalize(part)))
            candidates = list_first(self.kb, candidates, text, lister, floor, t, nouns)
        candidates = value_first(candidates, [a for a in asks if a.exact], t.value_margin)
        if any(a.name in DATED_ASKS for a in asks):
            # 实施方案里宣贯活动什么时候开始: the campaign's days, not the law's.
            things = cache(partial(dated_things, self, text))  # read only when a rival is close
            candidates = dated_first(
                candidates, lambda e: days_of(self, e, things()), t.dated_margin
            )
        top = candidates[0]
        section = section_of(self.kb, candidates, asks, t.list_margin, text)
        rivals = [c for c in candidates[1:] if not related(top.entry, c.entry)]
        gap = ahead(candidates)
        if (
            lister is not None
            and (top.score >= t.list_floor or gap >= t.list_lead)
            and (section is not None or lister.held(top.entry.text))
        ):
            # A list question is answered by the section that holds the list, or by a
            # passage that holds a series, even where the words leave some doubt (it scores
            # fairly, or far ahead of any other): the whole list shows, cited.
            return self.shaper.fitted(question, intent, candidates, text, asks)

        def bare() -> bool:  # one word alone: read only for a near tie
            return not self.intents.asks_something(text) and len(self.weighty(text)) == 1

        tied = is_tie(top, rivals, gap, needed_gap, t, bare=bare)
        if not tied and (top.score >= t.sure or (top.score >= t.answer and gap >= needed_gap)):
            return self.shaper.fitted(question, intent, candidates, text, asks)
        picks: list[Entry] = [top.entry]
        for c in rivals:
            if len(picks) >= MAX_SUGGESTIONS or c.score < floor:
                break
            if not any(related(c.entry, p) for p in picks):
                picks.append(c.entry)
        exact = [a for a in asks if a.exact]
        if exact and all(lacking(exact, p.text) for p in picks):
            # 知识产权法院在哪: none of the passages to offer holds an address; offering them
            # would suggest one of them does. Offer the passages further down that hold
            # such a value (宣灌活动到几号结束: the schedule, ranked low for the typo);
            # when none does, say plainly what the material does not state.
            holders = value_holders(exact, candidates[: self.tuning.exact_depth])
            if holders:
                picks = holders[:MAX_SUGGESTIONS]
            elif top.score >= t.partial_floor and self._names(top.entry, text):
                return self.shaper.fitted(question, intent, candidates, text, asks)
            else:
                labels = "、".join(a.missing for a in exact)
                message = respond("partial_missing").format(topic="", missing=labels)
                return self.compose.fallback(question, intent, message, top.score)
        return self.compose.clarify(question, intent, respond("clarify"), picks, top.score)
