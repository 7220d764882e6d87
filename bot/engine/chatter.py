"""Small talk by meaning: a short message nothing in the knowledge base answers, close in
meaning to a small-talk rule's `examples` (intents/rules.yaml), is that small talk; nearer
to the out-of-scope rule's examples, it stays a refused question.

The rules' whole-message patterns and cue words catch the usual wordings; people greet,
thank and ask "are you a bot" in endless other words (你是ChatGPT吗, 饭点了，你吃过没).
The examples are embedded once, as questions, with the encoder retrieval already uses, and
the message's vector is the one retrieval computed (cached), so a fallback costs one small
matrix product more.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import numpy as np

from bot.engine.normalize import normalize

if TYPE_CHECKING:
    from bot.engine.intents import IntentSet, Rule
    from bot.engine.retrieve import Retriever
    from bot.engine.tuning import Tuning


class Chatter:
    """Small talk the rules' whole-message patterns miss, in a short message nothing in the
    knowledge base answers: one holding a rule's cue and no word the base is about (厉害厉害，
    讲得挺明白的), or one near in meaning to a rule's examples (你是ChatGPT吗)."""

    def __init__(self, intents: IntentSet, retriever: Retriever) -> None:
        """The retriever's encoder embedded the examples of `intents.chatty()`, in order."""
        self.intents = intents
        self.vocabulary = retriever.vocabulary
        self.cut = retriever.tokenizer.cut
        self.semantic = retriever.semantic
        self.owners = [rule for rule in intents.chatty() for _ in rule.examples]

    def smalltalk(
        self, text: str, weighty: Callable[[str], list[str]], tuning: Tuning
    ) -> tuple[Rule, str] | None:
        """The small-talk rule a cleaned message is, and the response key to answer with.
        `weighty`: the words of a text that make a question specific."""
        if len(text) >= tuning.cued_smalltalk_chars:
            return None
        rule = self.cued(text)
        if rule is not None:
            rest = text
            for cue in rule.cues:
                rest = rest.replace(cue, " ")
            if not self.about_base(rest, weighty):
                return rule, "help" if rule.action == "help" else rule.reply or rule.name
        claims = self.intents.follow_ups.claims
        if self.about_base(text, weighty) or (claims and claims.search(text) and weighty(text)):
            # 约谈完了学校还不改会怎么样 sounds like 下次再聊 to the encoder: a message naming
            # what the base is about is a question about it, however it sounds; so is a short
            # claim about something (是罚款吧).
            return None
        window = normalize(text)[-tuning.semantic_max_chars :]
        rule = self.meant(window, tuning.smalltalk_similarity)
        if rule is None or rule.action == "out_of_scope":
            # Nearest to a question about something else: refused as before.
            return None
        # Which small talk it is, meaning tells less surely than that it is small talk: the
        # reply says what the assistant is for, whatever the nearest rule.
        return rule, "chitchat"

    def cued(self, text: str) -> Rule | None:
        """The small-talk rule one of whose cue words starts a word of the cleaned text."""
        return self.intents.cued(text, self._starts(text))

    def off_topic(self, text: str, weighty: Callable[[str], list[str]]) -> bool:
        """True for a message that names nothing the base or the campaign's field is about
        (明天保定下雨不, 红烧肉怎么做): the campaign's contact is no help with it."""
        if self.names_field(text):
            return False
        return not self.about_base(text, weighty)

    def names_field(self, text: str) -> bool:
        """Whether a word of the campaign's field (`domain_words`: 商标, 侵权, 条例) is in it."""
        return any(word in text for word in self.intents.domain_words)

    def _starts(self, text: str) -> frozenset[int]:
        """Where the words of a cleaned message begin, as jieba cuts it."""
        starts, at = set(), 0
        for piece in self.cut(text):
            starts.add(at)
            at += len(piece)
        return frozenset(starts)

    def about_base(self, text: str, weighty: Callable[[str], list[str]]) -> bool:
        """True when a word of `text` heavy enough to make a question specific is one the
        knowledge base uses."""
        return any(w in self.vocabulary for w in weighty(text))

    def nearest(self, window: str) -> tuple[Rule, float] | None:
        """The rule of the example nearest to the message (its last characters, as retrieval
        embeds it), with the cosine; None without an encoder or examples."""
        cosine = self.semantic.example_scores(window) if self.semantic is not None else ()
        if not len(cosine):
            return None
        best = int(np.argmax(cosine))
        return self.owners[best], float(cosine[best])

    def meant(self, window: str, similarity: float) -> Rule | None:
        """The small-talk rule the message means, when an example is at least `similarity`
        near it."""
        found = self.nearest(window)
        return found[0] if found is not None and found[1] >= similarity else None
