"""The answer for a chosen entry, shaped by what the question asks for.

Finding the entry is not answering: a list question wants the section's every item or the
whole passage a part was carved from; a contact wants the card; a passage lacking the
specific asked (an amount, an address) is offered as what the material says, with a plain
statement of what it does not state (bot/engine/fit.py decides each of these).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from bot.engine.asks import LIST, AskType, asked_types
from bot.engine.fit import (
    broader,
    compact,
    counted_series,
    descend,
    lacking,
    list_nouns,
    list_object,
    mentioning,
    related,
    section_of,
    topic,
    unheld,
    value_holders,
)
from bot.engine.normalize import clean, normalize
from bot.engine.reply import Reply
from bot.engine.retrieve import Candidate
from bot.engine.series_pick import asked_series, series_reply
from bot.knowledge.model import Entry

if TYPE_CHECKING:
    from bot.engine.core import Engine


class Shaper:
    """Shapes the answers of one engine (it reads the engine's knowledge, composer and
    contact desk, as the contact desk does)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def fitted(
        self,
        question: str,
        intent: str,
        candidates: list[Candidate],
        text: str,
        asks: list[AskType],
    ) -> Reply:
        """The answer for the top candidate, shaped by what the (cleaned) question `text`
        asks for (`asks`, its ask types)."""
        e = self.engine
        top = candidates[0]
        section = section_of(e.kb, candidates, asks, e.tuning.list_margin, text)
        if section is not None:
            items = e.kb.items_of(section.id)
            return e.compose.listing(question, intent, section, items, top.score)
        if any(a.name == LIST for a in asks):
            # A list asked for: the whole passage a part was carved from holds every item.
            top = broader(candidates, e.tuning.list_margin)
        if top.entry.kind == "contact":  # its card; a way to reach them not held is said so
            return e.desk.card(question, text, intent, top.entry, top.score)
        if _heading_asked(top.entry, text) or any(
            counted_series(top.entry.text, w) for w in e.tokenizer.words(normalize(text))
        ):
            # 结合实际落地实施具体指什么: the heading's own passage says what it means; 五进是
            # 指什么: the series of five 进 spells it out.
            asks = [a for a in asks if a.name != "definition"]
        if _heading_asked(top.entry, text, titles=False):
            # 注重总结强化提升具体包括哪些工作: what a heading of the material takes, its
            # passage says clause by clause (not so of the base's own titles: 专利导航制度).
            asks = [a for a in asks if a.name != LIST]
        nouns = list_nouns(text, lambda part: e.tokenizer.words(normalize(part)))
        missing = lacking(asks, top.entry.text, nouns, list_object(text))
        about = ""
        for ask in asks:
            # 电商平台要承担什么责任: a passage saying only that its duties were set out, of
            # the subject (the thing left out of what is shared: 平台, not 责任).
            if ask.hollow and ask.thing:
                subject = topic(
                    text.replace(ask.thing, "\0"),
                    top.entry.text,
                    self._share,
                    e.tuning.common_topic_share,
                )
                if ask.hollow_in(top.entry.text, subject):
                    missing, about = ask, subject
                    break
        if missing is not None and missing.exact:
            both = self._other_part(question, intent, candidates, text, asks)
            if both is not None:
                return both
            # 宣贯活动为期几个月: the general requirements state no span, the schedule close
            # behind does; saying "not stated" would be false, so those holding it that could
            # answer on their own score are offered.
            depth = e.tuning.exact_depth
            others = [
                c
                for c in candidates[:depth]
                if not related(top.entry, c.entry) and c.score >= e.tuning.answer
            ]
            holders = value_holders([a for a in asks if a.exact], others)
            if holders:
                prompt = e.intents.response("clarify")
                return e.compose.clarify(question, intent, prompt, holders, top.score)
        if missing is not None:
            about = about or topic(text, top.entry.text, self._share, e.tuning.common_topic_share)
            lacks = [missing.missing, *(a.missing for a in unheld(asks, top.entry.text))]
            lacked = "、".join(dict.fromkeys(lacks))
            if not about and topic(text, top.entry.text):
                # 条例适用于哪些地方: every other passage mentions 条例; quoting one says nothing.
                message = e.intents.response("partial_missing").format(missing=lacked)
                return e.compose.fallback(question, intent, message, top.score)
            return e.compose.partial(
                question,
                intent,
                top.entry,
                top.score,
                topic=self._label(about, top.entry),
                missing=lacked,
                shown=mentioning(top.entry.text, about),
            )
        if not e.kb.items_of(top.entry.id):
            # 宣传渠道有哪些: the series the passage lists them in, not the paragraph.
            picked = asked_series(e, text, top.entry, any(a.name == LIST for a in asks))
            if picked is not None:
                return series_reply(e, question, intent, top.entry, top.score, picked)
        excerpt = e.retriever.excerpt(normalize(e.fixer.fix(clean(question))), top.entry)
        return e.compose.answer(question, intent, top.entry, top.score, excerpt=excerpt)

    def _other_part(
        self,
        question: str,
        intent: str,
        candidates: list[Candidate],
        text: str,
        asks: list[AskType],
    ) -> Reply | None:
        """Two questions in one message (条例几章几条？另外宣贯活动啥时候结束？): the top
        passage answers the part that does not ask the value it lacks, and the part that
        does, asked alone, is answered by a passage holding that value: both passages,
        each cited. None otherwise, and the value is said not to be stated."""
        e = self.engine
        top = candidates[0]
        lacked = [a for a in asks if a.exact and not a.held(top.entry.text)]
        parts = [p for p in e.intents.parts(text) if e.weighty(p)]
        asking = [p for p in parts if any(a.asked(p) for a in lacked)]
        rest = [p for p in parts if p not in asking]
        if not asking or not rest:
            return None
        # The rest, asked alone, finds the passage that answers it: the top one, or one
        # that answers it on its own score, holding what it asks.
        rest_text = " ".join(rest)
        first = next(iter(e.search(rest_text)), None)
        if first is None:
            return None
        if first.entry.id != top.entry.id and (
            first.score < e.tuning.answer
            or lacking(asked_types(e.intents.asks, rest_text), first.entry.text) is not None
        ):
            return None
        wanted = [a for a in lacked if any(a.asked(p) for p in asking)]
        other = next(
            (
                c.entry
                for c in e.search(" ".join(asking))[:OTHER_PART_DEPTH]
                if c.score >= e.tuning.answer
                and not related(first.entry, c.entry)
                and all(a.held(c.entry.text) for a in wanted)
            ),
            None,
        )
        if other is None:
            return None
        score = min(first.score, top.score) if first.entry.id != top.entry.id else top.score
        # In the order the message asks them.
        pair = [first.entry, other]
        if text.find(asking[0]) < text.find(rest[0]):
            pair.reverse()
        replies = [e.compose.answer(question, intent, entry, score) for entry in pair]
        return e.compose.joined(question, intent, replies)

    def _label(self, about: str, entry: Entry) -> str:
        """What the partial reply says the material mentions: the text question and passage
        share, widened to whole words of the passage (省政府设 → 省政府设立, 失信 → 失信行为);
        the passage's title where that names nothing in particular (行为, which many
        passages hold)."""
        text = entry.text
        start = text.find(about) if about else -1
        if start < 0:
            return entry.title
        bounds, at = [0], 0
        for piece in self.engine.tokenizer.cut(text):
            at += len(piece)
            bounds.append(at)
        begin = max(b for b in bounds if b <= start)
        end = min(b for b in bounds if b >= start + len(about))
        label = text[begin:end].strip("，。；、：（）() 的")
        if (len(label) < LABEL_CHARS and self._held(label) > 1) or len(label) > len(
            about
        ) + LABEL_WIDEN:
            return entry.title
        return label

    def _held(self, words: str) -> int:
        """How many entries hold `words`."""
        return sum(words in entry.text for entry in self.engine.kb.entries.values())

    def _share(self, words: str) -> float:
        """The share of entries holding `words`: so many hold 条例 that it names no topic."""
        return self._held(words) / max(1, len(self.engine.kb.entries))

    def part(self, question: str, intent: str, part: Entry, text: str) -> Reply:
        """A part a list question names and the retrieval agrees on, though its words leave
        the score short of an answer: a section with every item, or the item's passage."""
        e = self.engine
        confidence = e.tuning.answer
        if e.kb.items_of(part.id):
            section = descend(e.kb, part, text)
            items = e.kb.items_of(section.id)
            return e.compose.listing(question, intent, section, items, confidence)
        return e.compose.answer(question, intent, part, confidence)


# The shortest shared text a partial reply names as what the material mentions, unless no
# other passage holds it: two characters most passages share (行为, 机构) name nothing in
# particular, and the passage's title is said instead.
LABEL_CHARS = 3
# At most this many characters are added to make the shared text whole words.
LABEL_WIDEN = 6

# How far down the other part's own ranking a passage holding its value may be (宣贯活动
# 啥时候结束: the summing-up requirement first, the schedule second).
OTHER_PART_DEPTH = 3

# A heading's numbering or label (（三）, 三、, 工作重点三：) before its words.
_LABEL = re.compile(
    r"^(?:[（(][一二三四五六七八九十\d]+[）)]|[一二三四五六七八九十\d]+[、.]|[^：:]{1,8}[：:])"
)


def _heading_asked(entry: Entry, text: str, *, titles: bool = True) -> bool:
    """Whether the question names the entry's heading words (at least four characters), or
    with `titles` its title: what it asks them to mean, the passage under them says."""
    plain = compact(normalize(text))
    for head in (entry.heading, entry.title) if titles else (entry.heading,):
        words = compact(normalize(_LABEL.sub("", head or "")))
        if len(words) >= 4 and words in plain:
            return True
    return False
