"""The analysis part of the Store contract: every backend passes the same tests."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from newsprism.analyze.model import Analysis, Entity, Sentence
from newsprism.errors import NotFound
from newsprism.storage import SQLiteStore
from newsprism.testing import make_article
from tests.contract.backends import make_store


@pytest.fixture(params=["sqlite", "memory", "postgres"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Any]:
    s: Any = make_store(request, tmp_path)
    yield s
    s.close()


def _articles(store: Any, n: int = 3) -> list[str]:
    ids = []
    for i in range(n):
        a = make_article(f"Story {i}", [f"Body of story {i}."], source="Test Gazette")
        store.add_article(a)
        ids.append(a.id)
    return ids


def _analysis(article_id: str, version: str = "v1", names: tuple[str, ...] = ("Erdogan",)
              ) -> Analysis:
    entities = tuple(
        Entity(0, len(n), n, "PERSON", "Recep Tayyip Erdogan" if "rdo" in n else n,
               "person:recep tayyip erdogan" if "rdo" in n else f"person:{n.lower()}", 0)
        for n in names
    )
    return Analysis(article_id, version, "en", sentences=(Sentence(0, 5, "Body."),),
                    entities=entities, notes=("a note",))


def test_analysis_store_save_and_get_roundtrip(store: Any) -> None:
    (aid, *_) = _articles(store)
    analysis = _analysis(aid)
    store.save_analysis(analysis)
    assert store.get_analysis(aid) == analysis
    assert store.get_analysis("0" * 16) is None


def test_analysis_store_rejects_unknown_article(store: Any) -> None:
    with pytest.raises(NotFound):
        store.save_analysis(_analysis("f" * 16))


def test_analysis_store_lists_missing_and_outdated_in_ingest_order(store: Any) -> None:
    a, b, c = _articles(store)
    store.save_analysis(_analysis(a, "v1"))
    store.save_analysis(_analysis(b, "v0"))
    assert store.ids_needing_analysis("v1") == [b, c]
    assert store.ids_needing_analysis("v1", limit=1) == [b]
    assert store.ids_needing_analysis(None) == [a, b, c]
    assert store.count_analyses() == 2 and store.count_analyses(version="v1") == 1


def test_analysis_store_replacing_updates_the_entity_index(store: Any) -> None:
    a, b, _ = _articles(store)
    store.save_analysis(_analysis(a, names=("Erdogan", "Erdogan", "Putin")))
    store.save_analysis(_analysis(b, names=("Erdogan",)))
    key = "person:recep tayyip erdogan"
    assert store.articles_with_entity(key) == sorted([a, b])
    store.save_analysis(_analysis(a, "v2", names=("Putin",)))
    assert store.articles_with_entity(key) == [b]
    assert store.articles_with_entity("person:putin") == [a]
    assert store.entity_names() == {key: "Recep Tayyip Erdogan", "person:putin": "Putin"}
    assert store.entity_names([key]) == {key: "Recep Tayyip Erdogan"}


def test_analysis_store_session_rolls_back_analyses(store: Any) -> None:
    (aid, *_) = _articles(store)
    with pytest.raises(RuntimeError), store.session():
        store.save_analysis(_analysis(aid))
        raise RuntimeError("boom")
    assert store.get_analysis(aid) is None and store.count_analyses() == 0
    assert store.articles_with_entity("person:recep tayyip erdogan") == []


def test_analysis_store_sqlite_keeps_analyses_across_reopen(tmp_path: Path) -> None:
    path = tmp_path / "keep.db"
    with SQLiteStore(path) as s:
        (aid, *_) = _articles(s, 1)
        s.save_analysis(_analysis(aid))
    with SQLiteStore(path) as s:
        assert s.get_analysis(aid) == _analysis(aid)
        assert s.schema_versions()["analysis"] == 2


def test_analysis_store_entity_with_two_labels_in_one_article(store: Any) -> None:
    (aid, *_) = _articles(store, 1)
    key = "person:jordan"
    entities = tuple(
        Entity(i * 10, i * 10 + 6, "Jordan", label, "Jordan", key, 0)
        for i, label in enumerate(["PERSON", "ORG", "PERSON", "GPE"])
    )
    analysis = Analysis(aid, "v1", "en", sentences=(Sentence(0, 5, "Body."),), entities=entities)
    store.save_analysis(analysis)
    assert store.get_analysis(aid) == analysis
    assert store.articles_with_entity(key) == [aid]
    assert store.entity_names([key]) == {key: "Jordan"}


def test_analysis_store_records_and_clears_failures(store: Any) -> None:
    a, b, c = _articles(store)
    store.record_failure(b, "analyze", "v1", "analyzer_error", "ValueError: boom")
    [failure] = store.failures()
    assert (failure.ref, failure.stage, failure.reason, failure.detail) == (
        b, "analyze", "analyzer_error", "ValueError: boom")
    assert store.failures(article_id=a) == [] and store.count_failures(stage="analyze") == 1
    assert store.ids_needing_analysis("v1") == [a, c]
    assert store.ids_needing_analysis("v1", failed=True) == [a, b, c]
    assert store.ids_needing_analysis("v2") == [a, b, c]  # a new version retries it
    assert store.ids_failed("analyze") == [b]
    store.save_analysis(_analysis(b))
    assert store.failures() == [] and store.ids_failed("analyze") == []


def test_analysis_store_session_rolls_back_failures(store: Any) -> None:
    (aid, *_) = _articles(store, 1)
    with pytest.raises(RuntimeError), store.session():
        store.record_failure(aid, "analyze", "v1", "analyzer_error", "x")
        raise RuntimeError("boom")
    assert store.failures() == []
