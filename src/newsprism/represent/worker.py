"""Prepare articles' text features in a second process while the caller does other work.

Reading an article (tokens, shingles, MinHash, counts: :meth:`LinkRepresenter.prepare`) is
about 60% of the linker's own cost and needs no stream state, so the streaming linker hands each
ingest batch to one worker process before the batch is written to the store: the store's writes
and the worker's reading run on two cores at once, and the linker only finishes the features
(TF-IDF weights, times) in the main process.

The worker is ``python -c`` running :func:`_serve` of this module (see ``_ENTRY``), fed pickled batches over its stdin and
answering on its stdout, one batch at a time, in order. Not ``multiprocessing``: its spawn and
forkserver modes re-import the caller's main script in the child (an unguarded script would run
again there, ingest included), and fork is unsafe in threaded servers. A thread here writes each
batch and reads its answer, so the caller never blocks on the pipes.

A small batch is prepared in-process (a process hop costs more than it saves); a worker that
dies or fails is reported once and the linker goes on in-process.
"""

from __future__ import annotations

import contextlib
import logging
import os
import pickle
import queue
import struct
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from typing import IO, Any

from newsprism.errors import ConfigError
from newsprism.represent.features import LinkRepresenter, PreparedText
from newsprism.represent.minhash import MinHasher
from newsprism.represent.tfidf import HashedTfidf

logger = logging.getLogger(__name__)

Prepared = tuple[list[PreparedText], list[float]]
"""A prepared batch: each article's text features and the seconds it took in the worker."""

_HEADER = struct.Struct("<Q")


class PendingBatch:
    """A batch sent to the worker; :meth:`PrepareWorker.result` waits for it."""

    def __init__(self, texts: list[tuple[str, str]]) -> None:
        self.texts = texts
        self.done = threading.Event()
        self.value: Prepared | None = None
        self.error: BaseException | None = None

    def cancel(self) -> None:
        """Forget the answer (it is still computed; the batch was never linked)."""
        self.texts = []


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
        self._settings = (
            representer.minhasher,
            (tfidf.n_bits, tfidf.top_k, tfidf.weights, representer.max_tokens),
        )
        self._process: subprocess.Popen[bytes] | None = None
        self._jobs: queue.Queue[PendingBatch | None] = queue.Queue()
        self._thread: threading.Thread | None = None
        self.failed = False

    @property
    def pid(self) -> int | None:
        """The worker process's id while one runs."""
        return self._process.pid if self._process is not None else None

    @staticmethod
    def available() -> bool:
        """Whether a second core exists to run a worker on."""
        return (os.cpu_count() or 1) > 1

    def submit(self, texts: Sequence[tuple[str, str]]) -> PendingBatch | None:
        """Start preparing ``(title, body)`` pairs; None when the batch stays in-process."""
        if self.failed or len(texts) < self.min_batch:
            return None
        if self._process is None:
            try:
                self._start()
            except OSError:
                logger.warning("link worker process could not start; preparing in-process", exc_info=True)
                self.failed = True
                return None
        job = PendingBatch(list(texts))
        self._jobs.put(job)
        return job

    def result(self, job: PendingBatch, timeout: float = 600.0) -> Prepared | None:
        """The prepared batch, or None when the worker failed (then prepare in-process)."""
        if not job.done.wait(timeout):
            logger.warning("link worker gave no answer in %.0fs; preparing in-process from now on", timeout)
            self.failed = True
            self.close()
            return None
        if job.error is not None or job.value is None:
            logger.warning("link worker failed (%s); preparing in-process from now on", job.error)
            self.failed = True
            self.close()
            return None
        return job.value

    def close(self) -> None:
        """Stop the worker process (a later batch starts a new one unless it failed)."""
        process, self._process = self._process, None
        if self._thread is not None:
            self._jobs.put(None)
            self._thread = None
        self._jobs = queue.Queue()
        if process is not None:
            if process.stdin is not None:
                process.stdin.close()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
            if process.stdout is not None:
                process.stdout.close()

    def __del__(self) -> None:
        # A linker dropped without close(): end the thread and let the child see end of input.
        if getattr(self, "_process", None) is not None:
            with contextlib.suppress(Exception):
                self.close()

    def _start(self) -> None:
        package_root = str(Path(__file__).resolve().parents[2])
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(p for p in (package_root, env.get("PYTHONPATH")) if p)
        process = subprocess.Popen(
            # Imported, not run with -m: the package imports this module on the way, so runpy
            # would execute it a second time and warn on every ingest's stderr.
            [sys.executable, "-c", _ENTRY],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env=env,
        )
        assert process.stdin is not None and process.stdout is not None
        _write_frame(process.stdin, self._settings)
        self._process = process
        self._thread = threading.Thread(
            target=_exchange, args=(process, self._jobs), name="newsprism-link-worker", daemon=True
        )
        self._thread.start()


def _exchange(process: subprocess.Popen[bytes], jobs: queue.Queue[PendingBatch | None]) -> None:
    """The caller's side thread: send each batch, then read its answer (in order)."""
    assert process.stdin is not None and process.stdout is not None
    while (job := jobs.get()) is not None:
        try:
            _write_frame(process.stdin, job.texts)
            answer = _read_frame(process.stdout)
            if answer is None:
                raise EOFError(f"worker process ended (exit status {process.poll()})")
            job.value = answer
        except Exception as exc:  # noqa: BLE001 - the waiting caller logs it and goes on in-process
            job.error = exc
        job.done.set()


def _write_frame(stream: IO[bytes], value: Any) -> None:
    data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(_HEADER.pack(len(data)))
    stream.write(data)
    stream.flush()


def _read_frame(stream: IO[bytes]) -> Any:
    header = stream.read(_HEADER.size)
    if len(header) < _HEADER.size:
        return None
    (size,) = _HEADER.unpack(header)
    data = stream.read(size)
    if len(data) < size:
        return None
    return pickle.loads(data)  # our own child process wrote it


def _prepare_batch(representer: LinkRepresenter, texts: list[tuple[str, str]]) -> Prepared:
    """Worker side: prepared features and the seconds each article took."""
    out: list[PreparedText] = []
    seconds: list[float] = []
    for title, body in texts:
        started = time.perf_counter()
        out.append(representer.prepare(title, body))
        seconds.append(time.perf_counter() - started)
    representer.trim()
    return out, seconds


def _serve(stdin: IO[bytes], stdout: IO[bytes]) -> None:
    """Worker process loop: settings first, then one answer per batch until stdin closes."""
    settings = _read_frame(stdin)
    if settings is None:
        return
    minhasher, (n_bits, top_k, weights, max_tokens) = settings
    assert isinstance(minhasher, MinHasher)
    tfidf = HashedTfidf(n_bits=n_bits, top_k=top_k, weights=weights, max_tokens=max_tokens)
    representer = LinkRepresenter(minhasher=minhasher, tfidf=tfidf, max_tokens=max_tokens)
    while (texts := _read_frame(stdin)) is not None:
        _write_frame(stdout, _prepare_batch(representer, texts))


_ENTRY = "import sys; from newsprism.represent.worker import _serve; _serve(sys.stdin.buffer, sys.stdout.buffer)"

if __name__ == "__main__":
    _serve(sys.stdin.buffer, sys.stdout.buffer)
