"""What the assistant says to one WeChat message: the channel's core, shared by official
accounts and WeCom apps, free of XML and crypto.

- A text is a question: answered and recorded through the application layer, rendered from
  the reply's blocks within the reply size. A clarify reply's suggestions are numbered and
  remembered: replying with a number picks one.
- 开始答题 (or the menu button) starts practice: a question with options A, B, …; a letter
  answers it through the quiz service (scored once per user), and the reply gives right or
  wrong, the explanation, its source, the score and the next question.
- A live game's PIN (six digits, from the hall's screen) gets a link card to join it from the
  phone's browser, while the game has not finished.
- `subscribe` gets the greeting with example questions; menu clicks are the command words
  of intents/rules.yaml; other message types (image, voice, location…) a polite text.

Users are known by the platform's id (OpenID, UserID) qualified by the channel
(`wechat:o6_bmj…`); the application layer stores only its keyed hash, and the dialogue state
keys on the same hash.
"""

from __future__ import annotations

import logging
import re
import secrets
import unicodedata
from urllib.parse import quote

from bot.app import Assistant, Incoming
from bot.app.ratelimit import RateLimiter, Verdict
from bot.engine import Reply
from bot.engine.plain import Labels
from bot.frontends.wechat.dialogue import Asked, DialogueStore
from bot.frontends.wechat.links import live_game_link
from bot.frontends.wechat.messages import EVENT, NOTHING, TEXT, Inbound, Outbound
from bot.frontends.wechat.render import cut, join, reply_text, utf8_len
from bot.frontends.wechat.settings import WeChatSettings
from bot.frontends.wechat.texts import Texts
from bot.live.game import valid_pin
from bot.quiz import QuizService
from bot.storage.questions import hash_user

_LOGGER = logging.getLogger(__name__)

LETTERS = "ABCDEFGHIJ"
# A practice answer: one option letter, perhaps with a full stop or bracket after it.
_LETTER = re.compile(r"([A-J])[\s.。、,，)）]*")
# Practice polls of each channel are kept under these chat ids (Telegram's are real chats,
# the web's 0), so one channel's poll is never answered through another.
PRACTICE_CHATS = {"wechat": -2, "wecom": -3}
# Menu button keys and the response whose words they send.
MENU_KEYS = {
    "SCHEDULE": "wx_menu_schedule",
    "CONTACTS": "wx_menu_contacts",
    "PRACTICE": "wx_menu_practice",
}
# The full passage of an entry on the web (served by pages.py).
PASSAGE_PATH = "/wx/passage/"


def passage_url(base: str, entry: str) -> str:
    return f"{base.rstrip('/')}{PASSAGE_PATH}{quote(entry, safe=':')}"


