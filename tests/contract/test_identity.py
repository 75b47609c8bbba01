"""The identity part of the Store contract: one text is one article whatever the flags."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from newsprism.storage import SQLiteStore
from newsprism.testing import make_article
from tests.contract.backends import make_store

TITLE = "Harbour cranes stop"
BODY = ["Dock workers at the port walked out on Monday over a pay offer."]


@pytest.fixture(params=["sqlite", "memory", "postgres"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Any]:
    s: Any = make_store(request, tmp_path)
    yield s
    s.close()


def test_identity_unknown_outlet_is_the_stored_article(store: Any) -> None:
    known = make_article(TITLE, BODY, source="Reuters", input_ref="a.jsonl:1")
    unknown = make_article(TITLE, BODY, source=None, input_ref="a.jsonl:1")
    assert store.add_article(known)
    assert not store.add_article(unknown)
    assert store.count_articles() == 1


def test_identity_known_outlet_is_the_stored_unknown_one(store: Any) -> None:
    assert store.add_article(make_article(TITLE, BODY, source=None, input_ref="a.txt"))
    assert not store.add_article(make_article(TITLE, BODY, source="Reuters", input_ref="a.txt"))
    assert store.count_articles() == 1


def test_identity_two_outlets_stay_two_articles(store: Any) -> None:
    assert store.add_article(make_article(TITLE, BODY, source="Reuters"))
    assert store.add_article(make_article(TITLE, BODY, source="AP"))
    assert not store.add_article(make_article(TITLE, BODY, source=None))
    assert store.count_articles() == 2


def test_identity_keeps_every_external_id(store: Any) -> None:
    first = make_article(TITLE, BODY, source=None, external_id="x1", input_ref="f.jsonl:1")
    second = make_article(TITLE, BODY, source=None, external_id="x2", input_ref="f.jsonl:2")
    assert store.add_article(first)
    assert not store.add_article(second)
    assert not store.add_article(first)  # the same input again leaves no alias
    assert [a.id for a in store.articles_by_external_id("x2")] == [first.id]
    assert [a.id for a in store.articles_by_external_id("x1")] == [first.id]
    assert store.articles_by_external_id("nope") == []
    assert store.aliases(first.id) == [
        {"input_ref": "f.jsonl:2", "external_id": "x2", "source": None}]


def test_identity_session_rollback_forgets_keys(store: Any) -> None:
    with pytest.raises(RuntimeError), store.session():
        store.add_article(make_article(TITLE, BODY, source="Reuters"))
        raise RuntimeError("boom")
    assert store.add_article(make_article(TITLE, BODY, source=None))


def test_identity_sqlite_backfills_keys_of_older_stores(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    with SQLiteStore(path) as s:
        s.add_article(make_article(TITLE, BODY, source="Reuters"))
        s.execute("DELETE FROM article_keys")
        s.execute("UPDATE schema_versions SET version = 0 WHERE component = 'identity'")
        s.execute("DROP TABLE article_keys")
        s.execute("DROP TABLE article_aliases")
    with SQLiteStore(path) as s:
        assert s.schema_versions()["identity"] == 2
        assert not s.add_article(make_article(TITLE, BODY, source=None))
