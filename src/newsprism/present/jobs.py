"""Slow work the server does off the request path: preparing story comparisons, analysis.

Comparing every article of a story takes seconds (analysis, sentence vectors, alignment), far
too long for a page view. :class:`Jobs` runs such work on one background thread, at most once
per key at a time, and keeps the results (and failures) in a small least-recently-used table; a
page shows what is ready and polls for the rest.
"""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from concurrent import futures
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

logger = logging.getLogger(__name__)

#: Results kept (story comparisons are kept in the store; what stays here is small).
MAX_RESULTS = 256
#: Jobs queued or running at once; more are refused (answered ``pending``) until some finish,
#: so a flood of requests for cold stories cannot pile up unbounded work.
MAX_QUEUED = 32


@dataclass(frozen=True, slots=True)
class JobState:
    """Where one job stands: ``pending``, ``ready`` (with ``value``) or ``failed`` (``error``)."""

    status: str
    value: Any = None
    error: str = ""
    reason: str = ""


class Jobs:
    """One background worker with deduplicated submissions and remembered results.

    Args:
        max_results: results (and failures) kept, least recently used dropped first.
        max_queued: jobs queued or running at once (more are not queued).
    """

    def __init__(self, max_results: int = MAX_RESULTS, max_queued: int = MAX_QUEUED) -> None:
        self.max_results = max_results
        self.max_queued = max_queued
        self._done: OrderedDict[Hashable, JobState] = OrderedDict()
        self._running: dict[Hashable, Future[Any]] = {}
        self._lock = threading.Lock()
        self._pool: ThreadPoolExecutor | None = None

    def state(self, key: Hashable) -> JobState | None:
        """The finished state of ``key``, ``pending`` while it runs, None when never submitted."""
        with self._lock:
            if key in self._done:
                self._done.move_to_end(key)
                return self._done[key]
            return JobState("pending") if key in self._running else None

    def submit(self, key: Hashable, work: Callable[[], Any]) -> JobState:
        """Start ``work`` for ``key`` unless it is done or running; return its state now."""
        with self._lock:
            if key in self._done:
                return self._done[key]
            if key in self._running:
                return JobState("pending")
            if len(self._running) >= self.max_queued:
                # not queued: whoever asks again (a page reload, a poll) queues it later
                return JobState("pending", reason="busy")
            if self._pool is None:
                self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="newsprism-job")
            future = self._pool.submit(work)
            self._running[key] = future
        # Outside the lock: a future that is already done runs the callback right here.
        future.add_done_callback(lambda f: self._finish(key, f))
        return self.state(key) or JobState("pending")

    def running(self, matches: Callable[[Any], bool]) -> bool:
        """Whether a queued or running job's key satisfies ``matches`` (tuple keys only)."""
        with self._lock:
            return any(isinstance(k, tuple) and matches(k) for k in self._running)

    def wait(self, key: Hashable, timeout: float) -> JobState | None:
        """Wait up to ``timeout`` seconds for a running job; its state afterwards."""
        with self._lock:
            future = self._running.get(key)
        if future is not None and timeout > 0:
            futures.wait([future], timeout=timeout)
            if future.done():  # record it now: its done-callback may not have run yet
                self._finish(key, future)
        return self.state(key)

    def _finish(self, key: Hashable, future: Future[Any]) -> None:
        if future.cancelled():
            state = JobState("failed", error="cancelled", reason="cancelled")
        elif (exc := future.exception()) is not None:
            reason = getattr(exc, "reason", None)
            if reason is None:  # not an input problem (those carry a reason): a bug to report
                logger.error("background job %r failed", key, exc_info=exc)
            state = JobState("failed", error=str(exc), reason=str(reason or type(exc).__name__))
        else:
            state = JobState("ready", value=future.result())
        with self._lock:
            if self._running.get(key) is future:
                del self._running[key]
            self._done[key] = state
            self._done.move_to_end(key)
            while len(self._done) > self.max_results:
                self._done.popitem(last=False)

    def forget(self) -> None:
        """Drop every remembered result (after writes that change stories)."""
        with self._lock:
            self._done.clear()

    def close(self) -> None:
        """Stop the worker; queued jobs are cancelled, a running one finishes."""
        with self._lock:
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=False, cancel_futures=True)
