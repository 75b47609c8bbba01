"""The store backends the contract suites run against: ``sqlite``, ``memory``, ``postgres``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from newsprism.storage import MemoryStore, SQLiteStore


def make_store(request: pytest.FixtureRequest, tmp_path: Path) -> Any:
    """A new, empty store of the backend ``request.param`` names (``postgres``: a fresh database
    on the session's server, see ``tests/conftest.py``)."""
    if request.param == "sqlite":
        return SQLiteStore(tmp_path / "s.db")
    if request.param == "memory":
        return MemoryStore()
    from newsprism.storage.postgres import PostgresStore

    return PostgresStore(request.getfixturevalue("pg_url"))
