"""Contact questions always reach contact cards, and say what the material does not give."""

from __future__ import annotations

import pytest

from bot.engine import Engine


def test_a_body_the_material_only_names_is_said_to_have_no_contact(engine: Engine) -> None:
    reply = engine.answer("快速维权中心的电话是多少")
    assert reply.kind == "fallback"
    assert "快速维权中心" in reply.text and "未载明其联系方式" in reply.text
    assert reply.contacts


def test_a_matter_whose_passage_names_a_contact_gets_the_cards(engine: Engine) -> None:
    # The notice about the campaign names whom to report to: no "not stated" about it.
    reply = engine.answer("宣貫活動要報告給誰")
    assert "未载明" not in reply.text
    assert {c.id for c in reply.contacts} >= {"liu-yaqiang"}


def test_sending_material_or_meeting_someone_is_a_contact_question(engine: Engine) -> None:
    for question in ("活动照片整理好了该发给谁", "想当面请教谁比较合适"):
        reply = engine.answer(question)
        assert reply.intent == "contact" and reply.shown_contacts, question
    # Whom a document was issued to, or a prize given to, is no contact question.
    for question in ("国资委的通知转发给谁了", "专利奖的奖金发给谁"):
        assert engine.answer(question).intent != "contact", question


def test_taking_a_call_is_no_contact_question(engine: Engine) -> None:
    for message in ("等我一下，我先去接个电话", "我去接一下电话", "刚接了个电话"):
        reply = engine.answer(message)
        assert reply.intent != "contact" and not reply.shown_contacts, message
    assert engine.answer("保护处的电话是多少").intent == "contact"


def test_a_landline_or_someone_to_explain_is_a_contact_question(engine: Engine) -> None:
    for question in ("王国强的座机是这个号吗", "政策口径上谁能给我们解答一下"):
        reply = engine.answer(question)
        assert reply.intent == "contact" and reply.shown_contacts, question


def test_office_hours_the_material_does_not_give_are_said_so_on_the_card(
    engine: Engine,
) -> None:
    for question in ("王国强一般几点上班", "刘亚强的办公时间是几点到几点"):
        reply = engine.answer(question)
        assert reply.kind == "fallback" and reply.shown_contacts, question
        assert "未载明" in reply.text and "办公时间" in reply.text, question
    # 几点 counting points is still a list question.
    assert engine.answer("简要解读分几点").kind == "answer"


def test_explaining_a_topic_or_another_hotline_is_no_contact_question(engine: Engine) -> None:
    assert engine.answer("谁能给我解释一下技术调查官制度").entry == "interp-tech-investigator"
    assert engine.answer("12345热线号码是多少").intent != "contact"
    # How to reach the issuer is a contact question, not the list of documents.
    assert engine.answer("发文单位的联系人是谁").intent == "contact"


def test_the_campaigns_contact_is_no_missing_contact(engine: Engine) -> None:
    # The plan, the campaign's document, gives its contact: no "未载明其联系方式" about it.
    for question in ("宣贯活动的联系人是谁", "宣貫活動的聯繫人是誰"):
        reply = engine.answer(question)
        assert "未载明" not in reply.text and reply.shown_contacts, question
    assert "未载明其联系方式" in engine.answer("快速维权中心的电话是多少").text


def test_whom_a_matter_goes_to_is_said_before_the_cards(engine: Engine) -> None:
    # Both documents say where highlights go: the notice (省国资委) and the plan (政府和上级
    # 主管部门); each sentence is cited, then the cards of both.
    reply = engine.answer("亮点工作报给谁")
    assert reply.kind == "answer"
    assert "宣贯中的亮点工作或问题请及时与省国资委联系" in reply.text
    assert "有关工作亮点及时报送政府和上级主管部门" in reply.text
    assert reply.text.count("有关工作亮点及时报送政府和上级主管部门") == 1
    assert {c.id for c in reply.shown_contacts} == {"liu-yaqiang", "wang-guoqiang"}
    # A contact named by name, number or organisation: its card alone.
    for question in ("刘亚强电话", "国资委那边谁对接亮点工作"):
        reply = engine.answer(question)
        assert [c.id for c in reply.shown_contacts] == ["liu-yaqiang"], question
        assert "资料中的相关要求" not in reply.text, question


