"""Several questions in one message (bot/engine/multi.py): each answered, or the one
passage holding every answer, when the message as a whole finds no one passage."""

from __future__ import annotations

from bot.engine import Engine
from bot.engine.reply import Passage


def test_two_questions_no_one_passage_answers_are_each_answered(engine: Engine) -> None:
    reply = engine.answer("宣贯活动哪天开始？条例哪天施行？")
    cited = [b.citation.entry for b in reply.blocks if isinstance(b, Passage)]
    assert reply.kind == "answer" and cited == ["plan-schedule", "regulation-effective"]
    assert "2023年9月28日至10月31日" in reply.text and "2023年11月1日起施行" in reply.text


def test_one_passage_holding_both_answers_is_the_answer(engine: Engine) -> None:
    # The notice holds the day it was issued and the day the regulation takes effect.
    reply = engine.answer("印发通知是哪天，条例又是哪天开始施行")
    assert reply.kind == "answer" and reply.entry == "leading-group-notice-summary"
    assert "2023年9月28日" in reply.text and "2023年11月1日" in reply.text


def test_a_fragment_or_a_card_nobody_asked_for_joins_nothing(engine: Engine) -> None:
    # 市场监管局吗 leans on the question before it: answered alone it is a card, a guess.
    reply = engine.answer("条例里说的知识产权管里部门到底是哪个局？市场监管局吗")
    assert reply.kind != "answer" or not reply.shown_contacts
    # An answered message stands as answered (方案里咋说的 is no question of its own).
    alone = engine.answer("领导干部学法用法都有哪几种方式")
    reply = engine.answer("领导干部学法用法都有哪几种方式，方案里咋说的")
    assert reply.entry == alone.entry == "duty-leading-cadres"
    assert len([b for b in reply.blocks if isinstance(b, Passage)]) == 1


def test_two_things_compared_are_each_answered(engine: Engine) -> None:
    # The material states no comparison: both dates, cited, and the asker compares.
    for question in ("活动时间和施行日期哪个更早？", "宣贯活动结束和条例施行哪个在前"):
        reply = engine.answer(question)
        cited = [b.citation.entry for b in reply.blocks if isinstance(b, Passage)]
        assert reply.kind == "answer", question
        assert cited == ["plan-schedule", "regulation-effective"], question
    # Both in one passage: that passage once.
    reply = engine.answer("条例通过和施行隔了多久")
    assert reply.entry == "regulation-effective"
    assert len([b for b in reply.blocks if isinstance(b, Passage)]) == 1
    # 哪个大模型 compares nothing: the word compared must end the phrase.
    assert not any(p.search("你用的是哪个大模型") for p, _ in engine.intents.compare)
    assert any(p.search("哪个更早？") for p, _ in engine.intents.compare)


def test_an_answer_saying_nothing_of_a_second_question_mark_s_question_gets_it_too(
    engine: Engine,
) -> None:
    # The 施行 passage says nothing of the work points: both are answered, in order.
    # The last question may go without its mark.
    for question in ("条例施型日期是哪天？工作重点有几条？", "条例施行日期是哪天？工作重点有几条"):
        reply = engine.answer(question)
        cited = [b.citation.entry for b in reply.blocks if isinstance(b, Passage)]
        assert cited[0] == "regulation-effective", question
        assert "（三）结合实际落地实施" in reply.text, question
    # One question, or a second one the passage speaks to, stays as answered.
    alone = engine.answer("领导干部学法用法都有哪几种方式，方案里咋说的")
    assert len([b for b in alone.blocks if isinstance(b, Passage)]) == 1


def test_a_contact_asked_beside_a_question_not_stated_gets_both(engine: Engine) -> None:
    reply = engine.answer("我是开网店的，平台有啥责任？自己被侵权了找谁？")
    assert reply.kind == "fallback" and reply.entry == "duty-platforms"
    assert "未载明责任的具体内容" in reply.text and "王国强" in reply.text
    # 被侵权了找谁: no complaint line is given, said before the cards.
    assert "未载明受理举报、投诉的部门或专门的举报、投诉、咨询电话" in reply.text
    # Each card once, though the not-stated part and the contacts both show it, and one
    # 请联系： leads into them.
    assert reply.text.count("0311-67565891") == 1
    assert engine.intents.response("contacts_lead") not in reply.text
    assert reply.text.count("请联系：") == 1


