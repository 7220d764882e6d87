"""Article and chapter lookups (第N条 / 第N章) within the law a question names.

A question that names no law uses the knowledge base's primary law; one whose name fits
several laws equally gets a question back. Numbers beyond the last article or chapter say
how many there are; an article whose text is not loaded says so and never guesses.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from bot.engine.asks import LIST, asked_types
from bot.engine.compose import Composer
from bot.engine.intents import IntentSet
from bot.engine.normalize import normalize
from bot.engine.positions import LAST
from bot.engine.reply import Contacts, Reply
from bot.knowledge.derive import article_id, chapter_id, structure_id
from bot.knowledge.model import Chapter, Entry, KnowledgeBase, Law
from bot.numerals import to_chinese, to_int

# An article asked by its number (第68条, as normalised), or a run of them (第1条至第3条).
_ARTICLE = re.compile(r"第(\d+)条(?:(?:至|到|~|～|-|—)第?(\d+)条)?")
# At most this many articles of a run are taken (第1条至第68条 is no question of each).
_MAX_RUN = 10


def _articles_asked(text: str) -> list[int]:
    """The article numbers a (normalised) question asks, runs spelt out (第1条至第3条)."""
    found: list[int] = []
    for first, last in _ARTICLE.findall(text):
        a, b = int(first), int(last or first)
        found.extend(range(a, b + 1) if 0 < b - a < _MAX_RUN else [a, b] if last else [a])
    return found


LAW_WORDS = ("条例", "法", "规定", "办法", "细则")
# A law's name right before 第N条/第N章 (专利法第五条, 上海专利条例第3章).
# …or asked which (专利法第几条规定了侵权赔偿, 商标法哪一条): a law the base lacks either way.
_LAW_BEFORE_NUMBER = re.compile(
    r"([\u4e00-\u9fff]{1,20}?(?:条例|法典|法|规定|办法|细则))(?:第(?:\d+|几|多少)|哪一?)[条章]"
)
# A law-like name anywhere in a question.
_LAW_NAME = re.compile(r"([\u4e00-\u9fff]{2,20}?(?:条例|法|规定|办法|细则))")
# Words that refer to whichever law is primary, not to a law by name.
_GENERIC_LAW_NAMES = frozenset({"条例", "本条例", "该条例", "这个条例", "那个条例", "法", "本法"})
# A place and the law word it qualifies, a few characters apart (北京的专利条例).
# Between the place and the law word no word of working together: 北京天津协同方面有什么规定
# asks about cooperation with them, not about their law.
_PLACE_TO_LAW = (
    r"(?:(?!协同|合作|协作|交流|对接|一体化|联动)[^，。？！,.?!]){0,8}?"
    r"(?:条例|法规|法律|办法|细则|规定|法)"
)


def place_stem(place: str) -> str:
    """The part of a place name a law's title holds (北京市 → 北京); empty when only one
    character would be left (上市, as in 上市许可, is not 上海)."""
    stem = place.rstrip("省市县区")
    return stem if len(stem) >= 2 else ""


def is_jurisdiction(place: str) -> bool:
    """Whether a word jieba tags as a place can name a jurisdiction a law belongs to.

    A county is named by one character (雄县), but jieba's two-character 市/省/区 words are
    mostly ordinary words (上市 as in 药品上市, 城市, 山区) or abbreviations, not places
    with laws of their own.
    """
    return bool(place_stem(place)) or (len(place) == 2 and place.endswith("县"))


def laws_of_place(kb: KnowledgeBase, place: str) -> list[Law]:
    """Laws whose title holds the place (北京 → 《北京市专利保护和促进条例》)."""
    stem = place_stem(place)
    return [law for law in kb.laws.values() if stem and stem in law.title]


def _places_in(plain: str, places: frozenset[str]) -> list[str]:
    """Place names in the text, longest first (places holds ~18k names: look up, not scan)."""
    spans = {
        plain[i:j] for i in range(len(plain)) for j in range(i + 2, min(i + 6, len(plain)) + 1)
    }
    return sorted(spans & places, key=len, reverse=True)


def named_laws(
    kb: KnowledgeBase, text: str, places: frozenset[str] = frozenset()
) -> tuple[list[Law], list[str]]:
    """Laws the text names, and the names it used.

    By name or alias, the longest name winning (专利法实施细则 over 专利法); failing that,
    by a place and a word for a law (北京的专利条例 → the law whose title holds 北京).
    """
    plain = normalize(text)
    best: list[Law] = []
    used: list[str] = []
    best_len = 0
    for law in kb.laws.values():
        names = [normalize(n) for n in (law.title, *law.aliases) if n]
        hits = sorted((n for n in names if n in plain), key=len, reverse=True)
        if not hits:
            continue
        if len(hits[0]) > best_len:
            best, used, best_len = [law], [hits[0]], len(hits[0])
        elif len(hits[0]) == best_len:
            best.append(law)
            used.append(hits[0])
    specific = best and not set(used) <= _GENERIC_LAW_NAMES
    if specific or not any(word in plain for word in LAW_WORDS):
        return best, used
    # A place the text names (北京的专利条例) decides before a partial name that fits
    # another place's law (专利条例 is in 浙江省专利条例's title).
    by_place: list[Law] = []
    place_used = ""
    for place in _places_in(plain, places):
        by_place = laws_of_place(kb, place)
        if by_place:
            place_used = place
            break
    # A partial name (专利保护条例) fits every law whose title holds it: maybe several.
    for match in _LAW_NAME.finditer(plain):
        for start in range(len(match.group(1))):
            name = match.group(1)[start:]
            if name in _GENERIC_LAW_NAMES or len(name) < 4:
                break
            found = [law for law in kb.laws.values() if name in normalize(law.title)]
            if by_place:
                found = [law for law in found if law in by_place]
            if found:
                return found, [name]
    if best and not by_place:  # only a generic name (条例): the law that goes by it
        return best, used
    if by_place:
        return by_place, [place_used]
    return best, used


# A count of chapters or articles stated of the law itself, right after its name (条例共九章
# 七十条, 条例是不是一共六十八条, 条例一共是七章吗), not of a part of it (条例附则有两条吗), of
# something else (条例宣贯的工作重点是三条吗) nor a place (条例68条是什么).
_NUM = r"[\d零〇一二两三四五六七八九十百]+"
_COUNT = re.compile(
    rf"(?:条例|本法)(?:是不是|是否|是|一共|总共|共|有|就|只|才|的)*({_NUM})个?([章条])"
    rf"(?:[、，,和]?({_NUM})个?([章条]))?(?=$|[，,。？?！!吗吧呢嘛啊]|是[吗吧不]|对|没|不对|还)"
)
# The articles of each chapter asked (各章分别有多少条, 每章几条, 第五章有几条).
_PER_CHAPTER = re.compile(
    r"(各章|每章|每一章|每个章|各个章).{0,6}(几条|多少条|多少个条)|第\d+章.{0,4}(几条|多少条)"
)
# Another document of the campaign named: its parts (实施方案的总则) are not the law's.
_OTHER_DOCUMENT = re.compile(r"方案|通知|解读")
# Passages naming an unloaded chapter's subject offered with it, at most.
_NAMING_SHOWN = 3
# Entries a law's structure derives, not passages of its own.
_STRUCTURE_KINDS = ("chapter", "structure")
# A question about the whole structure or a chapter's neighbours, not one chapter by name
# (从总则到附则一共几章, 总则后头是哪章).
_STRUCTURE_ASKED = re.compile(
    r"几章|多少章|几条|多少条|结构|各章|章节|[前后]头|[前后]面|之[前后间]|挨着|接着|[上下]一章"
)


def _own_chapter_names(kb: KnowledgeBase) -> tuple[dict[str, frozenset[str]], frozenset[str]]:
    """Per law, the chapter names (two characters or more) that no passage (campaign text or
    article: 著作权 is a word of the copyright law's articles) uses, but those listing the
    chapters (half of the names or more); and the ids of those listing entries."""
    own: dict[str, frozenset[str]] = {}
    listing: set[str] = set()
    for law in kb.laws.values():
        names = {c.name for c in law.chapters if len(c.name) >= 2}
        used = set()
        for entry in kb.entries.values():
            if entry.kind in _STRUCTURE_KINDS:
                continue
            held = {name for name in names if name in entry.text}
            if len(held) * 2 < len(names):
                used |= held
            elif held:
                listing.add(entry.id)
        own[law.id] = frozenset(names - used)
    return own, frozenset(listing)


def _subject_parts(chapter: Chapter | None) -> list[str]:
    """The words of a chapter's name a passage on its subject holds (培育与创造: 培育, 创造)."""
    name = chapter.name if chapter is not None else ""
    return [p for p in re.split("[与和及、]", name) if len(p) > 1]


class Lookup:
    def __init__(
        self,
        kb: KnowledgeBase,
        intents: IntentSet,
        compose: Composer,
        words: Callable[[str], list[str]],
        places: frozenset[str] = frozenset(),
    ) -> None:
        """`places`: the words naming places; `words`: the question's words, segmented."""
        self.kb = kb
        self.intents = intents
        self.compose = compose
        self.places = places
        self.words = words
        self.own_names, self.listing = _own_chapter_names(kb)

    def laws_of_place(self, text: str) -> list[Law]:
        """Laws of a place the question names, other than the primary law's place."""
        primary = self.kb.primary
        for word in self.words(normalize(text)):
            if word not in self.places:
                continue
            stem = place_stem(word)
            if primary is not None and stem and stem in primary.title:
                return []
            found = laws_of_place(self.kb, word)
            if found:
                return found
        return []

    def unknown_jurisdiction(self, text: str) -> str | None:
        """A place the question names that no law of the knowledge base belongs to.

        "北京的专利条例" over a base holding only Hebei's regulation must not be answered
        from Hebei's material; once Beijing's regulation is imported, it is.
        """
        known = " ".join(law.title + " ".join(law.aliases) for law in self.kb.laws.values())
        plain = normalize(text)
        for word in self.words(plain):
            if word in self.places and word not in known and is_jurisdiction(word):
                stem = place_stem(word)
                # Only a place that qualifies a law (北京的专利条例), not one merely mentioned
                # next to the regulation (条例跟京津有关系吗).
                # On the text with its punctuation: a comma ends the phrase that qualifies.
                qualifies = re.search(re.escape(word) + _PLACE_TO_LAW, text)
                if qualifies and (not stem or stem not in known):
                    return word
        return None

    def named(
        self, question: str, text: str, search: Callable[[str], Sequence[Entry]]
    ) -> Reply | None:
        """What the question says of the law's structure: counts (`counted`), else a chapter
        by name (`named_chapter`)."""
        return self.counted(question, text) or self.named_chapter(question, text, search)

    def counted(self, question: str, text: str) -> Reply | None:
        """A count of chapters or articles the question states of a law (条例共九章七十条，
        对吗): the law's structure, led by its true counts when a stated one differs. The
        articles of each chapter asked (各章分别有多少条) where the law gives no chapter's
        span: the structure, led by that it is not stated."""
        law = self._target(text)
        if _PER_CHAPTER.search(text):
            spans = law is None or all(c.first_article for c in law.chapters)
            return None if spans else self._spans_missing(question, law)
        # Part by part: normalising drops the ？ ending a claim (八章七十八条？我记得是这样).
        found = next(
            (m for m in (_COUNT.search(normalize(p)) for p in self.intents.parts(text)) if m),
            None,
        )
        if found is None or law is None or not law.chapters:
            return None  # a law not divided into chapters: its structure says so when asked
        pairs = [(found.group(1), found.group(2)), (found.group(3), found.group(4))]
        stated = [(f"{n}{unit}", unit, to_int(n)) for n, unit in pairs if n and unit]
        if not stated or any(n is None or n < 2 for _, _, n in stated):
            return None
        true = {"章": len(law.chapters), "条": law.article_count}
        wrong = [raw for raw, unit, n in stated if n != true[unit]]
        # A claim of the counts answered yes or no first (…对吧: 对。), a question not.
        verdict = self.intents.premises.verdict(self.intents.parts(text), holds=not wrong)
        if not wrong:
            return self._structure_reply(question, "structure", law, verdict)
        lead = verdict + self.intents.response("count_not_so").format(
            law=law.as_source().display,
            chapters=to_chinese(true["章"]),
            articles=to_chinese(true["条"]),
            stated="、".join(wrong),
        )
        return self._structure_reply(question, "structure", law, lead)

    def _target(self, text: str) -> Law | None:
        """The one law a question is about: the one it names, else the primary law — unless
        it names a law the base does not hold (专利法总则讲了啥) or another document (实施方案
        的总则), whose parts are not the law's."""
        laws, _ = named_laws(self.kb, text, self.places)
        if laws:
            return laws[0] if len(laws) == 1 else None
        plain = normalize(text)
        if _OTHER_DOCUMENT.search(plain) or any(
            m.group(1) not in _GENERIC_LAW_NAMES and not m.group(1).endswith("规定")
            for m in _LAW_NAME.finditer(plain)
        ):  # 规定 is as often the verb (附则规定了哪些内容)
            return None
        return self.kb.primary

    def _spans_missing(self, question: str, law: Law) -> Reply:
        """The law's structure, led by its counts and that it gives no chapter's articles
        (spans given, the structure lists them, as retrieval finds it)."""
        lead = self.intents.response("chapter_spans_missing").format(
            law=law.as_source().display,
            chapters=to_chinese(len(law.chapters)),
            articles=to_chinese(law.article_count),
        )
        return self._structure_reply(question, "structure", law, lead)

    def named_chapter(
        self, question: str, text: str, search: Callable[[str], Sequence[Entry]]
    ) -> Reply | None:
        """A chapter called by a name only the law's structure uses (条例附则部分规定了啥):
        that chapter, as 第八章 would be. A name other passages use too (法律责任) and a
        question about the whole structure (从总则到附则共几章) are left to retrieval.

        `search` ranks the base's entries for a question."""
        plain = normalize(text)
        if _STRUCTURE_ASKED.search(plain):
            return None
        law = self._target(text)
        if law is None:
            return None
        own = self.own_names.get(law.id, frozenset())
        found = [c.number for c in law.chapters if c.name in own and c.name in plain]
        if not found:
            return None
        listed = any(a.name == LIST for a in asked_types(self.intents.asks, text))
        if listed and not law.has_text and len(found) == 1:
            # 培育与创造那章讲了哪些点: a passage on the chapter's subject lists points of its
            # own; retrieval decides. 附则规定了哪些内容: none does, only the chapter answers.
            parts = _subject_parts(law.chapter(found[0]))
            top = [
                e
                for e in search(text)
                if e.kind not in _STRUCTURE_KINDS and e.id not in self.listing
            ][:3]
            if any(all(p in e.text for p in parts) for e in top):
                return None
        return self.chapter(question, "chapter", str(found[0]), False, places=found)

    def unloaded(self, question: str, intent: str) -> Reply | None:
        """An article of a law the base does not hold, by number or asked which (专利法第五条,
        专利法第几条规定了侵权赔偿): said so, never answered from another law; else None."""
        mentioned = _LAW_BEFORE_NUMBER.search(normalize(question))
        if not mentioned or mentioned.group(1) in _GENERIC_LAW_NAMES:
            return None  # most questions name no article: the laws are not looked up
        laws, _ = named_laws(self.kb, question, self.places)
        if laws:
            return None
        message = self.intents.response("law_not_loaded").format(law=mentioned.group(1))
        return self.compose.fallback(question, intent, message)

    def _law(self, question: str, intent: str, what: str) -> Law | Reply:
        laws, _ = named_laws(self.kb, question, self.places)
        unloaded = None if laws else self.unloaded(question, intent)  # looked up once if named
        if unloaded is not None:
            return unloaded
        if len(laws) == 1:
            return laws[0]
        if len(laws) > 1:
            entries = [self.kb.entries[structure_id(law.id)] for law in laws]
            prompt = self.intents.response("which_law").format(what=what)
            return self.compose.clarify(question, intent, prompt, entries[:5], 0.5)
        primary = self.kb.primary
        if primary is None:
            return self.compose.fallback(question, intent, self.intents.response("fallback"))
        return primary

    def _structure_reply(self, question: str, intent: str, law: Law, lead: str) -> Reply:
        entry = self.kb.entries[structure_id(law.id)]
        return self.compose.answer(question, intent, entry, 1.0, lead=lead or None)

    def _unanswered(self, question: str, intent: str, law: Law, lead: str) -> Reply:
        """An article the base does not hold: the structure, the note and the contact, as a
        fallback (no article's text is given), which the organisers' list of questions left
        unanswered shows."""
        reply = self._structure_reply(question, intent, law, lead)
        contact = self.compose.default_contact()
        cards = [Contacts(tuple(self.compose.cards([contact])))] if contact is not None else []
        return self.compose.finish(
            question,
            "fallback",
            intent,
            [*reply.blocks, *cards],
            passage=reply.passage,
            entry=reply.entry,
        )

    def article(self, question: str, intent: str, number: str | None) -> Reply | None:
        """An article of the law asked about, or (no number) its whole text; None for a
        whole text of no law the base holds or names (专利法全文, 做法原文): retrieval's."""
        unknown = self.unknown_jurisdiction(question)  # 上海市专利条例全文: not Hebei's
        if number is None and (self._target(question) is None or unknown):
            return None
        n = to_int(number or "")
        law = self._law(question, intent, f"第{number}条")
        if isinstance(law, Reply):
            return law
        display = law.as_source().display
        if number is None and not law.has_text:  # 把条例全文发我一份: none of it is held
            lead = self.intents.response("law_text_not_loaded").format(law=display)
            return self._unanswered(question, intent, law, lead)
        if n is None or n < 1:
            return self._structure_reply(
                question, intent, law, self.intents.response("article_usage")
            )
        if n > law.article_count:
            lead = self.intents.response("article_out_of_range").format(
                law=display, count=to_chinese(law.article_count), label=f"第{to_chinese(n)}条"
            )
            return self._structure_reply(question, intent, law, lead)
        # 第一条和第六十八条, 第一条至第三条: every article asked; one beyond the law's last
        # (第一条和第七十条) is said to be none of it.
        asked = _articles_asked(normalize(question))
        numbers = list(dict.fromkeys(k for k in asked if 0 < k <= law.article_count)) or [n]
        beyond = [k for k in dict.fromkeys(asked) if k > law.article_count]
        if not law.has_text:
            label = "、".join(f"第{to_chinese(k)}条" for k in numbers)
            lead = self.intents.response("article_not_loaded").format(law=display, label=label)
            if beyond:
                none = "、".join(f"第{to_chinese(k)}条" for k in beyond)
                lead = (
                    self.intents.response("article_out_of_range").format(
                        law=display, count=to_chinese(law.article_count), label=none
                    )
                    + lead
                )
            return self._unanswered(question, intent, law, lead)
        held = [self.kb.entries.get(article_id(law.id, k)) for k in numbers]
        if len(held) > 1 and all(held):
            replies = [self.compose.answer(question, intent, e, 1.0) for e in held if e]
            return self.compose.joined(question, intent, replies)
        entry = self.kb.entries.get(article_id(law.id, n))
        if entry is None:
            lead = self.intents.response("article_missing").format(
                law=display, label=f"第{to_chinese(n)}条"
            )
            return self._unanswered(question, intent, law, lead)
        return self.compose.answer(question, intent, entry, 1.0)

    def chapter(
        self,
        question: str,
        intent: str,
        number: str | None,
        last: bool,
        every: bool = False,
        places: Sequence[int] = (),
    ) -> Reply:
        """第N章 or the last chapter; `every` asks for all of them: the law's structure;
        several `places` (第1章和第8章, 1-based, LAST for the last) list those chapters."""
        law = self._law(question, intent, "章")
        if isinstance(law, Reply):
            return law
        spans = all(c.first_article for c in law.chapters)
        if _PER_CHAPTER.search(normalize(question)) and law.chapters and not spans:
            # 各章分别有多少条, 第五章有几条: the law gives no chapter's articles.
            return self._spans_missing(question, law)
        if every:
            return self._structure_reply(question, intent, law, "")
        count = len(law.chapters)
        wanted = list(dict.fromkeys(count if p == LAST else p for p in places))
        if len(wanted) > 1 and all(1 <= n <= count for n in wanted):
            chapters = [self.kb.entries[chapter_id(law.id, n)] for n in wanted]
            structure = self.kb.entries[structure_id(law.id)]
            unloaded = self.intents.response("chapters_not_loaded") if not law.has_text else ""
            note = unloaded.format(law=law.as_source().display)
            return self.compose.listing(question, intent, structure, chapters, 1.0, note)
        n = count if last else to_int(number or "")
        if not count:
            lead = self.intents.response("no_chapters").format(law=law.as_source().display)
            return self._structure_reply(question, intent, law, lead)
        if n is None or not 1 <= n <= count:
            lead = self.intents.response("chapter_out_of_range").format(
                law=law.as_source().display, count=to_chinese(count)
            )
            return self._structure_reply(question, intent, law, lead)
        entry = self.kb.entries[chapter_id(law.id, n)]
        return self.compose.answer(question, intent, entry, 1.0, also=self._naming(law, n))

    def _naming(self, law: Law, number: int) -> tuple[str, list[Entry]]:
        """For a chapter whose text is not loaded, the passages naming its subject (第七章
        法律责任: 严格法律责任), shortest first, under their note; none for a loaded law."""
        chapter = law.chapter(number)
        if law.has_text or chapter is None:
            return "", []
        parts = _subject_parts(chapter)
        naming = [
            e
            for e in self.kb.entries.values()
            if e.kind not in (*_STRUCTURE_KINDS, "contact", "article")
            and e.id not in self.listing
            and parts
            and all(p in e.text for p in parts)
        ]
        naming.sort(key=lambda e: len(e.text))
        words = "".join(f"“{p}”" for p in parts)  # 培育与创造: “培育”“创造”, as they hold them
        note = self.intents.response("chapter_related").format(name=words)
        return note, naming[:_NAMING_SHOWN]
