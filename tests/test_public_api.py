"""The public API is pinned: changing it is a deliberate act that updates this test."""

from __future__ import annotations

import newsprism

PUBLIC = {
    "Article", "ConfigError", "ExtractionError", "IngestOptions", "IngestReport", "InputError",
    "MemoryStore", "MissingDependency", "NewsprismError", "NotFound", "RawDocument", "Rejected",
    "RemovalReason", "RemovedLine", "SQLiteStore", "Store", "StorageError", "__version__",
    "compare", "compare_story", "ingest", "ingest_articles", "open_store", "report",
}


def test_public_api_all_is_pinned() -> None:
    assert set(newsprism.__all__) == PUBLIC
    for name in newsprism.__all__:
        assert hasattr(newsprism, name), name


def test_public_api_compare_is_callable_and_submodules_still_import() -> None:
    from newsprism.compare.reuse import find_passages  # noqa: F401

    assert callable(newsprism.compare)
    assert callable(newsprism.compare_story)
    assert callable(newsprism.report)
