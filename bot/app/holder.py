"""The engine in service, and reloading it without ever serving half a version.

A reload builds a whole new engine beside the running one (in a worker thread: loading and
indexing take a second of CPU), checks it, and swaps the reference in one step; a question
is answered wholly by the old engine or wholly by the new. When the new version has problems
the old one keeps serving and the problems come back as `file:line: message`. Channels that
keep something built from the engine (Telegram's texts and button codec) register a
validator, which can refuse a version, and a listener, told of each swap.
"""

from __future__ import annotations

import asyncio
import ctypes
import gc
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from bot.app.snapshot import save_snapshot
from bot.engine import Engine
from bot.engine.intents import collect_intents
from bot.knowledge.loader import collect

_LOGGER = logging.getLogger(__name__)

# A validator returns the problems it finds with a new engine (empty: fine).
Validator = Callable[[Engine], list[str]]
Listener = Callable[[Engine], None]


@dataclass(frozen=True)
class ReloadResult:
    """What a reload did: `ok` with the new engine, or the problems that kept the old one."""

    ok: bool
    problems: list[str] = field(default_factory=list)
    engine: Engine | None = None

    def summary(self) -> dict[str, int]:
        """Counts of what the new version holds (empty when refused)."""
        if self.engine is None:
            return {}
        kb = self.engine.kb
        return {
            "sources": len(kb.sources) + len(kb.laws),
            "entries": len(kb.entries),
            "contacts": len(kb.contacts),
            "quiz": len(kb.quiz),
            "rules": len(self.engine.intents.rules),
        }


def build_engine(
    knowledge_dir: Path | str, intents_dir: Path | str, template: Engine | None = None
) -> Engine | list[str]:
    """A new engine from the directories, or its problems as `file:line: message` lines.

    Keeps `template`'s tuning and its choice of semantic matching, so a reload changes the
    knowledge, not how it is matched.
    """
    kb, problems = collect(knowledge_dir)
    intents, intent_problems = collect_intents(intents_dir)
    found = sorted(problems + intent_problems)
    if found:
        return [str(p) for p in found]
    return Engine(
        kb,
        intents,
        template.tuning if template else None,
        semantic=template is None or template.retriever.semantic is not None,
    )


class EngineHolder:
    """Holds the current engine; `reload` swaps in a new one only when it is whole."""

    def __init__(
        self,
        engine: Engine,
        knowledge_dir: Path | str | None = None,
        intents_dir: Path | str | None = None,
    ) -> None:
        self._engine = engine
        self.knowledge_dir = Path(knowledge_dir or engine.kb.directory)
        self.intents_dir = Path(intents_dir) if intents_dir else None
        self.version = 1
        # Set while serving the last good snapshot because the directories are broken.
        self.problems: list[str] = []
        self._validators: list[Validator] = []
        self._listeners: list[Listener] = []
        self._lock: asyncio.Lock | None = None

    @property
    def engine(self) -> Engine:
        return self._engine

    def add_validator(self, validator: Validator) -> None:
        self._validators.append(validator)

    def subscribe(self, listener: Listener) -> None:
        self._listeners.append(listener)

    def _build(self) -> Engine | list[str]:
        if self.intents_dir is None:
            return ["no intents directory to reload from"]
        built = build_engine(self.knowledge_dir, self.intents_dir, self._engine)
        if isinstance(built, list):
            return built
        problems = [p for check in self._validators for p in check(built)]
        return problems or built

    async def reload(self) -> ReloadResult:
        """Build, check and swap; one reload at a time, answering goes on meanwhile."""
        if self._lock is None:
            self._lock = asyncio.Lock()
        async with self._lock:
            try:
                built = await asyncio.to_thread(self._build)
            except Exception as exc:  # a bug while building: refuse, keep serving
                _LOGGER.exception("reload: the new version could not be built")
                built = [f"{type(exc).__name__}: {exc}"]
            if isinstance(built, list):
                _LOGGER.warning("reload refused: %d problem(s)", len(built))
                return ReloadResult(False, built)
            self.swap(built)
            self.problems = []
            if self.intents_dir is not None:
                await asyncio.to_thread(save_snapshot, self.knowledge_dir, self.intents_dir)
        _LOGGER.info("knowledge reloaded: %d entries", len(built.kb.entries))
        return ReloadResult(True, [], built)

    def swap(self, engine: Engine) -> None:
        """Put `engine` in service and tell the listeners; nothing here awaits."""
        self._engine = engine
        self.version += 1
        for listener in self._listeners:
            listener(engine)
        release_replaced()


def release_replaced() -> None:
    """Free a replaced engine, and give its memory back to the system.

    The Telegram bot freezes its start-up heap (`gc.freeze`, so full collections need not
    walk it); frozen objects in reference cycles — an engine and its caches — are never
    collected, so the heap is thawed, collected once and frozen again. glibc keeps freed
    memory in its arenas; `malloc_trim` returns it, so RSS after twenty reloads stays near
    RSS after one (benchmarks/reload_memory.py).
    """
    frozen = gc.get_freeze_count() > 0
    if frozen:
        gc.unfreeze()
    gc.collect()
    if frozen:
        gc.freeze()
    if _LIBC is not None:
        _LIBC.malloc_trim(0)


def _libc() -> ctypes.CDLL | None:
    try:
        libc = ctypes.CDLL("libc.so.6")
        libc.malloc_trim  # noqa: B018 - glibc only
    except (OSError, AttributeError):
        return None
    return libc


_LIBC = _libc()
