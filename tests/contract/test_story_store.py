"""The story part of the Store contract: both backends keep stories, links, merges and
duplicate groups the same way."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from newsprism.errors import NotFound
from newsprism.model import DuplicateMember, Story, StoryArticle, StoryMerge
from newsprism.storage import SQLiteStore, Store
from newsprism.testing import make_article
from tests.contract.backends import make_store

T0 = datetime(2025, 3, 1, 8, 0, tzinfo=UTC)


@pytest.fixture(params=["sqlite", "memory", "postgres"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    s: Store = make_store(request, tmp_path)
    yield s
    s.close()


def _story(sid: str, seq: int, hours: int = 0, **kw: object) -> Story:
    fields: dict = {"title": f"Story {sid}", "article_count": 2, "sources": ("A", "B"),
                        "first_published": T0 + timedelta(hours=hours),
                        "last_published": T0 + timedelta(hours=hours + 5), "first_reporter": "A", "seq": seq}
    fields.update(kw)
    return Story(sid, **fields)


def _link(aid: str, sid: str, hours: int = 0, reason: str = "similar") -> StoryArticle:
    return StoryArticle(aid, sid, T0 + timedelta(hours=hours), "published", reason, 0.5)


def test_story_store_saves_and_reads_stories(store: Store) -> None:
    s = store
    s.save_stories([_story("s1", 1), _story("s2", 2, hours=10)])  # type: ignore[attr-defined]
    assert s.get_story_record("s1") == _story("s1", 1)  # type: ignore[attr-defined]
    assert [x.id for x in s.list_stories()] == ["s2", "s1"]  # type: ignore[attr-defined]
    assert [x.id for x in s.list_stories(since=T0 + timedelta(hours=12))] == ["s2"]  # type: ignore[attr-defined]
    assert s.count_stories() == 2 and s.next_story_seq() == 3  # type: ignore[attr-defined]
    s.save_stories([_story("s1", 1, title="Renamed")])  # type: ignore[attr-defined]
    assert s.get_story_record("s1").title == "Renamed"  # type: ignore[attr-defined]


def test_story_store_id_prefix_and_not_found(store: Store) -> None:
    s = store
    s.save_stories([_story("sabc123", 1), _story("sabc999", 2)])  # type: ignore[attr-defined]
    assert s.get_story_record("sabc1").id == "sabc123"  # type: ignore[attr-defined]
    with pytest.raises(NotFound, match="ambiguous"):
        s.get_story_record("sabc")  # type: ignore[attr-defined]
    with pytest.raises(NotFound):
        s.get_story_record("nope")
    assert s.has_story("sabc123") and not s.has_story("sabc")  # type: ignore[attr-defined]


def test_story_store_links_in_time_order_and_moves_on_merge(store: Store) -> None:
    s = store
    s.save_story_articles([_link("a2", "s1", 3), _link("a1", "s1", 1), _link("a3", "s2", 2)])  # type: ignore[attr-defined]
    assert [x.article_id for x in s.story_articles("s1")] == ["a1", "a2"]  # type: ignore[attr-defined]
    assert s.story_article("a3") == _link("a3", "s2", 2)  # type: ignore[attr-defined]
    assert s.story_article("zz") is None  # type: ignore[attr-defined]
    s.move_story_articles("s2", "s1")  # type: ignore[attr-defined]
    assert [x.article_id for x in s.story_articles("s1")] == ["a1", "a3", "a2"]  # type: ignore[attr-defined]
    s.delete_story_articles(["a1"])  # type: ignore[attr-defined]
    assert s.story_article("a1") is None  # type: ignore[attr-defined]


def test_story_store_merges_are_recorded_and_merged_stories_hidden(store: Store) -> None:
    s = store
    s.save_stories([_story("s1", 1), _story("s2", 2, merged_into="s1")])  # type: ignore[attr-defined]
    s.record_merge(StoryMerge("s1", "s2", "similar", T0))  # type: ignore[attr-defined]
    assert [x.id for x in s.list_stories()] == ["s1"] and s.count_stories() == 1  # type: ignore[attr-defined]
    assert s.get_story_record("s2").merged_into == "s1"  # type: ignore[attr-defined]
    assert s.story_merges("s2") == [StoryMerge("s1", "s2", "similar", T0)]  # type: ignore[attr-defined]
    assert s.story_merges("s9") == []  # type: ignore[attr-defined]


def test_story_store_source_filter_uses_article_outlets(store: Store) -> None:
    s = store
    a = make_article("Port strike", ["Dockers walked out."], source="Harbour Ledger")
    b = make_article("Rates rise", ["The bank raised rates."], source="Money Daily")
    s.add_article(a)
    s.add_article(b)
    s.save_stories([_story("s1", 1), _story("s2", 2)])  # type: ignore[attr-defined]
    s.save_story_articles([_link(a.id, "s1"), _link(b.id, "s2")])  # type: ignore[attr-defined]
    assert [x.id for x in s.list_stories(source="harbour ledger")] == ["s1"]  # type: ignore[attr-defined]
    assert s.unlinked_article_ids() == []  # type: ignore[attr-defined]
    s.delete_story_articles([b.id])  # type: ignore[attr-defined]
    assert s.unlinked_article_ids() == [b.id]  # type: ignore[attr-defined]


def test_story_store_duplicate_groups(store: Store) -> None:
    s = store
    s.save_duplicate_members("g1", [DuplicateMember("a1", "original", 1.0), DuplicateMember("a2", "near", 0.8, "a1")])  # type: ignore[attr-defined]
    s.save_duplicate_members("g2", [DuplicateMember("a3", "original", 1.0), DuplicateMember("a4", "wire", 0.2, "a3")])  # type: ignore[attr-defined]
    s.save_duplicate_members("g2", [DuplicateMember("a5", "exact", 1.0, "a3")])  # type: ignore[attr-defined]
    groups = s.duplicate_groups()  # type: ignore[attr-defined]
    assert [(g.id, len(g.members)) for g in groups] == [("g2", 3), ("g1", 2)]
    assert groups[1].members[0] == DuplicateMember("a1", "original", 1.0)
    assert [g.id for g in s.duplicate_groups(["a2"])] == ["g1"]  # type: ignore[attr-defined]
    s.rename_duplicate_group("g1", "g2")  # type: ignore[attr-defined]
    assert [(g.id, len(g.members)) for g in s.duplicate_groups()] == [("g2", 5)]  # type: ignore[attr-defined]
    s.delete_duplicate_members(["a5"])  # type: ignore[attr-defined]
    assert len(s.duplicate_groups()[0].members) == 4  # type: ignore[attr-defined]


def test_story_store_session_rolls_back_story_writes(store: Store) -> None:
    s = store
    s.save_stories([_story("s1", 1)])  # type: ignore[attr-defined]
    with pytest.raises(RuntimeError), s.session():
        s.save_stories([_story("s2", 2)])  # type: ignore[attr-defined]
        s.save_story_articles([_link("a1", "s2")])  # type: ignore[attr-defined]
        s.save_duplicate_members("g", [DuplicateMember("a1", "original", 1.0)])  # type: ignore[attr-defined]
        s.record_merge(StoryMerge("s1", "s2", "similar", T0))  # type: ignore[attr-defined]
        s.bump_link_generation()  # type: ignore[attr-defined]
        raise RuntimeError("boom")
    assert [x.id for x in s.list_stories()] == ["s1"]  # type: ignore[attr-defined]
    assert s.story_article("a1") is None and s.duplicate_groups() == []  # type: ignore[attr-defined]
    assert s.story_merges() == [] and s.link_generation() == 0  # type: ignore[attr-defined]


def test_story_store_link_generation_counts_up(store: Store) -> None:
    s = store
    assert s.link_generation() == 0  # type: ignore[attr-defined]
    assert s.bump_link_generation() == 1 and s.bump_link_generation() == 2  # type: ignore[attr-defined]
    assert s.link_generation() == 2  # type: ignore[attr-defined]


def test_story_store_schema_survives_reopen(tmp_path: Path) -> None:
    path = tmp_path / "s.db"
    with SQLiteStore(path) as s:
        s.save_stories([_story("s1", 1)])
        assert s.schema_versions()["stories"] == 2  # v2: the linker's document frequencies
    with SQLiteStore(path) as s:
        assert s.get_story_record("s1").seq == 1


def test_story_store_link_watermark_only_rises(store: Store) -> None:
    assert store.link_watermark() is None  # type: ignore[attr-defined]
    store.raise_link_watermark(100.0)  # type: ignore[attr-defined]
    store.raise_link_watermark(50.0)  # type: ignore[attr-defined]
    assert store.link_watermark() == 100.0  # type: ignore[attr-defined]
    store.raise_link_watermark(150.5)  # type: ignore[attr-defined]
    assert store.link_watermark() == 150.5  # type: ignore[attr-defined]


def test_story_store_link_counts_add_up_and_roll_back(store: Store) -> None:
    assert store.link_counts() == ([], [], 0)  # type: ignore[attr-defined]
    store.add_link_counts([3, 7], [1, 2], 2)  # type: ignore[attr-defined]
    store.add_link_counts([7, 9], [1, 1], 1)  # type: ignore[attr-defined]
    with pytest.raises(RuntimeError), store.session():
        store.add_link_counts([3], [5], 5)  # type: ignore[attr-defined]
        raise RuntimeError("rolled back")
    features, counts, docs = store.link_counts()  # type: ignore[attr-defined]
    assert dict(zip(features, counts, strict=True)) == {3: 1, 7: 3, 9: 1} and docs == 3


def test_story_store_stories_between_overlap_their_spans(store: Store) -> None:
    store.save_stories([_story("early", 1, 0), _story("mid", 2, 100), _story("late", 3, 400),  # type: ignore[attr-defined]
                        _story("gone", 4, 100, merged_into="mid")])
    found = store.stories_between(T0 + timedelta(hours=3), T0 + timedelta(hours=102))  # type: ignore[attr-defined]
    assert [s.id for s in found] == ["mid", "early"]  # latest activity first; merged ones hidden
    assert store.stories_between(T0 + timedelta(hours=200), T0 + timedelta(hours=300)) == []  # type: ignore[attr-defined]
