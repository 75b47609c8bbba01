"""Fixtures shared by the test folders: a PostgreSQL server for the ``postgres`` store tests.

One server per test session (``pg_cluster``), a fresh database per test (``pg_url``), copied from
a template that already holds newsprism's schema. In CI (``CI=true``) a missing server fails the
tests instead of skipping them.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterator

import pytest

from tests.ci_browser import pytest_runtest_makereport  # noqa: F401  (a hook: fails browser skips in CI)
from tests.pgcluster import Cluster, why_unavailable

_TEMPLATE = "newsprism_template"
_numbers = itertools.count()


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[Cluster]:
    """A running PostgreSQL server with a migrated template database."""
    reason = why_unavailable()
    if reason is not None:
        if os.environ.get("CI") == "true":
            pytest.fail(f"the PostgreSQL tests must run in CI: {reason}")
        pytest.skip(reason)
    from newsprism.storage.postgres import PostgresStore

    cluster = Cluster()
    try:
        cluster.sql(f"DROP DATABASE IF EXISTS {_TEMPLATE}")
        cluster.sql(f"CREATE DATABASE {_TEMPLATE}")
        PostgresStore(cluster.url(_TEMPLATE)).close()
        yield cluster
    finally:
        cluster.stop()


@pytest.fixture
def pg_url(pg_cluster: Cluster) -> Iterator[str]:
    """The URL of a new, migrated, empty database (dropped after the test)."""
    name = f"newsprism_t{os.getpid()}_{next(_numbers)}"
    pg_cluster.sql(f"CREATE DATABASE {name} TEMPLATE {_TEMPLATE} STRATEGY FILE_COPY")
    yield pg_cluster.url(name)
    pg_cluster.sql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")

