"""The hand-written bank: all 71 questions load, fit Telegram, and cite the knowledge base."""

from __future__ import annotations

from dataclasses import replace

from bot.knowledge.model import KnowledgeBase
from bot.quiz.bank import QuizItem, fits_telegram, limit_problems, load_bank, source_line


def test_the_bank_loads_every_question_and_each_fits(seed_kb: KnowledgeBase) -> None:
    items = load_bank(seed_kb)
    assert len(items) == len(seed_kb.quiz) == 71
    assert [i.id for i in items] == list(seed_kb.quiz)
    for item in items:
        assert fits_telegram(item), (item.id, limit_problems(item))
        assert item.origin == "bank"
        assert item.answer == seed_kb.quiz[item.id].options[seed_kb.quiz[item.id].answer]
        assert seed_kb.source(item.source) is not None
        assert item.source_line.startswith("《")
        # The source line fits beside every explanation of the bank.
        assert item.poll_explanation.endswith(item.source_line)


def test_source_lines_render_like_the_engine(seed_kb: KnowledgeBase) -> None:
    items = {i.id: i for i in load_bank(seed_kb)}
    assert items["q-schedule"].source_line == (
        "《深入开展〈河北省知识产权保护和促进条例〉宣贯活动实施方案》 二"
    )
    assert source_line(seed_kb, "hebei-ip-regulation", "第五条") == (
        "《河北省知识产权保护和促进条例》第五条"
    )


def test_limits_are_reported_not_cut(seed_kb: KnowledgeBase) -> None:
    item: QuizItem = load_bank(seed_kb)[0]
    assert not fits_telegram(replace(item, question="问" * 301))
    assert not fits_telegram(replace(item, options=("甲",)))
    assert not fits_telegram(replace(item, options=tuple(f"选项{i}" for i in range(13))))
    assert not fits_telegram(replace(item, options=("甲" * 101, "乙")))
    assert not fits_telegram(replace(item, options=("甲", "甲"), correct=0))
    assert not fits_telegram(replace(item, correct=9))
    assert not fits_telegram(replace(item, explanation="解" * 201))
    assert not fits_telegram(replace(item, explanation="一\n二\n三\n四"))
    assert fits_telegram(replace(item, explanation="一\n二\n三"))
    # A long explanation keeps its text and drops only the appended source line.
    long = replace(item, explanation="解" * 195)
    assert long.poll_explanation == long.explanation


def test_quiz_items_add_generated_questions_the_bank_does_not_ask(seed_kb: KnowledgeBase) -> None:
    from bot.quiz import quiz_items

    bank = load_bank(seed_kb)
    items = quiz_items(seed_kb, seed=1)
    assert items[: len(bank)] == bank
    extra = items[len(bank) :]
    assert extra and all(i.origin == "generated" for i in extra)
    assert len({i.id for i in items}) == len(items)
    # The bank already asks the effective date from the notice: not generated again.
    assert "gen:hebei-ip-regulation:effective" not in {i.id for i in items}
    assert quiz_items(seed_kb, generated=False) == bank
