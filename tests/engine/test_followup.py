"""Follow-ups (那高校呢, 具体咋做, 它们违规了怎么罚) read with the asker's previous question."""

from __future__ import annotations

import re

import pytest

from bot.engine import Engine
from bot.engine.follow_cues import FollowUps, read_follow_ups
from bot.engine.followup import Previous, read_with

NAMES = (
    ("高等学校科研机构", "subject"),
    ("市场监管局", "holder"),
    ("实施方案", "holder"),
    ("国资委", "holder"),
    ("企业", "subject"),
    ("高校", "subject"),
    ("方案", "holder"),
)
# Words the base uses (电话 too, but too light to name anything).
KNOWN = ("失信行为", "惩戒", "截止", "侵权")


ASKING = ("谁", "什么", "啥", "哪", "怎么", "咋", "多少", "几", "么")


def previous(text: str) -> Previous:
    return Previous(
        text,
        NAMES,
        asks=lambda t: any(w in t for w in ASKING),
        known=lambda t: sum(w in t for w in KNOWN) - ("截止" in t and "啥时候" in t),
        heavy=lambda t: any(w in t for w in (*KNOWN, "老百姓", "罚款")),
        value=lambda t: any(w in t for w in ("啥时候", "多少")),
        bare=lambda t: t.replace("多少", "").replace("啥时候", ""),
        ask_at=lambda t: min((t.find(w) for w in ASKING if w in t), default=len(t)),
        trim=lambda t: t.removesuffix("针对").rstrip("是干的有"),
    )


@pytest.mark.parametrize(
    ("before", "rest", "reading", "sure"),
    [
        # A thing named alone takes the place of the one of its kind named before.
        ("企业有什么职责", "高校", "高校有什么职责", True),
        ("企业有什么职责", "高校的", "高校有什么职责", True),
        ("国资委的联系人是谁", "市场监管局", "市场监管局的联系人是谁", True),
        ("国资委这边联系人是谁", "方案里的", "方案这边联系人是谁", True),
        # A document named by its issuer gives way whole; none of its kind: put before.
        ("国资委的通知要求企业做什么", "方案里", "方案要求企业做什么", True),
        ("亮点工作报给谁", "国资委的", "国资委的亮点工作报给谁", True),
        ("国资委的通知要求企业做什么", "方案里怎么说", "方案要求企业做什么", True),
        # A place takes the place of one of its unit.
        ("第3章讲啥", "第5章", "第5章讲啥", True),
        ("宣贯工作重点第3点", "第4个", "宣贯工作重点第4个", True),
        # None of its unit: it stands alone (after a list shown, the list's own place).
        ("宣贯活动什么时候开始", "第2个", "", False),
        # A pronoun stands for the topic; a thing the base does not name takes its place.
        ("服务机构有哪些禁止行为", "它们违规了怎么罚", "服务机构违规了怎么罚", True),
        ("企业怎么学习条例", "普通老百姓", "普通老百姓怎么学习条例", False),
        # A light word, a place in a list or more of the same: of the whole question.
        ("国资委的联系人是谁", "电话", "国资委的联系人是谁，电话", True),
        ("宣贯活动有哪些工作重点", "详细说说第2条", "宣贯活动有哪些工作重点，详细说说第2条", True),
        ("领导干部怎么学条例", "具体咋做", "领导干部怎么学条例，具体咋做", True),
        ("宣传有哪些形式？", "", "宣传有哪些形式", True),
        # A value of the same topic is asked of the topic.
        ("宣贯活动什么时候开始", "截止到啥时候", "宣贯活动截止到啥时候", False),
        ("专利导航服务针对哪些领域", "收费多少", "专利导航服务收费多少", False),
        # A question of its own, or words of its own, stand alone.
        ("企业有什么职责", "高校要做什么", "", False),
        ("电商平台有什么责任", "失信行为会怎么惩戒", "", False),
        ("企业有什么职责", "要是侵权了", "", False),
        ("宣贯活动有哪些工作重点", "罚款怎么算", "", False),
    ],
)
def test_a_follow_up_read_with_the_previous_question(
    before: str, rest: str, reading: str, sure: bool
) -> None:
    more = re.compile("^(具体|详细|举个例子)")
    says = re.compile("(怎么|咋)(说|讲)的?")
    read = read_with(previous(before), rest, (re.compile("它们"),), more, says)
    assert read.text == reading
    assert read.sure is sure or not reading


