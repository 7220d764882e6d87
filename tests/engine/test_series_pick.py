"""A list question's 、-series pulled out of its passage (bot/engine/series_pick.py)."""

from __future__ import annotations

from bot.engine.core import Engine
from bot.engine.reply import ItemList, Reply
from bot.engine.series_pick import _series

LEADS = ("并通过", "综合运用", "通过", "推动", "建立")


def _items(reply: Reply) -> list[str]:
    return [i.text for b in reply.blocks if isinstance(b, ItemList) for i in b.items]


def test_the_series_asked_for_is_the_answer_s_list(engine: Engine) -> None:
    channels = engine.answer("这个条例宣传都通过啥渠道搞的 报纸电视之外还有啥？")
    assert _items(channels) == ["报纸", "电视", "官方网站", "微信公众号", "宣传栏"]
    # 等 closes it in the material: said to be examples, each item cited to its passage.
    assert engine.intents.response("series_some") in channels.text
    lists = [b for b in channels.blocks if isinstance(b, ItemList)]
    assert {i.citation.entry for i in lists[0].items} == {"plan-focus-publicity"}
    assert "等多种形式" in channels.text  # the sentence it is in, as written
    policies = engine.answer("政府用哪些政策来鼓励知识产权培育创造的，全说说")
    assert _items(policies) == ["财政", "税收", "金融", "产业", "科技", "人才"]
    # The kind named after 等 (…等知识产权公共服务机构建设), or the one every item is of.
    bodies = engine.answer("条例要加强建设的知识产权公共服务机构有哪几类？")
    assert _items(bodies) == ["知识产权保护中心", "快速维权中心", "信息服务机构"]
    kinds = engine.answer("要重点加强哪几种技术的知识产权创造和储备呀")
    assert _items(kinds) == ["原创性技术", "引领性技术", "关键核心技术"]
    mood = engine.answer("方案要营造一个什么样的社会氛围")
    assert _items(mood) == ["尊重知识", "崇尚创新", "诚信守法", "公平竞争"]
    assert engine.intents.response("series_all") in mood.text


def test_a_counted_name_picks_the_series_it_spells(engine: Engine) -> None:
    # Two series of five in one passage: 五进's items each hold 进.
    for question in ("听说条例要搞什么五进 是进哪五个地方啊", "五进是哪五进"):
        assert _items(engine.answer(question))[0] == "进企业", question


def test_no_series_where_none_is_asked_for(engine: Engine) -> None:
    for question in (
        "知识产权主管部门和管理部门分别管什么",  # what each does, not who else
        "我们办展会 条例要求展会主办方必须设投诉站吗？要配几个人",
        "條例裡除了行政保護，還講了哪幾種保護？",  # 保护 only modifies 保护责任 there
    ):
        assert engine.intents.response("series_all") not in engine.answer(question).text
        assert engine.intents.response("series_some") not in engine.answer(question).text


def test_a_series_is_read_without_its_clause_s_words() -> None:
    items, before, after = _series("通过报纸、电视、官方网站等多种形式", LEADS) or ((), "", "")
    assert items == ("报纸", "电视", "官方网站") and before == "通过" and after == "等多种形式"
    items, _, after = _series("推动《条例》进企业、进学校、进社区", LEADS) or ((), "", "")
    assert items == ("进企业", "进学校", "进社区") and after == ""
    items, _, after = _series("营造尊重知识、崇尚创新、公平竞争的社会氛围", ("营造",)) or (
        (),
        "",
        "",
    )
    assert items == ("尊重知识", "崇尚创新", "公平竞争") and after == "的社会氛围"
    # All after 等 is what the series is of; an edge item still holding its clause is none.
    found = _series("聚焦打击侵权、经费保障等创新性、引领性条款", ("聚焦",))
    assert found is not None and found[2] == "等创新性、引领性条款"
    assert _series("同时也对知识产权服务机构和展会、专业市场、电子商务平台等相关方", LEADS) is None
    assert _series("报纸、电视", LEADS) is None  # two, not closed by 等


def test_a_series_claimed_whole_is_confirmed_and_one_with_more_is_not(engine: Engine) -> None:
    right = engine.answer("社会氛围是尊重知识、崇尚创新、诚信守法、公平竞争，对吗")
    assert right.text.startswith("对。") and _items(right)[-1] == "公平竞争"
    five = engine.answer("五进是进企业、进学校、进社区、进单位、进市场吧")
    assert five.text.startswith("对。")
    # One item more than the material lists: no yes.
    more = engine.answer("社会氛围是尊重知识、崇尚创新、诚信守法、公平竞争、开放合作，对吗")
    assert not more.text.startswith("对。")
