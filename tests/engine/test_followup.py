"""Follow-ups (那高校呢, 具体咋做) read with the asker's previous question."""

from __future__ import annotations

import pytest

from bot.engine import Engine
from bot.engine.followup import FollowUps, read_follow_ups, read_with

NAMES = ["企业", "高校", "高等学校科研机构", "国资委", "市场监管局"]


@pytest.mark.parametrize(
    ("previous", "rest", "reading"),
    [
        # The thing named alone takes the place of the previous one's.
        ("企业有什么职责", "高校", "高校有什么职责"),
        ("企业有什么职责", "高校的", "高校有什么职责"),
        ("国资委的联系人是谁", "市场监管局", "市场监管局的联系人是谁"),
        # Nothing named: the words are added; none left, the previous question again.
        ("领导干部怎么学条例", "具体咋做", "领导干部怎么学条例，具体咋做"),
        ("宣传有哪些形式？", "", "宣传有哪些形式？"),
        # A thing named with a question of its own stands alone.
        ("企业有什么职责", "高校要做什么", ""),
    ],
)
def test_a_follow_up_read_with_the_previous_question(
    previous: str, rest: str, reading: str
) -> None:
    assert read_with(previous, rest, NAMES) == reading


def test_what_marks_a_follow_up_is_data() -> None:
    problems: list = []
    raw = {"cues": ["^那", "呢$", "(["], "strip": "^那|呢$", "max_chars": 6}
    follow = read_follow_ups(raw, "rules.yaml", 3, problems)
    assert len(problems) == 1 and "bad regex" in problems[0].message
    assert follow.follows("那高校呢") and follow.rest("那高校呢") == "高校"
    assert not follow.follows("那个条例到底什么时候施行呢")  # too long: its own question
    assert not follow.follows("条例什么时候施行")
    assert not FollowUps().follows("那高校呢")  # no cues, no follow-ups
    read_follow_ups("cues", "rules.yaml", 1, problems)
    read_follow_ups({"max_chars": -1}, "rules.yaml", 1, problems)
    assert len(problems) == 3


def test_a_follow_up_is_answered_as_read_and_says_so(engine: Engine) -> None:
    reply = engine.answer("那高校呢", previous="企业有什么职责")
    assert reply.entry == "duty-universities" and reply.read_as == "高校有什么职责"
    assert reply.blocks[0].type == "note" and "高校有什么职责" in reply.blocks[0].text
    assert reply.question == "那高校呢"
    reply = engine.answer("那市场监管局呢", previous="国资委的联系人是谁")
    assert [c.id for c in reply.shown_contacts] == ["wang-guoqiang"]
    reply = engine.answer("具体咋做", previous="领导干部怎么学条例")
    assert reply.kind == "answer" and reply.read_as == "领导干部怎么学条例，具体咋做"


def test_a_question_of_its_own_is_answered_as_asked(engine: Engine) -> None:
    alone = engine.answer("条例几章几条")
    reply = engine.answer("条例几章几条", previous="企业有什么职责")
    assert reply.read_as is None and reply.text == alone.text
    # Small talk stays small talk; no previous question, nothing read with it.
    assert engine.answer("谢谢呢", previous="企业有什么职责").kind == "smalltalk"
    assert engine.answer("那高校呢", previous=None).read_as is None
    assert engine.answer("那高校呢", previous="").read_as is None
    assert engine.answer("那高校呢", previous="条例" * 300).read_as is None