def test_what_marks_a_follow_up_is_data() -> None:
    problems: list = []
    raw = {"cues": ["^那", "呢$", "(["], "strip": "^那|呢$", "max_chars": 6, "more": "^具体"}
    follow = read_follow_ups(raw, "rules.yaml", 3, problems)
    assert len(problems) == 1 and "bad regex" in problems[0].message
    assert follow.follows("那高校呢") and follow.rest("那高校呢") == "高校"
    assert follow.more is not None and follow.more.search("具体咋做")
    assert not follow.follows("那个条例到底什么时候施行呢")  # too long: its own question
    assert not follow.follows("条例什么时候施行")
    assert not FollowUps().follows("那高校呢")  # no cues, no follow-ups
    read_follow_ups("cues", "rules.yaml", 1, problems)
    read_follow_ups({"max_chars": -1, "bare_chars": "x", "more": "("}, "rules.yaml", 1, problems)
    assert len(problems) == 5


def test_a_follow_up_is_answered_as_read_and_says_so(engine: Engine) -> None:
    reply = engine.answer("那高校呢", previous="企业有什么职责")
    assert reply.entry == "duty-universities" and reply.read_as == "高校有什么职责"
    assert reply.blocks[0].type == "note" and "高校有什么职责" in reply.blocks[0].text
    assert reply.question == "那高校呢"
    reply = engine.answer("那市场监管局呢", previous="国资委的联系人是谁")
    assert [c.id for c in reply.shown_contacts] == ["wang-guoqiang"]
    reply = engine.answer("具体咋做", previous="领导干部怎么学条例")
    assert reply.read_as == "领导干部怎么学条例，具体咋做"
    # No cue, but a short question in no words of its own, not answered well alone.
    reply = engine.answer("一共多少天", previous="宣贯活动截止到啥时候")
    assert reply.entry == "plan-schedule" and reply.read_as
    reply = engine.answer("那它们违规了怎么罚", previous="知识产权服务机构有哪些禁止行为")
    assert reply.read_as == "知识产权服务机构违规了怎么罚"
    # Asked what a document says, the document takes the place of the one before.
    reply = engine.answer("方案怎么说", previous="宣贯活动的目的是什么")
    assert reply.entry == "plan-purpose" and reply.read_as
    reply = engine.answer("那国资委那边呢", previous="市场监管局的联系人是谁")
    assert [c.id for c in reply.shown_contacts] == ["liu-yaqiang"]
    reply = engine.answer("第五章呢", previous="第三章讲啥")
    assert reply.read_as == "第5章讲啥" and "社会保护与自我保护" in reply.text


def test_a_guess_that_answers_no_better_keeps_what_the_message_finds_alone(
    engine: Engine,
) -> None:
    alone = engine.answer("那纠纷怎么解决")
    reply = engine.answer("那纠纷怎么解决", previous="技术调查官制度是干什么的")
    assert reply.read_as is None and reply.entry == alone.entry == "interp-dispute-resolution"


def test_a_thing_swapped_in_that_the_passage_found_never_names_is_asked_alone(
    engine: Engine,
) -> None:
    # 高校专利转化不力怎么处理 + 那服务机构呢: the 约谈 of 高校 is no answer about agencies.
    reply = engine.answer("那服务机构呢", previous="高校专利转化不力怎么处理？")
    assert reply.entry == engine.answer("那服务机构呢").entry == "duty-service-agencies"
    assert reply.read_as is None
    # A passage naming the thing swapped in stands (高校有什么职责).
    assert engine.answer("那高校呢", previous="企业有什么职责").read_as == "高校有什么职责"
    # So with a thing put before a question naming none: 约谈谁 + 那企业呢 is no 约谈 of 企业.
    put = engine.answer("那企业呢", previous="约谈谁")
    assert put.read_as is None and put.entry == engine.answer("那企业呢").entry
    assert engine.answer("那高校呢", previous="约谈谁").read_as == "高校的约谈谁"


def test_more_detail_finding_the_same_passage_again_says_there_is_none(engine: Engine) -> None:
    # 五进是哪五进 + 具体怎么做: the same passage again would read as more detail.
    previous = "“五进”是哪五进？"
    reply = engine.answer("具体怎么做", previous=previous)
    assert reply.entry is None and "没有更多了" in reply.text
    assert reply.read_as == f"{previous}，具体怎么做"
    # After a list shown by its headings, its items open (as 展开讲讲 does).
    opened = engine.answer("具体咋做", previous="宣贯工作重点有哪些")
    assert len([b for b in opened.blocks if b.type == "passage"]) == 3


def test_he_or_she_is_the_person_or_body_asked_about_before(engine: Engine) -> None:
    reply = engine.answer("他电话多少", previous="省市场监管局的联系人是谁")
    assert [c.id for c in reply.shown_contacts] == ["wang-guoqiang"] and reply.read_as
    reply = engine.answer("那他邮箱呢", previous="省市场监管局的联系人是谁")
    assert [c.id for c in reply.shown_contacts] == ["wang-guoqiang"]
    assert "未载明王国强的邮箱" in reply.text
    reply = engine.answer("她邮箱多少", previous="刘亚强是哪个单位的")
    assert [c.id for c in reply.shown_contacts] == ["liu-yaqiang"]
    # 其他, 他人, 排他 and 吉他 hold no pronoun.
    pronouns = engine.intents.follow_ups.pronouns
    for word in ("其他呢", "他人的专利", "排他许可是什么", "吉他"):
        assert not any(p.search(word) for p in pronouns), word
    assert any(p.search("他电话多少") for p in pronouns)


