"""The engine end to end over the seed knowledge: cited answers, lookups, contacts, bad input."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.engine import Engine, Reply
from bot.engine.core import MAX_QUESTION_CHARS
from bot.engine.plain import Labels, block_text, card_lines, source_line
from bot.engine.reply import KINDS
from bot.engine.retrieve import Candidate

REPO = Path(__file__).resolve().parents[2]
CHAPTERS = ("总则", "培育与创造", "转化与运用", "行政保护与司法保护", "社会保护与自我保护")
CHAPTERS += ("服务与保障", "法律责任", "附则")
DEFAULT_PHONE = "0311-67565891"


def entries_cited(reply: Reply) -> list[str]:
    return [c.entry for c in reply.citations]


def assert_cited_answer(reply: Reply) -> None:
    """An answer cites at least one entry and its text ends with the matching source line."""
    assert reply.kind == "answer"
    assert_cited(reply)


def assert_cited(reply: Reply) -> None:
    """The reply cites at least one entry and its text is its blocks, then the source line."""
    assert reply.citations
    last = reply.text.splitlines()[-1]
    assert last.startswith("来源：")
    assert last == source_line(reply.citations, Labels())
    # The plain text is the blocks in order, then the source line: nothing else.
    body = reply.text[: -len(last)]
    for block in reply.blocks:
        part = block_text(block, Labels())
        assert part in body
        body = body.replace(part, "", 1)
    assert body.strip() == ""


# -- Facts ----------------------------------------------------------------------------------


def test_effective_date(engine: Engine) -> None:
    reply = engine.answer("条例什么时候施行")
    assert_cited_answer(reply)
    assert "regulation-effective" in entries_cited(reply)
    assert "2023年11月1日" in reply.text
    assert any(line.startswith("来源：") for line in reply.text.splitlines())
    # "That part" and "don't miss any" say nothing of what is asked (那块, 别漏).
    policies = engine.answer("培育创造那块要综合运用哪些政策？全部列出来，别漏")
    assert policies.kind == "answer" and policies.entry == "interp-2-creation"
    # Chat noise after a question (hhh, orz, ｑｕｑ) is no word of it: the same answer.
    for noisy in (
        "条例什么时候施行hhh",
        "条例什么时候施行 orz",
        "条例是哪天通过的？又是哪天开始施行的ｑｕｑ",
    ):
        assert engine.answer(noisy).entry == "regulation-effective", noisy
    # 几时 asks when as 什么时候 does (a synonym, and the date asks).
    assert engine.answer("那说说条例几时施行").entry == "regulation-effective"
    assert engine.answer("宣贯活动几时结束").entry == "plan-schedule"


def test_traditional_question_gets_the_same_answer(engine: Engine) -> None:
    reply = engine.answer("條例什麼時候施行")
    assert entries_cited(reply) == entries_cited(engine.answer("条例什么时候施行"))


def test_every_entry_title_gets_an_answer(engine: Engine) -> None:
    """Asking an entry's exact title is answered outright, never refused or bounced back."""
    unanswered = []
    for entry in engine.kb.entries.values():
        reply = engine.answer(entry.title)
        if reply.kind != "answer":
            unanswered.append((entry.id, reply.kind))
    assert unanswered == []


def test_every_answer_is_cited(engine: Engine) -> None:
    """Every `answer` reply to the knowledge base's own questions cites and ends with 来源."""
    for entry in engine.kb.entries.values():
        for question in (entry.title, *entry.questions):
            reply = engine.answer(question)
            if reply.kind == "answer":
                assert_cited_answer(reply)


def test_sources_answer_is_cited(engine: Engine) -> None:
    reply = engine.answer("资料来源")
    assert reply.intent == "sources"
    assert_cited_answer(reply)


def test_sources_lists_every_document(engine: Engine) -> None:
    reply = engine.answer("你的答案来源是什么")
    assert reply.intent == "sources"
    for source in engine.kb.sources.values():
        assert source.display in reply.text


