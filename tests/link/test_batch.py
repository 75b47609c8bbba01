"""Batch relink and the reconciliation of story ids (growth, merges, splits)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from newsprism.link import get_story, make_link_hook, relink, stories
from newsprism.link.reconcile import reconcile
from newsprism.model import Story, StoryArticle
from newsprism.pipeline import ingest_articles
from newsprism.storage import MemoryStore, SQLiteStore, Store
from tests.link._articles import DAY, three_stories


@pytest.fixture(params=["sqlite", "memory"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    s: Store = SQLiteStore(tmp_path / "s.db") if request.param == "sqlite" else MemoryStore()
    yield s
    s.close()


def _ids(n: int) -> list[str]:
    return [f"a{i}" for i in range(n)]


def test_reconcile_growth_keeps_id_and_new_cluster_gets_new_id() -> None:
    rec = reconcile({"c1": ["a0", "a1", "a2"], "c2": ["a3"]}, {"a0": "S1", "a1": "S1"}, {"S1": 1},
                    lambda key: "new-" + key)
    assert rec.ids == {"c1": "S1", "c2": "new-c2"} and rec.merges == [] and rec.new == ["new-c2"]


def test_reconcile_merge_keeps_the_older_id_and_records_it() -> None:
    rec = reconcile({"c1": ["a0", "a1", "a2", "a3"]}, {"a0": "S2", "a1": "S2", "a2": "S1", "a3": "S1"},
                    {"S1": 5, "S2": 9}, lambda key: "new")
    assert rec.ids == {"c1": "S1"} and rec.merges == [("S1", "S2")]


def test_reconcile_split_keeps_id_on_the_larger_part() -> None:
    old = {a: "S1" for a in _ids(5)}
    rec = reconcile({"small": ["a0", "a1"], "large": ["a2", "a3", "a4"]}, old, {"S1": 1},
                    lambda key: "new-" + key)
    assert rec.ids == {"small": "new-small", "large": "S1"}
    assert rec.splits == {"S1": ["new-small"]}


def test_relink_reproduces_streamed_stories_with_same_ids(store: Store) -> None:
    flood, rates, quake = three_stories()
    ingest_articles(flood + rates + quake, store, hooks=[make_link_hook(store)])
    before = {e.article.id: v.story.id for v in stories(store) for e in v.articles}
    report = relink(store)
    after = {e.article.id: v.story.id for v in stories(store) for e in v.articles}
    assert after == before and report.articles == 7 and report.stories == 3
    assert report.merges == [] and report.new_stories == []


def test_relink_merges_wrongly_split_story_keeping_older_id(store: Store) -> None:
    flood, _, _ = three_stories()
    ingest_articles(flood, store, hooks=[make_link_hook(store)])
    story_id = store.story_article(flood[0].id).story_id  # type: ignore[attr-defined]
    # Simulate an earlier wrong split: move one article to a newer story of its own.
    link = store.story_article(flood[2].id)  # type: ignore[attr-defined]
    store.save_story_articles([StoryArticle(link.article_id, "snewer", link.time, link.time_note, "new_story")])  # type: ignore[attr-defined]
    store.save_stories([Story("snewer", "x", 1, seq=99)])  # type: ignore[attr-defined]
    report = relink(store)
    assert report.merges == [(story_id, "snewer")]
    assert {store.story_article(a.id).story_id for a in flood} == {story_id}  # type: ignore[attr-defined]
    assert get_story(store, "snewer").story.id == story_id  # a bookmark of the merged id still works
    assert [(m.survivor, m.merged) for m in store.story_merges(story_id)] == [(story_id, "snewer")]  # type: ignore[attr-defined]


def test_relink_date_range_leaves_other_articles_alone(store: Store) -> None:
    flood, rates, _ = three_stories()
    ingest_articles(flood + rates, store, hooks=[make_link_hook(store)])
    before = {a.id: store.story_article(a.id) for a in flood + rates}  # type: ignore[attr-defined]
    report = relink(store, since=DAY + timedelta(minutes=20), until=DAY + timedelta(hours=2))
    assert report.articles == 3  # flood[1], rates[0], rates[1]... within the window
    after = {a.id: store.story_article(a.id) for a in flood + rates}  # type: ignore[attr-defined]
    assert {k: v.story_id for k, v in after.items()} == {k: v.story_id for k, v in before.items()}
    assert after[flood[0].id] == before[flood[0].id]


def test_relink_empty_store_is_a_no_op() -> None:
    report = relink(MemoryStore())
    assert report.articles == 0 and report.stories == 0
    assert report.to_dict()["merges"] == []


def test_relink_story_summary_is_recomputed(store: Store) -> None:
    flood, _, _ = three_stories()
    ingest_articles(flood, store, hooks=[make_link_hook(store)])
    relink(store)
    [view] = stories(store)
    assert view.story.article_count == 3 and view.story.first_reporter == "Riverton Herald"
    assert view.story.first_published == DAY and view.story.last_published == DAY + timedelta(hours=2)
    assert [e.article.id for e in view.articles] == [a.id for a in flood]
    assert datetime(2024, 5, 6, tzinfo=UTC) <= view.story.first_published
