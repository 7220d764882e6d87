"""第N条 / 第N章 lookups in the law a question names, with a second law in a copied base."""

from __future__ import annotations

import pytest

from bot.engine import Engine, Reply
from bot.engine.lookup import named_laws
from bot.importer import import_law
from bot.knowledge.derive import article_id, chapter_id, structure_id

PRIMARY = "hebei-ip-regulation"
DEMO = "demo-patent-law"

# A small second law whose articles are loaded. It shares the alias 保护和促进条例 with the
# primary law, so a question naming only that alias is ambiguous.
DEMO_LAW = """\
law:
  id: demo-patent-law
  title: 示例市专利促进条例
  aliases: [专利促进条例, 示例条例, 保护和促进条例]
  article_count: 3
  chapters:
    - number: 1
      name: 一般规定
      first_article: 1
      last_article: 2
    - number: 2
      name: 附则
      first_article: 3
      last_article: 3
  citation:
    source: demo-patent-law
    locator: 全文
articles:
  - number: 1
    label: 第一条
    chapter: 1
    paragraphs:
      - 为了促进专利运用，制定本条例。
  - number: 2
    label: 第二条
    chapter: 1
    paragraphs:
      - 市人民政府设立专利运用专项资金。
      - 专项资金用于专利导航和专利转化。
  - number: 3
    label: 第三条
    chapter: 2
    paragraphs:
      - 本条例自公布之日起施行。
"""


@pytest.fixture(scope="module")
def two_laws(copy_kb) -> Engine:  # type: ignore[no-untyped-def]
    kb = copy_kb("two-laws")
    kb.write("knowledge/laws/demo-patent-law.yaml", DEMO_LAW)
    return Engine.from_dirs(kb.knowledge, kb.intents)


def cited(reply: Reply) -> list[str]:
    return [c.entry for c in reply.citations]


def law_ids(engine: Engine, text: str) -> list[str]:
    laws, _names = named_laws(engine.kb, text)
    return [law.id for law in laws]


# -- named_laws -----------------------------------------------------------------------------


def test_named_laws_in_the_seed(engine: Engine) -> None:
    assert law_ids(engine, "河北省知识产权保护和促进条例第五条") == [PRIMARY]
    assert law_ids(engine, "條例第五條") == [PRIMARY]  # traditional
    assert law_ids(engine, "第五条讲什么") == []
    assert law_ids(engine, "专利法第五条") == []


def test_an_article_of_a_law_the_base_lacks_is_said_to_be_missing(
    engine: Engine, two_laws: Engine
) -> None:
    # By number or asked which: never an answer from another law's material.
    for question in (
        "专利法第五条讲的啥",
        "专利法第几条规定了侵权赔偿",
        "商标法哪一条讲驰名商标",
        "民法典第123条讲的啥",  # a 法典, not the primary law's missing article 123
    ):
        reply = engine.answer(question)
        assert reply.kind == "fallback" and "知识库中没有“" in reply.text, question
        assert reply.question == question
    # The base's own law asked which article: no such reply.
    assert "知识库中没有“" not in engine.answer("条例第几条规定了专利奖").text
    # A law the base holds is no missing one.
    assert "知识库中没有“" not in two_laws.answer("示例市专利促进条例第几条讲奖励").text


def test_named_laws_longest_name_wins(two_laws: Engine) -> None:
    # 条例 names the primary law, 示例市专利促进条例 the demo law: the longer name wins.
    assert law_ids(two_laws, "示例市专利促进条例第二条") == [DEMO]
    assert law_ids(two_laws, "专利促进条例第二条") == [DEMO]
    assert law_ids(two_laws, "条例第二条") == [PRIMARY]
    assert law_ids(two_laws, "知识产权保护和促进条例第二条") == [PRIMARY]
    both = set(law_ids(two_laws, "保护和促进条例第二条"))
    assert both == {PRIMARY, DEMO}


# -- articles -------------------------------------------------------------------------------


def test_article_in_the_named_law(two_laws: Engine) -> None:
    reply = two_laws.answer("示例市专利促进条例第二条讲什么")
    assert reply.kind == "answer"
    assert cited(reply) == [article_id(DEMO, 2)]
    assert "市人民政府设立专利运用专项资金。\n专项资金用于专利导航和专利转化。" in reply.text
    assert reply.text.splitlines()[-1] == "来源：《示例市专利促进条例》第二条"