def test_who_issued_the_documents_gets_each_issuer(engine: Engine) -> None:
    reply = engine.answer("这两份通知的发文机关全称是什么")
    assert reply.intent == "sources"
    assert "河北省人民政府国有资产监督管理委员会" in reply.text
    assert "河北省知识产权战略实施工作领导小组办公室" in reply.text


@pytest.mark.parametrize(
    "question",
    [
        "谁制定的实施方案",
        "国资委通知是哪个单位发的",
        "发通知的是哪个单位",
        "制定方案的是谁",
        "方案谁发的",
        "实施方案是省国资委制定的吗",
        "方案是省国资委制定的吧",
        "实施方案是省国资委制定的，对吧",
        "方案的制定单位全称是什么",
    ],
)
def test_who_made_the_plan_or_a_notice_gets_each_issuer(engine: Engine, question: str) -> None:
    reply = engine.answer(question)
    assert reply.intent == "issuers", question
    # The listing, after a note saying a body named is not the issuer (省国资委).
    assert engine.intents.response("issuers_intro") in reply.text
    assert ("资料中" in reply.text.splitlines()[0]) == ("省国资委" in question)
    if "省国资委" in question:  # the claim answered no first, as its ending asks
        assert reply.text.startswith("不对。" if "吧" in question else "不是。"), question
    assert "河北省知识产权战略实施工作领导小组办公室" in reply.text
    # The document the question names is listed first (方案: the plan, by the office).
    if "方案" in question:
        first = next(b for b in reply.blocks if b.type == "list").items[0].text
        assert first.startswith("《深入开展") and "领导小组办公室）" in first, question
    # The regulation was adopted by a congress, not issued: not the documents' issuers.
    assert engine.answer("条例是谁制定的").intent != "sources"


def test_when_each_document_was_issued_shows_only_the_dates_given(engine: Engine) -> None:
    reply = engine.answer("国资委的通知和领导小组办公室的通知各是哪天发的")
    assert reply.intent == "issue_dates"
    assert reply.text.startswith(engine.intents.response("dates_intro"))
    items = next(b for b in reply.blocks if b.type == "list").items
    sasac = next(i for i in items if i.citation.entry == "source:sasac-notice")
    notice = next(i for i in items if i.citation.entry == "source:leading-group-notice")
    assert "年" not in sasac.text  # the seed gives the SASAC notice no date
    assert "2023年9月28日" in notice.text


@pytest.mark.parametrize(
    "question",
    ["方案说宣贯时间是什么时候", "方案规定的时间安排是啥"],
)
def test_a_document_named_matches_its_passages_alike(engine: Engine, question: str) -> None:
    # The notice's title names the plan and it gives days (its own date, the law's), but the
    # question asks what the plan says: its schedule. (The law's own dates asked "in the
    # plan" are still the notice's: 实施方案里条例什么时候施行.)
    reply = engine.answer(question)
    assert reply.kind == "answer" and reply.entry == "plan-schedule"
    assert "2023年9月28日至10月31日" in reply.text
    reply = engine.answer("实施方案里条例什么时候施行")
    assert "2023年11月1日" in reply.text and reply.entry != "plan-schedule"


def test_how_one_is_punished_is_not_held_by_a_passage_saying_it_is_set_out(
    engine: Engine,
) -> None:
    reply = engine.answer("商户失信了会被怎么惩戒")
    assert reply.kind == "fallback" and "未载明惩戒的具体内容" in reply.text


