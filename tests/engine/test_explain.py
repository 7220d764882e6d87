"""The organisers' view of how a question was read and scored."""

from __future__ import annotations

from bot.engine import Engine
from bot.engine.explain import SHOWN, explain


def test_explain_describes_the_scoring(engine: Engine) -> None:
    text = engine.explain("条例什么时候施行")
    assert text.startswith("question: ")
    assert "reply: answer/" in text
    assert "regulation-effective" in text


def test_explain_shows_the_cleaned_question_and_at_most_the_top_entries(engine: Engine) -> None:
    lines = explain(engine, "條例甚麼時候施行？").splitlines()
    assert "-> '条例什么时候施行?'" in lines[0]
    assert lines[2].startswith("words: ") and "施行" in lines[2]
    assert 1 <= len(lines) - 3 <= SHOWN
