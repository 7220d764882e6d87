"""The report's charts: matplotlib figures rendered to SVG for inlining into the page.

Figures are built with `matplotlib.figure.Figure` (no pyplot: no global state, no GUI
backend). Text is written as glyph outlines (`svg.fonttype = path`), so the page shows the
Chinese labels on any machine, fonts installed or not; the font the outlines come from is the
CJK font `fonts.find_cjk_font` chose. Each SVG gets its own id prefix, so several can share
one HTML document without their ids colliding.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from typing import Any

import matplotlib
from matplotlib.dates import AutoDateLocator, DateFormatter
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator

from bot.report.fonts import CjkFont
from bot.stats import ChannelCounts, DayCount, EntryCount, GroupQuiz, KindCounts, channel_name

# Ticks on a count axis: few, so four-digit numbers never run together, even on a phone
# (where the page shrinks the chart to its width) or in a half-width panel.
COUNT_TICKS = 5

KIND_LABELS = {
    "answer": "已回答",
    "clarify": "需澄清",
    "smalltalk": "寒暄/帮助",
    "fallback": "未能回答",
}
KIND_COLORS = {
    "answer": "#2f7d4f",
    "clarify": "#d19a1f",
    "smalltalk": "#8a8f98",
    "fallback": "#c2413b",
}
ACCENT = "#2f5d9a"
SECOND = "#d17a22"
WIDTH = 7.5  # inches; the page scales the SVG to its column (a phone's too)
MAX_LABEL = 22  # characters of a bar label before it is cut with …
MAX_GROUP_LABEL = 14  # a group's title in a chart (the table beside it shows it whole)

_XML_PROLOGUE = re.compile(r"^.*?(?=<svg)", re.S)
_ID = re.compile(r'\bid="([^"]+)"')
_REF = re.compile(r'(href="#|url\(#)([^")]+)')
_SIZE = re.compile(r'^<svg([^>]*?) width="[^"]+" height="[^"]+"')
_COMMENT = re.compile(r"<!--.*?-->", re.S)


class Charts:
    """Draws the report's charts with one CJK font; each method returns inline SVG markup."""

    def __init__(self, font: CjkFont) -> None:
        self.font = font
        self._count = 0
        self.rc: dict[str, Any] = {
            "svg.fonttype": "path",
            "svg.hashsalt": "ipreg-report",  # stable ids: the same data draws the same page
            "font.family": [font.family, "DejaVu Sans"],
            "font.size": 11,
            "axes.titlesize": 12,
            "axes.spines.top": False,
            "axes.spines.right": False,
            "axes.unicode_minus": False,
        }

    # -- the charts --------------------------------------------------------------------------

    def questions_per_day(self, days: Sequence[DayCount]) -> str:
        """Stacked bars: questions per UTC day, by reply kind."""
        with matplotlib.rc_context(self.rc):
            figure = Figure(figsize=(WIDTH, 3.4), layout="constrained")
            axes = figure.subplots()
            dates = [d.day for d in days]
            bottom = [0] * len(days)
            width = 0.8 if len(days) < 200 else 1.0
            for kind, label in KIND_LABELS.items():
                values = [d.kinds.get(kind, 0) for d in days]
                if not any(values):
                    continue
                axes.bar(
                    dates,
                    values,
                    bottom=bottom,
                    width=width,
                    color=KIND_COLORS[kind],
                    label=label,
                )
                bottom = [b + v for b, v in zip(bottom, values, strict=True)]
            locator = AutoDateLocator(minticks=3, maxticks=10)
            axes.xaxis.set_major_locator(locator)
            axes.xaxis.set_major_formatter(DateFormatter("%m-%d"))
            count_axis(axes.yaxis)
            axes.set_ylabel("问题数")
            axes.set_title("每日问题数（UTC 日）", loc="left")
            figure.legend(loc="outside upper right", frameon=False, ncols=4)
            axes.grid(axis="y", alpha=0.3)
            return self._svg(figure, "每日问题数")

    def answer_kinds(self, kinds: KindCounts) -> str:
        """Horizontal bars: questions per reply kind, with count and share."""
        with matplotlib.rc_context(self.rc):
            figure = Figure(figsize=(WIDTH, 2.6), layout="constrained")
            axes = figure.subplots()
            order = list(KIND_LABELS)[::-1]
            values = [kinds[k] for k in order]
            bars = axes.barh(
                [KIND_LABELS[k] for k in order], values, color=[KIND_COLORS[k] for k in order]
            )
            axes.bar_label(
                bars,
                labels=[f"{kinds[k]}（{kinds.share(k):.1%}）" for k in order],
                padding=4,
            )
            count_axis(axes.xaxis)
            axes.set_xlim(0, max([*values, 1]) * 1.25)
            axes.set_title("回答类型")
            return self._svg(figure, "回答类型")

    def questions_per_channel(self, channels: Sequence[ChannelCounts]) -> str:
        """Horizontal stacked bars: questions per channel (Telegram, 网页, …), by reply kind."""
        with matplotlib.rc_context(self.rc):
            height = 1.3 + 0.34 * max(2, len(channels))
            figure = Figure(figsize=(WIDTH, height), layout="constrained")
            axes = figure.subplots()
            shown = list(channels)[::-1]
            labels = [channel_name(c.channel) for c in shown]
            left = [0] * len(shown)
            for kind, label in KIND_LABELS.items():
                values = [c.kinds[kind] for c in shown]
                if not any(values):
                    continue
                axes.barh(labels, values, left=left, color=KIND_COLORS[kind], label=label)
                left = [a + b for a, b in zip(left, values, strict=True)]
            for y, total in enumerate(left):
                axes.text(total, y, f" {total}", va="center")
            count_axis(axes.xaxis)
            axes.set_xlim(0, max([*left, 1]) * 1.15)
            axes.set_title("各渠道问题数")
            figure.legend(loc="outside upper right", frameon=False, ncols=4)
            return self._svg(figure, "各渠道问题数")

    def top_topics(self, entries: Sequence[EntryCount]) -> str:
        """Horizontal bars: the knowledge-base entries answers cited most."""
        with matplotlib.rc_context(self.rc):
            height = 1.0 + 0.32 * max(3, len(entries))
            figure = Figure(figsize=(WIDTH, height), layout="constrained")
            axes = figure.subplots()
            shown = list(entries)[::-1]
            bars = axes.barh(
                range(len(shown)), [e.count for e in shown], color=ACCENT, tick_label=None
            )
            axes.set_yticks(range(len(shown)), [shorten(e.title) for e in shown])
            axes.bar_label(bars, padding=3)
            count_axis(axes.xaxis)
            axes.set_xlim(0, max([e.count for e in shown] + [1]) * 1.15)
            axes.set_title("热门问题主题（被引用最多的条目）")
            return self._svg(figure, "热门问题主题")

    def quiz_rounds(self, groups: Sequence[GroupQuiz], names: dict[int, str]) -> str:
        """Horizontal stacked bars: rounds per group, finished / stopped early / running.
        `names`: chat id → how the group is called (`group_names`)."""
        with matplotlib.rc_context(self.rc):
            height = 1.2 + 0.34 * max(3, len(groups))
            figure = Figure(figsize=(WIDTH, height), layout="constrained")
            axes = figure.subplots()
            shown = list(groups)[::-1]
            labels = [shorten(names[g.chat_id], MAX_GROUP_LABEL) for g in shown]
            left = [0] * len(shown)
            for attribute, label, color in (
                ("finished", "完成", ACCENT),
                ("stopped", "提前结束", SECOND),
                ("open", "进行中", "#8a8f98"),
            ):
                values = [getattr(g, attribute) for g in shown]
                if not any(values):
                    continue
                axes.barh(labels, values, left=left, color=color, label=label)
                left = [a + b for a, b in zip(left, values, strict=True)]
            for y, total in enumerate(left):
                axes.text(total, y, f" {total}", va="center")
            count_axis(axes.xaxis)
            axes.set_xlim(0, max([*left, 1]) * 1.15)
            axes.set_title("各群测验轮数")
            figure.legend(loc="outside upper right", frameon=False, ncols=3)
            return self._svg(figure, "各群测验轮数")

    def participants_and_scores(self, groups: Sequence[GroupQuiz], names: dict[int, str]) -> str:
        """Two panels, one above the other (each the page's full width, so the numbers have
        room on a phone): participants per group, and total points with the average."""
        with matplotlib.rc_context(self.rc):
            rows = max(3, len(groups))
            height = 1.6 + 0.56 * rows
            figure = Figure(figsize=(WIDTH, height), layout="constrained")
            top, bottom = figure.subplots(2, 1, sharey=True)
            shown = list(groups)[::-1]
            labels = [shorten(names[g.chat_id], MAX_GROUP_LABEL) for g in shown]
            bars = top.barh(labels, [g.participants for g in shown], color=ACCENT)
            top.bar_label(bars, labels=[thousands(g.participants) for g in shown], padding=3)
            top.set_title("参与人数", loc="left")
            top.set_xlim(0, max([g.participants for g in shown] + [1]) * 1.2)
            bars = bottom.barh(labels, [g.points for g in shown], color=SECOND)
            bottom.bar_label(
                bars,
                labels=[f"{thousands(g.points)}（人均 {g.average_points:.1f}）" for g in shown],
                padding=3,
            )
            bottom.set_title("总得分", loc="left")
            bottom.set_xlim(0, max([g.points for g in shown] + [1]) * 1.6)
            for axes in (top, bottom):
                count_axis(axes.xaxis)
            return self._svg(figure, "各群参与人数和得分")

    # -- rendering ---------------------------------------------------------------------------

    def _svg(self, figure: Figure, title: str) -> str:
        buffer = io.StringIO()
        figure.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
        self._count += 1
        return inline_svg(buffer.getvalue(), f"chart{self._count}", title)