def test_attachments_are_each_documents_own(engine: Engine) -> None:
    both = engine.answer("两份通知各自带的附件是啥")
    assert both.kind == "answer" and both.intent == "attachments"
    assert both.text.startswith(engine.intents.response("attachments_intro"))
    items = next(b for b in both.blocks if b.type == "list").items
    assert [i.citation.entry for i in items] == ["source:sasac-notice", "source:plan"]
    assert all(i.citation.locator == "附件" for i in items)
    assert "《条例》简要解读" in items[1].text
    # A document named with a count that is not its own: only its attachment, the one it has.
    plan = engine.answer("实施方案有四个附件吧，都是什么")
    assert plan.intent == "attachments"
    assert [i.citation.entry for i in next(b for b in plan.blocks if b.type == "list").items] == [
        "source:plan"
    ]
    # A document named that has none is said to list none, before the others'.
    law = engine.answer("条例有附件吗")
    assert law.text.startswith("资料中《河北省知识产权保护和促进条例》没有列出附件。")
    # Named in two words (领导小组办公室的通知), as in one.
    notice = engine.answer("领导小组办公室的通知有附件吗")
    assert notice.text.startswith("资料中《河北省知识产权战略实施工作领导小组办公室关于印发")
    # What the attachment says, or whom to ask about it, is no question of attachments.
    assert engine.answer("方案附件那个简要解读有几处看不懂，能找谁请教？").intent != "attachments"


def test_cooperating_with_a_place_is_no_question_about_its_law(engine: Engine) -> None:
    reply = engine.answer("条例在和北京天津协同方面有什么规定")
    assert reply.entry == "interp-beijing-tianjin"
    assert engine.answer("北京的专利条例有哪些规定").intent == "other_jurisdiction"


def test_citations_name_existing_entries(engine: Engine) -> None:
    questions = ["条例什么时候施行", "第五条", "第三章", "刘亚强电话", "今天天气怎么样", "资料来源"]
    questions += [e.title for e in engine.kb.entries.values()]
    for question in questions:
        reply = engine.answer(question)
        for citation in reply.citations:
            assert citation.entry in engine.kb.entries or citation.entry.startswith("source:")
            assert citation.source and not citation.source.startswith(" ")
        for suggestion in reply.suggestions:
            assert suggestion.entry in engine.kb.entries


# -- Guard against invented facts -----------------------------------------------------------

DATE = re.compile(
    r"\d{4}年\d{1,2}月\d{1,2}日|\d{4}-\d{1,2}-\d{1,2}|\d{1,2}月\d{1,2}日|\d{4}年\d{1,2}月"
)
PHONE = re.compile(r"(?<!\d)(?:\d{3,4}-\d{7,8}|1\d{10})(?!\d)")
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


@pytest.fixture(scope="module")
def kb_corpus() -> str:
    """Every file of the knowledge base, plus ISO dates written the Chinese way."""
    texts = [p.read_text(encoding="utf-8") for p in sorted((REPO / "knowledge").rglob("*.*"))]
    corpus = "\n".join(texts)
    extra = [
        f"{int(y)}年{int(m)}月{int(d)}日"
        for y, m, d in re.findall(r"(\d{4})-(\d{2})-(\d{2})", corpus)
    ]
    return corpus + "\n" + "\n".join(extra)


def test_no_invented_dates_phones_or_emails(engine: Engine, kb_corpus: str) -> None:
    invented = set()
    for entry in engine.kb.entries.values():
        for question in (entry.title, *entry.questions[:2]):
            text = engine.answer(question).text
            for pattern in (DATE, PHONE, EMAIL):
                for fact in pattern.findall(text):
                    if fact not in kb_corpus:
                        invented.add((entry.id, fact))
    assert invented == set()


def test_fact_guard_catches_an_invented_fact(kb_corpus: str) -> None:
    """The guard itself works: facts absent from the base are caught."""
    assert "2023年11月1日" in kb_corpus and "0311-87902543" in kb_corpus
    assert "2024年1月1日" not in kb_corpus
    assert PHONE.findall("电话：0311-12345678，手机13800000000") == ["0311-12345678", "13800000000"]


# -- Articles and chapters ------------------------------------------------------------------


