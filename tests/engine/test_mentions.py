"""Every place the material mentions a quoted term, gathered across passages and cited."""

from __future__ import annotations

import pytest

from bot.engine import Engine
from bot.engine.asks import asked_types
from bot.engine.mentions import MAX_MENTIONS, gathered, gathered_term, mentions, named_sources
from bot.knowledge.model import KnowledgeBase
from tests.engine.entries import make_entry


@pytest.mark.parametrize(
    ("question", "term"),
    [
        ("材料里出现过的各种“体系”帮我盘一下", "体系"),
        ("方案里有两处讲要营造「氛围」，分别是啥", "氛围"),
        ("凡是带“切实”的句子", "切实"),
        # A quoted word without asking for every place: one passage may answer it.
        ("“宣传月”是哪个月", ""),
        ("各种体系有哪些", ""),  # nothing quoted
    ],
)
def test_the_quoted_term_a_question_gathers(engine: Engine, question: str, term: str) -> None:
    assert gathered_term(question, asked_types(engine.intents.asks, question)) == term


@pytest.mark.parametrize(
    ("question", "forms"),
    [
        # Not quoted, but asking where the material names it: the word, with its synonyms.
        ("高校在材料里出现了几回", ("高校", "高等学校", "高等院校", "大学")),
        # An ordinal (第几次会议) asks no places; a document's name (方案) is not the term.
        ("条例是第几次会议审议的", ()),
        ("商标被侵权两次算不算重复侵权", ()),  # a number of times, not of places
        ("高校的约谈一年搞几次", ()),
        ("方案出现过几回", ()),
    ],
)
def test_an_unquoted_term_of_a_question_asking_where(
    engine: Engine, question: str, forms: tuple[str, ...]
) -> None:
    asks = asked_types(engine.intents.asks, question)
    found = gathered(engine.kb, question, asks, lambda: engine.specific_words(question))
    assert set(found) == set(forms) and found[:1] == forms[:1]
    if forms:  # both spellings of the material are gathered
        assert {"高校", "高等学校"} <= {
            f for s, _ in mentions(engine.kb, *found) for f in forms if f in s
        }


def test_each_sentence_once_from_the_original_not_a_restatement() -> None:
    kb = KnowledgeBase(directory="x")
    kb.entries = {
        "duty": make_entry("duty", "压实工作责任，加强组织保障。", kind="duty"),
        "plan": make_entry(
            "plan", "（一）全面落实普法责任。切实落实普法责任。压实工作责任，加强组织保障。"
        ),
        "part": make_entry("part", "切实落实普法责任"),
        "law": make_entry("law", "依法承担法律责任。", kind="article", law="patent-law"),
    }
    found = mentions(kb, "责任")
    assert [(s, e.id) for s, e in found] == [
        ("（一）全面落实普法责任。", "plan"),  # a heading holding the term is one place
        ("切实落实普法责任。", "plan"),
        ("压实工作责任，加强组织保障。", "plan"),
    ]
    assert mentions(kb, "") == []
    assert [s for s, _ in mentions(kb, "普法", "组织")] == [s for s, _ in found]


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


@pytest.mark.parametrize(
    ("question", "sources"),
    [
        ("解读里凡是提到的", {"interpretation"}),
        ("方案和解读里都算", {"plan", "interpretation"}),
        ("两份通知里", {"sasac-notice", "leading-group-notice"}),
        ("材料里", set()),
        ("条例里", set()),
    ],
)
def test_the_documents_a_question_says_to_look_in(
    engine: Engine, question: str, sources: set[str]
) -> None:
    assert named_sources(engine.kb, question) == sources


def test_a_gathered_list_keeps_to_the_document_named(engine: Engine) -> None:
    everywhere = {e.source for _, e in mentions(engine.kb, "体系")}
    assert {"plan", "interpretation"} <= everywhere
    within = frozenset({"interpretation"})
    assert {e.source for _, e in mentions(engine.kb, "体系", within=within)} == within
    reply = engine.answer("解读里带“体系”的说法都有哪些")
    listing = next(b for b in reply.blocks if b.type == "list")
    assert {engine.kb.entries[i.citation.entry].source for i in listing.items} == within


def test_one_character_quoted_is_a_term_only_as_a_character_or_the_kind_asked(
    engine: Engine,
) -> None:
    asks = engine.intents.asks

    def term(text: str) -> str:
        return gathered_term(text, asked_types(asks, text))

    assert term("方案里带“法”字的四字说法有哪些") == "法"
    assert term("材料里点到了哪些“人”") == "人"
    # 进 is the verb whose places are asked: the 五进, not every sentence holding 进.
    assert term("宣贯要求条例“进”哪些地方") == ""
    reply = engine.answer("宣贯要求条例“进”哪些地方？五进都有啥")
    assert "进企业、进学校、进社区、进单位、进市场" in reply.text
    assert "资料中提到“进”的地方" not in reply.text