def test_article_by_chinese_or_arabic_number(two_laws: Engine) -> None:
    a = two_laws.answer("专利促进条例第三条")
    b = two_laws.answer("专利促进条例第3条")
    assert cited(a) == cited(b) == [article_id(DEMO, 3)]
    assert "本条例自公布之日起施行。" in a.text


def test_article_in_the_primary_law_when_none_named(two_laws: Engine) -> None:
    reply = two_laws.answer("第二条讲什么")
    assert reply.kind == "fallback"  # the structure and a note: no article answered
    assert structure_id(PRIMARY) in cited(reply)
    assert "尚未" in reply.text
    assert "专项资金" not in reply.text  # never the other law's text


def test_several_articles_asked_at_once_are_each_given(two_laws: Engine) -> None:
    both = two_laws.answer("示例市专利促进条例第二条和第三条分别是什么")
    assert both.kind == "answer"
    assert cited(both) == [article_id(DEMO, 2), article_id(DEMO, 3)]
    unloaded = two_laws.answer("条例第一条和第六十八条分别是什么内容")
    assert unloaded.kind == "fallback" and "第一条、第六十八条的原文" in unloaded.text
    # A run is spelt out; one beyond the last article is said to be none.
    run = two_laws.answer("示例市专利促进条例第一条至第三条")
    assert cited(run) == [article_id(DEMO, k) for k in (1, 2, 3)]
    beyond = two_laws.answer("条例第一条和第七十条")
    assert "共六十八条，没有第七十条" in beyond.text and "第一条的原文" in beyond.text


def test_a_law_s_whole_text_is_the_structure_and_what_is_not_held(two_laws: Engine) -> None:
    lead = two_laws.intents.response("law_text_not_loaded").split("{")[0]
    for question in ("把条例全文发我一份", "条例原文在哪看"):
        reply = two_laws.answer(question)
        assert reply.kind == "fallback" and reply.text.startswith(lead), question
        assert structure_id(PRIMARY) in cited(reply) and reply.shown_contacts, question
    # A loaded law's text is asked article by article.
    loaded = two_laws.answer("示例市专利促进条例全文")
    assert loaded.kind == "answer" and cited(loaded) == [structure_id(DEMO)]
    assert two_laws.intents.response("article_usage") in loaded.text
    # The wording of a fact, what the text says of a thing, or another place's or an
    # unloaded law's text is no request for the primary law's.
    for question in (
        "请给出条例施行日期的原文表述",
        "条例原文里对专利奖是怎么规定的",
        "推广成效明显的做法原文是啥",
        "专利法全文",
        "上海市专利条例全文",
    ):
        assert two_laws.answer(question).intent != "law_text", question


def test_article_beyond_the_last_says_the_count(two_laws: Engine) -> None:
    reply = two_laws.answer("示例市专利促进条例第九条")
    assert reply.kind == "answer"
    assert "《示例市专利促进条例》共三条，没有第九条。" in reply.text
    assert cited(reply) == [structure_id(DEMO)]
    primary = two_laws.answer("第九十条")
    assert "共六十八条，没有第九十条" in primary.text


def test_ambiguous_law_name_asks_which(two_laws: Engine) -> None:
    reply = two_laws.answer("保护和促进条例第二条")
    assert reply.kind == "clarify"
    prompt = two_laws.intents.response("which_law").format(what="第2条")
    assert reply.text.startswith(prompt)
    assert {s.entry for s in reply.suggestions} == {structure_id(PRIMARY), structure_id(DEMO)}
    for suggestion in reply.suggestions:
        assert suggestion.entry in two_laws.kb.entries


def test_ambiguous_chapter_asks_which(two_laws: Engine) -> None:
    reply = two_laws.answer("保护和促进条例第一章")
    assert reply.kind == "clarify"
    assert len(reply.suggestions) == 2


# -- chapters -------------------------------------------------------------------------------


def test_chapter_in_the_named_law(two_laws: Engine) -> None:
    reply = two_laws.answer("示例市专利促进条例第一章")
    assert cited(reply) == [chapter_id(DEMO, 1)]
    assert "一般规定" in reply.text
    assert "第一条至第二条" in reply.text  # the span the law file gives


