"""What the Telegram quiz shows: poll questions, results, standings and practice feedback.

Pure functions from the quiz service's results (`bot.quiz.results`) to escaped HTML chunks
of at most 4096 characters each, so they can be tested without a bot and every message
stays within Telegram's limits. All wording comes from `Texts` (intents/rules.yaml
`responses:`); `QUIZ_TEXT_KEYS` lists the texts the quiz needs.
"""

from __future__ import annotations

from collections.abc import Sequence

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, User

from bot.frontends.telegram.render import Block, paginate
from bot.frontends.telegram.texts import Texts
from bot.quiz.export import EXPORT_TIMEZONE
from bot.quiz.results import (
    AnswerOutcome,
    Leaderboard,
    PollInfo,
    PracticeTotals,
    PreparedQuestion,
    RankingRow,
    RoundSummary,
    UserStats,
)

# Texts the quiz shows (intents/rules.yaml `responses:`); checked when the bot is built.
QUIZ_TEXT_KEYS = (
    "tg_command_quiz",
    "tg_command_quiz_stop",
    "tg_command_leaderboard",
    "tg_command_mystats",
    "tg_command_practice",
    "tg_command_quiz_export",
    "tg_help_quiz",
    "tg_quiz_usage",
    "tg_quiz_groups_only",
    "tg_quiz_admin_only",
    "tg_quiz_already_running",
    "tg_quiz_not_running",
    "tg_quiz_started",
    "tg_quiz_poll_prefix",
    "tg_quiz_finished_title",
    "tg_quiz_stopped_title",
    "tg_quiz_ranking_title",
    "tg_quiz_ranking_row",
    "tg_quiz_no_answers",
    "tg_quiz_uncounted",
    "tg_quiz_answers_title",
    "tg_quiz_answer_item",
    "tg_leaderboard_title",
    "tg_leaderboard_series",
    "tg_leaderboard_all_time",
    "tg_leaderboard_empty",
    "tg_leaderboard_groups_only",
    "tg_mystats_private_only",
    "tg_mystats",
    "tg_mystats_last",
    "tg_practice_trigger",
    "tg_practice_private_only",
    "tg_practice_empty",
    "tg_practice_right",
    "tg_practice_wrong",
    "tg_practice_source",
    "tg_practice_score",
    "tg_practice_next",
    "tg_export_caption",
    "tg_export_empty",
)

# Telegram's limits on a quiz poll's question text.
MAX_POLL_QUESTION = 300
# Callback data of the 下一题 button under practice feedback (it carries nothing to forge).
PRACTICE_NEXT = "quiz:practice:next"


def poll_question(texts: Texts, question: PreparedQuestion, total: int) -> str:
    """The poll's question, led by 第k/N题 when that still fits Telegram's 300 characters."""
    if question.position is None:
        return question.item.question
    text = texts("tg_quiz_poll_prefix", position=question.position, total=total)
    text += question.item.question
    return text if len(text) <= MAX_POLL_QUESTION else question.item.question


def _ranking_lines(texts: Texts, rows: Sequence[RankingRow]) -> str:
    return "\n".join(
        texts(
            "tg_quiz_ranking_row",
            rank=row.rank,
            name=row.display_name,
            points=row.points,
            correct=row.correct,
            answered=row.answered,
        )
        for row in rows
    )


def render_summary(
    texts: Texts, summary: RoundSummary, stopped: bool, uncounted: int = 0
) -> list[str]:
    """The results of a round as escaped HTML chunks of at most 4096 characters each:
    title, ranking (top 10), then every question with its answer and source. `uncounted`
    answers (received, not yet stored after a fault) are said, not silently missing."""
    key = "tg_quiz_stopped_title" if stopped else "tg_quiz_finished_title"
    asked = len(summary.questions)
    blocks = [Block(texts(key, asked=asked, participants=summary.participants), "b")]
    if summary.ranking:
        blocks.append(Block(texts("tg_quiz_ranking_title"), "b"))
        blocks.append(Block(_ranking_lines(texts, summary.ranking), sep="\n"))
    else:
        blocks.append(Block(texts("tg_quiz_no_answers")))
    if uncounted:
        blocks.append(Block(texts("tg_quiz_uncounted", count=uncounted), "i"))
    if summary.questions:
        blocks.append(Block(texts("tg_quiz_answers_title"), "b"))
        for index, question in enumerate(summary.questions, 1):
            item = texts(
                "tg_quiz_answer_item",
                position=question.position or index,
                question=question.question,
                answer=question.answer,
                source=question.source_line,
                correct=question.correct,
                answered=question.answered,
            )
            blocks.append(Block(item, sep="\n\n" if index > 1 else "\n"))
    return paginate(blocks)


def render_leaderboard(texts: Texts, board: Leaderboard) -> list[str]:
    """This series and all time, or a hint when the group has no results yet."""
    if not board.all_time:
        return paginate([Block(texts("tg_leaderboard_empty"))])
    blocks = [Block(texts("tg_leaderboard_title"), "b")]
    if board.series:
        blocks.append(Block(texts("tg_leaderboard_series"), "b"))
        blocks.append(Block(_ranking_lines(texts, board.series), sep="\n"))
    blocks.append(Block(texts("tg_leaderboard_all_time"), "b"))
    blocks.append(Block(_ranking_lines(texts, board.all_time), sep="\n"))
    return paginate(blocks)


def render_stats(texts: Texts, stats: UserStats) -> list[str]:
    """/mystats: group results over every group, practice score, last answer (Beijing time)."""
    text = texts(
        "tg_mystats",
        rounds=stats.rounds,
        groups=stats.groups,
        answered=stats.answered,
        correct=stats.correct,
        points=stats.points,
        practice_answered=stats.practice.answered,
        practice_correct=stats.practice.correct,
        practice_points=stats.practice.points,
    )
    if stats.last_answer_at is not None:
        when = stats.last_answer_at.astimezone(EXPORT_TIMEZONE).strftime("%Y-%m-%d %H:%M")
        text += "\n" + texts("tg_mystats_last", time=when)
    return paginate([Block(text)])


def render_practice_feedback(
    texts: Texts, outcome: AnswerOutcome, poll: PollInfo, totals: PracticeTotals
) -> tuple[list[str], InlineKeyboardMarkup]:
    """Right or wrong, the source, the running score; and the 下一题 button to go under it."""
    if outcome.correct:
        lead = texts("tg_practice_right", points=outcome.points)
    else:
        lead = texts("tg_practice_wrong", answer=poll.answer)
    blocks = [Block(lead, "b")]
    if poll.source_line:
        blocks.append(Block(texts("tg_practice_source", source=poll.source_line), "i", "\n"))
    score = texts(
        "tg_practice_score",
        answered=totals.answered,
        correct=totals.correct,
        points=totals.points,
    )
    blocks.append(Block(score))
    keyboard = InlineKeyboardMarkup(
        [[InlineKeyboardButton(texts("tg_practice_next"), callback_data=PRACTICE_NEXT)]]
    )
    return paginate(blocks), keyboard


def display_name(user: User) -> str:
    """The name shown in rankings (stored as given; escaped when rendered)."""
    return " ".join(user.full_name.split()) or (user.username or "")
