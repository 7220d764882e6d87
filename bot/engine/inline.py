"""Answers offered side by side (Telegram inline results): the engine chooses them, so no
front end picks among passages itself."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.engine.fit import related
from bot.engine.reply import Reply

if TYPE_CHECKING:
    from bot.engine.core import Engine


def alternatives(engine: Engine, question: str, reply: Reply, limit: int = 5) -> list[Reply]:
    """A clarify reply's suggestions answered, or the reply and the runner-up entries good
    enough to offer; at most `limit`, no two saying the same."""
    if reply.kind == "clarify" and reply.suggestions:
        return [engine.answer_entry(s.entry, question) for s in reply.suggestions][:limit]
    replies = [reply]
    if reply.kind != "answer" or reply.entry not in engine.kb.entries:
        return replies
    chosen = [engine.kb.entries[reply.entry]]
    for candidate in engine.search(question):
        if len(replies) >= limit or candidate.score < engine.tuning.clarify:
            break
        if any(related(candidate.entry, c) for c in chosen):  # the same entry is related too
            continue
        chosen.append(candidate.entry)
        replies.append(engine.answer_entry(candidate.entry.id, question))
    return replies
