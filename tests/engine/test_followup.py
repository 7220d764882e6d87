"""Follow-ups (那高校呢, 具体咋做, 它们违规了怎么罚) read with the asker's previous question."""

from __future__ import annotations

import pytest

from bot.engine import Engine
from bot.engine.follow_cues import FollowUps, read_follow_ups


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
    # …after saying the last passage names none of them.
    assert reply.text.startswith("上一问所引的资料没有提到“服务机构”")
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


def test_a_place_in_no_list_s_unit_or_after_no_list_is_asked_alone(engine: Engine) -> None:
    assert engine.answer("第五章呢", previous="有关要求有哪些").read_as is None
    assert engine.answer("第二个呢", previous="宣贯活动什么时候开始").read_as is None
    # A place with words of its own, or after no list: the law's article, as asked.
    for message, previous in (
        ("第二条对高校有什么要求", "宣贯活动的工作重点有哪些"),
        ("第二条展开讲讲", "条例什么时候施行"),
    ):
        assert engine.answer(message, previous=previous).read_as is None, message


def test_asking_for_the_source_s_own_words_gets_the_passage_whole(engine: Engine) -> None:
    reply = engine.answer("给原文", previous="宣传月是什么时候")
    assert reply.entry == "plan-focus-publicity" and reply.read_as == "宣传月是什么时候"
    assert reply.text.startswith("（上一问")
    assert "（二）多种形式广泛宣传。开展以《条例》为主题的“宣传月”活动" in reply.text
    assert "……" not in reply.text  # not the excerpt
    # With nothing quoted before, there is nothing to give.
    assert engine.answer("原文", previous="你好").entry is None


def test_he_is_whom_the_last_question_asked_after(engine: Engine) -> None:
    reply = engine.answer("他是哪个单位的", "方案联系人是谁")
    assert reply.read_as == "王国强是哪个单位的" and reply.entry == "wang-guoqiang"


def test_an_item_asked_after_a_list_is_checked_against_it(engine: Engine) -> None:
    note = "资料所列各项中没有“进农村”"
    assert note in engine.answer("那进农村呢", "五进是哪五进").text
    counted = engine.answer("进机关算不算", "五进都有哪些")
    assert counted.read_as and "没有“进机关”" in counted.text
    # One the list holds gets no note.
    assert "没有" not in engine.answer("那进学校呢", "五进是哪五进").text.split("\n")[0]


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


def test_a_short_question_naming_nothing_is_read_with_the_one_before(engine: Engine) -> None:
    # Alone, 部分/讲 found the plan's 总体要求 at 0.8 and 申请 the notice's 依申请公开.
    where = engine.answer("哪个部分讲的", "技术调查官是啥")
    assert where.read_as and where.entry == "interp-tech-investigator"
    how = engine.answer("怎么申请", "绿色通道谁能走")
    assert how.read_as == "绿色通道怎么申请" and how.entry == "interp-talent-title"
    # One answered well alone that the reading answers no better keeps its own answer.
    kept = engine.answer("哪次会议通过的", "那啥时候施行")
    assert kept.read_as is None and kept.entry == "regulation-adoption"


def test_a_document_s_field_asked_of_none_is_the_last_named_document_s(engine: Engine) -> None:
    # Both notices name whom they are sent to; alone, 主送谁 lists both, each cited.
    alone = engine.answer("主送谁")
    assert alone.intent == "addressees" and len(alone.citations) == 2
    after = engine.answer("主送谁", "国资委的通知说了什么")
    assert after.read_as and [c.source for c in after.citations] == [
        engine.kb.sources["sasac-notice"].display
    ]
    other = engine.answer("主送谁", "领导小组办公室通知是哪天印发的")
    assert {c.source for c in other.citations} == {
        engine.kb.sources["leading-group-notice"].display
    }


def test_asking_where_it_comes_from_gets_the_passage_whole(engine: Engine) -> None:
    for message in ("出处呢", "出处", "来源是什么"):
        reply = engine.answer(message, "条例什么时候施行")
        assert reply.entry == "regulation-effective" and reply.read_as, message
    # After a list by its headings: the items' own passages; after cards: the cards again.
    opened = engine.answer("出处", "工作重点有哪些")
    assert len(opened.citations) == len(engine.kb.items_of("plan-focus"))
    cards = engine.answer("出处呢", "宣贯有问题找谁")
    assert cards.kind == "answer" and len(cards.shown_contacts) == len(engine.kb.contacts)


def test_a_value_named_alone_is_asked_of_the_last_topic(engine: Engine) -> None:
    reply = engine.answer("那开始日期呢", "宣贯活动的时间安排是怎样的")
    assert reply.read_as and reply.entry == "plan-schedule"  # was the regulation's 施行
    # One naming its own thing stands alone.
    assert engine.answer("那宣贯活动结束日期呢", "条例施行日期是哪天").read_as is None


