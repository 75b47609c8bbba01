"""Prepare articles' text features in a second process while the caller does other work.

Reading an article (tokens, shingles, MinHash, counts: :meth:`LinkRepresenter.prepare`) is
about 60% of the linker's own cost and needs no stream state, so the streaming linker hands each
ingest batch to one worker process before the batch is written to the store: the store's writes
(mostly SQLite's full-text index) and the worker's reading run on two cores at once, and the
linker only finishes the features (TF-IDF weights, times) in the main process.

A small batch is prepared in-process (a process hop costs more than it saves); a worker that
dies or fails is reported once and the linker goes on in-process.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import time
from collections.abc import Sequence
from concurrent.futures import Future, ProcessPoolExecutor

from newsprism.errors import ConfigError
from newsprism.represent.features import LinkRepresenter, PreparedText
from newsprism.represent.minhash import MinHasher
from newsprism.represent.tfidf import HashedTfidf

logger = logging.getLogger(__name__)

# The representer of the worker process (built once by the pool's initializer).
_WORKER: LinkRepresenter | None = None


def _init_worker(minhasher: MinHasher, settings: tuple[int, int, object, int]) -> None:
    global _WORKER
    n_bits, top_k, weights, max_tokens = settings
    tfidf = HashedTfidf(n_bits=n_bits, top_k=top_k, weights=weights, max_tokens=max_tokens)  # type: ignore[arg-type]
    _WORKER = LinkRepresenter(minhasher=minhasher, tfidf=tfidf, max_tokens=max_tokens)


def _prepare_batch(texts: list[tuple[str, str]]) -> tuple[list[PreparedText], list[float]]:
    """Worker side: prepared features and the seconds each article took."""
    representer = _WORKER
    if representer is None:  # pragma: no cover - the initializer always runs first
        raise RuntimeError("worker representer not initialised")
    out: list[PreparedText] = []
    seconds: list[float] = []
    for title, body in texts:
        started = time.perf_counter()
        out.append(representer.prepare(title, body))
        seconds.append(time.perf_counter() - started)
    representer.trim()
    return out, seconds


class PrepareWorker:
    """One worker process preparing batches for a :class:`LinkRepresenter`.

    Args:
        representer: the main process's representer (its hashing settings are copied; prepared
            features must match what it would compute itself).
        min_batch: batches smaller than this are not sent (prepared in-process by the caller).
    """

    def __init__(self, representer: LinkRepresenter, min_batch: int = 32) -> None:
        if not isinstance(min_batch, int) or min_batch < 1:
            raise ConfigError(f"min_batch must be a positive integer, got {min_batch!r}")
        self.min_batch = min_batch
        tfidf = representer.tfidf
        self._init_args = (
            representer.minhasher,
            (tfidf.n_bits, tfidf.top_k, tfidf.weights, representer.max_tokens),
        )
        self._pool: ProcessPoolExecutor | None = None
        self.failed = False

    @staticmethod
    def available() -> bool:
        """Whether a second core exists to run a worker on."""
        return (os.cpu_count() or 1) > 1

    def submit(self, texts: Sequence[tuple[str, str]]) -> Future[tuple[list[PreparedText], list[float]]] | None:
        """Start preparing ``(title, body)`` pairs; None when the batch stays in-process."""
        if self.failed or len(texts) < self.min_batch:
            return None
        try:
            if self._pool is None:
                # "spawn": a clean interpreter, safe under servers and threads (fork is not).
                context = multiprocessing.get_context("spawn")
                self._pool = ProcessPoolExecutor(
                    1, mp_context=context, initializer=_init_worker, initargs=self._init_args
                )
            return self._pool.submit(_prepare_batch, list(texts))
        except Exception:  # no process could start: stay in-process
            logger.warning("link worker process could not start; preparing in-process", exc_info=True)
            self._give_up()
            return None

    def result(
        self, future: Future[tuple[list[PreparedText], list[float]]]
    ) -> tuple[list[PreparedText], list[float]] | None:
        """The prepared batch, or None when the worker failed (then prepare in-process)."""
        try:
            return future.result()
        except Exception:  # a dead worker or a bug there: the caller prepares in-process
            logger.warning("link worker process failed; preparing in-process from now on", exc_info=True)
            self._give_up()
            return None

    def _give_up(self) -> None:
        self.failed = True
        self.close()

    def close(self) -> None:
        """Stop the worker process (a later batch starts a new one unless it failed)."""
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None
