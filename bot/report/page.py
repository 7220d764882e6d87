"""The report's HTML: one page, inline CSS and SVG, no scripts, every user text escaped.

Questions in the page were typed by users, so everything is escaped and the page carries a
content security policy that allows no scripts and no external resources at all.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import UTC
from html import escape
from typing import Any

from bot.report.charts import KIND_LABELS, Charts
from bot.report.fonts import CjkFont
from bot.report.live import live_json, live_section
from bot.stats import KINDS, by_channel, channel_name

TITLE = "条例宣贯助手 · 活动报告"
SUBJECT = "《河北省知识产权保护和促进条例》宣贯活动"
MAX_UNANSWERED_ROWS = 50
CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"

CSS = """
:root { color-scheme: light; --ink:#1f2328; --muted:#5b636e; --line:#d8dde3; --accent:#2f5d9a; }
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; text-size-adjust: 100%; }
body { margin: 0; color: var(--ink); background: #f5f6f8; line-height: 1.6;
  font-family: "Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei",
    "WenQuanYi Micro Hei", sans-serif; }
main { max-width: 960px; margin: 0 auto; padding: 24px 20px 48px; }
header h1 { margin: 0 0 4px; font-size: 26px; line-height: 1.3; }
header .subject { margin: 0; color: var(--muted); }
.meta { color: var(--muted); font-size: 14px; margin: 6px 0 0; }
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(150px, 1fr)); gap: 12px;
  margin: 20px 0; }
.card { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 12px 14px;
  min-width: 0; }
.card .value { display: block; font-size: 26px; font-weight: 700; color: var(--accent); }
.card .label { font-size: 13px; color: var(--muted); }
section { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 16px 20px;
  margin: 16px 0; min-width: 0; }
section h2 { margin: 0 0 8px; font-size: 19px; }
figure { margin: 8px 0; }
figure svg { display: block; max-width: 100%; }
figcaption, .note { color: var(--muted); font-size: 13px; }
.table-wrap { overflow-x: auto; margin-top: 8px; }
table { border-collapse: collapse; width: 100%; font-size: 14px; }
th, td { border-bottom: 1px solid var(--line); padding: 5px 8px; text-align: left;
  vertical-align: top; }
