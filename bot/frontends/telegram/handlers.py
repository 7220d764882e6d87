"""The bot's handlers, one per kind of update it answers; `app.py` wires them.

Private chats: every text message is a question. Groups (privacy mode: the bot sees commands,
mentions and replies to it): only /ask, messages mentioning the bot and replies to the bot's
own messages are answered, always as a reply to the asking message. Inline mode returns up to
five cited cards. Every question passes the per-user limit first and is recorded afterwards.

The engine is called on the event loop, not through `asyncio.to_thread`: an answer costs about
a millisecond (some 25 ms for a 500-character question, the longest the engine reads), and a
worker thread would buy no parallelism under the GIL while adding a hand-off per question and
making the engine's caches shared between threads.
"""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Callable

from telegram import (
    CallbackQuery,
    InlineKeyboardMarkup,
    InlineQueryResultArticle,
    InputTextMessageContent,
    Message,
    MessageEntity,
    Update,
)
from telegram.constants import ChatType, ParseMode
from telegram.error import BadRequest, ChatMigrated, Forbidden, RetryAfter, TelegramError, TimedOut
from telegram.ext import ContextTypes

from bot.app import Assistant, Incoming
from bot.app.ratelimit import RateLimiter, Verdict
from bot.engine import Engine, Reply
from bot.engine.plain import Labels, source_line
from bot.frontends.telegram.callbacks import Action, Button, CallbackCodec
from bot.frontends.telegram.contact_card import send_contact_card
from bot.frontends.telegram.missed import MissedReplies
from bot.frontends.telegram.render import (
    examples_keyboard,
    plain_summary,
    render_inline,
    render_passage,
    render_reply,
    render_text,
    reply_keyboard,
    reply_title,
)
from bot.frontends.telegram.send import DeliveryFailed, Target, chat_kind, send_chunks
from bot.frontends.telegram.texts import Texts
from bot.numerals import to_int

_LOGGER = logging.getLogger(__name__)

Context = ContextTypes.DEFAULT_TYPE

FRONTEND = "telegram"
INLINE_CHAT_TYPE = "inline"  # chat_type recorded for inline queries
MAX_INLINE_RESULTS = 5
INLINE_CACHE_SECONDS = 60
# Errors after which telling the user "出错了" would be wrong or impossible: a timed-out call
# may have succeeded, a blocked bot cannot write, a 429 was already retried to exhaustion.
_QUIET_ERRORS = (TimedOut, Forbidden, RetryAfter, ChatMigrated)
_NUMBER = re.compile(r"第?\s*(?P<n>[0-9０-９零〇一二两三四五六七八九十百千]+)\s*(?P<unit>[条章])?")
_LAST_CHAPTER = frozenset({"最后", "最后一章", "末章", "last"})
_LEADING_PUNCTUATION = " ,，:：、"


def command_argument(message: Message) -> str:
    """The text after the command word (`/ask@bot 问题` → `问题`), spacing kept."""
    parts = (message.text or "").split(maxsplit=1)
    return parts[1].strip() if len(parts) > 1 else ""


def parse_number(argument: str, unit: str) -> int | None:
    """`5`, `五`, `第五条` (unit 条) → 5; None when it is not a positive number."""
    match = _NUMBER.fullmatch(argument.strip())
    if match is None or (match.group("unit") and match.group("unit") != unit):
        return None
    number = to_int(match.group("n"))
    return number if number is not None and number >= 1 else None


def strip_mention(message: Message, username: str, bot_id: int) -> tuple[str, bool]:
    """The message text without mentions of the bot, and whether there was one."""
    text = message.text or ""
    pattern = re.compile(rf"@{re.escape(username)}(?![A-Za-z0-9_])", re.IGNORECASE)
    found = bool(pattern.search(text))
    text = pattern.sub(" ", text)
    for entity, value in message.parse_entities([MessageEntity.TEXT_MENTION]).items():
        if entity.user is not None and entity.user.id == bot_id:
            found = True
            text = text.replace(value, " ", 1)
    return re.sub(r"\s+", " ", text).strip(_LEADING_PUNCTUATION), found


def is_reply_to_bot(message: Message, bot_id: int) -> bool:
    replied = message.reply_to_message
    if replied is None or replied.from_user is None or replied.from_user.id != bot_id:
        return False
    # In a forum every topic message "replies" to the topic's first message; not a real reply.
    return not (message.is_topic_message and replied.message_id == message.message_thread_id)


def sender_id(message: Message) -> int | None:
    """Who asked: the user, or the chat an anonymous admin or channel speaks for."""
    if message.sender_chat is not None:
        return message.sender_chat.id
    return message.from_user.id if message.from_user is not None else None