def test_a_question_of_its_own_is_answered_as_asked(engine: Engine) -> None:
    alone = engine.answer("条例几章几条")
    reply = engine.answer("条例几章几条", previous="企业有什么职责")
    assert reply.read_as is None and reply.text == alone.text
    assert engine.answer("那么失信行为会怎么惩戒", previous="电商平台有什么责任").read_as is None
    # Answered well alone, a guessed reading is not taken.
    reply = engine.answer("那罚款多少呢", previous="宣贯活动有哪些工作重点")
    assert reply.kind != "answer" or reply.read_as is None
    # Small talk by a rule's words stays small talk; no previous question, nothing read.
    assert engine.answer("谢谢呢", previous="企业有什么职责").kind == "smalltalk"
    assert engine.answer("好的", previous="企业有什么职责").kind == "smalltalk"
    assert engine.answer("那高校呢", previous=None).read_as is None
    assert engine.answer("那高校呢", previous="").read_as is None
    assert engine.answer("那高校呢", previous="条例" * 300).read_as is None


def test_small_talk_by_meaning_alone_does_not_stop_a_follow_up(engine: Engine) -> None:
    alone = engine.answer("谁来提供这个服务")
    if alone.kind != "smalltalk":
        pytest.skip("no encoder: nothing reads it as small talk")
    reply = engine.answer("谁来提供这个服务", previous="专利导航制度是什么")
    assert reply.read_as and reply.entry == "interp-patent-navigation"


def test_a_document_asked_about_that_holds_nothing_on_it_is_said_so(engine: Engine) -> None:
    if engine.retriever.semantic is None:
        pytest.skip("no encoder: the reading finds no passage to offer")
    # The interpretation has no work points: the plan's are offered, not given as its.
    reply = engine.answer("解读里怎么说", previous="方案的工作重点有哪些")
    assert reply.kind == "clarify" and [s.entry for s in reply.suggestions] == ["plan-focus"]
    assert "简要解读中没有直接讲到这一点" in reply.text
    assert reply.read_as == "解读的工作重点有哪些"


@pytest.mark.parametrize(
    ("message", "previous", "entry"),
    [
        ("第三点呢", "宣贯工作重点有哪些", "plan-focus-implementation"),
        # 第二条 after a list is its second item, not the law's Article 2.
        ("第二条呢", "有关要求有哪些", "plan-req-effectiveness"),
        # A place alone, or with another particle, after a list: that item of the list
        # shown, whatever the last question named (实施方案的 + 第三个: not the plan's part).
        ("第4点", "简要解读里都说了啥", "interp-4-protection"),
        ("第三个呢", "实施方案的有关要求是啥", "plan-req-summary"),
        ("第二条捏", "有关要求有几条", "plan-req-effectiveness"),
        # A place and only what is asked of it (展开讲讲, 是什么): that item too.
        ("第二条展开讲讲", "宣贯活动的工作重点有哪些", "plan-focus-publicity"),
        ("第三条是什么", "方案的有关要求有哪些", "plan-req-summary"),
        ("第六点详细说一下", "简要解读讲了哪几点", "interp-6-liability"),
    ],
)
def test_a_place_after_a_list_is_that_item_of_it(
    engine: Engine, message: str, previous: str, entry: str
) -> None:
    reply = engine.answer(message, previous=previous)
    assert reply.kind == "answer" and reply.entry == entry and reply.read_as


def test_a_place_in_no_list_s_unit_or_after_no_list_is_asked_alone(engine: Engine) -> None:
    assert engine.answer("第五章呢", previous="有关要求有哪些").read_as is None
    assert engine.answer("第二个呢", previous="宣贯活动什么时候开始").read_as is None
    # A place with words of its own, or after no list: the law's article, as asked.
    for message, previous in (
        ("第二条对高校有什么要求", "宣贯活动的工作重点有哪些"),
        ("第二条展开讲讲", "条例什么时候施行"),
    ):
        assert engine.answer(message, previous=previous).read_as is None, message