def test_a_line_of_a_kind_the_material_lacks_is_said_so_with_the_cards(engine: Engine) -> None:
    for question in (
        "举报电话是多少",
        "投诉热线多少",
        "专利被人抄了，有咨询电话没",
        "被人说侵权了该找谁维权",
        "企业被侵权了打哪个电话投诉",
        "市民想举报假冒专利找谁",
        "在电商平台上被卖假货侵权了找谁",
        # An infringement met, whoever is asked to take it (the campaign's contacts are not).
        "我们厂的产品被人仿冒了 该找哪个部门举报？有没有电话",
        "展会上发现别人侵权我们的商标 找谁处理",
        "居民做的手工艺品被网店抄袭了 能找谁",
        "我们公司的专利被别人在网上卖的产品侵权了，该找谁",
        "我们合作社的植物新品种被人偷着繁育了 找哪个部门",  # infringement without the word
    ):
        reply = engine.answer(question)
        assert reply.kind == "fallback" and reply.shown_contacts, question
        assert "未载明受理举报、投诉的部门或专门的举报、投诉、咨询电话" in reply.text, question
    # Any phone: the contacts are the answer; a campaign matter too.
    assert engine.answer("联系电话").kind == "answer"
    assert engine.answer("学校开展条例宣传有问题打谁电话").kind == "answer"


def test_a_body_no_contact_belongs_to_gets_no_other_bodys_card_as_answer(engine: Engine) -> None:
    for question, body in [
        ("省知识产权局电话多少", "省知识产权局"),
        (
            "邢台市知识产权战略实施领导小组办公室的电话是多少？",
            "邢台市知识产权战略实施领导小组办公室",
        ),
        # The province's market regulator is a contact's; a city's is not.
        ("石家庄市市场监管局电话", "石家庄市市场监管局"),
        ("邢台的市场监管局电话", "邢台的市场监管局"),
        ("石家庄市场监管局电话", "石家庄市场监管局"),
        ("麻烦告诉省司法厅电话", "省司法厅"),
        # An office-holder the material names no one as.
        ("省市场监管局局长的电话", "省市场监管局局长"),
    ]:
        reply = engine.answer(question)
        assert reply.kind == "fallback", question
        assert f"资料中未载明{body}的联系方式" in reply.text, question
        assert {c.id for c in reply.shown_contacts} == {"wang-guoqiang", "liu-yaqiang"}


def test_a_contacts_own_body_named_any_way_gets_the_card(engine: Engine) -> None:
    for question, contact in [
        ("省市场监管局的电话", "wang-guoqiang"),
        ("市场监管局保护处那位同志怎么称呼，电话给下", "wang-guoqiang"),
        ("宣贯遇到的问题国资委那边谁对接", "liu-yaqiang"),
        # The asker's own body, then the one asked about.
        ("市里领导小组落实方案时要咨询，知识产权保护处找哪位", "wang-guoqiang"),
        # A contact's organisation named beside the office that issued the plan: its contact.
        ("国资委转发了领导小组办公室的方案，宣贯中有问题找谁", "liu-yaqiang"),
        # 这边 after a contact's own body asks about it.
        ("省国资委这边找谁对接", "liu-yaqiang"),
        # The office issued the plan that names him as its contact.
        ("领导小组办公室印发的方案里，留的联系人是谁", "wang-guoqiang"),
        ("省知识产权战略实施工作领导小组办公室怎么联系", "wang-guoqiang"),
    ]:
        reply = engine.answer(question)
        assert reply.kind == "answer", question
        assert [c.id for c in reply.shown_contacts] == [contact], question


def test_the_askers_own_body_is_not_the_one_asked_about(engine: Engine) -> None:
    desk = engine.desk
    assert desk.unknown_body("我们是县市场监管局的,宣贯亮点报给谁") == ""
    assert desk.unknown_body("辛集市领导小组这边有疑问,打哪个电话问省里") == ""
    assert desk.unknown_body("承德市领导小组办公室的,省里谁能给解答") == ""
    # jieba reads 问省 as one word here, so the name shown is 司法厅.
    assert desk.unknown_body("我是邢台的,想问省司法厅的电话") == "司法厅"
    assert (
        desk.unknown_body("我这是定州市知识产权战略实施协调工作领导小组办公室,省里谁能解答") == ""
    )
    # Words that end like a body's name and name none.
    assert desk.unknown_body("宣贯工作要服务大局,有问题找谁") == ""
    assert desk.unknown_body("以企业为中心,有问题找谁") == ""
    reply = engine.answer("我们是县市场监管局的，宣贯亮点报给谁")
    assert "未载明" not in reply.text and reply.shown_contacts


