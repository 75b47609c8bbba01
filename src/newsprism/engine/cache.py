"""Where prepared story comparisons are kept: a table of the SQLite store, or memory.

A record is small metadata (story id, inputs' version, status, which articles) and the page
products as zlib-compressed JSON (a 12-article story: tens of KB). Keeping them in the store
instead of the server's memory lets a separate ``newsprism prepare`` process fill them, survives
restarts, and keeps the server's memory flat however many stories are read.

Importing this module registers the ``comparisons`` schema with the SQLite store; a store that
was opened before is migrated when its cache is first asked for.
"""

from __future__ import annotations

import json
import threading
import zlib
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Protocol

from newsprism.storage.sqlite import SQLiteStore, register_migrations

register_migrations(
    "comparisons",
    [
        """
        CREATE TABLE story_comparisons (
            story_id TEXT PRIMARY KEY,
            version TEXT NOT NULL,
            status TEXT NOT NULL,
            meta TEXT NOT NULL,
            data BLOB NOT NULL,
            prepared_at TEXT NOT NULL
        );
        """
    ],
)


@dataclass(frozen=True, slots=True)
class PreparedComparison:
    """One story's prepared comparison.

    Attributes:
        story_id: the story.
        version: the inputs' version it was made from (:func:`~.comparisons.input_version`).
        status: ``ready`` or ``failed`` (the inputs cannot be compared; ``error`` says why).
        compared: ids of the compared articles, in time order.
        total: articles in the story.
        note: why some articles were left out (empty when all were compared).
        data: the page products (``comparison``, ``highlights``, ``report``, ...), plain JSON.
        error, reason: the failure, for ``failed``.
        seconds: how long the comparison took.
        prepared_at: when (UTC, ISO 8601).
    """

    story_id: str
    version: str
    status: str
    compared: tuple[str, ...] = ()
    total: int = 0
    note: str = ""
    data: dict[str, Any] = field(default_factory=dict)
    error: str = ""
    reason: str = ""
    seconds: float = 0.0
    prepared_at: str = field(
        default_factory=lambda: datetime.now(UTC).isoformat(timespec="seconds")
    )

    def meta(self) -> dict[str, Any]:
        """Everything but ``data``, as plain JSON."""
        return {
            "story_id": self.story_id,
            "version": self.version,
            "status": self.status,
            "compared": list(self.compared),
            "total": self.total,
            "note": self.note,
            "error": self.error,
            "reason": self.reason,
            "seconds": round(self.seconds, 3),
            "prepared_at": self.prepared_at,
        }


class ComparisonCache(Protocol):
    """Prepared comparisons by story id."""

    def get(self, story_id: str) -> PreparedComparison | None: ...
    def version(self, story_id: str) -> str | None: ...
    def put(self, record: PreparedComparison) -> None: ...
    def prune(self, keep: set[str]) -> int: ...


def comparison_cache(store: Any) -> ComparisonCache:
    """The cache of ``store``: its own table for a SQLite store, else one in memory (owned by
    the caller, who should keep it: a new call gives a new, empty one)."""
    if isinstance(store, SQLiteStore):
        return SQLiteComparisonCache(store)
    return MemoryComparisonCache()


class SQLiteComparisonCache:
    """Prepared comparisons in the store's ``story_comparisons`` table.

    Args:
        store: the SQLite store (migrated here if it predates the table).
    """

    def __init__(self, store: SQLiteStore) -> None:
        self.store = store
        if "comparisons" not in store.schema_versions():
            store.migrate()

    def version(self, story_id: str) -> str | None:
        """The inputs' version of the stored record (cheap: no data is read)."""
        row = self.store.execute(
            "SELECT version FROM story_comparisons WHERE story_id = ?", (story_id,)
        ).fetchone()
        return None if row is None else str(row[0])

    def get(self, story_id: str) -> PreparedComparison | None:
        """The stored record, or None."""
        row = self.store.execute(
            "SELECT meta, data FROM story_comparisons WHERE story_id = ?", (story_id,)
        ).fetchone()
        if row is None:
            return None
        return _record(json.loads(row[0]), json.loads(zlib.decompress(row[1])))

    def put(self, record: PreparedComparison) -> None:
        """Store (or replace) a record, in its own transaction."""
        data = zlib.compress(json.dumps(record.data, ensure_ascii=False).encode(), 6)
        with self.store.session():
            self.store.execute(
                "INSERT OR REPLACE INTO story_comparisons VALUES (?, ?, ?, ?, ?, ?)",
                (record.story_id, record.version, record.status, json.dumps(record.meta()),
                 data, record.prepared_at),
            )

    def prune(self, keep: set[str]) -> int:
        """Delete records of stories not in ``keep`` (merged away or gone); how many."""
        ids = [r[0] for r in self.store.execute("SELECT story_id FROM story_comparisons")]
        gone = [(i,) for i in ids if i not in keep]
        if gone:
            self.store.executemany("DELETE FROM story_comparisons WHERE story_id = ?", gone)
        return len(gone)


class MemoryComparisonCache:
    """Prepared comparisons in a dictionary (for stores without tables, and tests)."""

    def __init__(self) -> None:
        self._records: dict[str, PreparedComparison] = {}
        self._lock = threading.Lock()

    def version(self, story_id: str) -> str | None:
        """The inputs' version of the stored record."""
        record = self.get(story_id)
        return None if record is None else record.version

    def get(self, story_id: str) -> PreparedComparison | None:
        """The stored record, or None."""
        with self._lock:
            return self._records.get(story_id)

    def put(self, record: PreparedComparison) -> None:
        """Store (or replace) a record."""
        with self._lock:
            self._records[record.story_id] = record

    def prune(self, keep: set[str]) -> int:
        """Delete records of stories not in ``keep``; how many."""
        with self._lock:
            gone = [k for k in self._records if k not in keep]
            for k in gone:
                del self._records[k]
        return len(gone)


def _record(meta: dict[str, Any], data: dict[str, Any]) -> PreparedComparison:
    return PreparedComparison(
        story_id=meta["story_id"],
        version=meta["version"],
        status=meta["status"],
        compared=tuple(meta.get("compared", ())),
        total=int(meta.get("total", 0)),
        note=meta.get("note", ""),
        data=data,
        error=meta.get("error", ""),
        reason=meta.get("reason", ""),
        seconds=float(meta.get("seconds", 0.0)),
        prepared_at=meta.get("prepared_at", ""),
    )
