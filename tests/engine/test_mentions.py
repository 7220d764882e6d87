"""Every place the material mentions a quoted term, gathered across passages and cited."""

from __future__ import annotations

import pytest

from bot.engine import Engine
from bot.engine.mentions import MAX_MENTIONS, gathered_term, mentions
from bot.knowledge.model import Entry, KnowledgeBase


@pytest.mark.parametrize(
    ("question", "term"),
    [
        ("材料里出现过的各种“体系”帮我盘一下", "体系"),
        ("方案里有两处讲要营造「氛围」，分别是啥", "氛围"),
        # A quoted word without asking for every place: one passage may answer it.
        ("“宣传月”是哪个月", ""),
        ("各种体系有哪些", ""),  # nothing quoted
    ],
)
def test_the_term_a_question_gathers(question: str, term: str) -> None:
    assert gathered_term(question) == term


def _entry(ident: str, text: str, kind: str = "faq", law: str | None = None) -> Entry:
    return Entry(ident, kind, ident, text, "plan", "一", law=law)


def test_each_sentence_once_from_the_original_not_a_restatement() -> None:
    kb = KnowledgeBase(directory="x")
    kb.entries = {
        "duty": _entry("duty", "压实工作责任，加强组织保障。", kind="duty"),
        "plan": _entry(
            "plan", "（一）全面落实普法责任。切实落实普法责任。压实工作责任，加强组织保障。"
        ),
        "part": _entry("part", "切实落实普法责任"),
        "law": _entry("law", "依法承担法律责任。", kind="article", law="patent-law"),
    }
    found = mentions(kb, "责任")
    assert [(s, e.id) for s, e in found] == [
        ("切实落实普法责任。", "plan"),
        ("压实工作责任，加强组织保障。", "plan"),
    ]
    assert mentions(kb, "") == []


def test_a_gathered_list_is_answered_with_every_place_cited(engine: Engine) -> None:
    reply = engine.answer("方案里有两处讲要营造“氛围”，分别是啥样的氛围？")
    assert reply.kind == "answer"
    listing = next(b for b in reply.blocks if b.type == "list")
    assert len(listing.items) == 2 and all("氛围" in i.text for i in listing.items)
    assert {i.citation.locator for i in listing.items} == {"三（二）", "四（二）"}
    assert "社会氛围" in reply.text and "良好工作氛围" in reply.text


def test_a_term_too_common_or_too_rare_is_left_to_retrieval(engine: Engine) -> None:
    assert len(mentions(engine.kb, "知识产权")) > MAX_MENTIONS
    reply = engine.answer("材料里所有提到“知识产权”的地方")
    assert not any(b.type == "heading" and "知识产权”的地方" in b.text for b in reply.blocks)
