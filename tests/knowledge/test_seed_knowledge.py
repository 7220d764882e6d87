"""Facts of the seed knowledge base, pinned to what the campaign documents say.

The expected values are copied from the seed documents (two notices, the plan and the brief
interpretation); the tests read only knowledge/, never the seed file itself.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.knowledge import KnowledgeBase, load_knowledge
from bot.numerals import to_chinese

REPO = Path(__file__).resolve().parents[2]
LAW = "hebei-ip-regulation"
CHAPTERS = [
    "总则",
    "培育与创造",
    "转化与运用",
    "行政保护与司法保护",
    "社会保护与自我保护",
    "服务与保障",
    "法律责任",
    "附则",
]
DUTIES = [
    "duty-government",
    "duty-ip-departments",
    "duty-related-departments",
    "duty-universities",
    "duty-enterprises",
    "duty-industry-organisations",
    "duty-platforms",
    "duty-service-agencies",
    "duty-sasac-enterprises",
    "duty-campaign-units",
    "duty-leading-cadres",
]


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return load_knowledge(REPO / "knowledge")


def chinese_date(iso: str) -> str:
    year, month, day = (int(part) for part in iso.split("-"))
    return f"{year}年{month}月{day}日"


# -- The regulation -------------------------------------------------------------------------


def test_regulation_structure(kb: KnowledgeBase) -> None:
    law = kb.laws[LAW]
    assert kb.primary is law
    assert law.title == "河北省知识产权保护和促进条例"
    assert law.article_count == 68
    assert [c.name for c in law.chapters] == CHAPTERS
    assert [c.number for c in law.chapters] == list(range(1, 9))
    assert "条例" in law.aliases


def test_regulation_dates(kb: KnowledgeBase) -> None:
    law = kb.laws[LAW]
    assert law.adopted == "2023-09-21"
    assert law.effective == "2023-11-01"
    assert law.adopted_by == "河北省十四届人大常委会第五次会议"


def test_no_article_text_invented(kb: KnowledgeBase) -> None:
    """The seed gives no article text, so none is loaded and no article entry exists."""
    law = kb.laws[LAW]
    assert law.articles == ()
    assert not any(e.kind == "article" for e in kb.entries.values())
    assert all(c.first_article is None and c.last_article is None for c in law.chapters)


def test_date_entries_agree_with_the_law(kb: KnowledgeBase) -> None:
    law = kb.laws[LAW]
    assert chinese_date(law.adopted or "") in kb.entries["regulation-adoption"].text
    assert chinese_date(law.effective or "") in kb.entries["regulation-effective"].text
    assert "自2023年11月1日起施行" in kb.entries["regulation-effective"].text
    assert "第五次会议" in kb.entries["regulation-adoption"].text


def test_structure_entry(kb: KnowledgeBase) -> None:
    text = kb.entries[f"{LAW}:structure"].text
    assert "共八章、六十八条" in text
    for number, name in enumerate(CHAPTERS, 1):
        assert f"第{to_chinese(number)}章 {name}" in text
    overview = kb.entries["regulation-overview"].text
    assert "共八章、六十八条" in overview
    positions = [overview.index(name) for name in CHAPTERS]
    assert positions == sorted(positions)


# -- Contacts and sources -------------------------------------------------------------------


def test_contacts(kb: KnowledgeBase) -> None:
    liu = kb.contacts["liu-yaqiang"]
    assert (liu.name, liu.phone, liu.email) == ("刘亚强", "0311-87902543", "153627456@qq.com")
    assert liu.organization == "河北省人民政府国有资产监督管理委员会"
    wang = kb.contacts["wang-guoqiang"]
    assert (wang.name, wang.phone, wang.email) == ("王国强", "0311-67565891", None)
    assert wang.organization == "省市场监管局知识产权保护处"
    # The plan names his unit, name and phone only, nothing about what he handles.
    assert wang.serves == ""
    assert liu.serves == "宣贯中的亮点工作或问题"
    assert kb.default_contact == "wang-guoqiang"
    assert set(kb.contacts) == {"liu-yaqiang", "wang-guoqiang"}


def test_contact_cards_show_only_known_fields(kb: KnowledgeBase) -> None:
    assert kb.contacts["wang-guoqiang"].email is None
    assert kb.contacts["liu-yaqiang"].email == "153627456@qq.com"


def test_sources(kb: KnowledgeBase) -> None:
    assert set(kb.sources) == {"sasac-notice", "leading-group-notice", "plan", "interpretation"}
    notice = kb.sources["leading-group-notice"]
    assert notice.date == "2023-09-28"
    assert notice.disclosure == "依申请公开"
    assert kb.sources["sasac-notice"].date is None  # the seed gives it no date
    # The plan has no date of its own: 2023年9月28日 is the date of the notice issuing it.
    assert kb.sources["plan"].date is None
    assert not kb.sources["plan"].note
    assert kb.sources["interpretation"].display == "《〈条例〉简要解读》"


def test_plan_schedule(kb: KnowledgeBase) -> None:
    assert "2023年9月28日至10月31日" in kb.entries["plan-schedule"].text


# -- Entries --------------------------------------------------------------------------------


def test_every_entry_has_a_source_and_locator(kb: KnowledgeBase) -> None:
    for entry in kb.entries.values():
        assert kb.source(entry.source) is not None, entry.id
        assert entry.locator.strip(), entry.id
        assert entry.title.strip() and entry.text.strip(), entry.id


def test_entry_locators_start_with_their_source(kb: KnowledgeBase) -> None:
    for entry in kb.entries.values():
        source = kb.sources.get(entry.source)
        if source is not None:
            assert entry.locator.startswith(source.short), (entry.id, entry.locator)


@pytest.mark.parametrize("part", ["一", "二", "三", "四"])
def test_every_plan_part_has_an_entry(kb: KnowledgeBase, part: str) -> None:
    locators = [e.locator for e in kb.entries.values() if e.source == "plan"]
    assert any(re.match(rf"实施方案 {part}(（|$)", loc) for loc in locators), part


@pytest.mark.parametrize("part", ["一", "二", "三"])
def test_every_plan_focus_and_requirement_item(kb: KnowledgeBase, part: str) -> None:
    locators = {e.locator for e in kb.entries.values() if e.source == "plan"}
    assert f"实施方案 三（{part}）" in locators
    assert f"实施方案 四（{part}）" in locators


@pytest.mark.parametrize("part", ["一", "二", "三", "四", "五", "六"])
def test_every_interpretation_part_has_an_entry(kb: KnowledgeBase, part: str) -> None:
    locators = {e.locator for e in kb.entries.values() if e.source == "interpretation"}
    assert f"简要解读（{part}）" in locators


def test_all_duties_exist(kb: KnowledgeBase) -> None:
    for ident in DUTIES:
        entry = kb.entries[ident]
        assert entry.kind == "duty"
        assert entry.subject


def test_entries_of_the_seed_documents(kb: KnowledgeBase) -> None:
    for ident in ("sasac-notice-summary", "leading-group-notice-summary", "plan-purpose"):
        assert ident in kb.entries
    assert "亮点工作或问题" in kb.entries["sasac-notice-summary"].text


def test_parents_are_broader_entries(kb: KnowledgeBase) -> None:
    for entry in kb.entries.values():
        if entry.parent:
            parent = kb.entries[entry.parent]
            assert parent.source == entry.source, entry.id


# -- Quiz and word lists --------------------------------------------------------------------


def test_quiz_size(kb: KnowledgeBase) -> None:
    assert len(kb.quiz) >= 40


@pytest.mark.parametrize(
    ("ident", "correct"),
    [
        ("q-effective-date", "2023年11月1日"),
        ("q-adoption-date", "2023年9月21日"),
        ("q-schedule", "2023年9月28日至10月31日"),
    ],
)
def test_quiz_facts(kb: KnowledgeBase, ident: str, correct: str) -> None:
    question = kb.quiz[ident]
    assert question.options[question.answer] == correct


def test_quiz_cites_known_sources(kb: KnowledgeBase) -> None:
    for question in kb.quiz.values():
        assert kb.source(question.source) is not None
        assert question.locator.strip()
        assert 1 <= question.difficulty <= 3


def test_adoption_and_entry_into_force_are_not_synonyms(kb: KnowledgeBase) -> None:
    for group in kb.synonyms:
        words = set(group)
        assert not ({"施行", "生效"} & words and {"通过", "审议通过"} & words), group


def test_word_lists(kb: KnowledgeBase) -> None:
    assert "知识产权" in kb.user_words
    assert "的" in kb.stopwords
    assert all(len(group) >= 2 for group in kb.synonyms)