@pytest.mark.parametrize("question", ["第五条讲什么", "第六十八条", "第1条", "条例第五条的内容"])
def test_article_text_not_loaded(engine: Engine, question: str) -> None:
    law = engine.kb.primary
    assert law is not None and not law.has_text
    reply = engine.answer(question)
    # Cited like an answer, but no article's text: a fallback, counted as not answered.
    assert_cited(reply)
    assert reply.kind == "fallback"
    assert reply.intent == "article"
    assert "尚未" in reply.text
    for name in CHAPTERS:
        assert name in reply.text
    assert DEFAULT_PHONE in reply.text
    # Nothing but the fixed notice, the structure, the contact card and the source line.
    rest = reply.text
    structure = engine.kb.entries["hebei-ip-regulation:structure"].text
    card = next(c for c in reply.contacts if c.id == engine.kb.default_contact)
    contact = "\n".join(card_lines(card, Labels()))
    for part in (structure, contact, source_line(reply.citations, Labels())):
        assert part in rest
        rest = rest.replace(part, "")
    notice = rest.strip()
    assert "\n" not in notice
    assert notice.startswith("知识库尚未导入")


@pytest.mark.parametrize(
    ("question", "label"),
    [("第六十九条", "第六十九条"), ("第100条", "第一百条"), ("第一百条讲什么", "第一百条")],
)
def test_article_beyond_the_last(engine: Engine, question: str, label: str) -> None:
    reply = engine.answer(question)
    assert_cited_answer(reply)
    assert "六十八" in reply.text
    assert f"没有{label}" in reply.text


def test_article_number_with_spaces(engine: Engine) -> None:
    spaced = engine.answer("第 5 条")
    assert spaced.intent == "article"
    assert entries_cited(spaced) == entries_cited(engine.answer("第5条"))


@pytest.mark.parametrize("question", ["第0条", "第零条"])
def test_article_zero_asks_for_a_number(engine: Engine, question: str) -> None:
    reply = engine.answer(question)
    assert reply.kind == "answer"
    assert engine.intents.response("article_usage") in reply.text


def test_huge_article_number_does_not_raise(engine: Engine) -> None:
    reply = engine.answer("第10000000000000000条")
    assert reply.kind in KINDS


@pytest.mark.parametrize(
    ("question", "name", "entry"),
    [
        ("第三章", "转化与运用", "hebei-ip-regulation:chapter-3"),
        ("第三章讲什么", "转化与运用", "hebei-ip-regulation:chapter-3"),
        ("第一章", "总则", "hebei-ip-regulation:chapter-1"),
        ("最后一章", "附则", "hebei-ip-regulation:chapter-8"),
        ("末章是什么", "附则", "hebei-ip-regulation:chapter-8"),
    ],
)
def test_chapters(engine: Engine, question: str, name: str, entry: str) -> None:
    reply = engine.answer(question)
    assert_cited_answer(reply)
    assert name in reply.text
    assert entries_cited(reply) == [entry]
    # The regulation's text is not loaded: the reply says the name is all it holds.
    note = engine.intents.response("chapter_not_loaded").split("：")[0]
    assert any(b.type == "note" and b.text.startswith(note) for b in reply.blocks)


def test_chapter_beyond_the_last(engine: Engine) -> None:
    reply = engine.answer("第九章")
    assert_cited_answer(reply)
    assert "共八章" in reply.text


# -- Contacts and fallbacks -----------------------------------------------------------------


def test_contact_by_name(engine: Engine) -> None:
    reply = engine.answer("刘亚强电话")
    assert_cited_answer(reply)
    assert "0311-87902543" in reply.text
    assert "153627456@qq.com" in reply.text
    assert entries_cited(reply) == ["liu-yaqiang"]
    assert [c.phone for c in reply.contacts] == ["0311-87902543"]


def test_contact_by_organisation(engine: Engine) -> None:
    reply = engine.answer("市场监管局联系人")
    assert_cited_answer(reply)
    assert "王国强" in reply.text
    assert DEFAULT_PHONE in reply.text
    assert "@" not in reply.text  # the seed gives 王国强 no email


