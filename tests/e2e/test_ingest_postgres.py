"""Real ``newsprism ingest`` processes on one PostgreSQL database at once: nothing lost, nothing
stored twice, every article in exactly one story (the write lock of
:meth:`~newsprism.storage.postgres.PostgresStore.serialize_writes` at work)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.e2e.test_ingest_processes import _cli, _corpus


@pytest.mark.slow
def test_ingest_postgres_three_writers_at_once(tmp_path: Path, pg_url: str) -> None:
    from newsprism.storage.postgres import PostgresStore

    files = [_corpus(tmp_path / "a.jsonl", 0, 200), _corpus(tmp_path / "b.jsonl", 150, 200),
             _corpus(tmp_path / "c.jsonl", 300, 120)]  # 50 texts in a and b, 50 in b and c
    procs = [_cli(tmp_path, 0.02, "ingest", str(f), "--db", pg_url, "--json", "--no-progress")
             for f in files]
    results = [p.communicate(timeout=300) for p in procs]
    for proc, (_, err) in zip(procs, results, strict=True):
        assert proc.returncode == 0, err
    reports = [json.loads(out) for out, _ in results]
    assert sum(r["ingested"] for r in reports) == 420
    assert sum(r["duplicates"] for r in reports) == 100
    with PostgresStore(pg_url) as store:
        ids = [r[0] for r in store.execute("SELECT id FROM articles").fetchall()]
        assert len(ids) == len(set(ids)) == 420
        linked = [r[0] for r in store.execute("SELECT article_id FROM story_articles")]
        assert sorted(linked) == sorted(ids)  # exactly one story each
        orphans = store.execute("SELECT count(*) FROM story_articles sa WHERE NOT EXISTS "
                                "(SELECT 1 FROM stories s WHERE s.id = sa.story_id AND "
                                "s.merged_into IS NULL)").fetchone()[0]
        assert orphans == 0  # every link points at a live story
        counted = store.execute("SELECT s.article_count, count(sa.article_id) FROM stories s "
                                "JOIN story_articles sa ON sa.story_id = s.id "
                                "GROUP BY s.id").fetchall()
        assert all(a == b for a, b in counted)
        assert store.search("harbour")  # the text index holds what the writers stored
