"""The /stats text: one set of lines for Telegram (HTML) and the terminal (plain text).

`summary_lines` takes the markup as functions (escape and bold), so the Telegram message
(`bot.frontends.telegram.admin.stats_html`) and `python -m bot stats` say the same thing in
the same words; `stats_text` is the plain form.
"""

from __future__ import annotations

from collections.abc import Callable

from bot.stats.rows import AdminSummary, ChannelCounts

# How kinds and channels are named, in the order /stats lists kinds.
KIND_NAMES = {"answer": "已回答", "clarify": "需澄清", "fallback": "未能回答", "smalltalk": "寒暄"}
CHANNEL_NAMES = {
    "telegram": "Telegram",
    "web": "网页",
    "console": "控制台",
    "wechat": "微信",
    "wecom": "企业微信",
    "live": "现场活动",
}
# Characters of a question or title shown before it is cut with …
QUESTION_CHARS = 60


def channel_name(channel: str) -> str:
    return CHANNEL_NAMES.get(channel, channel)


def one_line(text: str, limit: int = QUESTION_CHARS) -> str:
    """One line of at most `limit` characters (whitespace runs become one space)."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _plain(text: str) -> str:
    return text


def _channel_line(channel: ChannelCounts, escape: Callable[[str], str]) -> str:
    kinds = "　".join(f"{name} {channel.kinds[kind]}" for kind, name in KIND_NAMES.items())
    name = escape(channel_name(channel.channel))
    line = f"{name} {channel.total} 问，{channel.askers} 人：{kinds}"
    if channel.undelivered:
        line += f"　未送达 {channel.undelivered}"
    return line


def summary_lines(
    summary: AdminSummary,
    *,
    escape: Callable[[str], str] = _plain,
    bold: Callable[[str], str] = _plain,
    shorten: Callable[[str], str] = one_line,
    unanswered_hint: str = "",
    records_lost: int = 0,
) -> list[str]:
    """The lines of the /stats text; user text goes through `escape`, headings `bold`."""
    counts, kinds, o = summary.counts, summary.kinds, summary.overview
    lines = [f"{bold('问答统计')}（按 UTC 日计）"]
    if not summary.period.unbounded:
        lines.append(f"统计期间：{summary.period}")
    lines.append(f"今天 {counts.today}　近 7 天 {counts.last_7_days}　累计 {counts.total}")
    if kinds.total:
        lines.append(
            "　".join(
                f"{name} {kinds[k]}（{kinds.share(k):.0%}）" for k, name in KIND_NAMES.items()
            )
        )
    lines.append(f"提问人数 {o.askers}")
    if summary.undelivered:
        lines.append(f"回复未能送达 {summary.undelivered}")
    if records_lost:
        lines.append(f"未能记录的提问 {records_lost}")
    if summary.channels:
        lines += ["", bold("各渠道")]
        lines += [_channel_line(channel, escape) for channel in summary.channels]
    if summary.top_entries:
        lines += ["", bold("引用最多的条目")]
        lines += [
            f"{i}. {escape(shorten(e.title))} — {e.count} 次"
            for i, e in enumerate(summary.top_entries, 1)
        ]
    if summary.unanswered:
        lines += ["", bold("未能回答最多的问题") + unanswered_hint]
        several = len(summary.channels) > 1
        for i, q in enumerate(summary.unanswered, 1):
            line = f"{i}. {escape(shorten(q.text))} — {q.count} 次"
            if several and q.channels:
                line += (
                    "（"
                    + "、".join(f"{escape(channel_name(c))} {n}" for c, n in q.channels.items())
                    + "）"
                )
            lines.append(line)
    lines += [
        "",
        f"{bold('测验')}：{o.groups} 个群 {o.rounds} 轮，{o.participants} 人参与，"
        f"作答 {o.quiz_answers} 次；练习作答 {o.practice.answers} 次",
    ]
    if summary.live.games:
        live = summary.live
        lines.append(
            f"{bold('现场竞赛')}：{live.games} 场，{live.players} 人参加，作答 {live.answers} 次，"
            f"答对 {live.correct} 次"
        )
    return lines


def stats_text(summary: AdminSummary, *, records_lost: int = 0) -> str:
    """The /stats figures as plain text (the terminal)."""
    return "\n".join(summary_lines(summary, records_lost=records_lost))
