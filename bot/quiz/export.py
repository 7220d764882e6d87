"""A chat's quiz results as CSV for organisers, who open it in Excel.

Pure formatting of `Standings.chat_standings`: the file is the same whichever channel
offers it for download.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from datetime import timedelta, timezone

from bot.quiz.standings import Standing

# Organisers read times in Beijing time (no daylight saving).
EXPORT_TIMEZONE = timezone(timedelta(hours=8))
EXPORT_HEADER = ("用户", "答题数", "答对数", "得分", "最后答题时间（北京时间）")


def results_csv(rows: Iterable[Standing], tz: timezone = EXPORT_TIMEZONE) -> str:
    """One line per user as given (best first), under `EXPORT_HEADER`, CRLF line ends.

    Names that a spreadsheet would read as a formula are prefixed with an apostrophe. Encode
    the text as UTF-8 with a BOM (utf-8-sig) for Excel.
    """
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(EXPORT_HEADER)
    for row in rows:
        last = row.last_answer_at.astimezone(tz).strftime("%Y-%m-%d %H:%M:%S")
        writer.writerow([_csv_safe(row.display_name), row.answered, row.correct, row.points, last])
    return out.getvalue()


def _csv_safe(text: str) -> str:
    """Keep spreadsheets from running a name as a formula (CSV injection)."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
