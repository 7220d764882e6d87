"""Knowledge bases holding imported law texts beside the campaign material.

Fixture laws are written here in the bulletin text format and imported with the real
importer, so the whole path (import-law → check → answer) is exercised. Their article text
is marked as test text; nothing here is a real provision.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from bot.engine import Engine
from bot.engine.retrieve import Candidate
from bot.importer import import_law
from bot.knowledge.loader import collect
from bot.numerals import to_chinese

TOPICS = ["专利导航", "技术调查官", "快速维权中心", "知识产权基金", "专利奖", "信用体系"]


def _regulation_text(title: str, count: int, chapters: list[str]) -> str:
    """A bulletin-style text: title, history, chapters with full-width spacing, articles."""
    lines = [title, "（测试用文本，非正式条文）", ""]
    per = count // len(chapters)
    number = 1
    for index, name in enumerate(chapters, 1):
        spaced = "　　".join(name) if len(name) == 2 else name
        lines.append(f"第{to_chinese(index)}章　{spaced}")
        last = count if index == len(chapters) else number + per - 1
        while number <= last:
            topic = TOPICS[number % len(TOPICS)]
            lines.append(
                f"　　第{to_chinese(number)}条　测试条文{number}：本条涉及{topic}的测试内容。"
            )
            if number % 7 == 0:
                lines.append(f"　　第二款测试：{topic}由有关部门负责。")
            number += 1
    lines.append(f"　　第{to_chinese(count + 1)}条　本条例自2099年1月1日起施行。")
    return "\n".join(lines) + "\n"


@pytest.fixture(scope="module")
def hebei_imported(copy_kb: Callable[[str], Any]) -> Engine:
    """The default knowledge base with a (test) text of the Hebei regulation imported."""
    kb = copy_kb("hebei")
    chapters = [
        "总则",
        "培育与创造",
        "转化与运用",
        "行政保护与司法保护",
        "社会保护与自我保护",
        "服务与保障",
        "法律责任",
        "附则",
    ]
    source = kb.root / "hebei.txt"
    source.write_text(
        _regulation_text("河北省知识产权保护和促进条例", 67, chapters), encoding="utf-8"
    )
    result = import_law(source, kb.knowledge, law_id="hebei-ip-regulation")
    assert result.article_count == 68
    _, problems = collect(kb.knowledge)
    assert problems == []
    return Engine.from_dirs(kb.knowledge, kb.intents)


def test_article_answers_from_the_imported_text(hebei_imported: Engine) -> None:
    reply = hebei_imported.answer("条例第五条讲的什么")
    assert reply.kind == "answer"
    assert "测试条文5" in reply.text
    assert "来源：《河北省知识产权保护和促进条例》第五条" in reply.text
    assert reply.citations[0].entry == "hebei-ip-regulation:art-5"


def test_article_beyond_the_last_says_how_many(hebei_imported: Engine) -> None:
    reply = hebei_imported.answer("第六十九条")
    assert "共六十八条" in reply.text


def test_campaign_material_still_answers_beside_the_text(hebei_imported: Engine) -> None:
    for question, entry in (
        ("条例什么时候施行", "regulation-effective"),
        ("宣贯活动的时间安排", "plan-schedule"),
        ("刘亚强的电话", "liu-yaqiang"),
    ):
        reply = hebei_imported.answer(question)
        assert reply.kind == "answer", question
        assert reply.citations[0].entry == entry, question


def test_chapters_take_article_spans_from_the_text(hebei_imported: Engine) -> None:
    reply = hebei_imported.answer("第八章")
    assert "附则" in reply.text
    assert "第六十八条" in reply.text


@pytest.fixture(scope="module")
def two_laws(copy_kb: Callable[[str], Any]) -> Engine:
    """The seed plus two provincial (test) regulations of other places."""
    kb = copy_kb("two")
    for place, count in (("甲省", 12), ("乙省", 9)):
        path = kb.root / f"{place}.txt"
        text = _regulation_text(f"{place}专利保护条例", count, ["总则", "保护", "附则"])
        path.write_text(text, encoding="utf-8")
        law_id = "jia-patent" if place == "甲省" else "yi-patent"
        import_law(path, kb.knowledge, law_id=law_id)
    return Engine.from_dirs(kb.knowledge, kb.intents)


def test_lookup_resolves_in_the_named_law(two_laws: Engine) -> None:
    reply = two_laws.answer("甲省专利保护条例第三条")
    assert reply.citations[0].entry == "jia-patent:art-3"
    assert "《甲省专利保护条例》第三条" in reply.text
    reply = two_laws.answer("乙省专利保护条例第十一条")
    assert "共十条" in reply.text  # 9 articles plus the effective-date article


def test_unnamed_lookup_uses_the_primary_law(two_laws: Engine) -> None:
    reply = two_laws.answer("第三条")
    assert "河北省知识产权保护和促进条例" in reply.text
    assert "尚未" in reply.text


def test_shared_name_asks_which_law(two_laws: Engine) -> None:
    reply = two_laws.answer("专利保护条例第三条")
    assert reply.kind == "clarify"
    assert {s.entry for s in reply.suggestions} == {"jia-patent:structure", "yi-patent:structure"}


def test_retrieval_stays_within_the_named_law(two_laws: Engine) -> None:
    reply = two_laws.answer("乙省专利保护条例对专利导航怎么规定")
    ranked = [c.entry.law for c in two_laws.search("乙省专利保护条例对专利导航怎么规定")]
    assert "jia-patent" not in ranked
    assert reply.kind in ("answer", "clarify")


def test_import_replaces_a_law(tmp_path: Path) -> None:
    out = tmp_path / "kb"
    path = tmp_path / "law.txt"
    path.write_text(_regulation_text("丙市测试条例", 5, ["总则", "附则"]), encoding="utf-8")
    import_law(path, out, law_id="bing")
    path.write_text(_regulation_text("丙市测试条例", 8, ["总则", "附则"]), encoding="utf-8")
    result = import_law(path, out, law_id="bing")
    assert result.article_count == 9
    assert len(list((out / "laws").glob("*.yaml"))) == 1


def test_out_of_scope_words_stop_counting_once_the_base_covers_them(
    engine: Engine, copy_kb: Callable[[str], Any]
) -> None:
    question = "电影作品的著作权归谁"
    assert engine.answer(question).kind == "fallback"  # the seed never mentions 电影
    kb = copy_kb("film")
    path = kb.root / "film.txt"
    path.write_text(
        "丁省测试条例\n\n　　第一条　测试条文：电影作品的著作权由制作者享有。\n"
        "　　第二条　本条例自2099年1月1日起施行。\n",
        encoding="utf-8",
    )
    import_law(path, kb.knowledge, law_id="film")
    reply = Engine.from_dirs(kb.knowledge, kb.intents).answer(question)
    assert reply.intent != "out_of_scope"
    assert reply.kind in ("answer", "clarify")
    entries = [c.entry for c in reply.citations] + [s.entry for s in reply.suggestions]
    assert "film:art-1" in entries


@pytest.fixture(scope="module")
def form_law(copy_kb: Callable[[str], Any]) -> Engine:
    """The seed plus a (test) law whose article lists what a form states, phone number included."""
    kb = copy_kb("form")
    path = kb.root / "form.txt"
    path.write_text(
        "丙省专利申请办法\n（测试用文本，非正式条文）\n\n"
        "　　第一条　测试条文：申请书应当写明申请人的姓名、地址和联系电话号码，"
        "以及可以打电话咨询的人。\n"
        "　　第二条　本办法自2099年1月1日起施行。\n",
        encoding="utf-8",
    )
    import_law(path, kb.knowledge, law_id="form-law")
    return Engine.from_dirs(kb.knowledge, kb.intents)


def test_asking_for_a_contact_never_gets_an_article(form_law: Engine) -> None:
    # The article shares 电话, 号码 and 咨询 with the question, but who to call is said by
    # the base's contacts: the reply lists them, as it does without the law.
    reply = form_law.answer("有没有能打电话咨询的人，给个号码")
    assert reply.intent == "contact"
    assert reply.contacts
    shown = [c.entry for c in reply.citations] + [s.entry for s in reply.suggestions]
    assert shown and all(e in form_law.kb.contacts for e in shown)


def test_articles_tied_on_their_words_are_offered_back(two_laws: Engine) -> None:
    """Two articles the words fit equally and meaning orders only narrowly: the engine asks
    which, even at a sure score; a clear lead, by words or by meaning, is answered."""

    def candidate(entry_id: str, score: float, rank: float) -> Candidate:
        return Candidate(two_laws.kb.entries[entry_id], score, rank, score, 0.0, 0.0)

    sure = two_laws.tuning.sure
    lead = two_laws.tuning.article_lead
    tied = [
        candidate("jia-patent:art-3", sure, 1.5 + lead / 2),
        candidate("jia-patent:art-4", sure, 1.5),
    ]
    reply = two_laws.decide("测试问题", "search", tied)
    assert reply.kind == "clarify"
    assert [s.entry for s in reply.suggestions] == ["jia-patent:art-3", "jia-patent:art-4"]
    by_words = [candidate("jia-patent:art-3", sure, 1.6), candidate("jia-patent:art-4", 0.6, 1.5)]
    by_meaning = [
        candidate("jia-patent:art-3", sure, 1.5 + 2 * lead),
        candidate("jia-patent:art-4", sure, 1.5),
    ]
    for ahead in (by_words, by_meaning):
        reply = two_laws.decide("测试问题", "search", ahead)
        assert reply.kind == "answer"
        assert reply.citations[0].entry == "jia-patent:art-3"
