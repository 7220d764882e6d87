"""A day the question states that no passage holds (bot/engine/premise.py)."""

from __future__ import annotations

from bot.engine import Engine
from bot.engine.premise import unheld_day


def test_a_day_the_passage_does_not_give_is_found() -> None:
    passage = "2023年9月28日至10月31日。"
    assert unheld_day("是11月5号结束吗", passage) == "11月5号"
    assert unheld_day("10月15号还在搞吗", passage) == ""  # within the span it gives
    assert unheld_day("是2023年10月31日结束吗", passage) == ""
    assert unheld_day("2022年9月28日开始的吗", passage) == "2022年9月28日"
    assert unheld_day("是11月5号结束吗", "及时总结工作。") == ""  # it gives no day


def test_a_day_no_passage_holds_is_said_before_the_answer(engine: Engine) -> None:
    note = engine.intents.response("day_not_held").split("“")[0]
    for question in ("条例是2023年10月1日起施行的吧？", "宣贯活动11月5号结束吗"):
        reply = engine.answer(question)
        assert reply.kind == "answer" and reply.text.startswith(note), question
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
