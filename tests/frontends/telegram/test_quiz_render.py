"""The Telegram quiz's renderer: poll questions and results within Telegram's limits (every
chunk ≤ 4096 characters and valid HTML for the fake server's strict parser)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from fakebot.server import parse_html

from bot.engine import Engine
from bot.frontends.telegram.quiz.render import (
    PRACTICE_NEXT,
    poll_question,
    render_leaderboard,
    render_practice_feedback,
    render_summary,
)
from bot.frontends.telegram.render import MAX_MESSAGE, units
from bot.frontends.telegram.texts import Texts
from bot.quiz import (
    AnswerOutcome,
    Leaderboard,
    PollInfo,
    PracticeTotals,
    PreparedQuestion,
    QuestionSummary,
    QuizItem,
    RankingRow,
    Round,
    RoundSummary,
)

T0 = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def texts(tg_engine: Engine) -> Texts:
    return Texts(tg_engine.intents)


def _item(question: str = "问题？") -> QuizItem:
    return QuizItem(
        id="q1",
        question=question,
        options=("甲", "乙"),
        correct=0,
        explanation="解释。",
        source="plan",
        locator="实施方案 二",
        source_line="《实施方案》 二",
    )


def test_the_poll_question_is_numbered_when_it_fits(texts: Texts) -> None:
    short = PreparedQuestion(_item(), ("甲", "乙"), (0, 1), 0, position=2)
    assert poll_question(texts, short, 5) == "第2/5题：问题？"
    long = PreparedQuestion(_item("长" * 298 + "？"), ("甲", "乙"), (0, 1), 0, position=2)
    assert poll_question(texts, long, 5) == long.item.question  # no room for the number
    practice = PreparedQuestion(_item(), ("甲", "乙"), (0, 1), 0, position=None)
    assert poll_question(texts, practice, 5) == "问题？"


def _round(status: str = "finished") -> Round:
    return Round(1, -100, "hash", T0, T0, status, 50, 30, 1, 50)


def test_long_results_are_split_escaped_and_complete(texts: Texts) -> None:
    names = [f"<b>用户{i} & Co</b>" for i in range(10)]
    ranking = [RankingRow(i + 1, name, 100 - i, 5, 5) for i, name in enumerate(names)]
    questions = [
        QuestionSummary(
            position=i + 1,
            question_id=f"q{i}",
            question=f"第{i}题 <tag> & “引号” " + "很长的题目文字" * 40,
            answer=f"答案{i} <&>",
            source_line=f"《条例》第{i}条",
            answered=3,
            correct=1,
        )
        for i in range(50)
    ]
    summary = RoundSummary(_round(), ranking, questions, participants=12)
    chunks = render_summary(texts, summary, stopped=False)
    assert len(chunks) > 1
    plain = []
    for chunk in chunks:
        assert units(chunk) <= MAX_MESSAGE
        text, _ = parse_html(chunk)  # raises on a bare "&" or an unknown tag
        plain.append(text)
    whole = "\n".join(plain)
    assert plain[0].startswith("知识竞赛结束！共 50 题，12 人参与。")
    for row in ranking:
        assert f"{row.rank}. {row.display_name} — {row.points} 分" in whole
    for question in questions:
        assert question.question in whole and f"答案：{question.answer}" in whole
        assert f"来源：{question.source_line}（1/3 人答对）" in whole


def test_results_without_answers_and_a_stopped_round(texts: Texts) -> None:
    summary = RoundSummary(_round("stopped"), [], [], participants=0)
    [chunk] = render_summary(texts, summary, stopped=True)
    text, _ = parse_html(chunk)
    assert text.startswith("知识竞赛已提前结束。共出 0 题，0 人参与。")
    assert texts("tg_quiz_no_answers") in text


def test_the_leaderboard_shows_the_series_and_all_time(texts: Texts) -> None:
    [empty] = render_leaderboard(texts, Leaderboard(None, [], []))
    assert parse_html(empty)[0] == texts("tg_leaderboard_empty")
    series = [RankingRow(1, "A&B", 30, 3, 3)]
    all_time = [RankingRow(1, "C<D>", 50, 5, 6), RankingRow(1, "A&B", 50, 5, 5)]
    [chunk] = render_leaderboard(texts, Leaderboard(3, series, all_time))
    text, _ = parse_html(chunk)
    assert text.index(texts("tg_leaderboard_series")) < text.index("1. A&B — 30 分")
    assert text.index(texts("tg_leaderboard_all_time")) < text.index("1. C<D> — 50 分")
    assert "1. A&B — 50 分（答对 5/5 题）" in text  # tied ranks share the rank


def test_practice_feedback_says_right_or_wrong_with_source_score_and_next(texts: Texts) -> None:
    poll = PollInfo(
        poll_id="p1",
        round_id=None,
        chat_id=42,
        message_id=7,
        question_id="q1",
        question="问题？",
        options=("甲", "乙"),
        correct_index=0,
        source_line="《实施方案》 二",
        opened_at=T0,
        closes_at=None,
        closed=False,
        closed_at=None,
        position=None,
    )
    totals = PracticeTotals(answered=3, correct=2, points=20)
    right = AnswerOutcome("recorded", "p1", chat_id=42, correct=True, points=10)
    [chunk], keyboard = render_practice_feedback(texts, right, poll, totals)
    text, _ = parse_html(chunk)
    assert text.startswith(texts("tg_practice_right", points=10))
    assert texts("tg_practice_source", source=poll.source_line) in text
    assert texts("tg_practice_score", answered=3, correct=2, points=20) in text
    [[button]] = keyboard.inline_keyboard
    assert (button.text, button.callback_data) == (texts("tg_practice_next"), PRACTICE_NEXT)
    wrong = AnswerOutcome("recorded", "p1", chat_id=42, correct=False)
    [chunk], _ = render_practice_feedback(texts, wrong, poll, totals)
    assert parse_html(chunk)[0].startswith(texts("tg_practice_wrong", answer="甲"))


def test_a_summary_says_how_many_answers_are_not_counted_yet(texts: Texts) -> None:
    """After a fault, answers received but not yet stored are named, not silently missing."""
    summary = RoundSummary(round=_round(), ranking=[], questions=[], participants=0)
    [plain] = render_summary(texts, summary, False)
    [told] = render_summary(texts, summary, False, uncounted=2)
    assert "2 个答案" in told and "2 个答案" not in plain