def test_contact_question_naming_the_regulation(engine: Engine) -> None:
    reply = engine.answer("条例宣贯的联系人是谁")
    assert reply.kind in ("answer", "clarify")
    cited = entries_cited(reply) + [s.entry for s in reply.suggestions]
    assert cited
    assert all(engine.kb.entries[e].kind == "contact" for e in cited)


@pytest.mark.parametrize(
    "question",
    ["今天天气怎么样", "给我讲个笑话", "股票会涨吗", "红烧肉怎么做", "ＡＢＣ", "闯红灯扣几分"],
)
def test_out_of_scope_is_refused_without_an_officials_card(engine: Engine, question: str) -> None:
    reply = engine.answer(question)
    assert reply.kind == "fallback"
    assert not reply.contacts and not reply.shown_contacts
    assert "王国强" not in reply.text and DEFAULT_PHONE not in reply.text
    assert engine.intents.response("off_topic") in reply.text


@pytest.mark.parametrize(
    "question", ["商标怎么注册", "软件著作权怎么登记", "咨询热线是多少", "专利代理师考试怎么报名"]
)
def test_a_field_question_nothing_answers_falls_back_to_default_contact(
    engine: Engine, question: str
) -> None:
    # Within the field (商标, 热线) though the base does not answer it: whom to ask.
    reply = engine.answer(question)
    assert reply.kind == "fallback"
    assert "王国强" in reply.text and DEFAULT_PHONE in reply.text
    assert entries_cited(reply) == [engine.kb.default_contact]
    assert reply.text.splitlines()[-1].startswith("来源：")


@pytest.mark.parametrize("question", ["你好，条例什么时候施行", "谢谢，联系人电话是多少"])
def test_greeting_does_not_swallow_the_question(engine: Engine, question: str) -> None:
    assert engine.answer(question).kind == "answer"


@pytest.mark.parametrize(
    ("question", "intent"),
    [
        ("你好", "greeting"),
        ("谢谢", "thanks"),
        ("嗯 好的 谢谢你啊 你人真好", "thanks"),
        ("你们这是官方的吗", "official"),
        ("你们代表哪个部门", "official"),
        ("再问下今天几号", "clock"),
        ("现在几点了", "clock"),
    ],
)
def test_smalltalk(engine: Engine, question: str, intent: str) -> None:
    reply = engine.answer(question)
    assert (reply.kind, reply.intent) == ("smalltalk", intent)
    assert reply.citations == [] and not reply.shown_contacts
    assert "来源" not in reply.text


@pytest.mark.parametrize("question", ["这是官方网站吗", "条例今天施行吗"])
def test_a_word_of_small_talk_in_a_question_of_the_material_is_no_small_talk(
    engine: Engine, question: str
) -> None:
    assert engine.answer(question).kind != "smalltalk"


# -- Bad input ------------------------------------------------------------------------------

BAD_INPUT = [
    "",
    "   ",
    "\n\t",
    "x" * 10_000,
    "知" * (MAX_QUESTION_CHARS + 1),
    "😀😀😀",
    "\x00\x01\x02\x1b[31m",
    "\u200f\u202e\u200b",
    "\u202e第五条",
    "第条",
    "第章",
    # A run of numerals after 第 with no word for a part after it: read in one way only
    # (the position pattern once backtracked exponentially on it).
    "第" + "一" * (MAX_QUESTION_CHARS - 2) + "x",
    "第一、" * 160 + "x",
    "<b>&</b>",
    "<script>alert(1)</script>",
    "*_`[]",
    "[link](http://example.com) **bold** _it_",
    "\ud800",  # lone surrogate
    "？？？？",
    "0",
    "第-1条",
    "第1.5条",
]


@pytest.mark.parametrize("question", BAD_INPUT)
def test_bad_input_gets_a_clear_reply(engine: Engine, question: str) -> None:
    reply = engine.answer(question)
    assert reply.kind in KINDS
    assert reply.text.strip()
    assert reply.question == question