th { background: #f0f2f5; font-weight: 600; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.q { word-break: break-all; min-width: 8em; }
td.t { white-space: nowrap; }
details summary { cursor: pointer; color: var(--accent); font-size: 14px; margin-top: 6px; }
.empty { font-size: 18px; color: var(--muted); text-align: center; padding: 32px 0; }
@media (max-width: 600px) {
  main { padding: 16px 10px 32px; }
  header h1 { font-size: 21px; }
  .meta { font-size: 13px; }
  .cards { grid-template-columns: repeat(2, minmax(0, 1fr)); gap: 8px; margin: 14px 0; }
  .card { padding: 8px 10px; }
  .card .value { font-size: 22px; }
  section { padding: 12px 12px; margin: 12px 0; }
  section h2 { font-size: 17px; }
  table { font-size: 13px; }
  th, td { padding: 4px 6px; }
  td.t { white-space: normal; min-width: 6em; }
  /* Wide tables scroll sideways in their own box; the group or channel stays in view. */
  .table-wrap th:first-child, .table-wrap td:first-child { position: sticky; left: 0; }
  .table-wrap td:first-child { background: #fff; }
}
@media print {
  @page { size: A4; margin: 14mm 12mm; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  body { background: #fff; font-size: 10.5pt; line-height: 1.45; }
  main { max-width: none; padding: 0; }
  .cards { grid-template-columns: repeat(4, 1fr); gap: 6px; margin: 10px 0; }
  .card { padding: 6px 8px; }
  .card .value { font-size: 16pt; }
  section { border: 0; border-top: 1px solid var(--line); border-radius: 0; padding: 8px 0;
    margin: 10px 0 0; }
  section h2 { font-size: 13pt; break-after: avoid; }
  figure, .card, tr { break-inside: avoid; }
  .table-wrap { overflow: visible; }
  table { font-size: 9pt; }
  thead { display: table-header-group; }
  td.t { white-space: nowrap; }
  /* Every data table is printed: closed <details> open on paper. */
  details > summary { display: none; }
  details::details-content { content-visibility: visible; display: block; }
}
"""


def render_page(data: Any, font: CjkFont) -> str:
    """The whole page for a `bot.report.ReportData`."""
    charts = Charts(font)
    o = data.overview
    parts = [
        "<!doctype html>",
        '<html lang="zh-CN">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">',
        f"<title>{escape(TITLE)}（{escape(period_text(data.period))}）</title>",
        f"<style>{CSS}</style>",
        "</head>",
        "<body>",
        "<main>",
        "<header>",
        f"<h1>{escape(TITLE)}</h1>",
        f'<p class="subject">{escape(SUBJECT)}</p>',
        f'<p class="meta">统计期间：<span id="period">{escape(period_text(data.period))}</span>'
        "（按 UTC 日计，含首尾两日）　生成时间："
        f"{data.generated_at.astimezone(UTC):%Y-%m-%d %H:%M} UTC</p>",
        "</header>",
        _cards(data),
    ]
    if data.empty:
        parts.append('<p class="empty" id="no-data">所选时间内没有数据。</p>')
    else:
        parts += [
            _per_day(data, charts),
            _kinds(data, charts),
            _channels(data, charts),
            _topics(data, charts),
            _quiz(data, charts),
            live_section(data),
            _unanswered(data),
        ]
    parts += [
        '<p class="note">说明：用户只以加密散列计数，报告中没有用户编号。“未能回答”指机器人答复'
        "知识库中没有答案并给出联系人的提问；相同问题按规范化文本（全角、繁体、标点和空格不计）合并计数。"
        f"测验按开始时间计入统计期间。练习模式：{o.practice.answers} 次作答，"
        f"{o.practice.users} 人，答对 {o.practice.correct} 次。</p>",
        "</main>",
        '<script type="application/json" id="report-data">',
        _json(report_json(data)),
        "</script>",
        "</body>",
        "</html>",
    ]
    return "\n".join(parts) + "\n"


def period_text(period: Any) -> str:
    if not period.since and not period.until:
        return "全部"
    return f"{period.since or '最早'} 至 {period.until or '最近'}"


# -- sections ------------------------------------------------------------------------------------


def _card(key: str, value: object, label: str) -> str:
    return (
        f'<div class="card"><span class="value" data-key="{key}">{escape(str(value))}</span>'
        f'<span class="label">{escape(label)}</span></div>'
    )


def _cards(data: Any) -> str:
    o = data.overview
    kinds = o.kinds
    cards = [
        _card("questions", o.questions, "问题总数"),
        _card("askers", o.askers, "提问人数"),
        _card("answer", kinds["answer"], f"已回答（{_pct(kinds.share('answer'))}）"),
        _card("clarify", kinds["clarify"], f"需澄清（{_pct(kinds.share('clarify'))}）"),
        _card("fallback", kinds["fallback"], f"未能回答（{_pct(kinds.share('fallback'))}）"),
        _card("rounds", o.rounds, "测验轮数"),
        _card("groups", o.groups, "开展测验的群"),
        _card("participants", o.participants, "测验参与人数"),
    ]
    return f'<div class="cards" id="summary">{"".join(cards)}</div>'


def _section(anchor: str, title: str, *body: str) -> str:
    return f'<section id="{anchor}"><h2>{escape(title)}</h2>{"".join(body)}</section>'


def _figure(svg: str, caption: str) -> str:
    return f"<figure>{svg}<figcaption>{escape(caption)}</figcaption></figure>"


def _table(
    headers: Sequence[tuple[str, str]], rows: Iterable[Sequence[object]], table_id: str
) -> str:
    """headers: (text, cell class) pairs — n: number, q: text, t: time; cells are escaped."""
    head = "".join(f"<th{' class=n' if css == 'n' else ''}>{escape(h)}</th>" for h, css in headers)
    body = []
    for row in rows:
        cells = []
        for (_, css), value in zip(headers, row, strict=True):
            cells.append(f'<td class="{css}">{escape(str(value))}</td>')
        body.append(f"<tr>{''.join(cells)}</tr>")
    return (
        f'<div class="table-wrap"><table id="{table_id}"><thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(body)}</tbody></table></div>"
    )


def _details(table: str) -> str:
    return f"<details><summary>数据表</summary>{table}</details>"


def _per_day(data: Any, charts: Charts) -> str:
    days = data.per_day
    if not days:
        return _section("per-day", "每日问题数", '<p class="note">没有提问。</p>')
    headers = [("日期（UTC）", "t"), ("合计", "n")] + [(KIND_LABELS[k], "n") for k in KINDS]
    rows = [[d.day.isoformat(), d.total] + [d.kinds.get(k, 0) for k in KINDS] for d in days]
    busiest = max(days, key=lambda d: d.total)
    return _section(
        "per-day",
        "每日问题数",
        _figure(
            charts.questions_per_day(days),
            f"共 {len(days)} 天，{sum(d.total for d in days)} 个问题；"
            f"最多的一天 {busiest.day.isoformat()}：{busiest.total} 个。",
        ),
        _details(_table(headers, rows, "per-day-table")),
    )


def _kinds(data: Any, charts: Charts) -> str:
    kinds = data.overview.kinds
    if not kinds.total:
        return _section("kinds", "回答类型", '<p class="note">没有提问。</p>')
    rows = [[KIND_LABELS[k], kinds[k], _pct(kinds.share(k))] for k in KINDS]
    return _section(
        "kinds",
        "回答类型",
        _figure(
            charts.answer_kinds(kinds),
            "已回答：直接给出带出处的答案；需澄清：列出候选问题请用户选择；"
            "寒暄/帮助：问候、帮助等；未能回答：知识库中没有答案，给出联系人。",
        ),
        _table([("类型", "q"), ("问题数", "n"), ("占比", "n")], rows, "kinds-table"),
    )


def _channels(data: Any, charts: Charts) -> str:
    """Questions per channel (Telegram, web page, …) with their kinds; a chart from two
    channels on (one channel is all of the kinds chart already)."""
    channels = data.channels
    if not channels:
        return _section("channels", "各渠道问题数", '<p class="note">没有提问。</p>')
    total = sum(c.total for c in channels)
    headers = [("渠道", "q"), ("问题数", "n"), ("占比", "n"), ("提问人数", "n")]
    headers += [(KIND_LABELS[k], "n") for k in KINDS] + [("未送达", "n")]
    rows = [
        [channel_name(c.channel), c.total, _pct(c.total / total), c.askers]
        + [c.kinds[k] for k in KINDS]
        + [c.undelivered]
        for c in channels
    ]
    body = [_table(headers, rows, "channels-table")]
    if len(channels) > 1:
        body.insert(
            0,
            _figure(
                charts.questions_per_channel(channels),
                f"{len(channels)} 个渠道共 {total} 个问题；提问人数按渠道分别计算。",
            ),
        )
    if data.undelivered:
        body.append(f'<p class="note">其中 {data.undelivered} 次回答未能送达用户。</p>')
    return _section("channels", "各渠道问题数", *body)


def _topics(data: Any, charts: Charts) -> str:
    entries = data.top_entries
    if not entries:
        return _section("topics", "热门问题主题", '<p class="note">没有引用条目的回答。</p>')
    rows = [[i, e.title, e.entry, e.count] for i, e in enumerate(entries, 1)]
    return _section(
        "topics",
        "热门问题主题",
        _figure(charts.top_topics(entries), f"被回答引用最多的前 {len(entries)} 个知识库条目。"),
        _details(
            _table(
                [("#", "n"), ("条目", "q"), ("编号", "q"), ("引用次数", "n")],
                rows,
                "topics-table",
            )
        ),
    )


def _quiz(data: Any, charts: Charts) -> str:
    groups = data.groups
    if not groups:
        return _section("quiz", "群测验", '<p class="note">所选时间内没有测验。</p>')
    names = data.group_names
    rows = [
        [
            names[g.chat_id],
            g.rounds,
            g.finished,
            g.stopped,
            g.open,
            g.questions,
            g.participants,
            g.answers,
            _pct(g.accuracy),
            g.points,
            f"{g.average_points:.1f}",
        ]
        for g in groups
    ]
    headers = [
        ("群", "q"),
        ("轮数", "n"),
        ("完成", "n"),
        ("提前结束", "n"),
        ("进行中", "n"),
        ("题数", "n"),
        ("参与人数", "n"),
        ("作答次数", "n"),
        ("正确率", "n"),
        ("总得分", "n"),
        ("人均得分", "n"),
    ]
    o = data.overview
    return _section(
        "quiz",
        "群测验",
        _figure(
            charts.quiz_rounds(groups, names),
            f"{o.groups} 个群共进行 {o.rounds} 轮测验。",
        ),
        _figure(
            charts.participants_and_scores(groups, names),
            f"共 {o.participants} 人参与（同一人在多个群只计一次），作答 {o.quiz_answers} 次，"
            f"总得分 {o.quiz_points}。",
        ),
        _table(headers, rows, "quiz-table"),
    )


def _unanswered(data: Any) -> str:
    questions = data.unanswered
    if not questions:
        return _section("unanswered", "未能回答的问题", '<p class="note">没有未能回答的问题。</p>')
    shown = questions[:MAX_UNANSWERED_ROWS]
    rows = [
        [i, q.text, q.count, q.users, f"{q.last_asked.astimezone(UTC):%Y-%m-%d %H:%M}"]
        for i, q in enumerate(shown, 1)
    ]
    more = (
        f"此处列出提问最多的 {len(shown)} 类；完整清单可在 Telegram 中由管理员用 /unanswered 导出。"
        if len(questions) > len(shown)
        else ""
    )
    return _section(
        "unanswered",
        "未能回答的问题",
        f'<p class="note">共 {data.unanswered_total} 次提问、{len(questions)} 类问题未能回答，'
        f"按提问次数排列——这是知识库接下来最值得补充的内容。{escape(more)}</p>",
        _table(
            [
                ("#", "n"),
                ("问题", "q"),
                ("次数", "n"),
                ("提问人数", "n"),
                ("最近提问（UTC）", "t"),
            ],
            rows,
            "unanswered-table",
        ),
    )


# -- data ------------------------------------------------------------------------------------------


def report_json(data: Any) -> dict[str, Any]:
    """The page's numbers for tools (the same values the tables show)."""
    o = data.overview
    names = data.group_names
    return {
        "period": {
            "since": data.period.since.isoformat() if data.period.since else None,
            "until": data.period.until.isoformat() if data.period.until else None,
        },
        "generated_at": data.generated_at.astimezone(UTC).isoformat(timespec="seconds"),
        "questions": o.questions,
        "askers": o.askers,
        "kinds": dict(o.kinds.counts),
        "by_channel": by_channel(data.channels),
        "channels": [
            {
                "channel": c.channel,
                "questions": c.total,
                "askers": c.askers,
                "kinds": dict(c.kinds.counts),
                "undelivered": c.undelivered,
            }
            for c in data.channels
        ],
        "undelivered": data.undelivered,
        "per_day": [
            {"day": d.day.isoformat(), "total": d.total, "kinds": dict(d.kinds)}
            for d in data.per_day
        ],
        "top_entries": [
            {"entry": e.entry, "title": e.title, "count": e.count} for e in data.top_entries
        ],
        "unanswered": {
            "questions": data.unanswered_total,
            "distinct": len(data.unanswered),
            "top": [
                {"text": q.text, "count": q.count, "users": q.users}
                for q in data.unanswered[:MAX_UNANSWERED_ROWS]
            ],
        },
        "quiz": {
            "rounds": o.rounds,
            "groups": o.groups,
            "participants": o.participants,
            "answers": o.quiz_answers,
            "points": o.quiz_points,
            "per_group": [
                {
                    "chat_id": g.chat_id,
                    "name": names[g.chat_id],
                    "rounds": g.rounds,
                    "finished": g.finished,
                    "stopped": g.stopped,
                    "open": g.open,
                    "questions": g.questions,
                    "participants": g.participants,
                    "answers": g.answers,
                    "correct": g.correct,
                    "points": g.points,
                }
                for g in data.groups
            ],
        },
        "practice": {
            "answers": o.practice.answers,
            "users": o.practice.users,
            "correct": o.practice.correct,
        },
        "live": live_json(data),
    }


def _json(value: object) -> str:
    """JSON safe inside <script>: no `<` (so no `</script>`), no `&`, no line separators."""
    text = json.dumps(value, ensure_ascii=False, indent=1)
    return (
        text.replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


def _pct(value: float) -> str:
    return f"{value:.1%}"