def test_a_number_alone_names_whose_it_is(engine: Engine) -> None:
    for question in ("0311-67565891是谁的电话", "０３１１－６７５６５８９１这个号是哪个部门的"):
        reply = engine.answer(question)
        assert reply.kind == "answer", question
        assert [c.id for c in reply.shown_contacts] == ["wang-guoqiang"], question


def test_how_to_report_something_up_reaches_whom_to_report_to(engine: Engine) -> None:
    reply = engine.answer("宣贯中有亮点工作怎么上报")
    assert reply.intent == "contact" and reply.kind == "answer"
    assert "liu-yaqiang" in {c.id for c in reply.shown_contacts}
    assert "未载明具体办法" not in reply.text


def test_reporting_up_only_what_the_material_directs_is_a_contact_question(
    engine: Engine,
) -> None:
    for question in ("专利申请材料怎么报送", "条例怎样反映知识产权强省建设的要求"):
        assert engine.answer(question).intent != "contact", question
    assert engine.answer("宣贯遇到问题怎么反映").intent == "contact"


def test_a_matter_asked_by_the_document_giving_a_contact_gets_its_contact(
    engine: Engine,
) -> None:
    reply = engine.answer("进社区搞宣传想要点条例宣传材料，按方案该跟省里哪位联系？")
    assert "未载明" not in reply.text
    assert reply.shown_contacts[0].id == "wang-guoqiang"


@pytest.mark.parametrize(
    ("question", "given", "named"),
    [
        ("实施方案的联系人是刘亚强吗？", "wang-guoqiang", "liu-yaqiang"),
        ("省国资委的联系人是王国强吗", "liu-yaqiang", "wang-guoqiang"),
    ],
)
def test_a_person_named_against_another_s_contact_is_corrected(
    engine: Engine, question: str, given: str, named: str
) -> None:
    reply = engine.answer(question)
    assert reply.kind == "answer"
    assert [c.id for c in reply.shown_contacts] == [given, named]
    people = engine.kb.contacts
    assert f"联系人是{people[given].name}，不是{people[named].name}" in reply.text


def test_a_person_named_against_a_city_body_is_no_correction(engine: Engine) -> None:
    # The material gives no city body's contact: nothing to correct, only that.
    reply = engine.answer("邢台市市场监管局的联系人是刘亚强吗")
    assert reply.kind == "fallback" and "不是" not in reply.text
    assert "未载明邢台市市场监管局的联系方式" in reply.text


def test_a_person_named_with_their_own_organisation_is_their_card(engine: Engine) -> None:
    reply = engine.answer("国资委的刘亚强电话多少")
    assert [c.id for c in reply.shown_contacts] == ["liu-yaqiang"]
    assert "不是" not in reply.text


def test_a_department_below_the_province_has_no_contact_given(engine: Engine) -> None:
    reply = engine.answer("各市知识产权部门的联系人和电话列一下")
    assert reply.kind == "fallback"
    assert "未载明各市知识产权部门的联系方式" in reply.text
    assert reply.shown_contacts  # whom to ask instead


def test_a_contact_question_beside_another_answers_both(engine: Engine) -> None:
    reply = engine.answer("实施方案是谁印发的？联系人又是谁？")
    assert reply.kind == "answer"
    assert [c.id for c in reply.shown_contacts] == ["wang-guoqiang"]
    cited = [c.entry for c in reply.citations]
    assert cited[0] == "leading-group-notice-summary"  # in the order asked
    # What the other part asks is not asked of the card (no 刘亚强的具体日期).
    reply = engine.answer("条例啥时候施行？国资委联系人是谁？")
    assert "未载明" not in reply.text and "2023年11月1日" in reply.text
    assert [c.id for c in reply.shown_contacts] == ["liu-yaqiang"]


def test_a_self_introduction_is_no_second_question(engine: Engine) -> None:
    reply = engine.answer("我是高校老师，宣贯有问题找谁")
    assert all(b.type in ("note", "contacts") for b in reply.blocks)


