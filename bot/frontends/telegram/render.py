"""Replies as Telegram HTML: escaped text in chunks of at most 4096, and inline keyboards.

Every piece of text (knowledge base, user input, fixed responses) is html-escaped here and
nowhere else; markup is only ever added around already-escaped text, so a `<` or `&` in a
passage or a question can never break a message. Long replies are split between paragraphs,
then between lines, then between sentences, and only as a last resort inside a sentence —
always between tags, because each block is wrapped in its tag after splitting.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from telegram import InlineKeyboardButton, InlineKeyboardMarkup
from telegram.constants import MessageLimit

from bot.engine import Reply
from bot.engine.plain import Labels, block_text, source_line, tight
from bot.engine.reply import Heading, Suggestions
from bot.frontends.telegram.callbacks import Action, CallbackCodec
from bot.frontends.telegram.texts import Texts
from bot.knowledge.model import KnowledgeBase

MAX_MESSAGE = int(MessageLimit.MAX_TEXT_LENGTH)  # 4096
MAX_BUTTON_TEXT = 60
_PARAGRAPHS = re.compile(r"\n[ \t\u3000]*\n")
_SENTENCE_END = re.compile(r"(?<=[。！？；!?;])")


def escape(text: str) -> str:
    """Escape `&`, `<`, `>` as Telegram's HTML mode requires (quotes need no escaping)."""
    return html.escape(text, quote=False)


def units(text: str) -> int:
    """Length in UTF-16 code units, the unit Telegram counts in (conservative for limits)."""
    return len(text.encode("utf-16-le")) // 2


@dataclass(frozen=True)
class Block:
    """A run of plain text with one optional style tag, and what separates it from the last."""

    text: str
    tag: str = ""  # "", "b" or "i"
    sep: str = "\n\n"

    def html(self) -> str:
        body = escape(self.text)
        return f"<{self.tag}>{body}</{self.tag}>" if self.tag else body

    def overhead(self) -> int:
        return 2 * len(self.tag) + 5 if self.tag else 0


def _hard_cut(block: Block, limit: int) -> list[Block]:
    """Cut inside the text by escaped length; never inside an entity such as `&amp;`."""
    budget = limit - block.overhead()
    pieces: list[Block] = []
    start, used = 0, 0
    for i, ch in enumerate(block.text):
        size = units(escape(ch))
        if used + size > budget and i > start:
            pieces.append(replace(block, text=block.text[start:i], sep="" if pieces else block.sep))
            start, used = i, 0
        used += size
    pieces.append(replace(block, text=block.text[start:], sep="" if pieces else block.sep))
    return pieces


def _fit(block: Block, limit: int) -> list[Block]:
    """Split a block until every piece renders within `limit`."""
    if units(block.html()) <= limit:
        return [block]
    if "\n" in block.text:
        lines = block.text.split("\n")
        parts = [
            replace(block, text=line, sep=block.sep if i == 0 else "\n")
            for i, line in enumerate(lines)
        ]
    else:
        sentences = [s for s in _SENTENCE_END.split(block.text) if s]
        if len(sentences) > 1:
            parts = [
                replace(block, text=s, sep=block.sep if i == 0 else "")
                for i, s in enumerate(sentences)
            ]
        else:
            return _hard_cut(block, limit)
    return [piece for part in parts for piece in _fit(part, limit)]


def paginate(blocks: Iterable[Block], limit: int = MAX_MESSAGE) -> list[str]:
    """Pack blocks into HTML messages of at most `limit` UTF-16 units each."""
    chunks: list[str] = []
    current = ""
    for block in blocks:
        block = replace(block, text=block.text.strip("\n"))
        if not block.text.strip():
            continue
        for piece in _fit(block, limit):
            if not piece.text.strip():
                continue
            rendered = piece.html()
            if not current:
                current = rendered
            elif units(current) + units(piece.sep) + units(rendered) <= limit:
                current += piece.sep + rendered
            else:
                chunks.append(current)
                current = rendered
    if current:
        chunks.append(current)
    return chunks


def reply_blocks(reply: Reply, labels: Labels, lead: str | None = None) -> list[Block]:
    """The reply's blocks as Telegram blocks: headings bold, the source line in italics.

    Suggestions are buttons (see `reply_keyboard`), so they are not repeated in the text.
    """
    blocks = [Block(lead, "b")] if lead else []
    previous = None
    for block in reply.blocks:
        if isinstance(block, Suggestions):
            continue
        sep = "\n" if previous is not None and tight(previous, block) else "\n\n"
        tag = "b" if isinstance(block, Heading) else ""
        # Paragraphs stay separate blocks, so long replies split between them first.
        for i, paragraph in enumerate(_PARAGRAPHS.split(block_text(block, labels))):
            blocks.append(Block(paragraph, tag, sep if i == 0 else "\n\n"))
        previous = block
    source = source_line(reply.citations, labels)
    if source:
        blocks.append(Block(source, "i"))
    return blocks


