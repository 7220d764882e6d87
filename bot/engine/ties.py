"""When the best two passages fit a question alike and it is offered back rather than
answered, however well the first one fits."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from bot.engine.retrieve import Candidate
from bot.engine.tuning import Tuning


def is_tie(
    top: Candidate,
    rivals: Sequence[Candidate],
    gap: float,
    needed_gap: float,
    tuning: Tuning,
    *,
    bare: Callable[[], bool] = lambda: False,
) -> bool:
    """Two articles the question's words fit equally (注册商标有效期 in both 第三十九条 and
    第四十条) that meaning orders only narrowly; or, for a message of one word alone
    (`bare`, asked last: 条例, 宣贯), passages holding it whole that score alike, unless the first is
    within the other (政府职责: the duty, within the point (一) that holds it) or one is an
    item of the other (工作重点: the list, before its first item)."""
    rival = rivals[0] if rivals else None
    if rival is None:
        return False
    articles = top.entry.kind == "article" and rival.entry.kind == "article"
    if articles and gap < tuning.article_tie and top.rank - rival.rank < tuning.article_lead:
        return True
    parts = rival.entry.item_of == top.entry.id or top.entry.item_of == rival.entry.id
    return (
        gap < needed_gap
        and top.coverage == 1
        and not parts
        and not _within(top.entry.text, rival.entry.text)
        and bare()
    )


def _within(part: str, whole: str) -> bool:
    """Whether the second passage holds the first whole."""
    return bool(part.strip()) and part.strip() in whole
