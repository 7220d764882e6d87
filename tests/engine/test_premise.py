"""A day the question states that no passage holds (bot/engine/premise.py)."""

from __future__ import annotations

from bot.engine import Engine
from bot.engine.premise import unheld_day, unlisted


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


def test_an_item_the_series_does_not_list_is_said_before_the_answer(engine: Engine) -> None:
    note = engine.intents.response("item_not_listed").split("“")[0]
    for question, things in (
        ("五进包括进农村吗", "进农村"),
        ("五进里面有进农村和进机关吧？", "进农村”“进机关"),
        ("五进有没有进乡村", "进乡村"),
    ):
        reply = engine.answer(question)
        assert reply.kind == "answer" and reply.entry == "plan-focus-publicity", question
        assert reply.blocks[0].type == "note" and reply.text.startswith(note), question
        assert f"“{things}”" in reply.text.splitlines()[0], question
    # An item the series lists, a word naming nothing (别的) or a list asked for: no note.
    for question in ("五进包括进学校吗", "五进要进一步落实吗", "还要进别的地方，都是哪几个"):
        assert not engine.answer(question).text.startswith(note), question


def test_unlisted_reads_only_the_series_form() -> None:
    passage = "推动《条例》进企业、进学校、进社区、进单位、进市场，增加针对性。"
    assert unlisted(["五进", "包括", "进", "农村", "吗"], passage) == ["进农村"]
    assert unlisted(["五进", "有进", "农村"], passage) == ["进农村"]
    assert unlisted(["五进", "包括", "进", "学校", "吗"], passage) == []
    assert unlisted(["推进", "农村"], passage) == []  # 推进 is no 进 of the series
    assert unlisted(["进", "农村"], "通过报纸、电视、宣传栏等形式。") == []  # no shared start