def test_a_short_question_in_the_last_passage_s_words_asks_of_it(engine: Engine) -> None:
    # Alone, 纳入 found 纳入领导干部应知应会法律法规清单, which holds no 体系.
    reply = engine.answer("要纳入哪些体系", "政府职责有哪些")
    assert reply.read_as and reply.entry == "duty-government"
    # One whose passage alone holds all its words keeps it.
    assert engine.answer("第七章讲什么", "都是哪几章").read_as is None


def test_a_way_of_contact_asked_after_a_person_is_theirs(engine: Engine) -> None:
    reply = engine.answer("邮箱呢", "刘亚强电话多少")
    assert (reply.read_as or "").startswith("刘亚强") and reply.entry == "liu-yaqiang"


def test_someone_too_asked_alone_is_the_last_answer_checked_for_them(engine: Engine) -> None:
    reply = engine.answer("乡镇也要吗", "国企要开展宣贯吗")
    assert reply.read_as == "乡镇也要开展宣贯吗" and reply.entry == "duty-sasac-enterprises"
    assert "资料中的这一条没有提到“乡镇”" in reply.text
    named = engine.answer("那省属企业也要吗", "国企要开展宣贯吗")
    assert named.read_as and "没有提到" not in named.text
    # A question saying no duty of its subject is no someone-too reading (企业也要怎么学条例).
    assert engine.answer("那企业也要吗", "领导干部怎么学条例").read_as != "企业也要怎么学条例"


def test_why_alone_is_asked_of_the_whole_last_question(engine: Engine) -> None:
    # 领导干部为什么 alone is a menu of two passages holding the same sentence.
    reply = engine.answer("为什么", "领导干部怎么学法")
    assert reply.kind == "answer" and reply.entry == "duty-leading-cadres"


def test_a_short_question_the_passage_just_shown_answers_alone_is_not_reread(
    engine: Engine,
) -> None:
    # Read after 工作重点第二个 it asked the list of three; alone it finds the 五进 passage.
    reply = engine.answer("要进哪些地方", "宣贯活动的工作重点第二个")
    assert reply.entry == "plan-focus-publicity" and reply.read_as is None


def test_this_opening_a_question_of_it_is_the_last_topic(engine: Engine) -> None:
    reply = engine.answer("这个归谁管", "技术调查官是什么")
    assert reply.read_as == "技术调查官归谁管" and reply.entry == "interp-tech-investigator"
    assert engine.answer("这个怎么申请", "绿色通道是啥").read_as == "绿色通道怎么申请"
    # 这个 naming a thing of its own is no pronoun.
    assert engine.answer("这个条例什么时候施行", "技术调查官是什么").read_as is None


def test_a_thing_the_material_never_names_asked_on_is_said_not_named(engine: Engine) -> None:
    reply = engine.answer("那保险呢", "专利奖是谁设的")
    assert reply.kind == "fallback" and reply.text.startswith("资料中没有提到“保险”")
    assert engine.answer("那包括广播吗", "宣传形式有哪些").text.startswith("资料中没有提到“广播”")
    # After a question out of scope it stays out of scope.
    off = engine.answer("那明天呢", "今天天气怎么样")
    assert "没有提到" not in off.text and not off.shown_contacts


def test_going_back_reads_with_the_question_before_the_last(engine: Engine) -> None:
    again = engine.answer("回到刚才的问题", "宣贯活动到哪天", "条例什么时候施行")
    assert again.entry == "regulation-effective" and again.read_as == "条例什么时候施行"
    # With nothing to go back to, the message is asked as it stands.
    assert engine.answer("回到刚才的问题", "宣贯活动到哪天").read_as != "条例什么时候施行"


def test_a_value_asked_is_not_tied_to_the_last_passage_by_a_common_word(engine: Engine) -> None:
    # 通过 in 通过报纸… fits the 宣传 passage wholly; it holds no date.
    assert engine.answer("什么时候通过的", "宣传月是什么活动").entry == "regulation-adoption"
    assert engine.answer("什么时候施行", "实施方案对宣贯工作提了什么要求").entry == (
        "regulation-effective"
    )


def test_a_thing_never_named_is_named_as_written(engine: Engine) -> None:
    reply = engine.answer("那短视频呢", "五进是哪五进")
    assert reply.text.startswith("资料中没有提到“短视频”")


def test_more_asked_after_a_not_stated_reply_is_read_with_the_last_question(
    engine: Engine,
) -> None:
    # Alone, 具体怎么惩戒 finds the same passage and would drop the "not stated".
    reply = engine.answer("具体怎么惩戒", "失信有什么惩戒")
    assert reply.kind == "fallback" and reply.read_as == "失信有什么惩戒，具体怎么惩戒"


def test_how_the_source_words_it_is_asking_for_the_original(engine: Engine) -> None:
    reply = engine.answer("原文怎么说的", "《条例》重点规范的内容第四个")
    assert reply.entry == "interp-4-protection" and "所引资料的原文" in reply.text


