"""The report's section on live hall games (bot.live): one row per game, and the totals.

Separate from page.py so the page module stays small; it builds the same markup (a section,
a scrolling table) with every value escaped.
"""

from __future__ import annotations

from datetime import timedelta, timezone
from html import escape
from typing import Any

# Games are listed in Beijing time: that is when the event was.
BEIJING = timezone(timedelta(hours=8), "北京时间")
STATUS_NAMES = {"lobby": "未开始", "running": "进行中", "finished": "已结束"}


def live_section(data: Any) -> str:
    """`<section id="live">`: the games of the period, or a note that there were none."""
    games = data.live_games
    if not games:
        body = '<p class="note">所选时间内没有现场竞赛。</p>'
        return f'<section id="live"><h2>现场竞赛</h2>{body}</section>'
    total = data.live
    summary = (
        f'<p class="note">共 {total.games} 场，{total.players} 人次参加，作答 {total.answers} 次，'
        f"答对 {total.correct} 次（{total.accuracy:.1%}），总得分 {total.points}。</p>"
    )
    headers = [
        "时间（北京时间）",
        "PIN",
        "状态",
        "题数",
        "参加人数",
        "作答次数",
        "正确率",
        "总得分",
    ]
    head = "".join(
        f"<th{'' if i < 3 else ' class=n'}>{escape(h)}</th>" for i, h in enumerate(headers)
    )
    rows = []
    for game in games:
        cells = [
            (game.created_at.astimezone(BEIJING).strftime("%Y-%m-%d %H:%M"), "t"),
            (game.pin, "q"),
            (STATUS_NAMES.get(game.status, game.status), "q"),
            (game.questions, "n"),
            (game.players, "n"),
            (game.answers, "n"),
            (f"{game.accuracy:.1%}", "n"),
            (game.points, "n"),
        ]
        rows.append(
            "<tr>"
            + "".join(f'<td class="{css}">{escape(str(value))}</td>' for value, css in cells)
            + "</tr>"
        )
    table = (
        f'<div class="table-wrap"><table id="live-table"><thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table></div>"
    )
    return f'<section id="live"><h2>现场竞赛</h2>{summary}{table}</section>'


def live_json(data: Any) -> dict[str, Any]:
    """The section's numbers for the page's JSON block."""
    return {
        **data.live.to_json(),
        "per_game": [
            {
                "created_at": g.created_at.isoformat(timespec="seconds"),
                "pin": g.pin,
                "status": g.status,
                "questions": g.questions,
                "players": g.players,
                "answers": g.answers,
                "correct": g.correct,
                "points": g.points,
            }
            for g in data.live_games
        ],
    }
