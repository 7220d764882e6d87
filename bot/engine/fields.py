"""One field of a campaign document asked (通知主送哪些单位, 落款是哪天, 信息公开类型是啥): that
field of each document recording it, as sources.yaml has it, cited to that part of the
document, rather than the whole notice with the field somewhere inside.

A `document_field` rule's name is the field it asks: a source's `addressees` or `disclosure`,
or `signature` (落款: the issuer and date a signed document ends with). Its label, which is
also the cited part (主送, 落款), is the response `field_<name>`.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from bot.engine.compose import citation
from bot.engine.reply import Reply
from bot.knowledge.model import Source
from bot.numerals import chinese_date

if TYPE_CHECKING:
    from bot.engine.core import Engine

# Fields holding a list of units, one item each (各市…领导小组，雄安新区…，省有关单位).
_LISTED = ("addressees",)
_BETWEEN_UNITS = re.compile(r"[，,；;]")


def field_value(source: Source, field: str) -> str | None:
    """The field as the document states it; None where it states none."""
    if field == "signature":  # only a dated document is signed in the material
        if not (source.issuer and source.date):
            return None
        signed = f"{source.issuer}，{chinese_date(source.date)}"
        # The line printed under the date, in brackets (（信息公开类型：依申请公开）).
        return f"{signed}（信息公开类型：{source.disclosure}）" if source.disclosure else signed
    value = getattr(source, field, None)
    return value if isinstance(value, str) and value else None


def _kind(source: Source) -> str:
    """The kind of document (通知, 方案, 解读): what its short name ends with, as Chinese
    document names end with their kind."""
    return source.short[-2:]


def document_field(engine: Engine, question: str, text: str, intent: str, field: str) -> Reply:
    """`field` of the documents `text` names that have it (of every document having it when
    it names none that does, after saying the named ones state none)."""
    kb, compose = engine.kb, engine.compose
    label = compose.texts(f"field_{field}") or field
    named = engine.named_documents(text)
    having = [s for s in kb.sources.values() if field_value(s, field)]
    if not having:
        return compose.fallback(question, intent, compose.texts("fallback"))
    lead = ""
    # 印发方案那个通知的主送: the kind of document having the field is what is asked of; a
    # document of another kind named in passing (方案) is not.
    kinds = {_kind(s) for s in having}
    if any(k in text for k in kinds):
        named = frozenset(i for i in named if i in kb.sources and _kind(kb.sources[i]) in kinds)
    reply_kind = "answer"
    if named and not any(s.id in named for s in having):
        # What was asked is not in the material: said so, the others' shown after it.
        reply_kind = "fallback"
        lacking = [kb.sources[i].display for i in sorted(named) if i in kb.sources]
        lead = compose.texts("field_none").format(documents="、".join(lacking), label=label)
    shown = [s for s in having if s.id in named] or having
    if len(shown) == 1:
        source = shown[0]
        value = field_value(source, field) or ""
        parts = _BETWEEN_UNITS.split(value) if field in _LISTED else [value]
        cite = citation(kb, source.id, label, f"source:{source.id}")
        lead += compose.texts("field_one").format(document=source.display, label=label)
        items = [(part.strip(), cite) for part in parts if part.strip()]
    else:
        lead += compose.texts("field_intro").format(label=label)
        items = [
            (
                compose.texts("field_item").format(
                    document=s.display, label=label, value=field_value(s, field)
                ),
                citation(kb, s.id, label, f"source:{s.id}"),
            )
            for s in shown
        ]
    reply = compose.notes(question, reply_kind, intent, lead, items)
    if len(shown) == 1:  # the passage it is quoted from (给原文 shows it; eval judges by it)
        value = items[0][0] if items else ""
        reply.entry = next(
            (e.id for e in kb.entries.values() if e.source == shown[0].id and value in e.text),
            None,
        )
    return reply
