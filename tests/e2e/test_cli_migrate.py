"""``newsprism migrate --from sqlite:PATH --to postgresql://...``: the copy is whole (articles,
rejected, stories with their ids and merge history, analyses, link state), resumable, and
refuses a target that holds another store."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from newsprism.errors import StorageError
from newsprism.link import make_link_hook
from newsprism.model import Analysis, DuplicateMember, Rejected, Sentence, StoryMerge
from newsprism.pipeline import ingest_articles, read_articles
from newsprism.present.cli import main
from newsprism.storage import SQLiteStore
from tests.e2e.test_ingest_processes import _corpus


def _source(tmp_path: Path) -> Path:
    db = tmp_path / "s.db"
    items = list(read_articles([str(_corpus(tmp_path / "in.jsonl", 0, 60))]))
    with SQLiteStore(db) as store:
        for i in range(0, len(items), 20):
            ingest_articles(items[i:i + 20], store, hooks=[make_link_hook(store)])
        ids = [a.id for a in store.articles()]
        store.save_analysis(Analysis(ids[0], "v1", "en", sentences=(Sentence(0, 5, "Offic"),)))
        store.record_failure(ids[1], "analyze", "v1", "analyzer_error", "boom")
        store.add_rejected(Rejected("bad.bin", "ingest", "binary", "NUL bytes"))
        survivor, merged = [s.id for s in store.list_stories()][:2]
        store.record_merge(StoryMerge(survivor, merged, "similar", datetime(2024, 3, 9, tzinfo=UTC)))
        store.save_duplicate_members("g1", [DuplicateMember(ids[2], "original", 1.0)])
    return db


def _snapshot(store: Any) -> dict[str, Any]:
    return {
        "articles": [a.to_dict() for a in store.articles()],
        "stories": store.list_stories(),
        "links": [store.story_articles(s.id) for s in store.list_stories()],
        "merges": store.story_merges(),
        "analysis": [store.get_analysis(a.id) for a in store.articles()],
        "failures": store.failures(),
        "rejected": store.rejected(),
        "duplicates": store.duplicate_groups(),
        "link": (store.link_generation(), store.link_watermark(), sorted(zip(*store.link_counts()[:2])),
                 store.link_counts()[2], store.next_story_seq()),
    }


@pytest.mark.slow
def test_cli_migrate_copies_a_store_whole_and_resumes(tmp_path: Path, pg_url: str,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    from newsprism.storage.postgres import PostgresStore
    from newsprism.storage.transfer import migrate_store

    db = _source(tmp_path)

    def stop_in_stories(table: str, rows: int) -> None:
        if table == "stories":
            raise KeyboardInterrupt  # as if the run were stopped half-way

    with pytest.raises(KeyboardInterrupt):
        migrate_store(f"sqlite:{db}", pg_url, batch_size=7, progress=stop_in_stories)
    with PostgresStore(pg_url) as half:
        assert half.count_articles() == 60 and 0 < half.count_stories()
    assert main(["migrate", "--from", f"sqlite:{db}", "--to", pg_url, "--json",
                 "--batch-size", "7"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["copied"]["articles"] == 0 and report["counts"]["articles"] == 60
    with SQLiteStore(db) as src, PostgresStore(pg_url) as dst:
        assert _snapshot(dst) == _snapshot(src)
        assert dst.search("harbour") and dst.count_rejected() == 1
    assert main(["migrate", "--from", f"sqlite:{db}", "--to", pg_url, "--json"]) == 0  # a no-op
    assert sum(json.loads(capsys.readouterr().out)["copied"].values()) == 0


def test_cli_migrate_refuses_a_target_holding_another_store(tmp_path: Path, pg_url: str) -> None:
    from newsprism.storage.postgres import PostgresStore
    from newsprism.storage.transfer import migrate_store
    from newsprism.testing import make_article

    db = tmp_path / "s.db"
    SQLiteStore(db).close()
    with PostgresStore(pg_url) as dst:
        dst.add_article(make_article("Already here", ["Another store's article."]))
    with pytest.raises(StorageError, match="already holds"):
        migrate_store(f"sqlite:{db}", pg_url)
