"""The plain-text rendering of a reply's blocks: what the console and `ask` print.

Labels (来源：, 电话：…) are wording, so they come from the reply templates in the intents
data through `Labels`; this module only lays the blocks out.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from bot.engine.reply import (
    Block,
    Citation,
    ContactCard,
    Contacts,
    Heading,
    ItemList,
    Note,
    Passage,
    Suggestions,
)


@dataclass(frozen=True)
class Labels:
    """The fixed words around knowledge-base content, from the reply templates."""

    source: str = "来源："
    source_separator: str = "；"
    locator_separator: str = "、"
    phone: str = "电话："
    email: str = "邮箱："
    serves: str = "联系事项："
    excerpt_mark: str = "……"

    @classmethod
    def from_texts(cls, texts: Callable[[str], str]) -> Labels:
        """Labels from a template lookup; a template left out keeps the default."""
        values = {}
        for name in cls.__dataclass_fields__:
            text = texts(f"label_{name}")
            if text:
                values[name] = text
        return cls(**values)


def card_lines(card: ContactCard, labels: Labels) -> list[str]:
    """A contact card as lines: who, then each way to reach them that the base holds."""
    lines = [f"{card.name}（{card.organization}）", f"{labels.phone}{card.phone}"]
    if card.email:
        lines.append(f"{labels.email}{card.email}")
    if card.serves:
        lines.append(f"{labels.serves}{card.serves}")
    return lines


def excerpt(text: str, labels: Labels) -> str:
    return f"{labels.excerpt_mark}{text}{labels.excerpt_mark}"


def cited_places(citations: Iterable[Citation], locator_separator: str = "、") -> list[str]:
    """Each cited place once, in reading order; places in one document run together under
    its title once (《实施方案》 三（一）、三（二）)."""
    groups: list[tuple[str, list[str]]] = []
    for c in citations:
        if groups and groups[-1][0] == c.source:
            if c.locator not in groups[-1][1]:
                groups[-1][1].append(c.locator)
        elif not any(source == c.source and c.locator in locs for source, locs in groups):
            groups.append((c.source, [c.locator]))
    lines = []
    for source, locators in groups:
        first = Citation(source, locators[0], "").line
        rest = [loc for loc in locators[1:] if loc]
        lines.append(locator_separator.join([first, *rest]))
    return lines


def source_line(citations: Iterable[Citation], labels: Labels) -> str:
    """来源：a；b — each cited place once, in reading order; empty when nothing is cited."""
    lines = cited_places(citations, labels.locator_separator)
    return labels.source + labels.source_separator.join(lines) if lines else ""


def block_text(block: Block, labels: Labels) -> str:
    if isinstance(block, Heading):
        return f"【{block.text}】"
    if isinstance(block, Passage):
        return excerpt(block.text, labels) if block.excerpt else block.text
    if isinstance(block, ItemList):
        if not block.numbered:
            return "\n".join(item.text for item in block.items)
        return "\n".join(f"{i}. {item.text}" for i, item in enumerate(block.items, 1))
    if isinstance(block, Suggestions):
        return "\n".join(f"{i}. {s.title}" for i, s in enumerate(block.items, 1))
    if isinstance(block, Contacts):
        return "\n\n".join("\n".join(card_lines(c, labels)) for c in block.cards)
    assert isinstance(block, Note)
    return block.text


def tight(before: Block, after: Block) -> bool:
    """Blocks that belong together on adjacent lines: a heading and what it heads, a note
    and the list or choices it introduces."""
    return isinstance(before, Heading) or (
        isinstance(before, Note) and isinstance(after, ItemList | Suggestions)
    )


def render(blocks: Sequence[Block], citations: Iterable[Citation], labels: Labels) -> str:
    """The blocks in reading order, then the source line."""
    out = ""
    for i, block in enumerate(blocks):
        text = block_text(block, labels).strip("\n")
        if not text:
            continue
        if out:
            out += "\n" if tight(blocks[i - 1], block) else "\n\n"
        out += text
    sources = source_line(citations, labels)
    return f"{out}\n\n{sources}" if out and sources else out or sources