def test_last_chapter_of_the_named_law(two_laws: Engine) -> None:
    assert cited(two_laws.answer("专利促进条例最后一章")) == [chapter_id(DEMO, 2)]
    assert cited(two_laws.answer("最后一章")) == [chapter_id(PRIMARY, 8)]


def test_chapter_beyond_the_last(two_laws: Engine) -> None:
    reply = two_laws.answer("示例市专利促进条例第五章")
    assert "《示例市专利促进条例》共二章。" in reply.text
    assert cited(reply) == [structure_id(DEMO)]


def test_chapter_called_by_a_name_only_the_structure_uses(two_laws: Engine) -> None:
    # 附则 is named by no passage but the interpretation's list of chapters: that chapter,
    # with the note that its text is not loaded, not the list of chapters.
    for question in ("条例附则部分规定了啥", "条例附则讲了什么", "附则规定了哪些内容"):
        reply = two_laws.answer(question)
        assert cited(reply) == [chapter_id(PRIMARY, 8)], question
        assert "具体内容暂时无法提供" in reply.text
    assert cited(two_laws.answer("专利促进条例的附则讲了什么")) == [chapter_id(DEMO, 2)]
    both = two_laws.answer("条例总则和附则分别讲什么")
    assert cited(both) == [chapter_id(PRIMARY, 1), chapter_id(PRIMARY, 8)]


def test_an_unloaded_chapter_offers_the_passages_naming_its_subject(two_laws: Engine) -> None:
    reply = two_laws.answer("第七章讲什么")
    assert reply.kind == "answer" and cited(reply) == [chapter_id(PRIMARY, 7)]
    offered = [s.entry for s in reply.suggestions]
    assert "interp-6-liability" in offered and len(offered) <= 3
    assert "资料中提到“法律责任”的内容" in reply.text
    # None name 附则; a loaded law's chapter has its articles instead.
    assert not two_laws.answer("第八章讲什么").suggestions
    assert not two_laws.answer("示例市专利促进条例第一章").suggestions


def test_a_count_stated_of_the_law_is_checked(two_laws: Engine) -> None:
    for question, no, wrong in (
        ("条例共九章七十条，对吗", "不对。", "九章、七十条"),
        ("条例一共是七章吗", "不是。", "七章"),
    ):
        reply = two_laws.answer(question)
        assert cited(reply) == [structure_id(PRIMARY)], question
        assert reply.text.startswith(
            f"{no}《河北省知识产权保护和促进条例》共八章、六十八条，不是{wrong}"
        )
    # A count claimed right is said to be right first; asked, it is not (no claim).
    right = two_laws.answer("条例是不是一共六十八条")
    assert cited(right) == [structure_id(PRIMARY)] and "不是" not in right.text
    assert two_laws.answer("条例一共八章六十八条对吧").text.startswith("对。")
    assert two_laws.answer("条例共8章吗").text.startswith("是的。")
    demo = two_laws.answer("示例市专利促进条例有五条吗")
    assert demo.text.startswith("不是。《示例市专利促进条例》共二章、三条，不是五条")
    # Not a count of the law's: a place, or something else counted.
    for question in ("条例68条是什么", "条例宣贯有三条要求吗", "把条例的措施分点写出来，一条不少"):
        assert "六十八条，不是" not in two_laws.answer(question).text, question


def test_each_chapter_s_articles_asked_where_no_span_is_given(two_laws: Engine) -> None:
    for question in ("条例各章分别有多少条？", "第五章有几条", "每章几条啊"):
        reply = two_laws.answer(question)
        assert cited(reply) == [structure_id(PRIMARY)], question
        assert "资料中未载明各章分别有哪些条、多少条" in reply.text, question
    # The demo law gives its spans: its chapter says them, nothing is missing.
    demo = two_laws.answer("示例市专利促进条例第一章有几条")
    assert "第一条至第二条" in demo.text and "未载明" not in demo.text


def test_chapter_name_left_to_retrieval(two_laws: Engine) -> None:
    # A name other passages use (法律责任), the whole structure and a chapter's neighbours
    # are not one chapter by name.
    assert chapter_id(PRIMARY, 7) not in cited(two_laws.answer("违反条例要承担哪些法律责任"))
    assert cited(two_laws.answer("从总则到附则一共几章")) != [chapter_id(PRIMARY, 1)]
    neighbours = two_laws.answer("总则后头紧挨着哪章")
    assert cited(neighbours) != [chapter_id(PRIMARY, 1)]


