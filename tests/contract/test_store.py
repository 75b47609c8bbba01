"""The Store contract: every backend passes the same tests."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from newsprism.errors import NotFound, StorageError
from newsprism.model import Rejected, RemovalReason, RemovedLine
from newsprism.storage import SQLiteStore, Store
from newsprism.testing import make_article
from tests.contract.backends import make_store


@pytest.fixture(params=["sqlite", "memory", "postgres"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    s: Store = make_store(request, tmp_path)
    yield s
    s.close()


def _three() -> list:
    return [
        make_article("Port strike halts cargo", ["Workers walked out at the harbour."], source="A",
                     published=datetime(2025, 3, 1, tzinfo=UTC)),
        make_article("Wildfire spreads near Pinecrest", ["Crews fought flames overnight."], source="B",
                     published=datetime(2025, 3, 2, 12, 0)),
        make_article("Recount ordered in Dunmore", ["Election officials agreed to a recount."],
                     source="A"),
    ]


def test_store_add_article_roundtrips_every_field(store: Store) -> None:
    a = make_article(
        subtitle="A dek", byline="By Ann Writer", language="en", url="https://x.test/a",
        external_id="ext-1", captions=("A crane idles [Photo – Agency]",),
        removed=(RemovedLine("2 min read", RemovalReason.READ_TIME, 3),),
        published=datetime(2025, 3, 1, 9, 30, tzinfo=UTC), metadata={"section": "world"},
    )
    assert store.add_article(a) is True
    got = store.get_article(a.id)
    assert got == a
    assert got.removed[0].reason is RemovalReason.READ_TIME
    assert got.metadata["section"] == "world"


def test_store_add_article_is_idempotent(store: Store) -> None:
    a = _three()[0]
    assert store.add_article(a) is True
    assert store.add_article(a) is False
    assert store.count_articles() == 1


def test_store_get_article_by_prefix_and_unknown_id(store: Store) -> None:
    a = _three()[0]
    store.add_article(a)
    assert store.get_article(a.id[:6]).id == a.id
    with pytest.raises(NotFound):
        store.get_article("ffffffffffffffff")
    with pytest.raises(NotFound):
        store.get_article("")


def test_store_articles_filters_and_pages(store: Store) -> None:
    arts = _three()
    for a in arts:
        store.add_article(a)
    assert [a.id for a in store.articles()] == [a.id for a in arts]
    assert [a.title for a in store.articles(source="a")] == [arts[0].title, arts[2].title]
    since = store.articles(since=datetime(2025, 3, 2, tzinfo=UTC))
    assert [a.id for a in since] == [arts[1].id]
    assert [a.id for a in store.articles(limit=1, offset=1)] == [arts[1].id]
    assert store.count_articles(source="A") == 2
    assert list(store.sources()) == [("A", 2), ("B", 1)]
    assert [a.id for a in store.iter_articles(batch_size=2)] == [a.id for a in arts]


def test_store_search_finds_title_and_body_terms(store: Store) -> None:
    for a in _three():
        store.add_article(a)
    hits = store.search("wildfire")
    assert [a.title for a, _ in hits] == ["Wildfire spreads near Pinecrest"]
    assert store.search("recount officials")[0][0].title == "Recount ordered in Dunmore"
    assert store.search("nothing-like-this") == []
    # user text is never query syntax
    assert store.search('"unbalanced AND (OR') == []


def test_store_rejected_is_kept_once_per_reason(store: Store) -> None:
    store.add_rejected(Rejected("a.txt", "ingest", "empty", "file is empty"))
    store.add_rejected(Rejected("a.txt", "ingest", "empty", "file is empty (again)"))
    store.add_rejected(Rejected("b.bin", "ingest", "binary", "NUL bytes"))
    got = store.rejected()
    assert store.count_rejected() == 2
    assert [r.ref for r in got] == ["b.bin", "a.txt"]
    assert got[1].detail == "file is empty (again)"


def test_store_session_rolls_back_on_error(store: Store) -> None:
    a, b, _ = _three()
    store.add_article(a)
    with pytest.raises(RuntimeError), store.session():
        store.add_article(b)
        store.add_rejected(Rejected("x", "ingest", "empty", ""))
        raise RuntimeError("boom")
    assert store.count_articles() == 1
    assert store.count_rejected() == 0
    with store.session(), store.session():
        store.add_article(b)
    assert store.count_articles() == 2


def test_store_sqlite_persists_across_reopen_and_records_schema(tmp_path: Path) -> None:
    path = tmp_path / "p.db"
    a = _three()[0]
    with SQLiteStore(path) as s:
        s.add_article(a)
        assert s.schema_versions()["core"] == 2
    with SQLiteStore(path) as s:
        assert s.get_article(a.id) == a
        assert s.search("harbour")[0][0].id == a.id


def _fts_check(s: SQLiteStore) -> None:
    """Raises unless the full-text index holds exactly the stored articles' text."""
    s.execute("INSERT INTO articles_fts(articles_fts, rank) VALUES ('integrity-check', 1)")


