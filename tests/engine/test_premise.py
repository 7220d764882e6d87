"""What a question takes for granted that the material does not hold (bot/engine/premise.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.engine import Engine
from bot.engine.intents import collect_intents
from bot.engine.premise_words import Deeds

# The premise words of the project's own intents (intents/rules.yaml `premises:`).
READING = collect_intents(Path(__file__).parents[2] / "intents")[0].premises
DEEDS = Deeds(kin=(("设立", "设", "建立"), ("审议通过", "通过")), not_first=frozenset({"通过"}))


def test_a_day_no_passage_holds_is_said_before_the_answer(engine: Engine) -> None:
    note = engine.intents.response("day_not_held").split("“")[0]
    for question in (
        "条例是2023年10月1日起施行的吧？",
        "宣贯活动11月5号结束吗",
        "条例是２０２３年１０月１日施行的对吧",
    ):
        reply = engine.answer(question)
        # The plain no its ending asks for (…吧: 不对。; …吗: 不是。), then what is missing.
        no = "不是。" if question.endswith("吗") else "不对。"
        assert reply.kind == "answer" and reply.text.startswith(no + note), question
        assert reply.blocks[0].type == "note"
    # A day some passage holds may be another fact's: nothing to correct.
    assert not engine.answer("条例是10月31日施行的吧").text.startswith(note)
    assert not engine.answer("条例是11月1日施行的吗").text.startswith(note)
    # A day within the span the passage gives is no false premise (10月15号 in the campaign).
    reply = engine.answer("宣贯活动10月15号还在搞吗")
    assert reply.entry == "plan-schedule" and not reply.text.startswith(note)
    # A day of the asker's own, in a clause asking nothing, is no premise.
    assert not engine.answer("我们11月5日开会，条例什么时候施行").text.startswith(note)
    # A question stating no day is untouched.
    assert not engine.answer("条例什么时候施行").text.startswith(note)


def test_an_item_the_series_does_not_list_is_said_before_the_answer(engine: Engine) -> None:
    note = engine.intents.response("item_not_listed").split("“")[0]
    for question, things in (
        ("五进包括进农村吗", "进农村"),
        ("五进里面有进农村和进机关吧？", "进农村”“进机关"),
        ("五进有没有进乡村", "进乡村"),
        ("是不是宣传要进农村、进家庭", "进农村”“进家庭"),  # 要 before 进: still the item's
    ):
        reply = engine.answer(question)
        assert reply.kind == "answer" and reply.entry == "plan-focus-publicity", question
        assert reply.blocks[0].type == "note" and reply.text.startswith(note), question
        assert f"“{things}”" in reply.text.splitlines()[0], question
    # An item the series lists, a word naming nothing (别的) or a list asked for: no note.
    for question in ("五进包括进学校吗", "五进要进一步落实吗", "还要进别的地方，都是哪几个"):
        assert not engine.answer(question).text.startswith(note), question


def test_a_body_said_to_have_done_what_another_did_is_said_before_the_answer(
    engine: Engine,
) -> None:
    note = engine.intents.response("actor_not_held").split("“")[0]
    for question, entry, actor in (
        ("专利奖是国家设立的吗", "interp-patent-award", "国家"),
        ("专利奖是国家知识产权局设立的，对吗？", "interp-patent-award", "国家知识产权局"),
        ("条例是省政府常务会议通过的吗？", "regulation-adoption", "省政府常务会议"),
        ("条例是人大常委会第四次会议通过的吧", "regulation-adoption", "人大常委会第四次会议"),
        # 建立 does what 设 asks: 建立技术调查官制度 names no 法院.
        ("技术调查官制度是法院设的吗", "interp-tech-investigator", "法院"),
        # A kind named after the deed (…发布的行政法规吧); 颁布 is 发布; 省委 is no 常委会.
        ("这个条例是国务院发布的行政法规吧", "regulation-adoption", "国务院"),
        ("条例是省政府颁布的吗", "regulation-adoption", "省政府"),
        ("条例是省委通过的吗", "regulation-adoption", "省委"),
    ):
        reply = engine.answer(question)
        assert reply.kind == "answer" and reply.entry == entry, question
        ending = question.rstrip("？?")
        no = "不是。" if ending.endswith("吗") and not ending.endswith("对吗") else "不对。"
        if entry == "interp-tech-investigator":
            no = ""  # 建立技术调查官制度 names no doer: not said, so not wrong either
        assert reply.blocks[0].type == "note" and reply.text.startswith(no + note), question
        assert f"没有提到“{actor}”" in reply.text.splitlines()[0], question
    # The body the passage names, shortened, in other words or with the province, and a
    # question of who: no note.
    for question in (
        "专利奖是省政府设立的吗",
        "专利奖是河北省政府设立的吗",
        "专利奖是省人民政府设立的吧",
        "条例是省人大常委会第五次会议通过的吧",
        "条例是河北省人民代表大会常务委员会通过的吗",
        "条例是省人大常委会第5次会议通过的吧",
        "专利奖是谁设立的",
    ):
        assert not engine.answer(question).text.startswith(note), question


def test_who_did_what_the_passage_names_no_doer_for_is_not_stated(engine: Engine) -> None:
    reply = engine.answer("知识产权基金是谁设立的")
    assert reply.kind == "fallback" and reply.entry == "interp-ip-fund"
    assert "鼓励设立知识产权基金" in reply.text and "未载明由谁设立" in reply.text
    # The passage naming who did it answers.
    assert engine.answer("专利奖是谁设立的").kind == "answer"


def test_things_the_material_never_names_are_said_before_the_answer(engine: Engine) -> None:
    reply = engine.answer("纠纷多元化解机制包括调解、仲裁、公证吗")
    assert reply.kind == "answer" and reply.blocks[0].type == "note"
    assert reply.text.startswith("资料中没有提到“调解”“仲裁”“公证”")
    # Named by the base, as written or by a synonym (校园 is 学校): no note.
    for question in ("宣传形式包括报纸和电视吗", "宣传形式包括电视报纸吗", "五进包括进校园吗"):
        assert not engine.answer(question).text.startswith("资料中没有提到"), question


def test_a_premise_note_comes_after_the_note_saying_how_a_follow_up_was_read(
    engine: Engine,
) -> None:
    reply = engine.answer("它是法院设的吗", previous="技术调查官制度是什么")
    assert reply.read_as == "技术调查官制度是法院设的吗"
    lines = [line for line in reply.text.splitlines() if line]
    assert lines[0].startswith("（接上一问") and "没有提到“法院”" in lines[1]


def test_a_menu_for_whether_there_is_something_never_named_says_so_first(
    engine: Engine,
) -> None:
    reply = engine.answer("社区搞宣传活动有经费补贴吗")
    assert reply.kind == "clarify" and reply.text.startswith("资料中没有提到“补贴”。")
    # A compound of words the material writes (宣传渠道: 宣传, 多渠道) is no thing it never
    # names; items claimed in a 、-series are read one by one (广播, not 电视广播).
    claim = engine.answer("宣传渠道有报纸、电视、广播、网站，对不？")
    assert "“广播”" in claim.text and "宣传渠道”" not in claim.text and "电视广播" not in claim.text
    # Claimed with 吧 (宣传渠道里有抖音吧) as asked with 吗.
    assert engine.answer("宣传渠道里有抖音吧").text.startswith("资料中没有提到“抖音”。")
    # An answer is not second-guessed: it may name the thing otherwise (国外 as 国际).
    assert not engine.answer("宣传月有没有奖金").text.startswith("资料中没有提到")
    # Words the base uses name nothing missing.
    assert not engine.answer("方案里有没有宣传月").text.startswith("资料中没有提到")
    # Only the part asking whether there is one is read (有截止日期吗), not the words of
    # another (最晚哪天要交: 晚 and 要交 are no thing).
    reply = engine.answer("宣贯的总结材料最晚哪天要交？有截止日期吗")
    assert "“晚”" not in reply.text and "要交" not in reply.text.split("\n")[0]


def test_a_follow_up_is_checked_as_it_was_read(engine: Engine) -> None:
    reply = engine.answer("它是谁设立的", previous="知识产权基金是什么")
    assert reply.read_as and "知识产权基金" in reply.read_as
    assert reply.kind == "fallback" and "未载明由谁设立" in reply.text


@pytest.mark.parametrize(
    "question",
    [
        "是领导小组办公室印发的吗",  # of what? No subject, no clause to hold it against
        "条例是省人大常务委员会通过的吧",  # 常务委员会 is 常委会
        "条例是省人大常委通过的吗",  # 省人大常委 is 人大常委 of 人大常委会
        "宣传形式包括微信吗",  # inside 微信公众号
        "宣传有没有微信渠道",
        "五进包括进高校吗",  # 高等学校 holds 学校
    ],
)
def test_a_true_premise_gets_no_contradicting_note(engine: Engine, question: str) -> None:
    first = engine.answer(question).text.splitlines()[0]
    assert not first.startswith("资料"), (question, first)


def test_a_day_no_passage_holds_is_said_even_of_a_passage_giving_none(engine: Engine) -> None:
    reply = engine.answer("亮点工作要在12月31日前报送吗")  # a menu giving no day at all
    assert reply.text.startswith(
        engine.intents.response("day_not_held_plain").format(day="12月31日")
    )


def test_a_body_premise_closed_by_a_question_mark_alone_is_checked(engine: Engine) -> None:
    reply = engine.answer("专利奖是省知识产权局设立的？")
    assert reply.text.startswith("资料中说的是“规定省政府设立专利奖”，没有提到“省知识产权局”")


@pytest.mark.parametrize(
    "question",
    [
        "条例是经过审议通过的吗",  # 经过审议 is no body
        "技术调查官制度是根据条例建立的吗",
        "专利奖是省政府依法设立的吗",  # 依法 is no part of the name
        "专利奖是省级政府设立的吗",  # 省级 is 省
        "条例是省人大常委会表决通过的吧",
        "联系方式包括邮箱吗",  # the cards hold e-mail addresses
    ],
)
def test_words_around_a_true_premise_deny_nothing(engine: Engine, question: str) -> None:
    first = engine.answer(question).text.splitlines()[0]
    assert not first.startswith("资料"), (question, first)


def test_false_premises_in_other_forms_are_said(engine: Engine) -> None:
    # A number counts whole (4届 is not 14届); spaces are no part of a name; a full name of
    # eighteen characters is read whole.
    for question, actor in (
        ("条例是4届人大常委会通过的吗", "4届人大常委会"),
        ("条例是 省政府 通过的吗", "省政府"),
        (
            "条例是河北省人民政府国有资产监督管理委员会发布的吗",
            "河北省人民政府国有资产监督管理委员会",
        ),
    ):
        assert f"没有提到“{actor}”" in engine.answer(question).text.splitlines()[0], question
    # The plan's title inside a clause is no deed done to the regulation.
    plan = engine.answer("条例是省人大常委会制定的吗").text.splitlines()[0]
    assert "实施方案" not in plan


def test_the_passage_asked_for_whole_is_given_whole(engine: Engine) -> None:
    reply = engine.answer("出处原文呢", previous="知识产权基金是谁设立的")
    assert reply.text.startswith("（上一问") and "……" not in reply.text


def test_an_issuer_or_day_no_listed_document_gives_is_said(engine: Engine) -> None:
    lead = engine.intents.response("issuer_not_held").split("{")[0]
    wrong = engine.answer("方案是省知识产权局2023年9月21号印发的对吧")
    assert (
        wrong.text.startswith("不对。" + lead) and "没有“省知识产权局”“2023年9月21号”" in wrong.text
    )
    # The issuer of another document is no issuer of the one named.
    assert "没有“省国资委”" in engine.answer("方案是省国资委制定的吗").text
    # True premises stand: the plan's issuer, and the day of the notice issuing it.
    for question in ("方案是领导小组办公室印发的对吧", "方案是领导小组办公室9月28号印发的对吧"):
        assert not engine.answer(question).text.startswith(lead), question


def test_issuers_are_checked_only_against_a_listing_of_issuers(engine: Engine) -> None:
    lead = engine.intents.response("issuer_not_held").split("{")[0]
    # The attachments name no issuer: nothing to check a body against.
    assert not engine.answer("附件是领导小组办公室印发的吗").text.startswith(lead)
    # A day of the notice issuing the plan is the plan's; the SASAC notice gives none.
    assert not engine.answer("方案是9月28号印发的对吧").text.startswith(lead)
    undated = engine.answer("省国资委的通知是2023年9月28日印发的吧")
    assert undated.text.startswith(lead) and "2023年9月28日" in undated.text.split("\n")[0]
    # Words around the body are no part of it (由省国资委: 省国资委).
    assert "没有“省国资委”" in engine.answer("方案是2023年9月28日由省国资委印发的吧").text


def test_a_day_no_passage_gives_is_said_before_a_menu_giving_none(engine: Engine) -> None:
    reply = engine.answer("亮点工作要在12月31日前报送吗")
    assert reply.text.startswith("资料中没有提到“12月31日”。")


def test_a_measure_the_material_never_names_is_said_when_checked(engine: Engine) -> None:
    reply = engine.answer("高校专利转化不力的话要被罚款是不是")
    assert reply.text.startswith("资料中没有提到“罚款”。")
    assert reply.entry == "interp-university-interview"
    # Asked how, not whether: no note.
    assert "罚款" not in engine.answer("高校专利转化不力怎么处理").text
    # 会不会 checks as 是不是 does (after a statement of what the passage does say).
    reply = engine.answer("高校转化不力会被约谈，那企业转化不力会不会罚款")
    assert reply.text.startswith("资料中没有提到“罚款”。")


def test_a_date_claimed_as_a_document_s_date_is_checked_as_its_deed_s_day(
    engine: Engine,
) -> None:
    # 实施方案的印发日期是…吧 is read as 实施方案是…印发的吧: the documents' dates settle it.
    wrong = engine.answer("实施方案的印发日期是2023年9月21日吧")
    assert wrong.text.startswith("不对。") and "没有“2023年9月21日”" in wrong.text
    assert engine.answer("条例的施行日期是10月1号吧").text.startswith("不对。资料中没有提到")
    right = engine.answer("条例的施行日期是11月1日吗")
    assert right.entry == "regulation-effective" and not right.text.startswith("不")


def test_a_day_given_to_another_deed_is_answered_with_the_deeds_own(engine: Engine) -> None:
    reply = engine.answer("条例是2023年11月1号通过的吧？")
    assert reply.text.startswith("不对。资料中说的是“") and "2023年9月21日审议通过" in reply.text
    assert "自2023年11月1日起施行”" in engine.answer("条例是9月21日施行的吧").text
    # The right day gets no note.
    assert engine.answer("条例是9月21号通过的吧").text.startswith("【")


def test_things_never_named_do_not_drive_the_search(engine: Engine) -> None:
    reply = engine.answer("宣传形式里包括抖音短视频对吧")
    assert reply.entry == "plan-focus-publicity"
    assert reply.text.startswith("资料中没有提到“抖音短视频”")


def test_a_measure_never_named_is_said_before_a_menu_too(engine: Engine) -> None:
    reply = engine.answer("条例规定重复侵权要三倍赔偿吧")
    assert reply.text.startswith("资料中没有提到“赔偿”。")


def test_a_documents_issue_day_is_its_own(engine: Engine) -> None:
    lead = engine.intents.response("issuer_not_held").split("{")[0]
    assert engine.answer("那个印发方案的通知是9月21号发的吧").text.startswith("不对。" + lead)
    # The right day stands, and the regulation's day in the notice is no day of the notice.
    assert engine.answer("那个印发方案的通知是9月28号发的吧").text.startswith("【")
    # A measure a note already names is not named twice.
    reply = engine.answer("创新性条款包括惩罚性赔偿吗")
    assert reply.text.count("赔偿”") == 1


def test_a_day_in_chinese_numerals_is_checked_like_one_in_digits(engine: Engine) -> None:
    assert engine.answer("条例是十月一日施行的吧").text.startswith("不对。资料中没有提到“10月1日”")
    assert engine.answer("条例是二〇二三年十一月一日施行的吧").text.startswith("【")


def test_a_sweep_the_material_never_makes_is_said_when_checked(engine: Engine) -> None:
    lead = "资料中没有“所有”这样的说法"
    reply = engine.answer("条例规定所有授权专利都能拿专利奖奖金，是真的吗")
    assert reply.text.startswith(lead) and reply.entry == "interp-patent-award"
    heard = engine.answer("我听说做出突出贡献的人可以直接评正高职称？")  # 听说 checks too
    assert heard.text.startswith("资料中没有“直接”这样的说法")
    # Modality and sanctions the material never uses are said too.
    must = engine.answer("条例要求每家企业都必须设立知识产权基金吗")
    assert must.text.startswith("资料中没有“每家”“必须”这样的说法")
    crime = engine.answer("高校专利转化不力要追究刑事责任是吗")
    assert crime.text.startswith("资料中没有提到“刑事责任”")
    # Asked, not checked (什么 ends no check), or of a contact's card: no note.
    assert not engine.answer("宣贯活动分哪几个阶段，每个阶段干什么").text.startswith("资料中没有")
    assert not engine.answer("我可以直接打电话给王国强吗").text.startswith("资料中没有")


def test_a_body_said_with_you_before_the_deed_is_checked_too(engine: Engine) -> None:
    for question, body in (
        ("条例规定由国务院设立专利奖是不是", "国务院"),
        ("专利奖由国家设立的吧", "国家"),
        ("方案由省国资委制定的吧", "省国资委"),
        ("听说条例是省政府常务会议通过的，对不对", "省政府常务会议"),
    ):
        reply = engine.answer(question)
        assert reply.text.startswith("不对。资料中说的是“"), question
        assert f"没有提到“{body}”" in reply.text, question
    # The body the passage names stands, said to be right first.
    assert engine.answer("由省政府设立专利奖对吗").text.startswith("对。\n\n【")


def test_someone_too_that_the_passage_does_not_name_is_said(engine: Engine) -> None:
    reply = engine.answer("社区工作人员是不是也得把条例列入应知应会清单")
    assert reply.text.startswith("资料中的这一条没有提到“社区工作人员”")
    assert reply.entry == "duty-leading-cadres"
    # Those it names stand: as written, by a synonym, or by their kind (民营企业: 企业).
    for question in (
        "领导干部也要学法吗",
        "高校也要被约谈吗",
        "高等学校也要建立权益分配机制吗",
        "民营企业也要建立权益分配机制吗",
        "市政府也要纳入考核体系吗",
        "活动结束后也要报送亮点吗",  # no one asked about
    ):
        assert engine.answer(question).text.startswith("【"), question


def test_sweeping_words_of_a_request_or_a_question_claim_nothing(engine: Engine) -> None:
    for question in (
        "能把工作重点全部列出来吗",
        "所有的有关要求有哪些呢",
        "条例的全部章节有哪些呢",
        "能直接告诉我条例什么时候施行吗",
        "我们必须按时完成，宣贯活动什么时候结束呢",
    ):
        assert not engine.answer(question).text.startswith("资料中没有"), question
    assert engine.answer("是不是所有企业都要设立知识产权基金").text.startswith("资料中没有“所有”")


def test_a_day_said_to_end_or_start_a_span_is_checked_against_its_ends(engine: Engine) -> None:
    for question in ("时间安排是到10月30日吧", "宣贯活动是10月15日开始的吗"):
        reply = engine.answer(question)
        no = "不是。" if question.endswith("吗") else "不对。"
        assert reply.entry == "plan-schedule" and reply.text.startswith(no + "资料中没有提到"), (
            question
        )
    assert engine.answer("宣贯活动10月15号还在搞吗").text.startswith("【")


def test_a_claim_heard_is_checked_without_a_closing_particle(engine: Engine) -> None:
    reply = engine.answer("我听说专利奖是国家设立的")
    assert reply.text.startswith("不对。资料中说的是“规定省政府设立专利奖”，没有提到“国家”")
    assert engine.answer("我听说专利奖是省政府设立的").text.startswith("对。\n\n【")


def test_a_day_checked_against_a_passage_giving_none_is_checked_against_one_that_does(
    engine: Engine,
) -> None:
    # 结束 found the summary requirement, which gives no day; the schedule gives the span.
    reply = engine.answer("宣贯活动是到11月30日结束吧")
    assert reply.entry == "plan-schedule" and "以下文所载日期为准" in reply.text


def test_a_month_claimed_is_checked_against_the_days_the_passage_gives(engine: Engine) -> None:
    reply = engine.answer("条例10月份施行的吧")
    assert reply.text.startswith("不对。资料中说的是“自2023年11月1日起施行”")
    reply = engine.answer("宣贯时间是11月到12月吧")
    assert reply.text.startswith("不对。资料中说的是“2023年9月28日至10月31日”")
    # True of the passage: no note.
    assert engine.answer("条例是11月施行的吧").text.startswith("【")
    # 结束 finds the summary requirement; the month asks when: the schedule, which agrees.
    reply = engine.answer("宣贯活动10月份结束对吧")
    assert reply.entry == "plan-schedule" and reply.text.startswith("【")
    # A month no passage gives a day in, checked against a passage giving none.
    assert engine.answer("亮点工作12月前报送吗").text.startswith("资料中没有提到“12月”")


def test_a_month_claimed_beside_a_statement_picks_the_passage_on_it(engine: Engine) -> None:
    # A menu of the schedule and the notice (both give days): the one naming what the
    # claim is about, not the statement's words (我们社区准备12月搞).
    reply = engine.answer("宣贯活动时间是11月到12月对吧，我们社区准备12月搞")
    assert reply.entry == "plan-schedule"
    assert reply.text.startswith("不对。资料中说的是“2023年9月28日至10月31日”")


def test_an_item_named_as_one_of_a_series_is_checked_though_asked_how(engine: Engine) -> None:
    reply = engine.answer("五进里面的“进农村”我们村该怎么开展")
    assert reply.kind == "answer" and reply.entry == "plan-focus-publicity"
    assert reply.text.startswith("资料所列各项中没有“进农村”")
    # One of them asked how: no note.
    assert engine.answer("进社区具体怎么做").text.startswith("【")


def test_a_day_claimed_on_a_menu_picks_the_passage_saying_the_deed_in_other_words(
    engine: Engine,
) -> None:
    # 开始实施: jieba's one word; 实施 inside it is 施行, which the effective date says.
    reply = engine.answer("条例是2023年10月1日开始实施的吧？")
    assert reply.kind == "answer" and reply.entry == "regulation-effective"
    assert reply.text.startswith("不对。资料中没有提到“2023年10月1日”")


def test_a_span_of_months_in_words_is_a_when_checked(engine: Engine) -> None:
    reply = engine.answer("那个呃……宣贯活动是九月到十一月搞对吧，就是说我们十一月份再搞还来得及吗")
    assert reply.entry == "plan-schedule"
    assert reply.text.startswith("不对。资料中说的是“2023年9月28日至10月31日”")


def test_a_month_said_with_its_deed_is_checked_against_that_deed_only(engine: Engine) -> None:
    # True of the deeds they are said with: no note.
    for question in ("九月审议通过的条例是十一月施行的吧", "宣贯活动在条例11月施行前就结束了吧"):
        assert not engine.answer(question).text.startswith("资料中说的是"), question
    # The adoption day (9月21日) is no month of taking effect.
    assert engine.answer("条例9月份施行的吧").text.startswith(
        "不对。资料中说的是“自2023年11月1日起施行”"
    )
    # The message's own claim, not the last one's: 那十一月呢 after 10月份 is no error.
    reply = engine.answer("那十一月呢", previous="条例是10月份施行的吗")
    assert "资料中说的是" not in reply.text


def test_a_day_claimed_of_a_thing_is_checked_against_the_passage_giving_its_days(
    engine: Engine,
) -> None:
    # The notice's days are the law's and its own, though its title names the campaign's plan.
    for question in ("宣贯活动到12月31号结束吗", "宣灌活动是不是搞到年底12月31号？"):
        reply = engine.answer(question)
        assert reply.entry == "plan-schedule", question
        assert "资料中没有提到“12月31号”" in reply.text and "2023年9月28日至10月31日" in reply.text
    # The law's day claimed stays with the passage giving the law's days.
    assert engine.answer("条例是10月1日施行的吧").entry == "regulation-effective"


def test_a_thing_named_in_part_is_the_thing_a_title_starts_with(engine: Engine) -> None:
    # 宣贯 names the campaign (宣贯活动的时间安排): the schedule stays before the notice.
    reply = engine.answer("这次条例宣贯是从什么时候开始、要搞到哪天为止")
    first = reply.entry or (reply.suggestions[0].entry if reply.suggestions else "")
    assert first == "plan-schedule"


def test_a_menu_of_one_for_a_claim_is_its_passage_with_what_it_does_not_hold(
    engine: Engine,
) -> None:
    # A claim (…的吧) whose one suggestion never says what it claims: the passage, led by
    # the note, not a "did you mean" leaving the premise standing.
    reply = engine.answer("技术调查官制度是给行政处罚提供依据的吧")
    assert reply.kind == "answer" and reply.entry == "interp-tech-investigator"
    assert reply.text.startswith("资料中没有提到“行政处罚”")
    # A request ending in 吧 is no claim (拍个, 短片 are no premise); nor is a common word
    # a claim says in passing (座机, below `unwritten_weight`).
    for request in ("我们要拍个普法短片 介绍一下这个条例吧", "刘亚强座机区号是0311吧"):
        assert not engine.answer(request).text.startswith("资料中没有提到"), request


def test_a_day_the_material_gives_another_thing_is_corrected_with_the_thing_s_own(
    engine: Engine,
) -> None:
    # 9月21日 and 11月1日 are the law's days: claimed of the campaign, the schedule says
    # otherwise, and says so first.
    for claim in ("宣贯活动时间是９月２１号到１１月１号吧？我们排个计划", "宣贯活动11月1号结束吧"):
        reply = engine.answer(claim)
        assert reply.entry == "plan-schedule", claim
        assert reply.text.startswith("不对。资料中说的是“2023年9月28日至10月31日”"), claim
    # The campaign's last day claimed as the law's: the effective date, not the schedule.
    effective = engine.answer("条例是10月31日施行的吧")
    assert effective.entry == "regulation-effective"
    assert effective.text.startswith("不对。资料中说的是“自2023年11月1日起施行”")
    # A day within the span is no wrong premise.
    assert not engine.answer("宣贯活动10月15号还在搞吧").text.startswith("资料中")
