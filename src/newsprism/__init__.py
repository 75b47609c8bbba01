"""newsprism: read one news story as told by many outlets and show how their coverage relates.

Library entry points mirror the CLI commands: :func:`ingest` files into a store, read articles
back through the :class:`Store`, :func:`compare` two articles or :func:`compare_story` a story and :func:`report` on it
(timeline, multi-source summary, coverage).

``newsprism.compare`` and ``newsprism.report`` are the functions, not the subpackages: import its modules with
``from newsprism.compare.reuse import ...``.
"""

from __future__ import annotations

from newsprism.compare import compare, compare_story
from newsprism.config import IngestOptions
from newsprism.errors import (
    ConfigError,
    ExtractionError,
    InputError,
    MissingDependency,
    NewsprismError,
    NotFound,
    StorageError,
)
from newsprism.model import Article, IngestReport, RawDocument, Rejected, RemovalReason, RemovedLine
from newsprism.pipeline import ingest, ingest_articles
from newsprism.report import report
from newsprism.storage import MemoryStore, SQLiteStore, Store, open_store

__version__ = "0.1.0"

__all__ = [
    "Article",
    "ConfigError",
    "ExtractionError",
    "IngestOptions",
    "IngestReport",
    "InputError",
    "MemoryStore",
    "MissingDependency",
    "NewsprismError",
    "NotFound",
    "RawDocument",
    "Rejected",
    "RemovalReason",
    "RemovedLine",
    "SQLiteStore",
    "Store",
    "StorageError",
    "__version__",
    "compare",
    "compare_story",
    "ingest",
    "ingest_articles",
    "open_store",
    "report",
]