def test_store_sqlite_text_index_follows_transactions(tmp_path: Path) -> None:
    a, b, c = _three()
    with SQLiteStore(tmp_path / "f.db") as s:
        s.add_article(a)  # outside a transaction: indexed at once
        assert [x.id for x, _ in s.search("harbour")] == [a.id]
        with s.session():
            s.add_article(b)
            s.add_article(a)  # already stored: nothing to index
            assert [x.id for x, _ in s.search("flames")] == [b.id]  # found before the commit
            s.add_article(c)
        assert [x.id for x, _ in s.search("recount")] == [c.id]
        _fts_check(s)
        with pytest.raises(RuntimeError), s.session():
            s.add_article(make_article("Ferry crash", ["A ferry hit the pier at dawn."], source="C"))
            raise RuntimeError("boom")
        assert s.search("ferry") == []
        _fts_check(s)
        assert s.count_articles() == 3


def test_store_sqlite_migrates_a_v1_store_to_indexing_per_transaction(tmp_path: Path) -> None:
    path = tmp_path / "v1.db"
    a, b, _ = _three()
    with SQLiteStore(path) as s:  # make it look like a v1 store: the row trigger and version 1
        s.execute(
            "CREATE TRIGGER articles_ai AFTER INSERT ON articles BEGIN INSERT INTO articles_fts"
            "(rowid, title, body) VALUES (new.seq, new.title, new.body); END"
        )
        s.execute("UPDATE schema_versions SET version = 1 WHERE component = 'core'")
    with SQLiteStore(path) as s:
        assert s.schema_versions()["core"] == 2
        triggers = s.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'").fetchall()
        assert "articles_ai" not in {r[0] for r in triggers}
        with s.session():
            s.add_article(a)
            s.add_article(b)
        _fts_check(s)  # each article indexed once (a trigger left behind would index twice)
        assert [x.id for x, _ in s.search("harbour")] == [a.id]


def test_store_sqlite_refuses_newer_schema(tmp_path: Path) -> None:
    path = tmp_path / "n.db"
    with SQLiteStore(path) as s:
        s.execute("UPDATE schema_versions SET version = 99 WHERE component = 'core'")
    with pytest.raises(StorageError, match="newer"):
        SQLiteStore(path)


def test_store_postgres_records_schema_and_refuses_newer(pg_url: str) -> None:
    from newsprism.storage.postgres import PostgresStore

    with PostgresStore(pg_url) as s:
        assert s.schema_versions() == {"core": 1, "stories": 1, "analysis": 1, "identity": 1,
                                       "site_lines": 1}
        s.add_article(_three()[0])
        s.execute("UPDATE schema_versions SET version = 99 WHERE component = 'core'")
    with pytest.raises(StorageError, match="newer"):
        PostgresStore(pg_url)


def test_store_postgres_applies_missing_versions(pg_url: str) -> None:
    from newsprism.storage.postgres import PostgresStore

    with PostgresStore(pg_url) as s:
        s.execute("DROP TABLE site_lines")
        s.execute("DELETE FROM schema_versions WHERE component = 'site_lines'")
    with PostgresStore(pg_url) as s:
        assert s.schema_versions()["site_lines"] == 1
        assert s.count_site_lines("A", [(1, "s1")], 3) == []


def test_store_postgres_search_ranks_titles_first_with_a_gin_index(pg_url: str) -> None:
    from newsprism.storage.postgres import PostgresStore

    with PostgresStore(pg_url) as s:
        body = make_article("Budget talks", ["The harbour plan was discussed."], source="A")
        title = make_article("Harbour reopens", ["Ships returned on Monday."], source="B")
        with s.session():
            s.add_article(body)
            s.add_article(title)
            assert [a.id for a, _ in s.search("harbours")] == [title.id, body.id]  # stems match
        index = s.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'articles_tsv'")
        assert "gin" in index.fetchone()[0].lower()
        page = s.search_page("harbour", source="a")
        assert [h["id"] for h, _ in page.hits] == [body.id] and page.total == 1 and page.ranked


def test_store_postgres_refused_article_fails_alone_in_a_batch(pg_url: str) -> None:
    from newsprism.storage.postgres import PostgresStore

    good = _three()[0]
    with PostgresStore(pg_url) as s:
        with s.session():
            with pytest.raises(StorageError):
                s.add_article(make_article("Nul \x00 byte", ["PostgreSQL text holds no NUL."]))
            assert s.add_article(good)
        assert [a.id for a in s.articles()] == [good.id]


def test_store_postgres_without_psycopg_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    from newsprism.errors import MissingDependency
    from newsprism.storage import open_store

    monkeypatch.setitem(sys.modules, "psycopg", None)  # as if not installed
    with pytest.raises(MissingDependency, match=r"newsprism\[postgres\]"):
        open_store("postgresql://nobody@127.0.0.1:1/none")
