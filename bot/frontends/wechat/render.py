"""A reply's blocks as one WeChat text message, within the platform's size.

The blocks are laid out with the plain renderer's helpers and labels (the same reading order
and 来源 line as the console and `ask`), suggestions numbered with a hint to reply with the
number. A text longer than the reply limit (UTF-8 bytes) keeps its 来源 line and loses the end
of its body, cut at a paragraph or sentence and marked, with a link to the whole passage on
the web page. Nothing here parses `reply.text`.
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.engine import Reply
from bot.engine.plain import Labels, cited_places, render

# A cut prefers a paragraph or sentence end this far into the room at least; else it cuts
# mid-sentence (a passage with no punctuation for a thousand bytes).
_BOUNDARIES = ("\n", "。", "；", "！", "？", "，")


def utf8_len(text: str) -> int:
    return len(text.encode("utf-8"))


def cut(text: str, limit: int, mark: str = "") -> str:
    """`text` whole when it fits in `limit` UTF-8 bytes, else its beginning up to a boundary,
    followed by `mark`, within `limit` bytes."""
    if utf8_len(text) <= limit:
        return text
    room = max(0, limit - utf8_len(mark))
    head = text.encode("utf-8")[:room].decode("utf-8", "ignore")
    for boundary in _BOUNDARIES:
        at = head.rfind(boundary)
        if at >= len(head) // 2:
            head = head[:at] if boundary == "\n" else head[: at + 1]
            break
    return head.rstrip() + mark


def _sources(reply: Reply, labels: Labels, limit: int) -> str:
    """The 来源 line, each cited place once; places that do not fit in `limit` bytes are left
    out, marked."""
    places = cited_places(reply.citations, labels.locator_separator)
    if not places:
        return ""
    line = labels.source + labels.source_separator.join(places)
    if utf8_len(line) <= limit:
        return line
    kept: list[str] = []
    for place in places:
        candidate = labels.source + labels.source_separator.join([*kept, place])
        if utf8_len(candidate + labels.excerpt_mark) > limit:
            break
        kept.append(place)
    if not kept:
        return cut(line, limit, labels.excerpt_mark)
    return labels.source + labels.source_separator.join(kept) + labels.excerpt_mark


def join(parts: Sequence[str]) -> str:
    """Paragraphs of a message, empty ones left out."""
    return "\n\n".join(p for p in parts if p)


def reply_text(
    reply: Reply,
    labels: Labels,
    *,
    limit: int,
    pick_hint: str = "",
    more: str = "",
) -> str:
    """The reply as one text of at most `limit` UTF-8 bytes.

    `pick_hint` follows numbered suggestions (reply with the number); `more` is the line
    pointing to the whole passage, added only when the body had to be cut.
    """
    body = render(reply.blocks, (), labels)  # the blocks alone; the 来源 line comes below
    if reply.suggestions and pick_hint:
        body = f"{body}\n{pick_hint}" if body else pick_hint
    sources = _sources(reply, labels, limit // 3)
    whole = join([body, sources])
    if utf8_len(whole) <= limit:
        return whole
    if utf8_len(more) > limit // 3:  # a link cut short is no link: leave it out
        more = ""
    room = limit - utf8_len(join(["x", sources, more])) + 1
    return join([cut(body, room, labels.excerpt_mark), sources, more])