def inline_svg(svg: str, prefix: str, title: str) -> str:
    """matplotlib's SVG document as markup for an HTML page.

    Drops the XML prologue and the comments (matplotlib writes every label as a comment),
    prefixes every id and reference with `prefix`, scales to the page width, and labels the
    image for screen readers.
    """
    svg = _XML_PROLOGUE.sub("", svg, count=1)
    svg = _COMMENT.sub("", svg)
    ids = set(_ID.findall(svg))
    svg = _ID.sub(lambda m: f'id="{prefix}-{m.group(1)}"', svg)
    svg = _REF.sub(
        lambda m: f"{m.group(1)}{prefix}-{m.group(2)}" if m.group(2) in ids else m.group(0), svg
    )
    svg = _SIZE.sub(
        lambda m: (
            f'<svg{m.group(1)} role="img" aria-labelledby="{prefix}-title" '
            'preserveAspectRatio="xMidYMid meet" style="width:100%;height:auto"'
        ),
        svg,
        count=1,
    )
    escaped = title.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    svg = re.sub(r"(<svg[^>]*>)", rf'\1<title id="{prefix}-title">{escaped}</title>', svg, count=1)
    return svg.strip()


def shorten(text: str, limit: int = MAX_LABEL) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def thousands(value: float) -> str:
    """A count as people read it: 1,600; from 100,000 on in 万 (12.5万)."""
    if abs(value) >= 100_000:
        return f"{value / 10_000:.4g}万"
    return f"{value:,.0f}"


def count_axis(axis: Any) -> None:
    """Integer ticks, few of them (COUNT_TICKS at most), with thousands separators."""
    axis.set_major_locator(MaxNLocator(nbins=COUNT_TICKS, integer=True, min_n_ticks=2))
    axis.set_major_formatter(FuncFormatter(lambda value, _: thousands(value)))


def group_names(groups: Sequence[GroupQuiz], titles: dict[int, str]) -> dict[int, str]:
    """chat id → how the report calls the group: its title as Telegram last gave it, else a
    short label by order (群 1, 群 2, …; a chat id means nothing to a reader). Two groups
    with the same title get their label added, so rows stay apart."""
    names: dict[int, str] = {}
    unnamed = 0
    for group in groups:
        title = " ".join((titles.get(group.chat_id) or "").split())
        if not title:
            unnamed += 1
            title = f"群 {unnamed}"
        names[group.chat_id] = title
    seen: dict[str, int] = {}
    for chat_id, name in names.items():
        seen[name] = seen.get(name, 0) + 1
        if seen[name] > 1:
            names[chat_id] = f"{name}（{seen[name]}）"
    return names