@pytest.mark.parametrize("question", ["", "   ", "\n"])
def test_empty_input(engine: Engine, question: str) -> None:
    reply = engine.answer(question)
    assert (reply.kind, reply.intent) == ("smalltalk", "empty")
    assert reply.text == engine.intents.response("empty")


@pytest.mark.parametrize("question", ["😀😀", "*_`[]", "\u200f\u200b", "？！"])
def test_no_content_input(engine: Engine, question: str) -> None:
    reply = engine.answer(question)
    assert (reply.kind, reply.intent) == ("smalltalk", "no_content")


def test_too_long_input(engine: Engine) -> None:
    reply = engine.answer("条例什么时候施行" * 1250)  # 10,000 characters
    assert (reply.kind, reply.intent) == ("fallback", "too_long")
    assert str(MAX_QUESTION_CHARS) in reply.text
    assert DEFAULT_PHONE in reply.text
    assert engine.answer("知" * MAX_QUESTION_CHARS).intent != "too_long"


def test_invisible_marks_do_not_change_the_answer(engine: Engine) -> None:
    plain = engine.answer("第五条")
    marked = engine.answer("\u202e第\u200b五条\u200f")
    assert entries_cited(marked) == entries_cited(plain)


def test_non_string_question_does_not_raise(engine: Engine) -> None:
    reply = engine.answer(12345)  # type: ignore[arg-type]
    assert reply.kind in KINDS


# -- Reply contract -------------------------------------------------------------------------


def test_to_json_keys(engine: Engine) -> None:
    data = engine.answer("条例什么时候施行").to_json()
    assert list(data) == [
        "question",
        "kind",
        "intent",
        "text",
        "citations",
        "confidence",
        "suggestions",
        "contacts",
        "passage",
        "entry",
        "sources",
        "read_as",
        "blocks",
    ]
    assert data["entry"] == "regulation-effective"
    assert [b["type"] for b in data["blocks"]] == ["heading", "passage"]
    assert data["blocks"][1]["citation"]["entry"] == "regulation-effective"
    assert data["blocks"][1]["citation"]["line"] in data["text"]
    assert data["question"] == "条例什么时候施行"
    assert data["kind"] == "answer"
    assert isinstance(data["confidence"], float) and 0 <= data["confidence"] <= 1
    assert data["citations"]
    for citation in data["citations"]:
        assert set(citation) == {"source", "locator", "entry", "line"}
    assert data["suggestions"] == []


def _candidate(engine: Engine, entry_id: str, score: float) -> Candidate:
    return Candidate(engine.kb.entries[entry_id], score, score, score, score, 0.0)


def test_clarify_offers_existing_suggestions(engine: Engine) -> None:
    t = engine.tuning
    middle = (t.clarify + t.answer) / 2
    if middle >= t.sure:
        pytest.skip("thresholds leave no clarify band")
    ids = ["plan-schedule", "interp-patent-award", "plan-overall", "interp-ip-fund"]
    candidates = [_candidate(engine, e, middle - i * 1e-4) for i, e in enumerate(ids)]
    reply = engine.decide("一个含糊的问题", "search", candidates)
    assert reply.kind == "clarify"
    assert 2 <= len(reply.suggestions) <= 3
    assert [s.entry for s in reply.suggestions] == ids[: len(reply.suggestions)]
    for suggestion in reply.suggestions:
        assert suggestion.title == engine.kb.entries[suggestion.entry].title
        assert suggestion.title in reply.text
    assert reply.citations == []
    data = reply.to_json()
    for suggestion in data["suggestions"]:
        assert set(suggestion) == {"entry", "title"}
    # the chosen suggestion answers that entry
    chosen = engine.answer_entry(reply.suggestions[1].entry, reply.question)
    assert_cited_answer(chosen)
    assert entries_cited(chosen) == [reply.suggestions[1].entry]


