"""A count claimed of a list: the list, led by the count the material gives and a plain yes
or no (bot/engine/list_count.py)."""

from __future__ import annotations

from bot.engine.core import Engine
from bot.engine.reply import ItemList


def _items(reply) -> int:  # type: ignore[no-untyped-def]
    return sum(len(b.items) for b in reply.blocks if isinstance(b, ItemList))


def test_a_count_claimed_of_a_list_is_checked_against_its_items(engine: Engine) -> None:
    right = engine.answer("工作重点是三条吗")
    assert right.kind == "answer" and right.entry == "plan-focus" and _items(right) == 3
    assert right.text.startswith("是的。资料中列出的共三项：")
    wrong = engine.answer("工作重点一共四条吧")
    assert wrong.entry == "plan-focus"
    assert wrong.text.startswith("不对。资料中列出的共三项，不是四条：")
    points = engine.answer("简要解读里讲了五个方面的重点吧")
    assert points.text.startswith("不对。资料中列出的共六项，不是五个方面") and _items(points) == 6
    # A question mark makes a claim too; its note says the count, without a yes it cannot
    # read from an ending.
    also = engine.answer("有关要求也是三条？")
    assert also.entry == "plan-requirements" and also.text.startswith("资料中列出的共三项：")


def test_a_count_in_a_question_or_an_ordinal_is_no_claim(engine: Engine) -> None:
    # Asking what the three are, an article by its number, a list not found: no count note.
    assert "列出的共" not in engine.answer("三个工作重点是什么").text
    assert "列出的共" not in engine.answer("第三条是什么？").text
    assert "列出的共" not in engine.answer("宣传形式有5种吗").text