def test_a_part_the_material_does_not_answer_is_said_beside_the_part_it_does(
    engine: Engine,
) -> None:
    reply = engine.answer("条例哪天施行？另外省专利奖奖金有多少")
    # The date is stated, so the reply no longer says 未载明…具体日期 of both.
    assert "2023年11月1日" in reply.text and "具体日期" not in reply.text
    assert "未载明具体金额" in reply.text
    # One part is not answered: the whole is no answer.
    assert reply.kind == "fallback"
    assert [c.entry for c in reply.citations][:2] == ["regulation-effective", "interp-patent-award"]
    # So when the first part alone was answered before.
    both = engine.answer("宣贯活动什么时候结束？宣传月什么时间开始？")
    assert both.kind == "fallback" and "10月31日" in both.text and "未载明具体日期" in both.text
    # The passage the whole message found lacking answers no part of it either.
    lacking = engine.answer("失信惩戒的对象有哪些？具体有哪些惩戒措施？")
    assert lacking.kind == "fallback" and "未载明惩戒措施" in lacking.text


def test_a_second_question_after_shunbian_wenxia_is_answered_too(engine: Engine) -> None:
    reply = engine.answer("宣贯活动持续多长时间 顺便问下专利奖谁设立的")
    assert reply.kind == "answer"
    assert "2023年9月28日至10月31日" in reply.text and "省政府设立专利奖" in reply.text


def test_a_value_asked_beside_a_contact_is_not_asked_of_the_cards(engine: Engine) -> None:
    reply = engine.answer("宣贯活动什么时候开始？另外联系人是谁")
    assert "2023年9月28日至10月31日" in reply.text and "未载明具体日期" not in reply.text
    assert reply.shown_contacts


def test_what_a_message_says_beside_its_question_does_not_sink_the_answer(
    engine: Engine,
) -> None:
    # 给学生讲课 asks nothing; with it, the words fit two passages alike (a menu).
    reply = engine.answer("给学生讲课，条例的立法目的是什么")
    assert reply.kind == "answer" and reply.entry == "interp-1-purpose-duties"
    # A part asking 算不算/要不要 is a question too, not a statement to leave out.
    assert engine.intents.asks_something("专利代理所、评估公司算不算")
    assert engine.answer("宣贯工作结束后要不要总结，亮点报给谁").entry == "plan-req-summary"


def test_a_statement_naming_what_is_asked_about_is_not_left_out(engine: Engine) -> None:
    assert engine.answer("我们是做专利代理的，有啥要求").entry != "duty-enterprises"


def test_a_part_naming_nothing_beyond_what_it_asks_is_no_question_of_its_own(
    engine: Engine,
) -> None:
    # 啥时候截止 is the prize's deadline, not the campaign's schedule.
    reply = engine.answer("申请省专利奖需要什么材料，走什么流程，啥时候截止")
    assert reply.kind == "fallback" and reply.entry == "interp-patent-award"
    assert "2023年9月28日至10月31日" not in reply.text
    assert "具体时间或期限" in reply.text


def test_a_statement_before_a_question_finding_nothing_is_the_question_asked_alone(
    engine: Engine,
) -> None:
    # The statement's words (机械配件, 小公司) outweighed the question's; 十几个人 asks nothing.
    question = "嗯 我们是做机械配件的小公司，十几个人，想问问条例里对企业搞专利有啥奖励没"
    reply = engine.answer(question)
    assert reply.kind == "answer" and reply.entry == "interp-patent-award"
    # A follow-up reads on the question, not on the statement.
    assert reply.read_as and "机械配件" not in reply.read_as
    then = engine.answer("具体奖多少钱", reply.read_as)
    assert then.kind == "fallback" and then.entry == "interp-patent-award"
    # Asked alone, the part must answer by its own score: 哪几个领域 is nowhere.
    alone = engine.answer("关键核心技术具体指哪几个领域？芯片、新能源在不在里头")
    assert alone.kind != "answer"
