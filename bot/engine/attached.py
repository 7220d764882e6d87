"""A question about what a document's attachment says (实施方案的附件讲的啥, or 附件讲的啥 after
a question about the plan): asked of the attachment by its name (《条例》简要解读讲的啥), as
the document lists it (knowledge/sources.yaml `attachment`). Asking which attachments there
are (有几个附件, 附件是什么) is the `attachments` rule's, not this."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.engine.core import Engine

# The word the documents head their attachment with (附件 深入开展…实施方案).
ATTACHMENT = "附件"


def attachment_reading(engine: Engine, text: str, previous: str | None) -> tuple[str, bool]:
    """The (cleaned) question asked of the attachment it means, and whether the previous
    question named the document; ("", False) when it asks no attachment's content or which
    one is not clear (two documents with one each, neither named)."""
    at = text.find(ATTACHMENT)
    if at < 0 or engine.intents.routes_to(text, "attachments"):
        return "", False
    rest = text[at + len(ATTACHMENT) :].lstrip("的")
    if not engine.intents.asks_something(rest) or engine.intents.asks_contact(text):
        return "", False  # 附件看不懂找谁请教: whom to ask, not what it says
    if engine.named_documents(rest):
        return "", False  # 方案附件那个简要解读…: it names the attachment itself
    named, from_previous = engine.named_documents(text[:at]), False
    if not named and previous:
        named, from_previous = engine.named_documents(previous), True
    attached = {
        engine.kb.sources[i].attachment
        for i in named
        if i in engine.kb.sources and engine.kb.sources[i].attachment
    }
    if len(attached) != 1:
        return "", False
    return f"{attached.pop()}{rest}", from_previous