def test_clarify_drops_related_suggestions(engine: Engine) -> None:
    """A carved-out entry and its parent say the same thing: only one is offered."""
    child = next(e for e in engine.kb.entries.values() if e.parent in engine.kb.entries)
    t = engine.tuning
    middle = (t.clarify + t.answer) / 2
    if middle >= t.sure:
        pytest.skip("thresholds leave no clarify band")
    other = "plan-schedule" if child.parent != "plan-schedule" else "plan-overall"
    candidates = [
        _candidate(engine, child.id, middle),
        _candidate(engine, child.parent or "", middle - 0.001),
        _candidate(engine, other, middle - 0.002),
    ]
    reply = engine.decide("含糊", "search", candidates)
    assert [s.entry for s in reply.suggestions] == [child.id, other]


def test_clarify_with_one_close_candidate_asks_about_it(engine: Engine) -> None:
    """A middling match with no rival is offered back as a single "did you mean"."""
    t = engine.tuning
    middle = (t.clarify + t.answer) / 2
    candidates = [
        _candidate(engine, "plan-schedule", middle),
        _candidate(engine, "interp-patent-award", t.clarify / 2),
    ]
    reply = engine.decide("含糊", "search", candidates)
    assert reply.kind == "clarify"
    assert [s.entry for s in reply.suggestions] == ["plan-schedule"]


def test_low_scores_fall_back(engine: Engine) -> None:
    t = engine.tuning
    reply = engine.decide("无关", "search", [_candidate(engine, "plan-schedule", t.clarify / 2)])
    assert reply.kind == "fallback"
    assert engine.decide("无关", "search", []).kind == "fallback"


def test_sure_scores_answer(engine: Engine) -> None:
    t = engine.tuning
    candidates = [
        _candidate(engine, "plan-schedule", min(1.0, t.sure + 0.01)),
        _candidate(engine, "plan-overall", t.sure),
    ]
    reply = engine.decide("时间安排", "search", candidates)
    assert_cited_answer(reply)
    assert entries_cited(reply) == ["plan-schedule"]


def test_answer_entry(engine: Engine) -> None:
    for entry_id in ("plan-schedule", "liu-yaqiang", "hebei-ip-regulation:chapter-3"):
        reply = engine.answer_entry(entry_id)
        assert_cited_answer(reply)
        assert entries_cited(reply)[0] == entry_id
        assert reply.entry == entry_id
        if entry_id in engine.kb.contacts:
            contact = engine.kb.contacts[entry_id]
            assert [c.id for c in reply.shown_contacts] == [entry_id]
            assert contact.phone in reply.text and contact.name in reply.text
        else:
            assert engine.kb.entries[entry_id].text.strip() in reply.text
        assert reply.question == engine.kb.entries[entry_id].title


def test_answer_entry_unknown_id_falls_back(engine: Engine) -> None:
    reply = engine.answer_entry("no-such-entry", "问题")
    assert reply.kind == "fallback"
    assert DEFAULT_PHONE in reply.text


def test_answer_shows_passage_of_parent(engine: Engine) -> None:
    child = next(e for e in engine.kb.entries.values() if e.parent in engine.kb.entries)
    reply = engine.answer_entry(child.id)
    assert reply.passage == engine.kb.entries[child.parent or ""].text


def test_broken_knowledge_refuses_to_start(tmp_kb) -> None:  # type: ignore[no-untyped-def]
    from bot.knowledge import KnowledgeError

    kb = tmp_kb()
    kb.replace("knowledge/contacts.yaml", "default_contact: wang-guoqiang", "default_contact: x")
    with pytest.raises(KnowledgeError, match=r"knowledge/contacts\.yaml:\d+: unknown default"):
        Engine.from_dirs(kb.knowledge, kb.intents)


@pytest.mark.parametrize(
    ("question", "refused"),
    [
        ("北京的专利条例是怎么规定的", True),
        ("浙江省专利条例有几章", True),
        ("条例跟京津有关系吗", False),
        ("河北和北京天津在知识产权上怎么合作", False),
    ],
)
def test_only_a_place_that_qualifies_a_law_is_refused(
    engine: Engine, question: str, refused: bool
) -> None:
    reply = engine.answer(question)
    assert (reply.intent == "other_jurisdiction") is refused, reply.text


