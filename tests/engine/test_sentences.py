"""Fill-in questions answered with the one sentence naming every word they ask after."""

from __future__ import annotations

import pytest

from bot.engine import Engine
from bot.engine.sentences import fill_cues, filled
from bot.knowledge.model import KnowledgeBase
from tests.engine.entries import make_entry


@pytest.mark.parametrize(
    ("question", "cues"),
    [
        ("那句话要完善啥、推动啥、促进啥", ["完善", "推动", "促进"]),
        ("最后掀起什么，营造什么", ["掀起", "营造"]),
        # Blanks to fill, as a form has them (cleaned text is half-width).
        ("后半句:拓宽__、丰富__,帮我填上", ["拓宽", "丰富"]),
        ("拓宽( )、丰富( )", ["拓宽", "丰富"]),
        # One slot is no fill-in; a slot naming only 是/干 names nothing of a sentence.
        ("宣传月要干啥", []),
        ("这是啥、那是啥", []),
        ("条例讲了什么", []),
    ],
)
def test_the_words_a_fill_in_question_asks_after(
    engine: Engine, question: str, cues: list[str]
) -> None:
    assert fill_cues(question, engine.tokenizer.cut) == cues


def test_the_one_sentence_holding_every_cue_in_order() -> None:
    kb = KnowledgeBase(directory="x")
    kb.entries = {
        "a": make_entry("a", "拓宽渠道，丰富载体。掀起热潮，营造良好氛围。"),
        "duty": make_entry("duty", "掀起热潮，营造良好氛围。", kind="duty"),
        "law": make_entry("law", "营造环境，掀起高潮。", kind="article", law="x-law"),
    }
    entry, sentence = filled(kb, [], ["掀起", "营造"]) or (None, "")
    assert entry is kb.entries["a"] and sentence == "掀起热潮，营造良好氛围。"
    # Out of order, or held by two different sentences: no answer from a sentence.
    assert filled(kb, [], ["营造", "掀起"]) is None
    kb.entries["b"] = make_entry("b", "掀起高潮，营造声势。")
    assert filled(kb, [], ["掀起", "营造"]) is None
    assert filled(kb, [], ["掀起"]) is None


def test_a_fill_in_question_gets_the_sentence_cited(engine: Engine) -> None:
    reply = engine.answer("学习培训那条，先说立足啥、再强化啥、注重啥？")
    assert reply.kind == "answer"
    passage = next(b for b in reply.blocks if b.type == "passage")
    assert passage.text.startswith("立足部门职能") and "注重实效" in passage.text
    assert passage.citation.locator.startswith("四")
    # A passage of the plan is no article: its excerpt note says nothing of 第N条.
    notes = [b.text for b in reply.blocks if b.type == "note"]
    assert notes == [engine.intents.response("excerpt_note_passage")]
