"""Storage: Store / StoryStore / AnalysisStore protocols; SQLite by default, PostgreSQL opt-in
(extra ``newsprism[postgres]``), in-memory for tests."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from newsprism.config import is_server_db, resolve_db
from newsprism.storage.base import AnalysisStore, Store, analysis_store
from newsprism.storage.memory import MemoryStore
from newsprism.storage.sqlite import SQLiteStore
from newsprism.storage.stories import StoryStore, story_store

if TYPE_CHECKING:
    from newsprism.storage.postgres import PostgresStore

__all__ = [
    "AnalysisStore",
    "MemoryStore",
    "SQLiteStore",
    "Store",
    "StoryStore",
    "analysis_store",
    "open_store",
    "store_file",
    "story_store",
]


def open_store(db: str | Path | None = None) -> SQLiteStore | PostgresStore:
    """Open the store ``db`` names (else ``$NEWSPRISM_DB``, else ``./newsprism.db``): a
    ``postgresql://USER@HOST/DB`` URL opens a :class:`~newsprism.storage.postgres.PostgresStore`,
    anything else is a SQLite file.

    Raises:
        MissingDependency: a PostgreSQL URL without the ``newsprism[postgres]`` extra installed.
        StorageError: the store cannot be opened.
    """
    where = resolve_db(db)
    if isinstance(where, str) and is_server_db(where):
        from newsprism.storage.postgres import PostgresStore

        return PostgresStore(where)
    return SQLiteStore(where)


def store_file(store: Store) -> str | None:
    """The file of a SQLite store, which another process can open; None for any other store
    (in memory, or on a server)."""
    if isinstance(store, SQLiteStore) and store.path != ":memory:":
        return store.path
    return None