def render_reply(
    reply: Reply, labels: Labels, lead: str | None = None, limit: int = MAX_MESSAGE
) -> list[str]:
    return paginate(reply_blocks(reply, labels, lead), limit)


def render_text(text: str, limit: int = MAX_MESSAGE) -> list[str]:
    """A fixed text (greeting, usage line…) as escaped HTML chunks."""
    return paginate([Block(p) for p in _PARAGRAPHS.split(text)], limit)


def render_passage(title: str, passage: str, source: str, limit: int = MAX_MESSAGE) -> list[str]:
    """The full cited passage behind 查看原文: bold title, the passage, the source line."""
    blocks = [Block(title, "b"), *(Block(p) for p in _PARAGRAPHS.split(passage))]
    if source:
        blocks.append(Block(source, "i"))
    return paginate(blocks, limit)


def render_inline(reply: Reply, labels: Labels, lead: str, more: str) -> str:
    """One message for an inline result: the first chunk, with a note if more was cut."""
    reserve = units(escape(more)) + 1
    chunks = render_reply(reply, labels, lead, MAX_MESSAGE - reserve)
    if len(chunks) == 1:
        return chunks[0]
    return f"{chunks[0]}\n{escape(more)}"


def plain_summary(reply: Reply, labels: Labels, limit: int = 100) -> str:
    """A one-line plain-text preview (inline result descriptions are not HTML)."""
    parts = [
        block_text(b, labels) for b in reply.blocks if not isinstance(b, Heading | Suggestions)
    ]
    text = " ".join(p.replace("\n", " ") for p in parts).strip()
    return text if len(text) <= limit else text[: limit - 1] + "…"


def reply_title(reply: Reply, labels: Labels) -> str:
    """What an inline result is called: its heading, else its first line."""
    for block in reply.blocks:
        if isinstance(block, Heading):
            return block.text
    first = block_text(reply.blocks[0], labels) if reply.blocks else ""
    return first.strip().split("\n", 1)[0]


def _label(text: str) -> str:
    text = text.strip()
    return text if len(text) <= MAX_BUTTON_TEXT else text[: MAX_BUTTON_TEXT - 1] + "…"


def reply_keyboard(
    reply: Reply, kb: KnowledgeBase, codec: CallbackCodec, texts: Texts
) -> InlineKeyboardMarkup | None:
    """Buttons under a reply: its suggestions, 查看原文 and 联系人 where they add something."""
    rows: list[list[InlineKeyboardButton]] = []
    for suggestion in reply.suggestions:
        if suggestion.entry in kb.entries:
            data = codec.encode(Action.SUGGESTION, suggestion.entry)
            rows.append([InlineKeyboardButton(_label(suggestion.title), callback_data=data)])
    row: list[InlineKeyboardButton] = []
    entry = kb.entries.get(reply.entry or "")
    if reply.kind == "answer" and reply.passage and entry is not None and entry.kind != "contact":
        data = codec.encode(Action.PASSAGE, entry.id)
        row.append(InlineKeyboardButton(texts("tg_button_passage"), callback_data=data))
    # A card already in the reply (a contact answer, a fallback) needs no text card again,
    # only Telegram's contact card, whose phone number is a tap to call.
    shown = {c.id for c in reply.shown_contacts}
    for card in reply.shown_contacts:
        if card.id in kb.contacts and kb.contacts[card.id].phone.strip():
            label = _label(texts("tg_button_call", name=card.name))
            row.append(
                InlineKeyboardButton(label, callback_data=codec.encode(Action.CALL, card.id))
            )
    cards = [c for c in reply.contacts if c.id in kb.contacts and c.id not in shown]
    for card in cards:
        label = (
            texts("tg_button_contact")
            if len(cards) == 1
            else texts("tg_button_contact_named", name=card.name)
        )
        row.append(
            InlineKeyboardButton(_label(label), callback_data=codec.encode(Action.CONTACT, card.id))
        )
    if row:
        rows.append(row)
    return InlineKeyboardMarkup(rows) if rows else None


def examples_keyboard(examples: Sequence[str], codec: CallbackCodec) -> InlineKeyboardMarkup | None:
    """The /start example questions, one button each."""
    rows = [
        [InlineKeyboardButton(_label(q), callback_data=codec.encode(Action.EXAMPLE, q))]
        for q in examples
    ]
    return InlineKeyboardMarkup(rows) if rows else None
