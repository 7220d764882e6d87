"""A message disputing the last answer gets it again as the material words it."""

from __future__ import annotations

from bot.engine import Engine


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


def test_asking_whether_the_answer_is_sure_disputes_it(engine: Engine) -> None:
    lead = engine.intents.response("follow_up_disputed")
    reply = engine.answer("你确定是第五次吗 不是第六次？", "条例是哪次会议通过的")
    assert reply.text.startswith(lead) and reply.entry == "regulation-adoption"


def test_doubting_a_not_stated_reply_gets_it_again(engine: Engine) -> None:
    reply = engine.answer("你确定吗", "专利奖奖多少钱")
    assert reply.kind == "fallback" and reply.entry == "interp-patent-award"
    assert reply.text.startswith(engine.intents.response("follow_up_disputed"))
    assert "未载明具体金额" in reply.text


def test_doubting_a_plain_not_stated_reply_says_so_again(engine: Engine) -> None:
    reply = engine.answer("你确定吗", "那侵犯专利的罚款标准是多少")
    assert reply.kind == "fallback"
    assert reply.text.startswith(engine.intents.response("follow_up_disputed_none"))
    # Out of scope stays small talk.
    assert engine.answer("你确定吗", "今天天气怎么样").kind == "smalltalk"


def test_doubting_a_menu_gets_the_menu_again_saying_it_answered_nothing(engine: Engine) -> None:
    last = engine.answer("经费保障具体怎么规定的")
    assert last.kind == "clarify"
    reply = engine.answer("你确定吗", "经费保障具体怎么规定的")
    assert reply.kind == "clarify" and reply.suggestions == last.suggestions
    assert reply.text.startswith(engine.intents.response("follow_up_disputed_menu"))


def test_not_so_asked_whole_disputes_the_last_answer(engine: Engine) -> None:
    reply = engine.answer("不是11月到12月吗", previous="宣贯活动时间是怎么安排的")
    assert reply.entry == "plan-schedule"
    assert reply.text.startswith(engine.intents.response("follow_up_disputed"))
    assert "2023年9月28日至10月31日" in reply.text


def test_not_so_asking_whether_there_is_more_is_no_dispute(engine: Engine) -> None:
    reply = engine.answer("不是还有进农村吗", previous="五进是哪五进")
    assert "资料所列各项中没有“进农村”" in reply.text


def test_a_claim_with_a_tag_asking_whether_it_is_right_is_checked(engine: Engine) -> None:
    # The tag (我没记错吧, 我稿子里这么写没问题吧) asks nothing of its own: the claim is read.
    count = engine.answer("条例一共七章六十条，我没记错吧？")
    assert count.kind == "answer" and "不是七章、六十条" in count.text
    assert count.question == "条例一共七章六十条，我没记错吧？"
    day = engine.answer("条例是2023年10月1日起施行的对吧，我稿子里这么写没问题吧")
    assert day.kind == "answer" and "2023年11月1日" in day.text
    assert day.text.startswith("不对。资料中没有提到“2023年10月1日”")
    # A tag starting with 不 disputes instead (above); without a claim it is no tag at all.
    assert engine.intents.confirmed_claim("对吧") is None
    assert engine.intents.confirmed_claim("条例几号施行，对吗") == "条例几号施行"


def test_a_claim_tagged_shi_bu_shi_with_a_typo_is_checked(engine: Engine) -> None:
    # 条列 for 条例 before 一共 (not 条列一下), and 是不是 as the tag.
    reply = engine.answer("条列一共九章七十条，是不是")
    assert reply.kind == "answer" and "不是九章、七十条" in reply.text