def test_the_words_that_only_say_what_is_asked_weigh_least(engine: Engine) -> None:
    # 一条条, 列出来: rare words the base never uses, they outweighed 立法目的 and sank the
    # passage about it; as frames they weigh as the least word.
    about, frame = engine.reading("条例的立法目的包括哪几点，一条条列出来")
    query = engine.retriever.query(about, frame)
    assert query.weights["一条条"] == query.weights["列出来"] == min(query.weights.values())
    assert query.weights["立法目的"] > 10 * query.weights["列出来"]
    plain = engine.retriever.query(about)
    assert plain.weights["列出来"] > plain.weights["立法目的"]


def test_hebei_typed_in_latin_letters_is_hebei(engine: Engine) -> None:
    reply = engine.answer("ＨＢ知识产权保护和促进条例共几章几条？")
    assert reply.kind == "answer" and "六十八条" in reply.text


def test_a_documents_passages_are_in_it_said_or_not(engine: Engine) -> None:
    # 方案 named as the speaker: the plan's passage on leadership, which never says 实施方案.
    assert engine.answer("组织领导方案怎么说").entry == "plan-req-leadership"


def test_a_value_not_stated_near_the_answer_line_shows_what_the_passage_says(
    engine: Engine,
) -> None:
    reply = engine.answer("技术调查官咋申请，怎么才能当上")
    assert reply.kind == "fallback" and reply.entry == "interp-tech-investigator"
    assert "建立技术调查官制度" in reply.text and "未载明具体办法" in reply.text
    # A passage that never names what is asked is not quoted.
    assert engine.answer("咨询热线是多少？").entry is None


def test_a_question_about_the_document_itself_is_not_answered_by_a_duty_under_it(
    engine: Engine,
) -> None:
    for question in ("方案是哪个部门的", "实施方案是哪个单位出的"):
        assert engine.answer(question).entry != "duty-campaign-units", question


def test_asking_for_the_source_words_weighs_as_how_not_what(engine: Engine) -> None:
    assert engine.answer("请给我方案“总体要求”部分的原文").entry == "plan-overall"


def test_spoken_interjections_and_fillers_weigh_nothing(engine: Engine) -> None:
    # 喂 and 咋回事 weighed as rare words the base never uses and sank the topic to a menu.
    for question, entry in (
        ("喂你好我想问一下那个知识产全条例是什么时候开始实行的啊", "regulation-effective"),
        ("宣传月活动是咋回事，我们社区能参与不", "plan-focus-publicity"),
    ):
        reply = engine.answer(question)
        assert reply.kind == "answer" and reply.entry == entry, question


def test_how_to_cope_words_weigh_nothing(engine: Engine) -> None:
    # 咋办 weighed 23.6 and sank the topic below any menu.
    reply = engine.answer("社区里有人问侵权了咋办 条例里有没有纠纷化解的说法嗯就是调解那种")
    assert reply.kind != "fallback" or reply.entry is not None


def test_a_body_said_to_have_issued_the_plan_is_checked_by_the_issuers(engine: Engine) -> None:
    reply = engine.answer("国资委印发了实施方案吧")
    assert reply.intent == "issuers" and "没有“国资委”" in reply.text


def test_the_time_a_law_takes_effect_is_its_date_not_the_campaign_s_span(engine: Engine) -> None:
    for question in ("条例的施行时间是什么时候", "条例生效时间", "条例的实施时间是什么时候"):
        assert engine.answer(question).entry == "regulation-effective", question
    assert engine.answer("宣贯活动的时间安排").entry == "plan-schedule"


def test_the_plan_s_name_holds_no_word_for_taking_effect(engine: Engine) -> None:
    # 实施方案 cut into terms holds 施行: every plan passage matched the law's taking effect.
    for question in ("实施方案里条例什么时候施行", "方案里条例是哪天通过的"):
        assert engine.answer(question).entry != "plan-schedule", question
