"""The last good knowledge base, kept so a restart never takes the service down.

Every successful load (a start, a reload) copies the knowledge and intents directories to a
snapshot (BOT_SNAPSHOT_DIR, by default beside the vector cache: BOT_CACHE_DIR/snapshot), atomically: a new copy is made
aside and renamed over the old one. A process started while the knowledge directory is
broken serves the snapshot instead, reports the problems as `file:line: message`, and says
it is degraded (health endpoint, `stats`), until a reload of a mended directory succeeds.
"""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
from pathlib import Path

from bot.engine import Engine
from bot.engine.signals.semantic import cache_dir
from bot.knowledge.loader import KnowledgeError
from bot.settings import Settings

_LOGGER = logging.getLogger(__name__)


def snapshot_dir() -> Path:
    """BOT_SNAPSHOT_DIR, or `snapshot` in the vector cache directory (BOT_CACHE_DIR)."""
    configured = Settings.from_env().snapshot_dir
    return configured if configured else cache_dir() / "snapshot"


def save_snapshot(knowledge_dir: Path | str, intents_dir: Path | str) -> bool:
    """Copy both directories as the last good version; False (logged) when it cannot."""
    target = snapshot_dir()
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fresh = Path(tempfile.mkdtemp(prefix=".snapshot-", dir=target.parent))
        shutil.copytree(knowledge_dir, fresh / "knowledge")
        shutil.copytree(intents_dir, fresh / "intents")
        old = target.with_name(f".snapshot-old-{os.getpid()}")
        if target.exists():
            target.rename(old)
        fresh.rename(target)
        shutil.rmtree(old, ignore_errors=True)
    except OSError as exc:
        _LOGGER.warning("could not keep a snapshot of the knowledge base (%s)", exc.strerror)
        return False
    return True


def load_engine(
    knowledge_dir: Path | str, intents_dir: Path | str, **options: bool
) -> tuple[Engine, list[str]]:
    """The engine over the directories (and a fresh snapshot of them); when they are broken,
    the engine over the last snapshot and the problems found. Raises KnowledgeError when
    they are broken and there is no snapshot."""
    try:
        engine = Engine.from_dirs(knowledge_dir, intents_dir, **options)
    except KnowledgeError as exc:
        saved = snapshot_dir()
        if not (saved / "knowledge").is_dir() or not (saved / "intents").is_dir():
            raise
        problems = [str(p) for p in exc.problems]
        _LOGGER.warning(
            "knowledge base broken (%d problem(s)); serving the last good snapshot",
            len(problems),
        )
        for problem in problems[:20]:
            _LOGGER.warning("  %s", problem)
        try:
            engine = Engine.from_dirs(saved / "knowledge", saved / "intents", **options)
        except KnowledgeError:
            raise exc from None  # the snapshot is no better: report the directories' problems
        return engine, problems
    save_snapshot(knowledge_dir, intents_dir)
    return engine, []
