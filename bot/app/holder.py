"""The engine in service, and reloading it without ever serving half a version.

A reload builds a whole new engine beside the running one (in a worker thread: loading and
indexing take a second of CPU), checks it, and swaps the reference in one step; a question
is answered wholly by the old engine or wholly by the new. When the new version has problems
the old one keeps serving and the problems come back as `file:line: message`. Channels that
keep something built from the engine (Telegram's texts and button codec) register a
validator, which can refuse a version, and a listener, told of each swap.

Wordings learned in the admin console (bot.admin.learned, in the database) are merged into
their entries' ways of asking (`questions`) whenever an engine is built here, so they take
effect at every load without anyone editing the YAML; the holder remembers the set built
into the engine in service (`learned`), and a reload given none keeps it.
"""

from __future__ import annotations

import asyncio
import ctypes
import gc
import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from bot.app.snapshot import save_snapshot
from bot.engine import Engine
from bot.engine.intents import collect_intents
from bot.knowledge.loader import collect
from bot.knowledge.model import KnowledgeBase

# Entry id → wordings learned for it (in the order they were attached).
Learned = Mapping[str, Sequence[str]]

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


def with_learned(kb: KnowledgeBase, learned: Learned | None) -> list[str]:
    """Add learned wordings to their entries' questions in `kb` (a freshly loaded base);
    the entry ids it names that the base no longer has (their wordings are left out)."""
    missing = []
    changed = {}
    for entry_id, wordings in (learned or {}).items():
        entry = kb.entries.get(entry_id)
        if entry is None:
            missing.append(entry_id)
            continue
        known = set(entry.questions)
        extra = tuple(dict.fromkeys(w for w in wordings if w and w not in known))
        if extra:
            changed[entry_id] = replace(entry, questions=entry.questions + extra)
    if changed:
        kb.replace_entries(changed)
    return missing


def build_engine(
    knowledge_dir: Path | str,
    intents_dir: Path | str,
    template: Engine | None = None,
    learned: Learned | None = None,
) -> Engine | list[str]:
    """A new engine from the directories, or its problems as `file:line: message` lines.

    Keeps `template`'s tuning and its choice of semantic matching, so a reload changes the
    knowledge, not how it is matched; `learned` wordings join their entries' questions.
    """
    kb, problems = collect(knowledge_dir)
    intents, intent_problems = collect_intents(intents_dir)
    found = sorted(problems + intent_problems)
    if found:
        return [str(p) for p in found]
    missing = with_learned(kb, learned)
    if missing:
        _LOGGER.warning("learned wordings of %d missing entries left out", len(missing))
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
        # The learned wordings built into the engine in service (see with_learned).
        self.learned: dict[str, tuple[str, ...]] = {}
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

    def _build(self, learned: Learned) -> Engine | list[str]:
        if self.intents_dir is None:
            return ["no intents directory to reload from"]
        built = build_engine(self.knowledge_dir, self.intents_dir, self._engine, learned)
        if isinstance(built, list):
            return built
        problems = [p for check in self._validators for p in check(built)]
        return problems or built

    async def candidate(self, learned: Learned) -> Engine | list[str]:
        """An engine from the directories with `learned`, built aside and not put in service
        (the admin console evaluates it before `adopt`)."""
        try:
            built = await asyncio.to_thread(self._build, learned)
        except Exception as exc:  # a bug while building
            _LOGGER.exception("a candidate engine could not be built")
            return [f"{type(exc).__name__}: {exc}"]
        return built

    async def reload(self, learned: Learned | None = None) -> ReloadResult:
        """Build, check and swap; one reload at a time, answering goes on meanwhile.
        `learned` replaces the learned wordings (None keeps those in service)."""
        wordings = _frozen(self.learned if learned is None else learned)
        if self._lock is None:
            self._lock = asyncio.Lock()
        async with self._lock:
            try:
                built = await asyncio.to_thread(self._build, wordings)
            except Exception as exc:  # a bug while building: refuse, keep serving
                _LOGGER.exception("reload: the new version could not be built")
                built = [f"{type(exc).__name__}: {exc}"]
            if isinstance(built, list):
                _LOGGER.warning("reload refused: %d problem(s)", len(built))
                return ReloadResult(False, built)
            return await self._put(built, wordings)

    async def adopt(self, engine: Engine, learned: Learned) -> ReloadResult:
        """Put a candidate built with `learned` in service, if the validators pass it."""
        if self._lock is None:
            self._lock = asyncio.Lock()
        async with self._lock:
            problems = [p for check in self._validators for p in check(engine)]
            if problems:
                return ReloadResult(False, problems)
            return await self._put(engine, _frozen(learned))

    async def _put(self, built: Engine, learned: dict[str, tuple[str, ...]]) -> ReloadResult:
        self.learned = learned
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


def _frozen(learned: Learned) -> dict[str, tuple[str, ...]]:
    return {entry: tuple(wordings) for entry, wordings in learned.items() if wordings}


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