def test_the_source_of_a_chapter_name_is_the_sentence_it_was_read_from(engine: Engine) -> None:
    # 第七章为“法律责任” is written from the outline; the material's own words are the
    # interpretation's opening sentence.
    reply = engine.answer("原文呢", previous="第7章叫啥")
    assert reply.entry == "regulation-overview"
    assert "共八章、六十八条，分别是总则" in reply.text


def test_a_short_follow_up_near_small_talk_by_meaning_is_still_read_on(engine: Engine) -> None:
    # 微博呢 sounds like a greeting to the encoder; after the channels it is one not named.
    reply = engine.answer("微博呢", previous="方案要求通过哪些渠道宣传")
    assert reply.text.startswith("资料中没有提到“微博”")
    # A value of the thing a document was asked to hold (条例里有专利奖吗): of that thing.
    reply = engine.answer("奖金多少", previous="条例里有专利奖吗")
    assert reply.read_as == "专利奖奖金多少" and reply.entry == "interp-patent-award"
    # Small talk by rule words stays small talk.
    assert engine.answer("谢谢", previous="宣传渠道有哪些").kind == "smalltalk"


def test_to_whom_to_report_is_no_request_for_help(engine: Engine) -> None:
    reply = engine.answer("向谁举报")
    assert reply.text.startswith("资料中未载明受理举报、投诉的部门或专门的举报、投诉、咨询电话")
    assert reply.shown_contacts


def test_a_thing_of_its_own_said_not_to_be_stated_is_not_read_with_the_last(
    engine: Engine,
) -> None:
    # Alone: the 宣传月 passage, no month given; read with the schedule it was the span.
    reply = engine.answer("那“宣传月”具体是哪个月？", previous="宣贯活动时间安排是怎样的")
    assert reply.kind == "fallback" and reply.entry == "plan-focus-publicity"
    assert reply.text.startswith("资料中关于“宣传月”只提到")  # quoted once
    # Found on light words alone (依申请公开 for 申请): read with the last question.
    reply = engine.answer("那怎么申请", previous="专利奖是谁设立的")
    assert reply.entry == "interp-patent-award"


def test_a_pronoun_after_a_name_said_as_where_to_look_is_that_name(engine: Engine) -> None:
    reply = engine.answer("它是什么时候施行的", previous="条例中的法律责任有哪些")
    assert reply.entry == "regulation-effective"


def test_a_self_correction_is_the_last_question_with_its_rest_in_place(engine: Engine) -> None:
    # Not the law's article 6, which is not loaded: the interpretation's point (六).
    for message in ("说错了 是第六条", "我说的是第六条"):
        reply = engine.answer(message, "解读第7条说的啥")
        assert reply.entry == "interp-6-liability", message
        assert reply.read_as and "6" in reply.read_as
    reply = engine.answer("说错了，第三部分", "方案第一部分讲啥")
    assert reply.entry == "plan-focus"
    # A question of its own after the words is asked as it stands, the words aside, with or
    # without a question before it.
    alone = engine.answer("我想问的是宣贯活动什么时候开始", "条例什么时候施行")
    assert alone.entry == "plan-schedule" and alone.read_as == "宣贯活动什么时候开始"
    for previous in ("那啥时候施行", None):
        reply = engine.answer("说错了 我是问宣贯活动到哪天结束", previous)
        assert reply.kind == "answer" and reply.entry == "plan-schedule", previous
        assert reply.question == "说错了 我是问宣贯活动到哪天结束"


def test_what_is_at_a_place_of_the_list_just_shown_is_that_item(engine: Engine) -> None:
    # 第四个是啥 as 第四个呢: the fourth of the 五进 the last answer showed, not a question
    # of its own that finds nothing.
    for message in ("第四个呢", "第四个是啥"):
        reply = engine.answer(message, "条例宣传要推动进哪些地方？")
        assert reply.kind == "answer" and reply.read_as == "进单位", message
    # A place standing alone (an article) is still asked of its own.
    assert engine.answer("第六十八条写的啥", "条例宣传要推动进哪些地方？").intent == "article"


def test_the_words_of_an_item_of_the_list_just_shown_are_that_item_s(engine: Engine) -> None:
    # 第三条原文呢 after the plan's requirements: the third of them, not the law's article 3.
    reply = engine.answer("第三条原文呢", "那“有关要求”有几条")
    assert reply.entry == "plan-req-summary" and reply.read_as


def test_a_place_by_its_short_name_is_the_material_s_place(engine: Engine) -> None:
    # 雄安 is 雄安新区 (a synonym): asked after the addressees, the line naming it.
    reply = engine.answer("雄安呢", previous="辛集市在不在领导小组办公室通知的主送范围里")
    assert reply.kind == "answer" and "雄安新区知识产权战略实施工作领导小组" in reply.text
