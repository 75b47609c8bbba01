"""Background jobs of the server: one run per key, results remembered, failures kept."""

from __future__ import annotations

import threading

from newsprism.errors import InputError
from newsprism.present.jobs import Jobs


def test_jobs_run_once_per_key_and_remember() -> None:
    jobs = Jobs()
    gate = threading.Event()
    calls: list[int] = []

    def work() -> int:
        calls.append(1)
        assert gate.wait(5)
        return 42

    assert jobs.submit("k", work).status == "pending"
    assert jobs.submit("k", work).status == "pending"
    gate.set()
    state = jobs.wait("k", 5)
    assert state is not None and state.status == "ready" and state.value == 42
    assert jobs.submit("k", work).value == 42 and len(calls) == 1
    jobs.close()


def test_jobs_keep_failures_with_reason() -> None:
    jobs = Jobs()

    def bad() -> None:
        raise InputError("too_few", "one article")

    jobs.submit("k", bad)
    state = jobs.wait("k", 5)
    assert state is not None and state.status == "failed"
    assert state.reason == "too_few" and "one article" in state.error
    jobs.close()


def test_jobs_drop_the_least_recently_used() -> None:
    jobs = Jobs(max_results=2)
    for key in ("a", "b", "c"):
        jobs.submit(key, lambda k=key: k)
        jobs.wait(key, 5)
    assert jobs.state("a") is None and jobs.state("c") is not None
    jobs.close()
