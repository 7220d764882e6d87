"""Fitting the reply to what was asked: parts named by their heading, lists the passage does
not hold, specifics no suggestion holds, small talk the whole-message patterns miss."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest

from bot.engine import Engine
from bot.engine.asks import AskType, asked_types, frames, read_asks
from bot.engine.fit import (
    an_item,
    compact,
    counted_series,
    example_item,
    lacking,
    list_nouns,
    list_object,
    listed_in,
    named_part,
    names_item,
    part_names,
    series_items,
    topic,
)
from bot.engine.reply import ItemList
from bot.engine.retrieve import Candidate

LIST = read_asks(
    [{"name": "list", "patterns": ["哪些"], "evidence": ["[^、，。]{1,16}、[^、，。]{1,16}、"]}],
    "asks.yaml",
    [],
)[0]
AMOUNT = AskType("amount", "具体金额", (), (re.compile(r"\d+元"),))


def test_compact_drops_punctuation_and_brackets() -> None:
    assert compact("（三）注重总结，强化提升。") == "三注重总结强化提升"
    assert compact("“有关要求” 里") == "有关要求里"


def test_part_names_are_item_headings_without_enumerators_and_section_aliases(
    engine: Engine,
) -> None:
    names = dict(part_names(engine.kb))
    assert names["注重总结强化提升"].id == "plan-req-summary"
    assert names["有关要求"].id == "plan-requirements"
    assert names["简要解读"].id == "interp-points"
    # Too short to name a part by: 总则 is any law's first chapter.
    assert all(len(name) >= 4 for name in names)
    lengths = [len(name) for name, _ in part_names(engine.kb)]
    assert lengths == sorted(lengths, reverse=True)


def test_a_named_part_counts_only_next_to_the_top_entry(engine: Engine) -> None:
    kb, names = engine.kb, part_names(engine.kb)
    item = kb.entries["plan-req-leadership"]
    assert named_part(names, "有关要求里面都有啥", item).id == "plan-requirements"
    # The retrieval pointing elsewhere wins over a name in passing.
    assert named_part(names, "有关要求里面都有啥", kb.entries["duty-universities"]) is None
    assert named_part(names, "讲讲有什么", item) is None


@pytest.mark.parametrize(
    ("question", "section", "count"),
    [
        ("“有关要求”这部分里头是些啥，给我列列", "plan-requirements", 3),
        ("简要解读一共讲了哪几个方面呀", "interp-points", 6),
    ],
)
def test_a_list_question_naming_a_section_gets_every_item(
    engine: Engine, question: str, section: str, count: int
) -> None:
    reply = engine.answer(question)
    assert reply.kind == "answer" and reply.entry == section
    lists = [b for b in reply.blocks if isinstance(b, ItemList)]
    assert len(lists) == 1 and len(lists[0].items) == count
    assert all(item.citation.entry for item in lists[0].items)


def test_a_list_question_naming_an_item_gets_its_passage(engine: Engine) -> None:
    reply = engine.answer("多措并举提高实效那条包括哪些做法")
    assert reply.kind == "answer" and reply.entry == "plan-req-effectiveness"
    assert "专题学习培训" in reply.text


@pytest.mark.parametrize("question", ["各章叫什么", "每一章的标题是啥", "８个章分别叫啥"])
def test_every_chapter_at_once_is_the_structure(engine: Engine, question: str) -> None:
    reply = engine.answer(question)
    assert reply.kind == "answer" and reply.entry == "hebei-ip-regulation:structure"
    for name in ("总则", "社会保护与自我保护", "附则"):
        assert name in reply.text


def test_list_nouns_are_the_words_after_the_question_word() -> None:
    def words(text: str) -> list[str]:
        return ["禁止", "行为", "是", "的"] if text.startswith("禁止") else [text]

    assert list_nouns("执业有哪些禁止行为是的", words) == ["禁止", "行为"]
    assert list_nouns("讲了什么", words) == []
    # Nothing after 哪些: the last word before it (and not 几个 of a later clause).
    assert list_nouns("公布的典型案例都有哪些？举几个例子", lambda t: t.split("的")) == ["典型案例"]
    # Ways asked of something (…机制包括哪些方式): then what has them; not requirements.
    split = lambda t: [t[i : i + 2] for i in range(0, len(t), 2)]  # noqa: E731
    assert list_nouns("化解机制包括哪些方式", split) == ["方式", "机制"]
    assert list_nouns("化解机制包括哪些要求", split) == ["要求"]


def test_ways_of_a_thing_the_passage_names_and_lists_none_of_are_said_missing(
    engine: Engine,
) -> None:
    for question in (
        "知识产权纠纷多元化解机制具体包括哪些方式",
        "知识产权纠纷有哪些解决途径",
        "纠纷多元化解机制具体指哪些方式",
    ):
        reply = engine.answer(question)
        assert reply.kind == "fallback" and reply.entry == "interp-dispute-resolution", question
    # The requirements under a heading are listed by its text.
    assert engine.answer("注重总结强化提升具体有哪些要求").kind == "answer"


def test_a_clause_naming_one_thing_joins_nothing() -> None:
    # 及时 and 涉及 join nothing; 和, 及其 do.
    passage = "及时公布具有典型意义的指导性案例，以案释法、以点促面。"
    assert listed_in(passage, ["指导性案例"]) is False
    assert listed_in("政府及其主管部门的职责", ["职责"]) is True


def test_a_passage_naming_what_is_listed_without_listing_it_lacks_the_list() -> None:
    passage = "加强监管，明确服务机构执业活动的禁止行为。"
    assert listed_in(passage, ["行为"]) is False
    assert lacking([LIST], passage, ["行为"]) is LIST
    # It names two things together: a list, if a short one.
    assert listed_in("明确禁止行为和处罚措施。", ["行为"]) is True
    # It never names it: nothing to judge by.
    assert listed_in(passage, ["材料"]) is None
    assert lacking([LIST], passage, ["材料"]) is None


def test_a_passage_holding_a_series_answers_a_list_and_the_values_it_holds() -> None:
    passage = "通过报纸、电视、网站等形式宣传，费用由各单位承担。"
    assert lacking([LIST, AMOUNT], passage, ["行为"]) is None
    # Without a series, the other specifics are judged.
    assert lacking([LIST, AMOUNT], "费用由各单位承担。", []) is AMOUNT
    # A value asked beside the list (几项国际标准了: a count) is judged even so.
    count = AskType("number", "具体数量", (), (re.compile(r"\d+项"),), exact=True)
    assert lacking([LIST, count], passage, []) is count
    assert lacking([LIST, count], "已有3项：报纸、电视、网站。", []) is None
    # …unless the list answers it (有几项，分别是哪些: count the items).
    assert lacking([LIST, replace(count, by_list=True)], passage, []) is None


def test_a_specific_no_suggestion_holds_is_said_to_be_missing(engine: Engine) -> None:
    reply = engine.answer("专利奖颁奖仪式在哪里举行")
    assert reply.kind == "fallback"
    assert not reply.suggestions
    assert "未载明具体地址" in reply.text


@pytest.mark.parametrize(
    ("question", "missing"),
    [
        ("条例对侵权者罚款最高500万元，是吗", "具体金额"),  # a sum stated, yes or no
        ("法律责任一章规定的罚款幅度是多少", "具体金额"),  # a range
        ("河北这个专利奖的奖金比国家专利奖高吗", "具体金额"),  # a comparison of sums
        ("宣传月是定在11月搞的吧", "具体日期"),  # a month, yes or no
    ],
)
def test_a_sum_or_month_checked_is_said_to_be_missing(
    engine: Engine, question: str, missing: str
) -> None:
    reply = engine.answer(question)
    assert reply.kind == "fallback" and not reply.suggestions, question
    assert f"未载明{missing}" in reply.text


def test_a_counted_name_is_spelled_out_by_a_series_of_that_many() -> None:
    passage = "推动《条例》进企业、进学校、进社区、进单位、进市场，增加宣传的针对性。"
    assert counted_series(passage, "五进")
    assert not counted_series(passage, "四进")  # not that many
    assert not counted_series(passage, "五学")  # items without its character
    assert not counted_series(passage, "宣传")  # no count


def test_a_counted_name_asked_to_mean_is_answered_by_its_series(engine: Engine) -> None:
    for question in ("五进是指什么", "啥叫五进"):
        reply = engine.answer(question)
        assert reply.kind == "answer" and "进市场" in reply.text, question
        assert "未载明" not in reply.text


def test_a_lacking_passage_names_every_specific_it_lacks(engine: Engine) -> None:
    reply = engine.answer("专利导航服务收费不？企业去哪个网站申请")
    assert reply.kind == "fallback"
    assert "具体金额" in reply.text and "具体地址" in reply.text


def test_a_list_named_only_as_where_something_goes_holds_no_content(engine: Engine) -> None:
    # 将《条例》纳入领导干部应知应会法律法规清单 names the list, not what is on it.
    reply = engine.answer("应知应会清单是什么")
    assert reply.kind == "fallback" and "未载明清单的具体内容" in reply.text
    assert "纳入领导干部应知应会法律法规清单" in reply.text
    # Asked which list, the passage answers.
    assert engine.answer("条例要纳入什么清单").kind == "answer"


@pytest.mark.parametrize(
    ("question", "intent"),
    [
        ("哈喽～有人没😄", "greeting"),
        ("厉害厉害，讲得挺明白的！！", "praise"),
        ("好的没别的问题了，拜拜～", "goodbye"),
        ("真是辛苦啦🙏", "thanks"),
    ],
)
def test_cued_small_talk_gets_no_contact_card(engine: Engine, question: str, intent: str) -> None:
    reply = engine.answer(question)
    assert (reply.kind, reply.intent) == ("smalltalk", intent)
    assert not reply.contacts


@pytest.mark.parametrize("question", ["你好，知识产权法院在哪", "谢谢，条例罚款多少钱"])
def test_a_question_beside_a_cue_is_still_a_question(engine: Engine, question: str) -> None:
    assert engine.answer(question).kind != "smalltalk"


def test_who_interprets_is_not_answered_from_a_passage_that_does_not_say(
    engine: Engine,
) -> None:
    reply = engine.answer("条例的解释权归哪个部门")
    assert reply.kind != "answer"


def _candidate(engine: Engine, entry_id: str, score: float) -> Candidate:
    return Candidate(engine.kb.entries[entry_id], score, score, score, score, 0.0)


def test_a_list_far_ahead_of_any_rival_is_answered_below_the_list_floor(engine: Engine) -> None:
    # eval --tune decides whether this is on (list_lead below 1.0): tested at a value it tries.
    saved = engine.tuning
    engine.tuning = t = replace(saved, list_lead=0.1)
    try:
        low = (t.clarify + t.list_floor) / 2
        question = "宣传都有哪些形式"
        # plan-focus-publicity holds a series (报纸、电视、官方网站…).
        ahead = [
            _candidate(engine, "plan-focus-publicity", low),
            _candidate(engine, "plan-schedule", max(0.0, low - t.list_lead - 0.01)),
        ]
        reply = engine.decide(question, "search", ahead, text=question)
        assert reply.kind == "answer" and reply.entry == "plan-focus-publicity"
        close = [ahead[0], _candidate(engine, "plan-schedule", low - t.list_lead / 2)]
        assert engine.decide(question, "search", close, text=question).kind == "clarify"
    finally:
        engine.tuning = saved


def test_a_clarify_offers_the_passages_that_hold_the_value_asked(engine: Engine) -> None:
    t = engine.tuning
    question = "活动到几号结束"
    mid = (t.clarify + t.answer) / 2
    without = [
        _candidate(engine, "plan-req-summary", mid),
        _candidate(engine, "plan-focus-publicity", mid - 0.01),
    ]
    # Ranked low (a typo, say), the schedule holds the dates: it is what is offered.
    reply = engine.decide(
        question, "date", [*without, _candidate(engine, "plan-schedule", 0.1)], text=question
    )
    assert reply.kind == "clarify"
    assert [s.entry for s in reply.suggestions] == ["plan-schedule"]
    # No passage found holds a date: the reply says so, and offers nothing.
    reply = engine.decide(question, "date", without, text=question)
    assert reply.kind == "fallback" and not reply.suggestions
    assert "未载明具体日期" in reply.text


@pytest.mark.parametrize(
    ("passage", "thing", "item"),
    [
        ("加强保护中心、快速维权中心、信息服务机构等机构建设。", "快速维权中心", True),
        ("加强保护中心、快速维权中心、信息服务机构等机构建设。", "服务机构", False),
        ("明确主管部门、管理部门、相关部门和组织的职责。", "部门和组织", False),
        ("快速维权中心和保护中心。", "快速维权中心", False),
        # The series ends at 等: what follows is the kind (two words of it), no item.
        ("聚焦打击重复侵权、经费保障、促进转化等创新性、引领性条款。", "引领性条款", False),
        ("聚焦打击重复侵权、经费保障、促进转化等创新性、引领性条款。", "经费保障", True),
        # One recipient of an address line: asked which 成员单位 there are, it lists none.
        ("各市领导小组，省领导小组各成员单位，省有关单位：\n正文。", "领导小组成员单位", True),
        ("各市领导小组，省领导小组各成员单位，省有关单位：\n正文。", "有关部门", False),
        ("各市领导小组，省领导小组各成员单位，省有关单位：\n正文。", "领导小组各成员单位", True),
    ],
)
def test_a_thing_asked_about_that_is_one_item_of_a_series(
    passage: str, thing: str, item: bool
) -> None:
    assert an_item(passage, thing) is item


def test_what_a_list_question_asks_a_list_or_count_of() -> None:
    assert list_object("领导小组成员单位都有哪些") == "领导小组成员单位"
    assert list_object("领导小组的成员单位都有哪些") == "成员单位"
    assert list_object("保护中心的职能都有哪些") == "保护中心的职能"
    assert list_object("咱省现在有几个快速维权中心?") == "快速维权中心"
    assert list_object("条例明确了哪几类部门和组织的职责") == "部门和组织"
    assert list_object("条例讲了什么") == ""


def test_when_is_held_by_a_date_or_a_time_in_words(engine: Engine) -> None:
    # The material gives the campaign's dates, not the month of its 宣传月.
    reply = engine.answer("宣传月是几月")
    assert reply.kind == "fallback" and "未载明具体" in reply.text
    assert engine.answer("条例什么时候通过的").kind == "answer"
    # 当前和今后一个时期 is a time, in words.
    assert engine.answer("学习贯彻条例是啥时候的重要任务").kind == "answer"


def test_who_decides_is_held_by_a_body_that_acts(engine: Engine) -> None:
    # 由知识产权管理部门或者其主管部门…进行约谈提醒 names who does it.
    assert engine.answer("约谈提醒由谁决定").kind == "answer"
    names = {a.name for a in asked_types(engine.intents.asks, "由谁定期公布指导性案例")}
    assert "decider" not in names
    assert "hours" not in {a.name for a in asked_types(engine.intents.asks, "宣贯工作时间安排")}


def test_a_span_of_time_is_not_a_date(engine: Engine) -> None:
    reply = engine.answer("审议条例的那次常委会会议开了几天")
    assert reply.kind == "fallback" and "未载明具体时长" in reply.text


def test_a_value_some_passage_holds_is_never_said_to_be_missing(engine: Engine) -> None:
    # 几号 and 多少钱: the schedule holds a date and no passage a sum; none holds both.
    question = "活动到几号结束，经费多少钱"
    t = engine.tuning
    mid = (t.clarify + t.answer) / 2
    candidates = [
        _candidate(engine, "plan-req-summary", mid),
        _candidate(engine, "plan-schedule", 0.1),
    ]
    reply = engine.decide(question, "search", candidates, text=question)
    assert reply.kind == "clarify"
    assert [s.entry for s in reply.suggestions] == ["plan-schedule"]


@pytest.mark.parametrize(
    ("question", "example"),
    [
        ("条例除了进企业还要进哪儿", "进企业"),
        ("宣传形式有哪几种，除了报纸电视还有啥", "报纸电视"),
        ("除了上电视，还能通过哪些媒体渠道搞宣传？", "上电视"),
        ("条例要进哪些地方？像进学校这种，全列一下", "进学校"),
        # 除了 with nothing asked after it names no item of a list.
        ("政府能打的牌有哪些？除了给钱补贴", ""),
        ("宣传有哪些形式", ""),
    ],
)
def test_the_item_a_list_question_names_as_an_example(question: str, example: str) -> None:
    assert example_item(question) == example


def test_an_example_matches_an_item_of_a_series_loosely() -> None:
    passage = "推动《条例》进企业、进学校、进社区、进单位、进市场。通过报纸、电视、官方网站等形式。"
    assert names_item(passage, "进企业")  # the first item carries its clause's verb
    assert names_item(passage, "上电视")  # the example holds the item
    assert names_item(passage, "报纸电视")
    assert not names_item(passage, "进工厂")
    assert not names_item("鼓励高校和企业联合建立平台。", "企业")  # no series


@pytest.mark.parametrize(
    ("passage", "nouns", "lacks"),
    [
        # Forms of study, asked which laws: the passage names 法规 and lists something else.
        (
            "纳入应知应会法律法规清单，并通过中心组、会前学法、集体研讨等形式开展学习。",
            ["法规"],
            True,
        ),
        # Asked which measures, the series is of the bodies that must act.
        ("加大激励措施，规定企业、高校、科研机构建立分配机制。", ["措施"], True),
        # Recipients one per clause (an address line) name the 单位 asked about.
        ("各市工作领导小组，雄安新区工作领导小组，省有关单位：", ["单位"], False),
        # Numbered items name no kind; a passage not naming what is asked may list it.
        (
            "应当符合下列条件：（一）有明确的被请求人；（二）递交请求书、证明等材料。",
            ["条件"],
            False,
        ),
        ("通过报纸、电视、官方网站等宣传载体。", ["媒体"], False),
        # One item after a colon: the attachment line lists its attachment.
        ("附件：《条例》简要解读", ["附件"], False),
        ("请按照附件要求开展工作。", ["附件"], True),
    ],
)
def test_a_passage_naming_what_is_asked_must_list_that(
    engine: Engine, passage: str, nouns: list[str], lacks: bool
) -> None:
    lister = next(a for a in engine.intents.asks if a.name == "list")
    assert (lacking([lister], passage, nouns) is lister) is lacks


def test_a_passage_listing_something_else_lacks_the_list_asked(engine: Engine) -> None:
    lister = next(a for a in engine.intents.asks if a.name == "list")
    cadres = engine.kb.entries["duty-leading-cadres"].text
    assert lacking([lister], cadres, ["法规"]) is lister
    assert lacking([lister], cadres, ["形式"]) is None


@pytest.mark.parametrize(
    ("question", "asked", "not_asked"),
    [
        ("解读里加大了哪两样东西", "list", ""),
        ("严格法律责任那一点分几层意思讲的", "list", ""),
        ("要完善啥、推动啥、促进啥", "list", ""),
        ("这个知识价值咋理解", "definition", ""),
        ("是谁做的条例草案说明", "person", ""),
        # A body's act is no person's: the adoption passage names the body.
        ("条例是谁审议通过的", "", "person"),
        ("条例除了进企业还要进哪儿", "list", ""),
    ],
)
def test_what_the_new_wordings_ask(
    engine: Engine, question: str, asked: str, not_asked: str
) -> None:
    names = {a.name for a in asked_types(engine.intents.asks, question)}
    assert not asked or asked in names
    assert not not_asked or not_asked not in names


def test_frames_are_the_spans_that_say_what_is_asked(engine: Engine) -> None:
    text = "条例的立法目的包括哪几点,一条条列出来"
    spans = frames(asked_types(engine.intents.asks, text), text)
    assert "一条条" in spans and any("列出来" in s for s in spans)
    assert not any("立法目的" in s for s in spans)


@pytest.mark.parametrize(
    ("question", "asked"),
    [
        ("评价里这项占多大权重", "score"),
        ("约谈是哪一级领导出面", "person"),
        ("加进清单还得报司法局审批吗", "procedure"),
        ("已经建成几个维权中心了", "number"),
        ("每一章有几条", "number"),
        ("这个词在解读里提了几次", "places"),
        ("高校被点名了好几回", "places"),
        ("这个清单由谁来定", "decider"),
        ("那次会一共开了几天", "duration"),
        ("电话几点到几点有人接", "hours"),
        ("领导小组办公室设在哪个单位", "seat"),
        ("保护中心归哪个部门管", "seat"),
        ("由哪个部门牵头负责", "seat"),
        ("服务机构归谁监管", "seat"),
        ("技术调查官需要具备哪些条件", "procedure"),
        ("宣传月是几月份", "when"),
        ("专利侵权怎么投诉", "procedure"),
        ("电商平台上被人侵权了咋办", "consequence"),
        ("重复侵权咋罚", "consequence"),
        ("宣贯活动是不是到年底结束", "until"),
        ("宣传渠道有啥", "list"),
        ("给我方案总体要求部分的原文", "verbatim"),
        ("宣传月是不是在11月", "when"),
        ("被人侵权了去哪维权", "place"),
        ("失信了会有啥惩戒", "content"),
        ("宣传月到国庆就截止了吗", "until"),
        ("卖假货会不会被罚", "consequence"),
        ("条例适用于哪些地方", "applies"),
        ("宣传月搞多久", "duration"),
        ("亮点啥时候报", "report_when"),
        ("宣传月啥时候搞", "when"),
        ("方案第二、第四部分", "position"),
        ("剩下的两项是啥", "rest"),
        ("那个保护中心在哪里啊我想去问问", "place"),  # a particle ends the clause
    ],
)
def test_what_kind_of_thing_a_question_asks(engine: Engine, question: str, asked: str) -> None:
    assert asked in [a.name for a in asked_types(engine.intents.asks, question)]


@pytest.mark.parametrize(
    "question",
    [
        "中心组一年安排几次学习",
        "第几次会议通过的",
        "企业以前出现过专利侵权，还能申报吗",
        "知识产权工作要纳入哪几处",
        "用两句话说说高校的职责",
    ],
)
def test_times_something_is_done_ask_no_places(engine: Engine, question: str) -> None:
    assert "places" not in [a.name for a in asked_types(engine.intents.asks, question)]


def test_a_list_asked_only_by_the_words_of_a_count_is_no_list(engine: Engine) -> None:
    def names(question: str) -> list[str]:
        return [a.name for a in asked_types(engine.intents.asks, question)]

    assert "list" not in names("已经转化成几项国际标准了")
    assert {"list", "number"} <= set(names("有几项措施，分别是哪些"))
    # The parts of a list are counted by listing them: no number the material must state.
    assert names("有关要求有几个方面") == ["list"]
    reply = engine.answer("有关要求有几个方面")
    assert reply.kind == "answer" and "未载明" not in reply.text
    assert all(f"（{n}）" in reply.text for n in "一二三")


def test_what_applies_where_is_held_only_by_a_passage_saying_so(engine: Engine) -> None:
    # The passage taking the campaign 进企业、进学校 names places, not where the law applies;
    # 条例, in a third of the entries, is no topic to quote a passage on.
    for question in ("条例适用于哪些地方", "条例在哪些地区适用"):
        reply = engine.answer(question)
        assert reply.kind == "fallback" and "未载明适用范围" in reply.text, question
        assert reply.passage is None and "只提到" not in reply.text, question


def test_a_count_of_contacts_is_answered_by_the_cards(engine: Engine) -> None:
    reply = engine.answer("方案的联系人有几个")
    assert reply.kind == "answer" and "未载明" not in reply.text
    assert [c.id for c in reply.shown_contacts] == ["wang-guoqiang"]


def test_how_long_asked_plainly_is_a_span(engine: Engine) -> None:
    reply = engine.answer("宣传月搞多久")
    assert reply.kind == "fallback" and "未载明具体时长" in reply.text
    assert engine.answer("宣贯活动持续多长时间").entry == "plan-schedule"


def test_the_topic_is_the_longest_shared_stretch_few_entries_hold() -> None:
    passage = "要求政府将知识产权保护和促进工作纳入政府考核体系。"
    question = "知识产权在政府考核里占几分"
    assert topic(question, passage) == "知识产权"
    shares = {"知识产权": 0.8, "政府考核": 0.05}
    share = lambda s: shares.get(s, 0.1)  # noqa: E731
    assert topic(question, passage, share, 0.3) == "政府考核"
    # Of two as long, the rarer; none rare enough: no topic.
    assert topic("政府考核知识产权", passage, share, 0.3) == "政府考核"
    assert topic(question, passage, lambda s: 0.9, 0.3) == ""


def test_a_partial_reply_quotes_on_the_specific_topic(engine: Engine) -> None:
    # The shared text widened to whole words of the passage (政府考核 of 政府考核体系).
    reply = engine.answer("知识产权在政府考核里占几分？")
    assert reply.kind == "fallback" and "关于“政府考核体系”" in reply.text


def test_what_happens_after_the_interview_is_not_stated(engine: Engine) -> None:
    # 约谈 is what the question says already happened, no consequence beyond it.
    assert engine.answer("约谈完了学校还不改会怎么样").kind == "fallback"


def test_a_quote_keeps_sentences_apart_that_are_apart(engine: Engine) -> None:
    reply = engine.answer("省国资委的通知是哪天发的")
    assert reply.kind == "fallback"
    assert "省国资委监管企业……宣贯中的亮点工作" in reply.text
    assert "省国资委监管企业宣贯中" not in reply.text


def test_how_to_resolve_or_crack_down_asks_a_procedure(engine: Engine) -> None:
    for question in ("知识产权纠纷怎么解决", "重复侵权怎么打击"):
        reply = engine.answer(question)
        assert reply.kind == "fallback" and "未载明具体办法" in reply.text, question


def test_a_procedure_nothing_holds_is_said_not_stated_not_offered(engine: Engine) -> None:
    # Offering the passages on the 专利奖 would suggest one of them says how to apply.
    reply = engine.answer("怎么申请专利")
    assert reply.kind == "fallback" and not reply.suggestions
    assert "未载明具体办法" in reply.text and reply.shown_contacts


def test_an_email_address_is_no_place(engine: Engine) -> None:
    names = [a.name for a in asked_types(engine.intents.asks, "国资委的邮箱地址是什么")]
    assert "email" in names and "place" not in names
    reply = engine.answer("国资委接收材料的邮箱地址是什么")
    assert "153627456@qq.com" in reply.text and "未载明" not in reply.text


def test_what_a_heading_means_is_the_passage_under_it(engine: Engine) -> None:
    for question in ("结合实际落地实施具体指什么", "多种形式广泛宣传是什么意思"):
        assert engine.answer(question).kind == "answer", question
    # A term the passage only names is still not defined.
    assert engine.answer("技术调查官是什么意思").kind == "fallback"
    # What a heading takes, its clauses (not a series) say: no "not stated" for the list.
    for question in ("注重总结强化提升具体包括哪些工作", "高度重视加强领导具体包括哪些工作"):
        reply = engine.answer(question)
        assert reply.kind == "answer" and "未载明" not in reply.text, question


CONTENT = read_asks(
    [
        {
            "name": "content",
            "missing": "{thing}的具体内容",
            "patterns": ["(什么|哪些)(?=[^的，]{0,4}?(?P<thing>责任|职责|惩戒措施))"],
            "hollow": ["明确了?[^，。；]*{thing}$", "对[^，。；]*{thing}作出规定"],
        }
    ],
    "asks.yaml",
    [],
)[0]


def test_a_content_question_binds_the_thing_it_asks_about() -> None:
    (bound,) = asked_types([CONTENT], "电商平台要承担什么责任")
    assert bound.thing == "责任"
    assert bound.missing == "责任的具体内容"
    # 哪些部门的职责 asks which departments, not what their duties are.
    assert asked_types([CONTENT], "条例明确了哪些部门的职责") == []


def test_a_passage_that_only_says_the_thing_was_set_out_is_hollow() -> None:
    (ask,) = asked_types([CONTENT], "电商平台要承担什么责任")
    passage = "要求行业组织建立健全维权机制，明确展会、电子商务平台相关方的保护责任。"
    assert ask.hollow_in(passage, "平台")
    (ask,) = asked_types([CONTENT], "失信行为有什么惩戒措施")
    assert ask.hollow_in("同时也对自然人失信行为的惩戒措施作出规定。", "失信行为")


def test_a_passage_saying_more_of_the_subject_is_not_hollow() -> None:
    (ask,) = asked_types([CONTENT], "政府有什么职责")
    passage = "要求政府将保护工作纳入发展规划，明确主管部门、管理部门的职责。"
    assert not ask.hollow_in(passage, "政府")
    # Nothing to judge by: no subject, or a passage that never names the thing.
    assert not ask.hollow_in(passage, "")
    assert not ask.hollow_in("要求行业组织建立健全维权机制。", "行业组织")


def test_a_thing_asked_in_other_words_is_hollow_in_the_words_set_out() -> None:
    kin = read_asks(
        [
            {
                "name": "content",
                "missing": "{thing}的具体内容",
                "patterns": ["(什么|哪些)(?=[^的，]{0,4}?(?P<thing>责任|义务))"],
                "hollow": ["明确了?[^，。；]*{thing}$"],
                "kin": [["责任", "义务"]],
            }
        ],
        "asks.yaml",
        [],
    )[0]
    passage = "要求行业组织建立健全维权机制，明确展会、专业市场相关方的保护责任。"
    (ask,) = asked_types([kin], "专业市场要尽哪些义务")
    assert ask.hollow_in(passage, "专业市场")
    # Without the group, 义务 is never named and nothing is found hollow.
    alone = replace(kin, kin=())
    (ask,) = asked_types([alone], "专业市场要尽哪些义务")
    assert not ask.hollow_in(passage, "专业市场")
    problems: list = []
    read_asks([{"name": "c", "patterns": ["x"], "kin": [["责任"], "义务"]}], "a.yaml", problems)
    assert len(problems) == 2


def test_a_heading_naming_the_thing_is_over_its_content(engine: Engine) -> None:
    ask = next(a for a in asked_types(engine.intents.asks, "保护有哪些措施") if a.hollow)
    passage = "（四）加强知识产权保护措施。强化行政保护，提升司法保护效能。"
    assert not ask.hollow_in(passage, "加强知识产权保护")
    reply = engine.answer("条例在加强知识产权保护上有哪些措施")
    assert reply.kind == "answer" and "强化行政保护" in reply.text
    # (六)'s sentences only set liability out: hollow by them, not by its heading.
    reply = engine.answer("工作人员不履职要负什么法律责任")
    assert reply.kind == "fallback" and "未载明法律责任的具体内容" in reply.text


def test_two_items_closed_by_etc_are_a_series(engine: Engine) -> None:
    lister = next(a for a in engine.intents.asks if a.name == "list")
    assert lister.held("加强知识产权交易、产业知识产权运营等平台建设。")
    assert not lister.held("强化领导、加强保障。")
    # 等 inside a word (高等院校, 同等) closes nothing.
    assert not lister.held("鼓励科研机构、高等院校开展合作。")
    assert series_items("鼓励科研机构、高等院校开展合作。") == []
    assert names_item("加强知识产权交易、产业知识产权运营等平台建设。", "知识产权交易")


def test_how_many_parts_is_no_sum(engine: Engine) -> None:
    names = {a.name for a in asked_types(engine.intents.asks, "服务保障具体包括哪几块")}
    assert "amount" not in names and "list" in names
    for question in ("奖励几块钱", "补贴有几万块", "奖金多少元", "报名费多少块"):
        assert "amount" in {a.name for a in asked_types(engine.intents.asks, question)}
    reply = engine.answer("强化知识产权服务保障具体包括哪几块")
    assert reply.kind == "answer" and "未载明" not in reply.text


def test_who_fails_a_duty_asks_who_not_what_duty(engine: Engine) -> None:
    names = {
        a.name for a in asked_types(engine.intents.asks, "哪些人员未依法履行职责要承担法律责任")
    }
    assert "content" not in names
    assert engine.answer("哪些人员未依法履行职责要承担法律责任").kind == "answer"


def test_a_hollow_form_must_name_the_thing() -> None:
    problems: list = []
    raw = [{"name": "c", "missing": "内容", "patterns": ["什么"], "hollow": ["明确", "(["]}]
    (ask,) = read_asks(raw, "asks.yaml", problems)
    assert ask.hollow == ()
    assert len(problems) == 2


def test_a_content_question_on_a_hollow_passage_says_what_is_not_stated(engine: Engine) -> None:
    reply = engine.answer("电商平台要承担什么责任")
    assert reply.kind == "fallback" and reply.entry is not None
    assert "明确展会、专业市场、电子商务平台相关方的知识产权保护责任" in reply.text
    assert "未载明责任的具体内容" in reply.text
    assert reply.shown_contacts
    # Asked as 义务, the passage setting out 责任 is as hollow.
    reply = engine.answer("专业市场要尽哪些保护义务")
    assert reply.kind == "fallback" and "未载明义务的具体内容" in reply.text
    # The passage says what the government is required to do: that is answered.
    assert engine.answer("政府有什么职责").kind == "answer"


def test_what_the_question_itself_names_is_no_evidence_of_a_consequence() -> None:
    (ask,) = read_asks(
        [
            {
                "name": "consequence",
                "missing": "具体后果",
                "patterns": ["怎么样$", "什么[^，]{0,5}处罚"],
                "evidence": ["(处罚|约谈)"],
                "own_words": False,
            }
        ],
        "asks.yaml",
        [],
    )
    passage = "转化不力的，对单位负责人进行约谈提醒、督促整改。"
    (bound,) = asked_types([ask], "转化不好会怎么样")
    assert bound.held(passage)
    # Asked what follows the 约谈, a passage saying only the 约谈 does not answer.
    (bound,) = asked_types([ask], "约谈完了还不改会怎么样")
    assert not bound.held(passage)
    (bound,) = asked_types([ask], "被约谈以后不整改会有什么进一步的处罚")
    assert not bound.held(passage)


def test_a_consequence_question_on_the_passage_holding_it_is_answered(engine: Engine) -> None:
    reply = engine.answer("高校用财政资金形成的专利转化不好的话会怎么处理")
    assert reply.kind == "answer" and "约谈提醒" in reply.text
    reply = engine.answer("单位负责人被约谈提醒以后还是不整改，会有什么进一步的处罚？")
    assert reply.kind == "fallback" and "未载明具体后果或处理办法" in reply.text


@pytest.mark.parametrize(
    "question",
    [
        # The whole point (六): its heading, and 对…的法律责任以及…作出规定.
        "電商平臺違反條例要負什麼法律責任",
        "展会主办方有什么知识产权保护责任？",
        # 未依法履行 is a duty not done, no consequence.
        "政府工作人员不履职会被怎么处理",
        # Named as a clause to focus on (聚焦强化打击重复侵权…条款), with no penalty given.
        "重复侵权咋罚",
    ],
)
def test_a_passage_saying_only_that_liabilities_were_set_is_no_answer(
    engine: Engine, question: str
) -> None:
    reply = engine.answer(question)
    assert reply.kind == "fallback" and reply.entry is not None, question
    assert "资料中未载明" in reply.text


def test_which_bodies_had_duties_set_out_asks_no_duties_content(engine: Engine) -> None:
    asks = asked_types(engine.intents.asks, "条例给哪几类相关方明确了保护责任")
    assert not any(a.thing for a in asks)
    (content,) = asked_types(engine.intents.asks, "展会有什么知识产权保护责任")
    assert content.name == "content" and content.thing == "责任"


def test_hollow_forms_need_a_thing_group_and_missing_keeps_other_braces() -> None:
    problems: list = []
    raw = [{"name": "c", "missing": "内容", "patterns": ["什么责任"], "hollow": ["明确{thing}"]}]
    assert read_asks(raw, "asks.yaml", problems) == []
    assert "(?P<thing>" in problems[0].message
    raw = [
        {
            "name": "c",
            "missing": "具体{内容}与{thing}",
            "patterns": ["什么(?P<thing>责任)"],
            "hollow": ["明确{thing}$"],
            "own_words": False,
        }
    ]
    (ask,) = read_asks(raw, "asks.yaml", [])
    (bound,) = asked_types([ask], "有什么责任")
    # Both bindings at once, and no format error on a brace that is not {thing}.
    assert bound.thing == "责任" and bound.asked_text == "有什么责任"
    assert bound.missing == "具体{内容}与责任"


@pytest.mark.parametrize(
    "question", ["条例几章几条？另外宣贯活动啥时候结束？", "宣贯活动啥时候结束？另外条例几章几条？"]
)
def test_two_questions_in_one_message_get_both_passages(engine: Engine, question: str) -> None:
    reply = engine.answer(question)
    assert reply.kind == "answer" and "未载明" not in reply.text
    cited = [c.entry for c in reply.citations]
    counts = {"regulation-overview", "hebei-ip-regulation:structure"}  # both hold the counts
    assert len(cited) == 2 and "plan-schedule" in cited and set(cited) - {"plan-schedule"} <= counts
    # In the order the message asks them.
    assert (cited[0] == "plan-schedule") == question.startswith("宣贯")
    assert "六十八条" in reply.text and "10月31日" in reply.text


def test_a_value_no_part_finds_is_still_not_stated(engine: Engine) -> None:
    reply = engine.answer("宣传月是几月")
    assert reply.kind == "fallback" and "未载明具体日期" in reply.text


def test_which_body_a_thing_sits_in_is_held_by_a_passage_saying_so(engine: Engine) -> None:
    reply = engine.answer("知识产权保护中心归哪个部门管？")
    assert reply.kind == "fallback" and "未载明所属或负责的具体部门、单位" in reply.text
    # 由知识产权管理部门或者其主管部门…进行约谈提醒 says who does it.
    assert engine.answer("约谈由哪个部门负责").kind == "answer"


def test_until_when_asked_yes_or_no_is_answered_by_a_date(engine: Engine) -> None:
    # 及时 (in 注重总结) says how soon, not until when: no answer from that passage.
    reply = engine.answer("宣贯活动是不是到年底才结束")
    assert reply.entry in (None, "plan-schedule")
    assert reply.kind != "answer" or "10月31日" in reply.text
    # A question giving the date itself is answered by the passage holding it.
    assert not [
        a for a in asked_types(engine.intents.asks, "到10月31号就结束了吗") if a.name == "until"
    ]


@pytest.mark.parametrize(
    "question",
    [
        # A month asked yes or no of a passage that gives no date: not confirmed, not denied.
        "宣传月是不是在11月",
        # 对…失信行为的惩戒措施作出规定 sets them out and states none.
        "失信了会有啥惩戒",
        # Where to go: the protection passage names no place.
        "被人侵权了去哪维权",
        # 针对重点行业、重点领域: no industry named, however the clause is joined.
        "专利导航服务具体针对哪些行业",
    ],
)
def test_a_passage_naming_the_topic_is_no_answer_to_what_it_lacks(
    engine: Engine, question: str
) -> None:
    reply = engine.answer(question)
    assert reply.kind == "fallback" and "资料中未载明" in reply.text, question


def test_a_day_given_is_answered_by_the_passage_holding_it(engine: Engine) -> None:
    asked = [a.name for a in asked_types(engine.intents.asks, "宣贯活动是到10月31日结束吗")]
    assert "when" not in asked and "until" not in asked
    assert engine.answer("宣贯活动是到10月31日结束吗？").entry == "plan-schedule"


def test_a_list_never_naming_what_is_asked_gives_way_to_a_passage_listing_it(
    engine: Engine,
) -> None:
    # The plan named as where to look: its four parts name no 形式; the publicity item lists
    # 报纸、电视…等多种形式.
    assert engine.answer("方案里提到的宣传形式有哪些").entry == "plan-focus-publicity"
    # A list naming what is asked stays (有关要求 are 要求).
    assert engine.answer("方案最后提的那几条要求都是啥").entry == "plan-requirements"


def test_a_series_naming_what_is_asked_as_one_item_lists_none_of_it(engine: Engine) -> None:
    # …、公共服务机构的工作人员: 公共服务机构 is one item; 保护中心、快速维权中心… lists them.
    assert an_item(
        "对政府及其主管部门、管理部门、公共服务机构的工作人员未依法履行职责", "公共服务机构"
    )
    reply = engine.answer("公共服务机构有哪些")
    assert "快速维权中心" in reply.text


def test_a_count_of_a_lists_parts_in_any_words_is_a_list_question(engine: Engine) -> None:
    for question in ("有关要求有几个方面", "有关要求有多少个方面"):
        assert "未载明具体数量" not in engine.answer(question).text, question


def test_which_article_or_what_sum_asked_is_said_not_stated(engine: Engine) -> None:
    article = engine.answer("专利奖规定在条例第几条")
    assert article.kind == "fallback" and "未载明具体条款序号" in article.text
    assert "未载明具体金额" in engine.answer("宣贯活动的经费每个单位有多少").text


def test_when_to_report_is_not_the_campaign_s_span_nor_及时(engine: Engine) -> None:
    for question in (
        "亮点工作什么时候报",
        "宣贯总结材料报送的截止日期是哪天",
        "宣贯活动要上报哪些材料，什么时候报",
    ):
        reply = engine.answer(question)
        assert reply.kind == "fallback" and "未载明报送的具体时间或期限" in reply.text, question
    # Asked with it, the looser ask types are not (及时 would answer "when").
    names = [a.name for a in asked_types(engine.intents.asks, "亮点工作什么时候报")]
    assert "report_when" in names and "when" not in names


def test_when_to_report_keeps_what_is_reported_and_is_no_check_in(engine: Engine) -> None:
    reply = engine.answer("报送的截止日期")
    assert reply.kind == "fallback" and "及时报送" in reply.text
    assert "报送" not in engine.answer("宣贯活动几号报到").text.split("\n")[0]
    assert engine.answer("条例什么时候交人大审议").entry == "regulation-adoption"


def test_a_point_of_the_campaign_s_documents_is_no_article(engine: Engine) -> None:
    assert "条款序号" not in engine.answer("宣传月在工作重点的第几条").text


def test_an_ask_type_replacing_one_that_does_not_exist_is_a_problem() -> None:
    problems: list = []
    read_asks([{"name": "a", "missing": "x", "patterns": ["a"], "replaces": ["zz"]}], "f", problems)
    assert len(problems) == 1 and "replaces unknown" in problems[0].message


def test_what_to_do_on_meeting_a_problem_is_no_consequence(engine: Engine) -> None:
    # The SASAC notice says it: 宣贯中的亮点工作或问题请及时与省国资委联系.
    reply = engine.answer("國資委通知裡說宣貫中發現問題怎麼辦")
    assert reply.kind == "answer" and reply.entry == "sasac-notice-summary"
    assert "及时与省国资委联系" in reply.text
    # What follows a failing still is one.
    assert "约谈提醒" in engine.answer("高校转化不力会怎么样").text


@pytest.mark.parametrize(
    ("question", "missing"),
    [
        # How to set one up; which department handles a matter; what standard applies: the
        # passages name the thing and none of these.
        ("条例要求展会期间必须设知识产权投诉站吗？具体怎么设", "具体办法、程序或条件"),
        ("我们展会上遇到侵权纠纷，找哪个部门处理", "受理举报、投诉的部门"),
        ("这个办公室设在哪个单位", "所属或负责的具体部门、单位"),
        ("进社区具体怎么做，有什么标准吗", "具体标准或条件"),
    ],
)
def test_a_setting_up_a_department_or_a_standard_asked_and_not_held(
    engine: Engine, question: str, missing: str
) -> None:
    reply = engine.answer(question)
    assert reply.kind == "fallback" and f"资料中未载明{missing}" in reply.text


def test_where_else_asked_by_question_fillers_alone_finds_the_series(engine: Engine) -> None:
    # 哪儿 and 还要 ask; weighed as rare words they sank the passage holding the 五进.
    reply = engine.answer("除了进企业还要进哪儿")
    assert reply.kind == "answer" and reply.entry == "plan-focus-publicity"


def test_where_the_money_comes_from_is_asked_and_not_held(engine: Engine) -> None:
    reply = engine.answer("搞宣传月的经费从哪里出？每个乡镇给多少")
    assert reply.kind == "fallback" and reply.entry == "plan-focus-publicity"
    assert "资料中未载明经费的来源或数额" in reply.text
    # A sum named is the amount's: 奖金给多少.
    assert "资料中未载明具体金额或数额" in engine.answer("专利奖奖金给多少").text