@pytest.mark.parametrize(
    "question",
    [
        # Several asked for: every contact, not the one that fits best.
        "两个通知的联系人分别是谁",
        "两份通知的联系人都是谁",
        # An organisation and a document named: each one's contact.
        "国资委和方案的联系人分别是谁",
    ],
)
def test_several_contacts_asked_for_are_all_given(engine: Engine, question: str) -> None:
    reply = engine.answer(question)
    assert reply.kind == "answer"
    assert sorted(c.id for c in reply.shown_contacts) == ["liu-yaqiang", "wang-guoqiang"]


def test_a_document_named_as_where_to_look_names_no_contact(engine: Engine) -> None:
    # 方案里说…报给谁: what the plan directs (报送政府和上级主管部门) comes first.
    reply = engine.answer("方案里说宣贯工作的亮点要及时报给谁？")
    assert "报送政府和上级主管部门" in reply.text


def test_a_person_named_against_another_s_organisation_is_corrected_unasked(
    engine: Engine,
) -> None:
    # Asked as no contact question, the premise is corrected all the same.
    reply = engine.answer("王国强是国资委的吗")
    assert reply.kind == "answer" and "不是王国强" in reply.text
    assert {c.id for c in reply.shown_contacts} == {"liu-yaqiang", "wang-guoqiang"}
    assert engine.answer("王国强是哪个单位的").entry == "wang-guoqiang"


@pytest.mark.parametrize(
    "question",
    ["王国强的电话是0311-87902543吗", "王国强电话是87902543吗", "王国强邮箱是153627456@qq.com吗"],
)
def test_a_person_given_another_s_number_or_address_is_corrected(
    engine: Engine, question: str
) -> None:
    reply = engine.answer(question)
    assert reply.kind == "answer" and "是刘亚强的，不是王国强的" in reply.text, question
    assert {c.id for c in reply.shown_contacts} == {"liu-yaqiang", "wang-guoqiang"}
    assert "金额" not in reply.text  # the digits are no sum asked


def test_a_person_given_their_own_number_gets_their_card(engine: Engine) -> None:
    reply = engine.answer("王国强电话是0311-67565891吗")
    assert "不是" not in reply.text
    assert [c.id for c in reply.shown_contacts] == ["wang-guoqiang"]


@pytest.mark.parametrize(
    ("question", "missing"),
    [("联系电话每天几点到几点有人接听？", "办公时间"), ("保护处王处长的手机号给一下", "手机")],
)
def test_a_way_of_contact_no_card_gives_is_said_to_be_missing(
    engine: Engine, question: str, missing: str
) -> None:
    reply = engine.answer(question)
    assert f"未载明{missing}" in reply.text and reply.shown_contacts, question


def test_a_value_no_card_holds_is_said_before_the_person_s_card(engine: Engine) -> None:
    reply = engine.answer("刘亚强的邮箱是153627465@qq.com吗")
    assert reply.text.startswith("资料中没有“153627465@qq.com”")
    assert "153627456@qq.com" in reply.text  # the card's own address
    assert engine.answer("王国强的电话是0311-12345678对不对").text.startswith("资料中没有“0311-")
    # The card's own value, or the asker's own number beside a question, is no premise.
    assert not engine.answer("刘亚强的邮箱是153627456@qq.com吗").text.startswith("资料中没有")
    assert not engine.answer("我的电话是13812345678，王国强电话多少").text.startswith("资料中")
    assert not engine.answer("我的电话是13812345678，王国强电话是多少呢").text.startswith("资料中")


def test_whom_to_report_to_is_no_channel_the_material_gives(engine: Engine) -> None:
    reply = engine.answer("发现侵权找谁举报")
    assert reply.text.startswith("资料中未载明受理举报、投诉的部门或专门的举报、投诉、咨询电话")
    assert reply.shown_contacts  # whom to ask instead, not as the channel
    assert "宣贯活动文件所列的联系人" in reply.text
    # One card: the note does not make the campaign's contact a complaint line.
    card = engine.answer("王国强的投诉电话是多少")
    assert card.kind == "fallback" and "宣贯活动文件所列的联系人" in card.text
    assert "可通过以上电话联系" not in card.text


