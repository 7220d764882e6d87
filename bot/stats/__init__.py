"""Statistics over the database, for the admin commands, `python -m bot stats` and the report.

Platform-free: every function takes a `bot.storage.Database` and reads the question log
(`questions`) and the quiz tables; none knows Telegram or HTML (`text` builds the /stats
lines with the markup passed in).

* `period` — `Period(since, until)` and UTC days;
* `rows` — the dataclasses returned;
* `questions` — counts, kinds, askers, top entries, unanswered questions, questions per day;
* `channels` — questions per channel (telegram, web, …) and undelivered replies;
* `quiz` — rounds per group, participants, practice;
* `live` — live hall games: games, players, answers;
* `summary` — the report's overview, what /stats shows (`admin_summary`) and its JSON form
  (`stats_json`);
* `text` — the /stats text.

Days are UTC calendar days. "Today" is the current UTC day (00:00–24:00 UTC, which is
08:00–08:00 Beijing time); "the last 7 days" are today and the six UTC days before it;
questions per day are counted per UTC day; a `Period(since, until)` holds both of its UTC
days (inclusive). Quiz rounds fall in a period by the time they started, and a round's
answers and participants go with their round.

"Unanswered" means a reply of kind `fallback` (the bot said it could not answer and named
the contact); such questions are grouped by their matching form (`bot.engine.normalize`:
full-width, traditional characters, punctuation and spacing do not split a group; nor does
a trailing sentence particle such as 呢 or 吗, see `group_key`).
Shares are fractions of every recorded question (small talk included).
"""

from bot.stats.channels import CHANNELS, by_channel, channel_counts, undelivered
from bot.stats.live import LiveGameRow, LiveStats, live_games, live_stats
from bot.stats.period import ALL_TIME, MAX_DAYS, Period, day_start, utc_day
from bot.stats.questions import (
    BLANK,
    TRAILING_PARTICLES,
    askers,
    entry_titles,
    group_key,
    kind_counts,
    knowledge_titles,
    question_counts,
    questions_per_day,
    top_entries,
    unanswered,
)
from bot.stats.quiz import practice_stats, quiz_groups, quiz_participants
from bot.stats.rows import (
    KINDS,
    UNANSWERED_KIND,
    AdminSummary,
    ChannelCounts,
    DayCount,
    EntryCount,
    GroupQuiz,
    KindCounts,
    Overview,
    PracticeStats,
    QuestionCounts,
    UnansweredQuestion,
)
from bot.stats.summary import DEFAULT_TOP, admin_summary, overview, stats_json
from bot.stats.text import (
    CHANNEL_NAMES,
    KIND_NAMES,
    channel_name,
    one_line,
    stats_text,
    summary_lines,
)

__all__ = [
    "ALL_TIME",
    "BLANK",
    "CHANNELS",
    "CHANNEL_NAMES",
    "DEFAULT_TOP",
    "KINDS",
    "KIND_NAMES",
    "MAX_DAYS",
    "TRAILING_PARTICLES",
    "UNANSWERED_KIND",
    "AdminSummary",
    "ChannelCounts",
    "DayCount",
    "EntryCount",
    "GroupQuiz",
    "KindCounts",
    "LiveGameRow",
    "LiveStats",
    "Overview",
    "Period",
    "PracticeStats",
    "QuestionCounts",
    "UnansweredQuestion",
    "admin_summary",
    "askers",
    "by_channel",
    "channel_counts",
    "channel_name",
    "day_start",
    "entry_titles",
    "group_key",
    "kind_counts",
    "knowledge_titles",
    "live_games",
    "live_stats",
    "one_line",
    "overview",
    "practice_stats",
    "question_counts",
    "questions_per_day",
    "quiz_groups",
    "quiz_participants",
    "stats_json",
    "stats_text",
    "summary_lines",
    "top_entries",
    "unanswered",
    "undelivered",
    "utc_day",
]
