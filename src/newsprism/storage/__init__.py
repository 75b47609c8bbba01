"""Storage: one Store protocol, SQLite by default, in-memory for tests."""

from __future__ import annotations

from pathlib import Path

from newsprism.config import resolve_db_path
from newsprism.storage.base import Store
from newsprism.storage.memory import MemoryStore
from newsprism.storage.sqlite import SQLiteStore

__all__ = ["MemoryStore", "SQLiteStore", "Store", "open_store"]


def open_store(db: str | Path | None = None) -> SQLiteStore:
    """Open the SQLite store at ``db`` (else ``$NEWSPRISM_DB``, else ``./newsprism.db``)."""
    return SQLiteStore(resolve_db_path(db))
