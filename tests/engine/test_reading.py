"""A follow-up read with the previous question by words alone (bot/engine/reading.py)."""

from __future__ import annotations

import re

import pytest

from bot.engine import Engine
from bot.engine.reading import Previous, read_with

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
        solid=lambda t: t in ("技术调查官制度", "高校"),
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
        # Another thing asked of a topic that names a thing: of the topic; of one that names
        # none (宣贯中遇到问题): after the whole question.
        ("技术调查官制度是干啥的", "谁来设立", "技术调查官制度谁来设立", True),
        ("宣贯中遇到问题怎么办", "找谁", "宣贯中遇到问题怎么办，找谁", True),
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


def test_a_pronoun_after_a_question_naming_nothing_stands_for_nothing(engine: Engine) -> None:
    reply = engine.answer("那它一共多少条", "是谁通过的")
    assert reply.read_as is None and "六十八条" in reply.text
    assert engine.answer("它有几章", "条例什么时候施行").read_as == "条例有几章"