def test_law_without_chapters(copy_kb) -> None:  # type: ignore[no-untyped-def]
    kb = copy_kb("no-chapters")
    flat = DEMO_LAW.split("  chapters:")[0] + "  citation:\n    source: demo-patent-law\n"
    flat += "    locator: 全文\narticles: []\n"
    kb.write("knowledge/laws/demo-patent-law.yaml", flat)
    engine = Engine.from_dirs(kb.knowledge, kb.intents)
    reply = engine.answer("示例市专利促进条例第一章")
    assert "《示例市专利促进条例》不分章。" in reply.text
    assert "不分章，共三条" in engine.kb.entries[structure_id(DEMO)].text


def test_second_law_derives_entries(two_laws: Engine) -> None:
    entries = two_laws.kb.entries
    for number in (1, 2, 3):
        entry = entries[article_id(DEMO, number)]
        assert entry.kind == "article" and entry.law == DEMO and entry.source == DEMO
    assert entries[chapter_id(DEMO, 2)].title == "《示例市专利促进条例》第二章 附则"
    assert "共二章、三条" in entries[structure_id(DEMO)].text


# -- places ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def three_places(copy_kb) -> Engine:  # type: ignore[no-untyped-def]
    """Three places' one-article (test) laws, imported from plain text."""
    kb = copy_kb("three-places")
    for ident, title in (
        ("zj", "浙江省专利条例"),
        ("bj", "北京市专利保护和促进条例"),
        ("sh", "上海市专利保护条例"),
    ):
        source = kb.root / f"{ident}.txt"
        source.write_text(f"{title}\n\n　　第一条　本条例自公布之日起施行。\n", encoding="utf-8")
        import_law(source, kb.knowledge, law_id=ident)
    return Engine.from_dirs(kb.knowledge, kb.intents)


def place_law_ids(engine: Engine, text: str) -> list[str]:
    laws, _names = named_laws(engine.kb, text, engine.tokenizer.places)
    return sorted(law.id for law in laws)


def test_a_named_place_beats_a_partial_name_of_another_places_law(three_places: Engine) -> None:
    # 专利条例 is part of 浙江省专利条例's title, but the question is about Beijing's.
    assert place_law_ids(three_places, "北京的专利条例里，重复侵权罚多少钱") == ["bj"]
    assert place_law_ids(three_places, "专利条例里重复侵权罚多少钱") == ["zj"]
    assert place_law_ids(three_places, "浙江的专利条例第一条") == ["zj"]
    assert place_law_ids(three_places, "上海的专利保护条例第一条") == ["sh"]


def test_a_one_character_stem_is_no_place(three_places: Engine) -> None:
    # 上市 (as in 上市许可) is a place name to jieba, but 上 is not 上海.
    question = "新药拿到上市许可后多久可以申请专利期限补偿"
    assert place_law_ids(three_places, question) == []
    assert three_places.lookup.laws_of_place(question) == []
    assert all(c.entry.law != "sh" for c in three_places.search(question))


def test_ordinary_words_jieba_tags_as_places_are_no_jurisdiction(
    engine: Engine, three_places: Engine
) -> None:
    # 上市 (药品上市) is tagged as a place by jieba; a one-character county (雄县) is a place.
    for base in (engine, three_places):
        assert base.lookup.unknown_jurisdiction("药品上市以后的专利法规定") is None
        assert base.lookup.unknown_jurisdiction("城市里的专利条例怎么说") is None
        assert base.lookup.unknown_jurisdiction("雄县的专利条例怎么说") == "雄县"


def test_a_word_jieba_tags_as_a_place_that_is_no_place(engine: Engine) -> None:
    # jieba's dictionary tags 沾边 as a place; 跟标准沾边的规定 asks about standards.
    assert engine.answer("跟标准沾边的规定有哪些").intent != "other_jurisdiction"
    assert engine.answer("北京的专利条例怎么规定的").intent == "other_jurisdiction"


def test_a_count_of_the_law_in_digits_is_checked(engine: Engine) -> None:
    assert "共八章、六十八条" in engine.answer("条例一共６８条是吗").text
    assert "不是7章、60条" in engine.answer("条例是7章60条吧").text
    # Ordinals in digits stay places (条例第3、4章讲什么 is no count).
    assert "没有找到" not in engine.answer("条例第3、4章讲什么").text