class Conversation:
    """Answers one inbound message at a time; `handle` never raises."""

    def __init__(
        self,
        assistant: Assistant,
        settings: WeChatSettings,
        *,
        store: DialogueStore | None = None,
        limiter: RateLimiter | None = None,
    ) -> None:
        self.assistant = assistant
        self.settings = settings
        self.texts = Texts(lambda: assistant.engine)
        self.store = store or DialogueStore()
        self.limiter = limiter or RateLimiter(settings.user_rate_limit)

    @property
    def limit(self) -> int:
        return self.settings.max_reply_bytes

    def user_key(self, user: str) -> str:
        """The keyed hash the dialogue state (and the database) knows a user by."""
        return hash_user(user, self.settings.hash_secret)

    async def handle(self, inbound: Inbound, base_url: str) -> Outbound:
        """The reply to one message; a bug answers with an apology, never an exception."""
        try:
            return await self._handle(inbound, base_url)
        except Exception:
            _LOGGER.exception("%s: could not handle a %s message", inbound.channel, inbound.kind)
            return Outbound(self.texts("wx_error"))

    async def _handle(self, inbound: Inbound, base_url: str) -> Outbound:
        user = f"{inbound.channel}:{inbound.user}"
        if inbound.kind == TEXT:
            return await self._text(inbound.channel, user, inbound.text, base_url, "private")
        if inbound.kind != EVENT:
            return Outbound(self.texts("wx_unsupported"))
        if inbound.event in ("subscribe", "subscribe_scan"):
            return Outbound(self.texts("wx_greeting"))
        if inbound.event == "unsubscribe":
            self.store.forget(self.user_key(user))
            return NOTHING
        if inbound.event == "click" and inbound.key:
            words = self.texts.words(MENU_KEYS[inbound.key]) if inbound.key in MENU_KEYS else []
            command = words[0] if words else inbound.key
            return await self._text(inbound.channel, user, command, base_url, "menu")
        return NOTHING  # view (a link opened), enter_agent, location reports…

    # -- text ------------------------------------------------------------------------------

    async def _text(
        self, channel: str, user: str, text: str, base_url: str, chat_type: str
    ) -> Outbound:
        key = self.user_key(user)
        verdict = self.limiter.check(key)
        if verdict is Verdict.DROP:
            return NOTHING
        if verdict is Verdict.NOTIFY:
            return Outbound(self.texts("rate_limited"))
        word = unicodedata.normalize("NFKC", text).strip()
        if word in self.texts.words("wx_practice_stop"):
            return await self._stop_practice(user, key)
        if word in self.texts.words("wx_practice_trigger"):
            return Outbound(await self._practice_question(channel, user, key))
        asked = self.store.asked(key)
        letter = _LETTER.fullmatch(word.upper())
        if asked is not None and letter and LETTERS.index(letter.group(1)) < asked.options:
            return await self._practice_answer(channel, user, key, asked, letter.group(1))
        if valid_pin(word):
            card = await self._live_card(word, base_url)
            if card is not None:
                return card
        if word.isdigit() and word.isascii():
            return self._pick(channel, user, key, int(word), base_url, chat_type)
        reply = self.assistant.ask(Incoming(text, channel, user, chat_type))
        if reply.suggestions:
            entries = tuple(s.entry for s in reply.suggestions)
            self.store.offer(key, reply.question, entries)
        else:
            self.store.clear_offer(key)
        return Outbound(self.render(reply, base_url))

    def _pick(
        self, channel: str, user: str, key: str, number: int, base_url: str, chat_type: str
    ) -> Outbound:
        """A number typed back: the suggestion it names, or how picking works."""
        offered = self.store.offered(key)
        if offered is None or not 1 <= number <= len(offered.entries):
            return Outbound(self.texts("wx_no_pending"))
        incoming = Incoming(offered.question, channel, user, chat_type)
        reply = self.assistant.choose(incoming, offered.entries[number - 1])
        return Outbound(self.render(reply, base_url))

    async def _live_card(self, pin: str, base_url: str) -> Outbound | None:
        """A link card to the live game with this PIN; a text when it has finished; None
        when there is no such game (the digits are then read as any other number)."""
        live = self.assistant.live
        if live is None:
            return None
        await live.prepare()
        game = await live.game(pin)
        if game is None:
            return None
        if game.status == "finished":
            return Outbound(self.texts("wx_live_finished", pin=pin))
        url = game.join_link(self.settings.live_url or self.settings.web_url or base_url)
        return live_game_link(
            url, self.texts("wx_link_title", pin=pin), self.texts("wx_link_description")
        )

    def render(self, reply: Reply, base_url: str) -> str:
        """The reply as one WeChat text: blocks, 来源 line, and a link to the whole passage
        when it had to be cut."""
        engine = self.assistant.engine
        base = self.settings.web_url or base_url
        if reply.entry and reply.entry in engine.kb.entries:
            url = passage_url(base, reply.entry)
        else:
            url = base.rstrip("/") + "/"
        return reply_text(
            reply,
            Labels.from_texts(engine.intents.response),
            limit=self.limit,
            pick_hint=self.texts("wx_pick_hint"),
            more=self.texts("wx_more", url=url),
        )

    # -- practice --------------------------------------------------------------------------

    async def _quiz(self) -> QuizService | None:
        quiz = self.assistant.quiz
        if quiz is not None:
            await quiz.prepare()
        return quiz

    async def _practice_question(self, channel: str, user: str, key: str) -> str:
        """The user's next practice question as text (registered and remembered), or the
        note that the bank is empty."""
        quiz = await self._quiz()
        question = await quiz.practice_question(user) if quiz is not None else None
        if quiz is None or question is None:
            return self.texts("wx_practice_empty")
        poll_id = f"{channel}-{secrets.token_urlsafe(12)}"
        await quiz.register_poll(
            poll_id,
            None,
            PRACTICE_CHATS[channel],
            None,
            question.item,
            question.order,
            question.correct_index,
            quiz.clock(),
            None,
        )
        self.store.ask(key, poll_id, len(question.options))
        letters = LETTERS[: len(question.options)]
        lines = [self.texts("wx_practice_question", question=question.item.question)]
        lines += [f"{letters[i]}. {option}" for i, option in enumerate(question.options)]
        lines.append(self.texts("wx_practice_prompt", letters="/".join(letters)))
        return "\n".join(lines)

    async def _practice_answer(
        self, channel: str, user: str, key: str, asked: Asked, letter: str
    ) -> Outbound:
        """Score the letter once, then right or wrong, explanation, source, score, and the
        next question."""
        self.store.stop_practice(key)  # before awaiting: a second letter is not an answer
        quiz = await self._quiz()
        if quiz is None:
            return Outbound(self.texts("wx_practice_empty"))
        outcome = await quiz.record_answer(asked.poll_id, user, "", [LETTERS.index(letter)])
        poll = await quiz.get_poll(asked.poll_id)
        if poll is None:  # cannot happen: registered before it was sent
            return Outbound(await self._practice_question(channel, user, key))
        totals = await quiz.practice_score(user)
        if outcome.correct:
            lead = self.texts("wx_practice_right", points=outcome.points)
        else:
            lead = self.texts(
                "wx_practice_wrong", letter=LETTERS[poll.correct_index], answer=poll.answer
            )
        item = quiz.items().get(poll.question_id)
        explanation = item.explanation.strip() if item is not None else ""
        source = (
            self.texts("wx_practice_source", source=poll.source_line) if poll.source_line else ""
        )
        score = self.texts(
            "wx_practice_score",
            answered=totals.answered,
            correct=totals.correct,
            points=totals.points,
        )
        following = await self._practice_question(channel, user, key)
        nxt = f"{self.texts('wx_practice_next')}\n{following}"
        rest = join([source, score, nxt])
        room = self.limit - utf8_len(join([lead, rest])) - 1
        if explanation and room > 0:
            mark = Labels.from_texts(self.assistant.engine.intents.response).excerpt_mark
            lead = f"{lead}\n{cut(explanation, room, mark)}"
        return Outbound(cut(join([lead, rest]), self.limit))

    async def _stop_practice(self, user: str, key: str) -> Outbound:
        self.store.stop_practice(key)
        quiz = await self._quiz()
        score = ""
        if quiz is not None:
            totals = await quiz.practice_score(user)
            score = self.texts(
                "wx_practice_score",
                answered=totals.answered,
                correct=totals.correct,
                points=totals.points,
            )
        return Outbound(self.texts("wx_practice_stopped", score=score))