def test_a_person_said_to_be_of_a_body_no_contact_is_of_is_corrected(engine: Engine) -> None:
    lead = "资料中王国强的单位写作“省市场监管局知识产权保护处”"
    for question in ("联系人王国强是省知识产权局的吧", "王国强是省市场监督管理局的吗"):
        reply = engine.answer(question)  # the unit as written, denying nothing
        assert reply.text.startswith(lead), question
        assert [c.id for c in reply.shown_contacts] == ["wang-guoqiang"]
    # A body that issued only another's document: whose unit is what.
    office = engine.answer("刘亚强是领导小组办公室的吧")
    assert office.text.startswith("资料中刘亚强的单位写作")
    # Their own body, asked or checked, gets the card with no note.
    assert not engine.answer("王国强是不是市场监管局的").text.startswith("资料中")
    # Asked, not checked: no premise to correct.
    assert not engine.answer("王国强和省知识产权局什么关系").text.startswith("资料中")


def test_a_card_of_several_lacking_what_was_asked_says_so(engine: Engine) -> None:
    reply = engine.answer("王国强、刘亚强邮箱多少")
    assert reply.text.startswith("资料中未载明王国强的邮箱。")
    assert [c.id for c in reply.shown_contacts] == ["wang-guoqiang", "liu-yaqiang"]


def test_a_direction_that_is_someone_s_duty_says_whose(engine: Engine) -> None:
    reply = engine.answer("社区搞宣贯有亮点的话报给谁？给个电话")
    listed = next(b for b in reply.blocks if b.type == "list")
    lines = {i.citation.entry: i.text for i in listed.items}
    assert lines["duty-sasac-enterprises"].endswith("（此项是对省国资委监管企业的要求）")
    assert "要求）" not in lines["plan-req-summary"]  # the plan's own requirement, of all


def test_a_contact_for_others_than_the_asker_names_is_not_first(engine: Engine) -> None:
    # 刘亚强 is the SASAC notice's contact, for the enterprises it addresses.
    school = engine.answer("我们学校想请专家来讲条例，找谁联系")
    assert school.shown_contacts[0].id == engine.kb.default_contact
    enterprise = engine.answer("我们省国资委监管企业宣贯中遇到问题该找谁")
    assert enterprise.shown_contacts[0].id == "liu-yaqiang"


def test_several_people_named_get_each_card_in_the_order_named(engine: Engine) -> None:
    for question in ("王国强和刘亚强是哪个单位的", "王国强、刘亚强电话多少"):
        reply = engine.answer(question)
        assert [c.id for c in reply.shown_contacts] == ["wang-guoqiang", "liu-yaqiang"], question


def test_whom_at_a_body_to_contact_is_a_contact_question(engine: Engine) -> None:
    for question in ("我们国企宣贯中有问题联系国资委哪位", "国资委那边联系哪位"):
        reply = engine.answer(question)
        assert reply.intent == "contact" and reply.shown_contacts[0].id == "liu-yaqiang", question


def test_being_in_touch_with_someone_is_no_contact_question(engine: Engine) -> None:
    assert engine.answer("加强与京津联系的是什么人").intent != "contact"


def test_a_post_or_its_holder_is_not_stated_and_said_of_whom_was_named(engine: Engine) -> None:
    post = engine.answer("王国强是什么职务")
    assert post.kind == "fallback" and "资料中未载明王国强的职务" in post.text
    assert "资料中未载明刘亚强的职务" in engine.answer("刘亚强是不是处长").text
    # Who holds a post at his body: not stated, and not said of him.
    holder = engine.answer("省市场监管局局长是谁")
    assert holder.kind == "fallback" and "资料中未载明具体人选" in holder.text
    assert "王国强的" not in holder.text and holder.shown_contacts
    assert "未载明具体人选" in engine.answer("省知识产权战略实施工作领导小组组长是谁").text


def test_a_rank_or_a_role_asked_of_a_thing_is_no_post(engine: Engine) -> None:
    for question in ("专利奖是什么级别的奖", "约谈对象是负责人吗"):
        assert "未载明职务" not in engine.answer(question).text, question


def test_a_dispute_or_a_remedy_asked_is_no_complaint_line(engine: Engine) -> None:
    assert "举报、投诉" not in engine.answer("侵权纠纷去哪解决").text
    line = engine.answer("知识产权维权援助电话是多少")
    assert "专门的举报、投诉、咨询电话" in line.text and "王国强的" not in line.text


def test_a_phone_asked_after_whom_to_complain_to_keeps_the_no_line_note(engine: Engine) -> None:
    reply = engine.answer("电话多少", "那我被人侵权了可以去哪投诉")
    assert reply.read_as and "未载明受理举报、投诉的部门或专门的举报、投诉、咨询电话" in reply.text
    assert reply.shown_contacts