class Handlers:
    """Update handlers over the application layer, with their texts, button codec and
    limiters: they turn Telegram updates into questions and replies into messages."""

    def __init__(
        self,
        assistant: Assistant,
        texts: Texts,
        codec: CallbackCodec,
        limiter: RateLimiter,
        inline_limiter: RateLimiter,
    ) -> None:
        self.assistant = assistant
        self.texts = texts
        self.codec = codec
        self.limiter = limiter
        self.inline_limiter = inline_limiter
        self.examples = texts.lines("tg_examples")
        self.notices = MissedReplies()

    @property
    def engine(self) -> Engine:
        """The engine in service (a reload swaps it between two updates)."""
        return self.assistant.engine

    @property
    def labels(self) -> Labels:
        """The current engine's labels (a reload brings new wording with the new engine)."""
        return self.engine.compose.labels

    # -- shared steps ------------------------------------------------------------------------

    async def _admit(self, message: Message, context: Context) -> bool:
        """Apply the per-user limit; the first refusal of a burst gets a friendly notice."""
        verdict = self.limiter.check(sender_id(message))
        if verdict is Verdict.NOTIFY:
            await self._say(message, context, self.texts("rate_limited"))
        return verdict is Verdict.ALLOW

    async def _say(
        self,
        message: Message,
        context: Context,
        text: str,
        keyboard: InlineKeyboardMarkup | None = None,
    ) -> None:
        await send_chunks(context.bot, Target.answering(message), render_text(text), keyboard)

    async def _send_reply(self, context: Context, target: Target, reply: Reply) -> bool | None:
        """Send a reply; True delivered, False not (Telegram refused throughout), None
        unknown (a send timed out). A chat that missed a reply is told once Telegram is back."""
        keyboard = reply_keyboard(reply, self.engine.kb, self.codec, self.texts)
        chunks = render_reply(reply, self.labels)
        try:
            sent = await send_chunks(context.bot, target, chunks, keyboard)
        except DeliveryFailed:
            _LOGGER.warning("reply to a %s chat not delivered", chat_kind(target))
            self.notices.owe(target, "tg_undelivered")
            return False
        if sent.uncertain:
            self.notices.owe(target, "tg_maybe_undelivered")
            return None
        await self.notices.pay(context.bot, self.texts)
        return True

    def _record(
        self,
        user_id: int | None,
        chat_type: str,
        question: str,
        reply: Reply,
        delivered: bool | None = True,
    ) -> None:
        """Queue the question and its outcome for the log (never waits for the database)."""
        incoming = Incoming(question, FRONTEND, user_id, chat_type)
        self.assistant.record(incoming, reply, delivered=delivered)

    async def _answer(
        self, message: Message, context: Context, question: str, reply: Reply
    ) -> None:
        """Send an engine reply to the asking message, then record it and whether it went."""
        delivered: bool | None = False
        try:
            delivered = await self._send_reply(context, Target.answering(message), reply)
        finally:
            self._record(sender_id(message), message.chat.type, question, reply, delivered)

    async def _ask(self, message: Message, context: Context, question: str) -> None:
        if await self._admit(message, context):
            chat = message.chat
            incoming = Incoming(question, FRONTEND, sender_id(message), chat.type, chat.id)
            await self._answer(message, context, question, self.assistant.answer(incoming))

    # -- messages ----------------------------------------------------------------------------

    async def private_message(self, update: Update, context: Context) -> None:
        """Private chat: the whole text is a question."""
        message = update.effective_message
        if message is not None and message.text is not None:
            await self._ask(message, context, message.text)

    async def private_other(self, update: Update, context: Context) -> None:
        """Private chat, not text (a sticker, a photo…): ask for words."""
        message = update.effective_message
        if message is not None and await self._admit(message, context):
            await self._say(message, context, self.texts("no_content"))

    async def group_message(self, update: Update, context: Context) -> None:
        """Group text: answered only when it mentions the bot or replies to the bot."""
        message = update.effective_message
        if message is None or message.text is None:
            return
        author = message.from_user
        if author is not None and author.is_bot and message.sender_chat is None:
            return  # other bots: never start a bot-to-bot conversation
        me = context.bot
        question, mentioned = strip_mention(message, me.username, me.id)
        if mentioned:
            await self._ask(message, context, question)
        elif is_reply_to_bot(message, me.id):
            await self._ask(message, context, message.text)

    async def chat_migration(self, update: Update, context: Context) -> None:
        """A group became a supergroup: its id changed. Both service messages arrive."""
        message = update.effective_message
        if message is None:
            return
        if message.migrate_to_chat_id is not None:
            old, new = message.chat.id, message.migrate_to_chat_id
            _LOGGER.info("group %s migrated to supergroup %s", old, new)
        elif message.migrate_from_chat_id is not None:
            old, new = message.migrate_from_chat_id, message.chat.id
            _LOGGER.debug("supergroup %s was migrated from group %s", new, old)
        else:
            return
        # No chat ids are stored in the database (records keep only the chat type); PTB's
        # per-chat data is the one place that knows the old id.
        if old in context.application.chat_data:
            context.application.migrate_chat_data(old_chat_id=old, new_chat_id=new)

    # -- commands ----------------------------------------------------------------------------

    async def start_command(self, update: Update, context: Context) -> None:
        """/start: what the bot does, with example questions as buttons."""
        message = update.effective_message
        if message is None or not await self._admit(message, context):
            return
        text = f"{self.texts('greeting')}\n\n{self.texts('tg_start_prompt')}"
        await self._say(message, context, text, examples_keyboard(self.examples, self.codec))

    async def help_command(self, update: Update, context: Context) -> None:
        message = update.effective_message
        if message is not None and await self._admit(message, context):
            text = "\n\n".join(
                self.texts(key) for key in ("help", "tg_help_commands", "tg_help_quiz")
            )
            await self._say(message, context, text)

    async def ask_command(self, update: Update, context: Context) -> None:
        """/ask <问题>: the way to ask in a group; works in private chats too."""
        message = update.effective_message
        if message is None:
            return
        question = command_argument(message)
        if not question:
            if await self._admit(message, context):
                await self._say(message, context, self.texts("tg_usage_ask"))
            return
        await self._ask(message, context, question)

    async def _lookup(self, message: Message, context: Context, make: Callable[[], Reply]) -> None:
        """Run a direct engine lookup for a command and answer with it."""
        if await self._admit(message, context):
            reply = make()
            await self._answer(message, context, message.text or "", reply)

    async def _usage(self, message: Message, context: Context, usage: str, bad: str) -> None:
        if await self._admit(message, context):
            lead = f"{self.texts('tg_bad_number', arg=bad)}\n" if bad else ""
            await self._say(message, context, lead + self.texts(usage))

    async def article_command(self, update: Update, context: Context) -> None:
        """/article <N>: 第N条, Arabic or Chinese numerals."""
        message = update.effective_message
        if message is None:
            return
        argument = command_argument(message)
        number = parse_number(argument, "条")
        if number is None:
            await self._usage(message, context, "tg_usage_article", argument)
            return
        await self._lookup(message, context, lambda: self.engine.article(str(number)))

    async def chapter_command(self, update: Update, context: Context) -> None:
        """/chapter [N]: one chapter, or the structure of the regulation."""
        message = update.effective_message
        if message is None:
            return
        argument = command_argument(message)
        if not argument:
            await self._lookup(message, context, lambda: self.engine.chapter(None))
            return
        if argument.lower() in _LAST_CHAPTER:
            await self._lookup(message, context, lambda: self.engine.chapter(argument))
            return
        number = parse_number(argument, "章")
        if number is None:
            await self._usage(message, context, "tg_usage_chapter", argument)
            return
        await self._lookup(message, context, lambda: self.engine.chapter(str(number)))

    async def contact_command(self, update: Update, context: Context) -> None:
        """/contact [名字/单位/事项]: the fitting contact, or all of them."""
        message = update.effective_message
        if message is not None:
            query = command_argument(message) or None
            await self._lookup(message, context, lambda: self.engine.contacts(query))

    async def duty_command(self, update: Update, context: Context) -> None:
        """/duty [主体]: one subject's duties, or the subjects as buttons."""
        message = update.effective_message
        if message is not None:
            subject = command_argument(message) or None
            await self._lookup(message, context, lambda: self.engine.duty(subject))

    async def sources_command(self, update: Update, context: Context) -> None:
        message = update.effective_message
        if message is not None:
            await self._lookup(message, context, self.engine.sources)

    async def unknown_command(self, update: Update, context: Context) -> None:
        """A command the bot does not have (private chats only; in groups it may be another
        bot's)."""
        message = update.effective_message
        if message is not None and await self._admit(message, context):
            await self._say(message, context, self.texts("tg_unknown_command"))

    # -- buttons -----------------------------------------------------------------------------

    async def button_press(self, update: Update, context: Context) -> None:
        """An inline button: verified callback data, else a polite "expired" answer."""
        query = update.callback_query
        if query is None:
            return
        button = self.codec.decode(query.data)
        message = query.message
        if button is None or message is None:
            await self._answer_query(query, self.texts("tg_button_expired"))
            return
        if self.limiter.check(query.from_user.id) is not Verdict.ALLOW:
            await self._answer_query(query, self.texts("rate_limited"))
            return
        await self._answer_query(query, None)
        group = message.chat.type != ChatType.PRIVATE
        thread = (
            message.message_thread_id
            if isinstance(message, Message) and message.is_topic_message
            else None
        )
        target = Target(message.chat.id, message.message_id if group else None, thread)
        await self._press(button, target, context, query.from_user.id, message.chat.type)

    async def _press(
        self, button: Button, target: Target, context: Context, user_id: int, chat_type: str
    ) -> None:
        if button.action is Action.PASSAGE:
            entry = self.engine.kb.entries[button.target]
            reply = self.engine.answer_entry(entry.id)
            # A part carved out of a passage shows the whole passage, under its title.
            whole = self.engine.kb.entries.get(entry.parent or "", entry)
            title = self.texts("tg_passage_title", title=whole.title)
            source = source_line(reply.citations, self.labels)
            chunks = render_passage(title, reply.passage or entry.text, source)
            await send_chunks(context.bot, target, chunks)
        elif button.action in (Action.CONTACT, Action.CALL):
            if button.action is Action.CONTACT:
                reply = self.engine.answer_entry(button.target)
                await send_chunks(context.bot, target, render_reply(reply, self.labels))
            contact = self.engine.kb.contacts.get(button.target)
            if contact is not None:
                await send_contact_card(context.bot, target, contact)
        else:
            if button.action is Action.SUGGESTION:
                question = self.engine.kb.entries[button.target].title
                reply = self.engine.answer_entry(button.target, question)
            else:
                question = button.target
                reply = self.engine.answer(question)
            delivered: bool | None = False
            try:
                delivered = await self._send_reply(context, target, reply)
            finally:
                self._record(user_id, chat_type, question, reply, delivered)

    async def _answer_query(self, query: CallbackQuery, text: str | None) -> None:
        """Stop the button's spinner; a query too old to answer is not worth an error."""
        try:
            await query.answer(text)
        except BadRequest as exc:
            _LOGGER.info("could not answer callback query: %s", exc)

    # -- inline mode -------------------------------------------------------------------------

    async def inline_query(self, update: Update, context: Context) -> None:
        """`@bot 问题` in any chat: up to five cited answers to pick from."""
        query = update.inline_query
        if query is None:
            return
        text = query.query.strip()
        if not text:
            await query.answer([], cache_time=INLINE_CACHE_SECONDS)
            return
        if self.inline_limiter.check(query.from_user.id) is not Verdict.ALLOW:
            await query.answer([], cache_time=0, is_personal=True)
            return
        reply = self.engine.answer(text)
        try:
            await query.answer(self.inline_results(text, reply), cache_time=INLINE_CACHE_SECONDS)
        except BadRequest as exc:
            # The user typed on and Telegram dropped this query: normal while typing.
            _LOGGER.info("inline query not answered: %s", exc)
        finally:
            self._record(query.from_user.id, INLINE_CHAT_TYPE, text, reply)

    def inline_results(self, question: str, reply: Reply) -> list[InlineQueryResultArticle]:
        lead = self.texts("tg_inline_question", question=question)
        more = self.texts("tg_inline_more")
        results = []
        for i, item in enumerate(self.engine.alternatives(question, reply, MAX_INLINE_RESULTS)):
            title = reply_title(item, self.labels)
            key = hashlib.sha256(f"{item.kind}:{item.entry}".encode()).hexdigest()[:16]
            results.append(
                InlineQueryResultArticle(
                    id=f"{i}-{key}",
                    title=title[:100],
                    description=plain_summary(item, self.labels),
                    input_message_content=InputTextMessageContent(
                        render_inline(item, self.labels, lead, more), parse_mode=ParseMode.HTML
                    ),
                )
            )
        return results

    # -- errors ------------------------------------------------------------------------------

    async def error(self, update: object, context: Context) -> None:
        """Log the error with the update's id, chat type and hashed user — never its text,
        names or raw ids; tell the user something went wrong, no details."""
        if isinstance(update, Update):
            chat = update.effective_chat
            user = update.effective_user
            key = (
                self.assistant.recorder.log.user_hash(user.id)
                if user and self.assistant.recorder
                else "-"
            )
            details = (
                f"{update.update_id} (chat type {chat.type if chat else '-'}, user {key[:12]})"
            )
        else:
            details = type(update).__name__
        _LOGGER.error("error while handling update %s", details, exc_info=context.error)
        if not isinstance(update, Update) or isinstance(context.error, _QUIET_ERRORS):
            return
        text = self.texts("tg_error")
        if update.inline_query is not None:
            return
        if update.callback_query is not None:
            try:
                await update.callback_query.answer(text)
                return
            except TelegramError:
                pass  # already answered: say it in the chat instead
        message = update.effective_message
        if message is None:
            return
        try:
            await send_chunks(context.bot, Target.answering(message), render_text(text))
        except TelegramError as exc:
            _LOGGER.warning("could not tell the user about the error: %s", exc)
