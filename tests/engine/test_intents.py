"""Intent rules: each rule of intents/rules.yaml routes its typical question; broken files say where."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.engine.intents import REQUIRED_RESPONSES, IntentSet, Rule, Scope, collect_intents
from bot.engine.normalize import clean
from bot.knowledge.problems import Problem

REPO = Path(__file__).resolve().parents[2]

# rule name -> (typical question, expected slots); questions avoid law names on purpose:
# a question naming a law (条例) may be taken by an earlier rule that checks the jurisdiction.
TYPICAL: dict[str, list[tuple[str, dict[str, str]]]] = {
    "greeting": [("你好", {}), ("您好，在吗", {}), ("Hello", {})],
    "introduction": [("您好，我是沧州市监局的小赵", {}), ("我是保护处的王老师", {})],
    "thanks": [("谢谢", {}), ("多谢你的解答", {}), ("谢谢？", {}), ("非常感谢！", {})],
    "clock": [("今天几号", {}), ("再问下现在几点了", {})],
    "official": [("你们这是官方的吗", {}), ("你代表政府吗", {}), ("你是省政府官方的吗", {})],
    "addressees": [("通知主送哪些单位", {}), ("文件发给了哪些单位", {})],
    "signature": [("通知的落款是哪天", {})],
    "disclosure": [("信息公开类型是什么", {})],
    "cannot_do": [
        ("帮我写一篇宣传稿", {}),
        ("把方案翻译成英文", {}),
        ("打印出来寄给我", {}),
        ("帮我查下商标注册进度", {}),
        ("帮我写一篇3000字的条例学习心得，明天交", {}),
        ("帮我看看怎么绕开竞争对手的专利，教我钻空子", {}),
    ],
    "acknowledge": [("好的", {}), ("嗯嗯好的", {}), ("ok", {}), ("好吧好吧", {})],
    "praise": [("你真棒", {}), ("回答得很清楚", {}), ("点赞", {})],
    "laugh": [("哈哈哈", {}), ("嘿嘿", {})],
    "goodbye": [("再见", {}), ("拜拜", {})],
    "help": [("你能做什么", {}), ("帮助", {}), ("有哪些功能", {})],
    "article": [
        ("第五条", {"n": "5"}),
        ("第六十八条", {"n": "68"}),
        ("第５条讲了什么", {"n": "5"}),
        ("第五條", {"n": "5"}),
    ],
    "chapter": [
        ("第三章", {"n": "3"}),
        ("第三章讲什么", {"n": "3"}),
        ("最后一章", {"last": "最后一章"}),
        ("末章是什么", {"last": "末章"}),
    ],
    "out_of_scope": [("天气", {}), ("今天天气怎么样", {}), ("讲个笑话", {})],
    "other_jurisdiction": [("北京的专利条例", {})],
    "sources": [
        ("资料来源", {}),
        ("你的答案来源是什么", {}),
        ("依据哪些材料", {}),
        ("你的资料是从哪来的 靠谱吗", {}),
    ],
    "issuers": [
        ("谁制定的实施方案", {}),
        ("通知是哪个单位发的", {}),
        ("这个宣贯方案到底是谁制定的啊", {}),
        ("方案是省市场监管局发的吧", {}),
    ],
    "attachments": [("方案的附件是什么", {}), ("两份通知各带几个附件", {})],
    "law_text": [("条例全文", {}), ("把条例的原文发我", {})],
    "issue_dates": [("两个通知各是哪天发的", {}), ("这几个文件分别是什么时候印发的", {})],
    "contact": [
        ("联系人电话", {}),
        ("找谁咨询", {}),
        ("向谁报告", {}),
        ("有亮点往哪报", {}),
        ("我是私企的，想咨询宣贯的事儿找哪个部门啊", {}),
        ("谁负责联系", {}),
        ("0311-67565891是哪个部门", {}),
    ],
    "duty": [("谁负责", {}), ("哪个部门管", {}), ("高校有什么责任", {})],
    "date": [("什么时候", {}), ("宣贯活动什么时候开始", {})],
    "structure": [("有几章", {}), ("一共多少条", {})],
}


@pytest.fixture(scope="module")
def intents() -> IntentSet:
    intent_set, problems = collect_intents(REPO / "intents")
    assert problems == []
    return intent_set


def test_seed_intents_have_no_problems() -> None:
    _, problems = collect_intents(REPO / "intents")
    assert problems == []


def test_every_rule_has_a_typical_question(intents: IntentSet) -> None:
    """A new rule needs a routing case here, so its typical question stays pinned."""
    names = {rule.name for rule in intents.rules}
    assert names - set(TYPICAL) == set(), "add typical questions for these rules"


@pytest.mark.parametrize(
    ("rule", "question", "slots"),
    [(rule, q, slots) for rule, cases in TYPICAL.items() for q, slots in cases],
)
def test_rule_routes_its_typical_question(
    intents: IntentSet, rule: str, question: str, slots: dict[str, str]
) -> None:
    if rule not in {r.name for r in intents.rules}:
        pytest.skip(f"rule {rule!r} is not in intents/rules.yaml")
    intent = intents.route(clean(question))
    assert intent is not None, question
    assert intent.name == rule
    assert intent.slots == slots


@pytest.mark.parametrize("question", ["宣传月有哪些形式", "高校", "知识产权", "😀"])
def test_plain_questions_are_left_to_retrieval(intents: IntentSet, question: str) -> None:
    assert intents.route(clean(question)) is None


def test_required_responses_present(intents: IntentSet) -> None:
    for key in (*REQUIRED_RESPONSES, "clarify", "greeting", "thanks"):
        assert intents.response(key), key
    assert "{limit}" in intents.response("too_long")
    assert intents.response("no-such-key") == ""


def test_max_length_limits_smalltalk(intents: IntentSet) -> None:
    long_thanks = "谢谢" + "，请问宣传月都有哪些形式呢" * 2
    intent = intents.route(clean(long_thanks))
    assert intent is None or intent.name != "thanks"


def test_matches_lists_every_matching_rule_in_order(intents: IntentSet) -> None:
    names = [i.name for i in intents.matches(clean("你是谁"))]
    assert names[0] == "help"
    assert len(names) == len(set(names))


def test_sources_rule_matches_wenjian(intents: IntentSet) -> None:
    intent = intents.route(clean("回答依据的是哪些文件"))
    assert intent is not None and intent.name == "sources"


# -- Rule and Scope units -------------------------------------------------------------------


def test_rule_keywords() -> None:
    rule = Rule(name="r", action="retrieve", any_words=("甲", "乙"), none_words=("丙",))
    assert rule.match("有甲") == {}
    assert rule.match("甲丙") is None
    assert rule.match("丁") is None
    both = Rule(name="b", action="retrieve", all_words=("甲", "乙"))
    assert both.match("甲乙") == {}
    assert both.match("甲") is None


def test_scope_admits() -> None:
    assert Scope().admits("faq", ())
    assert not Scope()
    assert Scope(kinds=("duty",)).admits("duty", ())
    assert not Scope(kinds=("duty",)).admits("faq", ("date",))
    assert Scope(tags=("date",)).admits("faq", ("date", "x"))
    assert not Scope(tags=("date",)).admits("faq", ())


# -- Broken intent files --------------------------------------------------------------------

RESPONSES = "responses:\n" + "".join(f"  {key}: x\n" for key in REQUIRED_RESPONSES)


def _collect(tmp_path: Path, text: str) -> list[Problem]:
    directory = tmp_path / "intents"
    directory.mkdir(parents=True)
    (directory / "rules.yaml").write_text(text, encoding="utf-8")
    _, problems = collect_intents(directory)
    return problems


def _only(problems: list[Problem], fragment: str) -> Problem:
    found = [p for p in problems if fragment in p.message]
    assert len(found) == 1, problems
    return found[0]


def test_comparisons_are_data_and_bad_ones_are_reported(tmp_path: Path) -> None:
    text = (
        "compare:\n"
        "  - pattern: '哪个更早'\n"
        "    ask: '{thing}是什么时候'\n"
        "  - pattern: '(['\n"  # line 4: a bad pattern
        "    ask: '{thing}'\n"
        "  - pattern: '哪个更多'\n"  # line 6: no {thing}
        "    ask: 多少\n" + RESPONSES
    )
    problems = _collect(tmp_path, text)
    assert [p.line for p in problems] == [4, 6], problems
    intents, _ = collect_intents(tmp_path / "intents")
    assert [ask for _, ask in intents.compare] == ["{thing}是什么时候"]


def test_the_actor_premise_needs_its_groups(tmp_path: Path) -> None:
    _only(_collect(tmp_path / "a", "actor_premise: '是(.+)设立的吗'\n" + RESPONSES), "groups")
    _only(_collect(tmp_path / "b", "actor_premise: '(['\n" + RESPONSES), "bad regex")
    good = "actor_premise: '是(?P<actor>.+)(?P<verb>设立)的吗'\n" + RESPONSES
    assert _collect(tmp_path / "c", good) == []
    intents, _ = collect_intents(tmp_path / "c" / "intents")
    assert intents.actor_premise is not None
    assert intents.actor_premise.search("专利奖是国家设立的吗").group("actor") == "国家"
    asked = "actor_asked: '(?P<subject>.+)是谁(?P<verb>设立)'\n" + RESPONSES
    assert _collect(tmp_path / "d", asked) == []
    _only(_collect(tmp_path / "e", "actor_asked: '(.+)是谁设立'\n" + RESPONSES), "groups")
    _only(_collect(tmp_path / "f", "deeds: [设立]\n" + RESPONSES), "'deeds' must be a mapping")
    kin = "deeds:\n  kin: [[设立, 建立]]\n  not_first: [通过]\n" + RESPONSES
    assert _collect(tmp_path / "g", kin) == []
    intents, _ = collect_intents(tmp_path / "g" / "intents")
    assert intents.deeds.at("设立", "建立技术调查官制度") == 0


def test_premise_words_are_data_and_bad_ones_are_reported(tmp_path: Path) -> None:
    _only(_collect(tmp_path / "a", "premises: [包括]\n" + RESPONSES), "'premises' must be")
    _only(_collect(tmp_path / "b", "premises:\n  vague: '(['\n" + RESPONSES), "bad regex")
    no_group = "premises:\n  includes: '包括(.+)'\n" + RESPONSES
    _only(_collect(tmp_path / "c", no_group), "group 'things'")
    good = "premises:\n  membership: 有和\n  vague: '[别哪]'\n" + RESPONSES
    assert _collect(tmp_path / "d", good) == []
    premises = collect_intents(tmp_path / "d" / "intents")[0].premises
    assert premises.membership == "有和" and premises.vague is not None
    assert premises.includes is None  # left out: that check is off
    _only(_collect(tmp_path / "e", "deeds:\n  kin: 设立\n" + RESPONSES), "deeds.kin")
    listed = "premises:\n  membership: [有, 没]\n" + RESPONSES
    _only(_collect(tmp_path / "f", listed), "membership must be a string")
    _only(_collect(tmp_path / "g", "premises:\n  vauge: '[别]'\n" + RESPONSES), "unknown key")
    verdicts = "premises:\n  verdicts: [['吧$', 对。]]\n" + RESPONSES
    _only(_collect(tmp_path / "h", verdicts), "premises.verdicts takes")


def test_a_claim_is_answered_yes_or_no_by_its_ending(intents: IntentSet) -> None:
    premises = intents.premises
    assert premises.verdict(["条例是10月1日施行的吧"], holds=False) == "不对。"
    assert premises.verdict(["条例是10月1日施行的吗"], holds=False) == "不是。"
    assert premises.verdict(["条例共八章吗"], holds=True) == "是的。"
    # A tag outranks a question after it; a part asking (…呢, 什么) claims nothing.
    parts = ["宣贯活动是九月到十一月搞对吧", "我们十一月份再搞还来得及吗"]
    assert premises.verdict(parts, holds=False) == "不对。"
    assert premises.verdict(["听说条例是2024年1月1号起施行的"], holds=False) == "不对。"
    assert premises.verdict(["那十一月呢"], holds=False) == ""
    assert premises.verdict(["什么时候施行"], holds=False) == ""


def test_bad_regex_reported_with_file_and_line(tmp_path: Path) -> None:
    text = (
        "rules:\n"
        "  - name: fine\n"
        "    action: help\n"
        "    patterns: ['帮助']\n"
        "  - name: broken\n"  # line 5
        "    action: retrieve\n"
        "    patterns: ['(未闭合', '好的']\n" + RESPONSES
    )
    problem = _only(_collect(tmp_path, text), "bad regex")
    assert (problem.file, problem.line) == ("intents/rules.yaml", 5)
    assert "(未闭合" in problem.message
    assert str(problem).startswith("intents/rules.yaml:5: ")


def test_unknown_action_reported(tmp_path: Path) -> None:
    text = (
        "rules:\n"
        "  - name: fine\n"
        "    action: help\n"
        "    patterns: ['帮助']\n"
        "\n"
        "  - name: odd\n"  # line 6
        "    action: dance\n"
        "    patterns: ['跳舞']\n" + RESPONSES
    )
    problem = _only(_collect(tmp_path, text), "action must be one of")
    assert (problem.file, problem.line) == ("intents/rules.yaml", 6)


def test_missing_name_reported(tmp_path: Path) -> None:
    text = (
        "rules:\n"
        "  - action: help\n"  # line 2
        "    patterns: ['帮助']\n" + RESPONSES
    )
    problem = _only(_collect(tmp_path, text), "needs 'name' and 'action'")
    assert (problem.file, problem.line) == ("intents/rules.yaml", 2)


def test_rule_without_patterns_reported(tmp_path: Path) -> None:
    text = "rules:\n  - name: empty\n    action: help\n" + RESPONSES
    problem = _only(_collect(tmp_path, text), "no patterns or keywords")
    assert problem.line == 2


def test_unknown_reply_and_duplicate_name_reported(tmp_path: Path) -> None:
    text = (
        "rules:\n"
        "  - name: hi\n"
        "    action: smalltalk\n"
        "    reply: nope\n"  # unknown response
        "    patterns: ['你好']\n"
        "  - name: hi\n"  # line 6, duplicate
        "    action: help\n"
        "    patterns: ['帮助']\n" + RESPONSES
    )
    problems = _collect(tmp_path, text)
    assert _only(problems, "unknown response 'nope'").line == 2
    assert _only(problems, "duplicate rule name 'hi'").line == 6


def test_malformed_yaml_reported_with_line(tmp_path: Path) -> None:
    text = (
        "rules:\n"
        "  - name: ok\n"
        "    action: help: now\n"  # line 3: mapping values not allowed here
        "    patterns: ['帮助']\n"
    )
    problems = _collect(tmp_path, text)
    problem = _only(problems, "YAML syntax error")
    assert (problem.file, problem.line) == ("intents/rules.yaml", 3)


def test_missing_response_reported(tmp_path: Path) -> None:
    text = "rules:\n  - name: h\n    action: help\n    patterns: ['帮助']\n"
    problems = _collect(tmp_path, text)
    missing = {p.message for p in problems if p.message.startswith("missing response")}
    assert missing == {f"missing response '{key}'" for key in REQUIRED_RESPONSES}


def test_missing_directory_reported(tmp_path: Path) -> None:
    _, problems = collect_intents(tmp_path / "nowhere")
    assert len(problems) == 1 and "not found" in problems[0].message


def test_engine_refuses_broken_intents(tmp_kb) -> None:  # type: ignore[no-untyped-def]
    from bot.engine import Engine
    from bot.knowledge import KnowledgeError

    kb = tmp_kb()
    kb.replace("intents/rules.yaml", "action: chapter", "action: chapters")
    with pytest.raises(KnowledgeError) as info:
        Engine.from_dirs(kb.knowledge, kb.intents)
    assert any(p.file == "intents/rules.yaml" for p in info.value.problems)


def test_words_that_name_no_place_are_read(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text("not_places: [沾边, 挂钩]\n", encoding="utf-8")
    (tmp_path / "b.yaml").write_text("not_places: 靠谱\n", encoding="utf-8")
    intent_set, problems = collect_intents(tmp_path)
    assert intent_set.not_places == {"沾边", "挂钩", "靠谱"} and problems == []