def test_the_asker_s_own_post_after_the_kind_of_their_unit_is_not_asked_after(
    engine: Engine,
) -> None:
    reply = engine.answer("我是国企办公室主任，宣贯中遇到问题应该找谁")
    assert "未载明办公室主任" not in reply.text
    assert [c.id for c in reply.shown_contacts][:1] == ["liu-yaqiang"]
    # Asking on the way is no unit of one's own: the body asked after is not given.
    assert engine.answer("我是想问省司法厅的电话").text.startswith("资料中未载明司法厅的联系方式")


def test_a_press_contact_asked_is_said_not_given_with_the_campaign_s_cards(
    engine: Engine,
) -> None:
    reply = engine.answer("我是记者，想采访条例宣贯的情况，该联系谁")
    assert reply.text.startswith("资料中未载明媒体采访的联系人")
    assert {c.id for c in reply.shown_contacts} == {"wang-guoqiang", "liu-yaqiang"}
    # A report of one's own publicity is the campaign's matter: no such note.
    reply = engine.answer("我们单位宣传报道做得好，想报亮点找谁")
    assert "媒体采访" not in reply.text and reply.shown_contacts


def test_a_body_asked_after_on_the_asker_s_behalf_is_not_theirs(engine: Engine) -> None:
    for question in ("我咨询省知识产权局的电话是多少", "我急需省司法厅的联系方式"):
        assert engine.answer(question).text.startswith("资料中未载明省"), question


def test_what_the_asker_says_they_are_not_is_not_whose_card_they_get(engine: Engine) -> None:
    # Not a state enterprise: the SASAC contact (for its enterprises) is not theirs alone.
    reply = engine.answer("我们不是国企，联系人是谁")
    assert reply.shown_contacts and reply.shown_contacts[0].id == "wang-guoqiang"
    then = engine.answer("那联系人是谁", "我是市直单位不是国企")
    assert then.shown_contacts and then.shown_contacts[0].id == "wang-guoqiang"
    # Said to be one, the SASAC contact's card.
    assert [c.id for c in engine.answer("我们是国企，联系人是谁").shown_contacts] == ["liu-yaqiang"]
    # Not under the SASAC, said another way.
    reply = engine.answer("我们是民营公司，不归国资委管，宣贯上的事联系谁")
    assert reply.shown_contacts and reply.shown_contacts[0].id == "wang-guoqiang"


def test_an_asker_of_a_kind_no_contact_is_for_gets_the_plan_s_contact(engine: Engine) -> None:
    # The SASAC notice is addressed to 省国资委监管企业: a college, a city office or a private
    # firm asking whom to contact gets the plan's contact, not the SASAC's beside it.
    for question in (
        "我是高职院校的，学校搞条例宣贯遇到问题该联系谁",
        "我是市直单位的，本系统宣贯有问题找谁",
        "我们是民营电商公司 不归国资委管，宣贯上有问题找哪个部门哪个人",
        "我一个個體戶 想了解下条例 找谁问",  # said without 是
    ):
        assert [c.id for c in engine.answer(question).shown_contacts] == ["wang-guoqiang"]
    # Not under the SASAC, said of a factory (我们厂不是国企): the plan's contact first.
    reply = engine.answer("我们厂不是国企，宣贯有问题找谁")
    assert reply.shown_contacts[0].id == "wang-guoqiang"
    # Asking after the SASAC's contact by name, not being a state enterprise: whose contact he
    # is and whom that notice is addressed to, the plan's contact first.
    named = engine.answer("我们厂不是国企，能联系刘亚强吗")
    assert "该通知主送“省国资委监管企业”" in named.text
    assert [c.id for c in named.shown_contacts] == ["wang-guoqiang", "liu-yaqiang"]
    # A state enterprise asking after him gets his card alone.
    assert "主送" not in engine.answer("我们是省属国企，能找刘亚强吗").text
    # 给我一个 says what they want, not what they are: both cards still.
    reply = engine.answer("国资委的邮箱跟市场监管局保护处的电话，各给我一个就行")
    assert {c.id for c in reply.shown_contacts} == {"wang-guoqiang", "liu-yaqiang"}
    # A state enterprise still gets the SASAC's; one saying nothing of itself, both.
    assert [c.id for c in engine.answer("我是省属国企的 宣贯有问题找谁").shown_contacts] == [
        "liu-yaqiang"
    ]
    assert len(engine.answer("宣贯有问题找谁").shown_contacts) == 2
