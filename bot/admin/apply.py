"""Applying learned wordings, only when the evaluation does not get worse.

An apply builds a candidate engine beside the one in service — the same directories, with
the active wordings and the pending ones (the retiring ones left out) — runs the held-out
evaluation (bot.admin.evaluation) on both, and refuses, changing nothing, when hit@1 drops
on any set that fits the knowledge base. A refusal names the held-out questions that got
worse and, as suspects, the pending wordings attached to the entry each of them now gets
first: what an organiser takes back before trying again. Accepted, the pending wordings become active and
the retiring ones go (one transaction, with its audit row), and the candidate — the very
engine evaluated — is put in service. One apply at a time per process.
"""

from __future__ import annotations

import asyncio
import weakref
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from bot.admin import audit
from bot.admin.evaluation import (
    EvalSet,
    Score,
    Worse,
    answers_with,
    eval_dir,
    held_out_sets,
    label,
    score,
    worse,
)
from bot.admin.learned import CANDIDATE, activate, by_entry, listing
from bot.engine import Engine
from bot.storage import Database

if TYPE_CHECKING:
    from bot.app import EngineHolder, ReloadResult


@dataclass(frozen=True)
class SetComparison:
    name: str
    before: Score
    after: Score
    worse: list[Worse] = field(default_factory=list)

    @property
    def dropped(self) -> bool:
        return self.after.hit1 < self.before.hit1


@dataclass(frozen=True)
class ApplyOutcome:
    """What an apply did. `reason`: applied, dry_run, dropped, nothing_pending, no_eval,
    broken (the candidate did not build), busy, refused (a validator said no)."""

    applied: bool
    reason: str
    sets: list[SetComparison] = field(default_factory=list)
    attached: int = 0
    right_before: int = 0
    right_after: int = 0
    problems: list[str] = field(default_factory=list)
    reload: ReloadResult | None = None
    # Ids of the pending wordings attached to an entry that a worse question now gets first.
    suspects: list[int] = field(default_factory=list)


class LearnedApplier:
    """Evaluates and applies the pending wordings for one engine holder."""

    def __init__(
        self, db: Database, holder: EngineHolder, directory: Path | str | None = None
    ) -> None:
        self.db = db
        self.holder = holder
        self.directory = eval_dir(directory)
        self._lock = asyncio.Lock()
        # The scores of the engine in service, kept while it serves (it does not change).
        self._before: tuple[weakref.ref[Engine], tuple[str, ...], list[Score]] | None = None

    def _scores_before(self, engine: Engine, sets: list[EvalSet]) -> list[Score]:
        names = tuple(s.name for s in sets)
        if self._before is not None:
            ref, cached_names, scores = self._before
            if ref() is engine and cached_names == names:
                return scores
        scores = [score(engine, s.items) for s in sets]
        self._before = (weakref.ref(engine), names, scores)
        return scores

    async def apply(self, actor: str, *, dry_run: bool = False) -> ApplyOutcome:
        if self._lock.locked():
            return ApplyOutcome(False, "busy")
        async with self._lock:
            return await self._apply(actor, dry_run)

    async def _apply(self, actor: str, dry_run: bool) -> ApplyOutcome:
        rows = await listing(self.db)
        pending = [r for r in rows if r.status == "pending"]
        retiring = [r for r in rows if r.status == "retiring"]
        if not pending and not retiring:
            return ApplyOutcome(False, "nothing_pending")
        current = self.holder.engine
        sets = await asyncio.to_thread(held_out_sets, current.kb, self.directory)
        if not sets:
            await audit.record(self.db, actor, "apply_refused", f"没有评估题集：{self.directory}")
            return ApplyOutcome(False, "no_eval", attached=len(pending))
        learned = by_entry([r for r in rows if r.status in CANDIDATE])
        built = await self.holder.candidate(learned)
        if isinstance(built, list):
            await audit.record(self.db, actor, "apply_refused", f"知识库有 {len(built)} 个问题")
            return ApplyOutcome(False, "broken", problems=built, attached=len(pending))

        def evaluate() -> tuple[list[SetComparison], int, int]:
            before = self._scores_before(current, sets)
            after = [score(built, s.items) for s in sets]
            compared = [
                SetComparison(s.name, b, a, worse(s.items, b, a))
                for s, b, a in zip(sets, before, after, strict=True)
            ]
            right_before = sum(answers_with(current, r.wording, r.entry) for r in pending)
            right_after = sum(answers_with(built, r.wording, r.entry) for r in pending)
            return compared, right_before, right_after

        compared, right_before, right_after = await asyncio.to_thread(evaluate)
        figures = "；".join(
            f"{label(c.name)}首位命中 {c.before.hit1}/{c.before.questions} → "
            f"{c.after.hit1}/{c.after.questions}"
            for c in compared
        )
        now_first = {w.now for c in compared for w in c.worse if w.now}
        common = {
            "sets": compared,
            "attached": len(pending),
            "right_before": right_before,
            "right_after": right_after,
            "suspects": [r.id for r in pending if r.entry in now_first],
        }
        if any(c.dropped for c in compared):
            await audit.record(self.db, actor, "apply_refused", f"评估下降：{figures}")
            return ApplyOutcome(False, "dropped", **common)  # type: ignore[arg-type]
        if dry_run:
            return ApplyOutcome(False, "dry_run", **common)  # type: ignore[arg-type]
        detail = f"{len(pending)} 个问法生效，{len(retiring)} 个移除；{figures}"
        await activate(self.db, [r.id for r in pending], [r.id for r in retiring], actor, detail)
        reload = await self.holder.adopt(built, learned)
        return ApplyOutcome(
            reload.ok, "applied" if reload.ok else "refused", reload=reload, **common
        )  # type: ignore[arg-type]