def test_a_message_disputing_the_last_answer_gets_it_again_as_the_material_words_it(
    engine: Engine,
) -> None:
    lead = engine.intents.response("follow_up_disputed")
    reply = engine.answer("不对吧，我记得是到11月底", previous="宣贯活动什么时候结束")
    assert reply.kind == "answer" and reply.entry == "plan-schedule"
    assert reply.text.startswith(lead) and "10月31日" in reply.text
    # Answered alone, it keeps that answer: the count is corrected outright.
    counted = engine.answer("不对，条例是九章七十条", previous="条例一共几章几条")
    assert not counted.text.startswith(lead) and "不是九章、七十条" in counted.text
    # A question of its own after the cue is no dispute.
    own = engine.answer("我听说条例有个专利奖，奖金多少", previous="条例一共几章几条")
    assert own.entry == "interp-patent-award" and not own.text.startswith(lead)


def test_asking_for_the_source_s_own_words_gets_the_passage_whole(engine: Engine) -> None:
    reply = engine.answer("给原文", previous="宣传月是什么时候")
    assert reply.entry == "plan-focus-publicity" and reply.read_as == "宣传月是什么时候"
    assert reply.text.startswith("（上一问")
    assert "（二）多种形式广泛宣传。开展以《条例》为主题的“宣传月”活动" in reply.text
    assert "……" not in reply.text  # not the excerpt
    # With nothing quoted before, there is nothing to give.
    assert engine.answer("原文", previous="你好").entry is None


def test_a_dispute_asking_only_whether_still_disputes(engine: Engine) -> None:
    reply = engine.answer("不对吧，不是到11月底吗", previous="宣贯活动什么时候结束")
    assert reply.entry == "plan-schedule"
    assert reply.text.startswith(engine.intents.response("follow_up_disputed"))


def test_a_message_saying_what_was_meant_or_naming_another_topic_disputes_nothing(
    engine: Engine,
) -> None:
    lead = engine.intents.response("follow_up_disputed")
    for message in ("不对，我问的是通过时间", "我听说专利奖奖金很高"):
        reply = engine.answer(message, previous="条例什么时候施行")
        assert not reply.text.startswith(lead), message
    # Another body named is still a dispute of who did it.
    named = engine.answer("不对吧，我记得是省知识产权局设的", previous="专利奖是谁设立的")
    assert named.text.startswith(lead) and named.entry == "interp-patent-award"


def test_a_place_beyond_the_list_shown_is_the_article(engine: Engine) -> None:
    reply = engine.answer("第十条是什么", previous="工作重点有哪些")
    assert reply.read_as is None and reply.intent == "article"


def test_he_is_whom_the_last_question_asked_after(engine: Engine) -> None:
    reply = engine.answer("他是哪个单位的", "方案联系人是谁")
    assert reply.read_as == "方案联系人是哪个单位的" and reply.entry == "wang-guoqiang"


def test_an_item_asked_after_a_list_is_checked_against_it(engine: Engine) -> None:
    note = "资料所列各项中没有“进农村”"
    assert note in engine.answer("那进农村呢", "五进是哪五进").text
    counted = engine.answer("进机关算不算", "五进都有哪些")
    assert counted.read_as and "没有“进机关”" in counted.text
    # One the list holds gets no note.
    assert "没有" not in engine.answer("那进学校呢", "五进是哪五进").text.split("\n")[0]


def test_a_denial_of_what_the_last_answer_says_is_a_dispute(engine: Engine) -> None:
    previous = "条例要求政府把知识产权工作纳入哪些体系"
    reply = engine.answer("不对吧，没有营商环境评价体系吧", previous)
    assert reply.text.startswith(engine.intents.response("follow_up_disputed"))
    assert "营商环境评价体系" in reply.text
    # A message that says what is wrong itself keeps its own reply.
    own = engine.answer("不对，条例是九章七十条", "条例有几章")
    assert "不是九章、七十条" in own.text


def test_a_dispute_keeps_the_premise_note_its_own_reply_carries(engine: Engine) -> None:
    reply = engine.answer("不对吧，专利奖是国家设立的吧", "专利奖是谁设立的")
    assert "没有提到“国家”" in reply.text
    listed = engine.answer("不对吧，五进包括进农村吧", "五进是哪五进")
    assert "没有“进农村”" in listed.text


def test_whether_a_thing_counts_is_asked_of_the_list_shown(engine: Engine) -> None:
    held = engine.answer("进社区算不算", "五进都有哪些")
    assert held.entry == "plan-focus-publicity" and "没有" not in held.text.split("\n")[1]
    assert "资料中没有提到“广播”" in engine.answer("广播算不算", "宣传形式有哪些").text
    # After an answer listing nothing, it is not read with it.
    assert engine.answer("进农村算不算", "条例什么时候施行").read_as is None


def test_a_short_claim_is_read_after_the_last_question(engine: Engine) -> None:
    reply = engine.answer("是罚款吧", "高校专利转化不力怎么处理")
    assert reply.kind == "answer" and "资料中没有提到“罚款”" in reply.text
    assert (
        engine.answer("是10月1号吧", "条例什么时候施行").read_as == "条例什么时候施行，是10月1日吧"
    )
