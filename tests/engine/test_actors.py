"""Who did something, as a question says it against the passage (bot/engine/actors.py)."""

from __future__ import annotations

import re

from bot.engine import Engine
from bot.engine.actors import doerless, unacted
from bot.engine.premise_words import Deeds

DEEDS = Deeds(kin=(("设立", "设", "建立"), ("审议通过", "通过")), not_first=frozenset({"通过"}))


def test_a_deed_is_done_by_any_of_its_words_but_not_a_preposition() -> None:
    assert DEEDS.at("设", "规定省政府设立专利奖") == 5
    assert DEEDS.at("设", "建立技术调查官制度") == 0  # 建立 does what 设 asks
    assert DEEDS.at("设", "加强服务体系建设") == -1  # 设 alone is no deed in a passage
    assert DEEDS.at("通过", "通过全面学习宣传贯彻") == -1  # by means of
    assert DEEDS.at("通过", "已经…会议审议通过") > 0


def _words(text: str) -> list[str]:
    """Words as the engine gives them for this test: the canonical body, no province."""
    canon = {"人民代表大会常务委员会": "人大常委会", "河北省": ""}
    pieces = re.findall(
        r"人民代表大会常务委员会|十四届|人大常委会|第\d+次|第[五四]次|会议|河北省|"
        r"省政府|市政府|国家|国务院|省|[\u4e00-\u9fff]",
        text,
    )
    return [canon.get(p, p) for p in pieces if canon.get(p, p)]


def test_a_body_the_passage_does_not_name_for_the_deed_is_found() -> None:
    passage = "鼓励设立知识产权基金，规定省政府设立专利奖，对专利给予奖励。"
    subject = ["专利奖"]
    names = Deeds(kin=DEEDS.kin, not_first=DEEDS.not_first, not_names=re.compile("^(咱|本)|里$"))
    assert unacted("国家", "设立", passage, subject, names, _words) == "规定省政府设立专利奖"
    assert unacted("市政府", "设立", passage, subject, names, _words) == "规定省政府设立专利奖"
    # The asker's own words around 省 are no part of the name; nor is the province.
    assert unacted("咱省里", "设立", passage, subject, names, _words) == ""
    assert unacted("河北省政府", "设立", passage, subject, names, _words) == ""
    assert unacted("国家", "颁布", passage, subject, names, _words) == ""  # no such deed
    adopted = "《条例》已经河北省十四届人大常委会第五次会议于2023年9月21日审议通过并公开发布"
    # Another name of the same body, or a number written either way: the same.
    for same in ("省人大常委会第五次会议", "人民代表大会常务委员会", "人大常委会第5次会议"):
        assert unacted(same, "通过", adopted, ["条例"], names, _words) == "", same
    assert unacted("人大常委会第四次会议", "通过", adopted, ["条例"], names, _words) == adopted
    # First in its clause, 通过 is a preposition: nothing was adopted by anyone there.
    assert unacted("国务院", "通过", "通过全面学习宣传贯彻《条例》", ["条例"], names, _words) == ""
    # A clause doing the deed to another thing says nothing of this one (交易平台).
    platform = "鼓励高校和企业联合建立科技成果转化平台。"
    assert unacted("省政府", "建立", platform, ["交易", "平台"], names, _words) == ""


def test_a_deed_with_no_doer_before_it_is_found() -> None:
    doers = re.compile("(政府|部门|委员会|办公室)")
    passage = "鼓励设立知识产权基金，规定省政府设立专利奖。"
    fund = ["知识产权", "基金"]
    assert doerless("设立", passage, [passage], fund, doers, DEEDS) == "鼓励设立知识产权基金"
    assert doerless("设立", passage, [passage], ["专利奖"], doers, DEEDS) == ""  # 省政府 did
    # No passage does the deed at all: what the passage says of the subject, not stated.
    assert doerless("出资", passage, [passage], fund, doers, DEEDS) == "鼓励设立知识产权基金"
    # Another passage of the material saying who did it: stated.
    made = "办公室制定了《实施方案》。"
    plan = "按照相关立法要求，特制定《实施方案》。"
    kin = Deeds(kin=(("制定", "出台"),))
    assert doerless("制定", plan, [plan], ["实施方案"], doers, kin) == "特制定《实施方案》"
    assert doerless("制定", plan, [plan, made], ["实施方案"], doers, kin) == ""
    # First in its clause, the doer is the document's own, left out: said, too.
    assert doerless("制定", plan, [plan, "制定了《实施方案》"], ["实施方案"], doers, kin) == ""


def test_a_deed_opening_a_clause_is_its_issuer_s_only_in_an_issued_document() -> None:
    passage = "提升司法保护效能，建立技术调查官制度。"
    doers = re.compile("政府|部门")
    subject = ["技术调查官制度"]
    assert doerless("设立", passage, [passage], subject, doers, DEEDS) == ""  # every one issued
    found = doerless("设立", passage, [passage], subject, doers, DEEDS, frozenset())
    assert found == "建立技术调查官制度"


def test_a_claim_said_body_first_is_checked(engine: Engine) -> None:
    # The passage names no doer of the fund: what it says, without a 不对 it cannot say.
    fund = engine.answer("条例规定省政府设立知识产权基金，对吧")
    assert fund.text.startswith("资料中说的是“鼓励设立知识产权基金”，没有提到“省政府”")
    # It names another of the award: 不对.
    assert engine.answer("国家设立专利奖是不是").text.startswith("不对。")
    # True of the passage: no note but the plain yes.
    for question in (
        "省政府设立专利奖，对吧",
        "人大常委会通过条例，对吧",
        "专利奖是省政府设立的，对吧",
    ):
        reply = engine.answer(question)
        assert "没有提到" not in reply.text and reply.text.startswith("对。\n"), question


def test_a_day_claimed_for_a_deed_picks_the_one_suggestion_saying_it(engine: Engine) -> None:
    # 9月28日 is a day of the material (the schedule's start), not the law's taking effect:
    # the menu's one passage saying 施行 with a day answers, saying what it says.
    reply = engine.answer("条例是9月28日施行的吧")
    assert reply.kind == "answer" and reply.entry == "regulation-effective"
    assert reply.text.startswith("不对。资料中说的是“自2023年11月1日起施行”")


def test_a_body_said_to_hold_the_talk_is_checked(engine: Engine) -> None:
    reply = engine.answer("高校专利转化不力的，是由法院约谈学校负责人对吧")
    assert reply.text.startswith("不对。资料中说的是“由知识产权管理部门或者其主管部门")
    assert "没有提到“法院”" in reply.text


def test_a_law_said_to_be_brought_out_by_another_body_is_checked(engine: Engine) -> None:
    # 出台 is issuing: the passage says the congress's standing committee adopted and
    # published it.
    reply = engine.answer("这个条例是省政府出台的政府规章吧")
    assert reply.entry == "regulation-adoption"
    assert "审议通过并公开发布”，没有提到“省政府”" in reply.text


def test_a_claimed_adopter_with_a_noun_after_the_deed_is_checked(engine: Engine) -> None:
    # 政府规章 after the deed drew a menu of 政府 passages; the claim up to its deed finds
    # the adoption passage, which names another body.
    reply = engine.answer("这个条例是省政府常务会议通过的政府规章吧？")
    assert reply.kind == "answer" and reply.entry == "regulation-adoption"
    assert reply.text.startswith("不对。资料中说的是") and "没有提到“省政府常务会议”" in reply.text
