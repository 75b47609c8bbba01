"""Prepared story comparisons: chosen articles, inputs' versions, storage, resumable runs."""

from __future__ import annotations

import time
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from newsprism.engine.cache import MemoryComparisonCache, SQLiteComparisonCache
from newsprism.engine.comparisons import (
    MAX_COMPARED,
    input_version,
    prepare_comparisons,
    prepare_story,
    select_articles,
)
from newsprism.errors import ConfigError, InputError
from newsprism.model import Article, Story, StoryArticle
from newsprism.storage.sqlite import SQLiteStore
from newsprism.testing import make_article

START = datetime(2025, 3, 1, tzinfo=UTC)
_TOPICS = {
    "dam": "The Carrow dam spillway opened after heavy rain and the river rose fast.",
    "court": "Judges at the appeals court heard the dam operator argue over liability.",
    "aid": "Relief crews handed out water and blankets to evacuated families in shelters.",
}


def _article(n: int, topic: str, outlet: str) -> Article:
    lead = _TOPICS[topic]
    return make_article(
        f"{topic.title()} update {n}",
        [f"{lead} Report number {n} from {outlet}.", f"{lead} Officials spoke on day {n % 7}."],
        source=outlet,
        published=START + timedelta(minutes=n),
    )


def _big_story(count: int) -> list[Article]:
    """Mostly one wire copy about the dam, with a few articles on two other angles."""
    out = []
    for n in range(count):
        topic = "court" if n % 40 == 7 else "aid" if n % 50 == 11 else "dam"
        out.append(_article(n, topic, f"Outlet {n % 30}"))
    return out


def test_comparisons_select_all_of_a_small_story_in_time_order() -> None:
    arts = [_article(n, "dam", f"O{n}") for n in (3, 1, 2)]
    chosen = select_articles(arts)
    assert [a.id for a in chosen.compared] == [arts[1].id, arts[2].id, arts[0].id]
    assert chosen.total == 3 and chosen.note == ""


def test_comparisons_select_central_and_distinct_of_a_400_article_story() -> None:
    arts = _big_story(400)
    select_articles(arts[:13])  # imports scikit-learn: not what is timed
    started = time.perf_counter()
    chosen = select_articles(arts)
    assert time.perf_counter() - started < 10  # ~0.1 s here; generous for a loaded machine
    assert len(chosen.compared) == MAX_COMPARED and chosen.total == 400
    titles = {a.title.split()[0] for a in chosen.compared}
    assert titles == {"Dam", "Court", "Aid"}  # the rare angles are kept, not only the wire copy
    assert len({a.source for a in chosen.compared}) == MAX_COMPARED  # no outlet twice
    assert "12 of 400 articles compared" in chosen.note and "most central" in chosen.note
    times = [a.published for a in chosen.compared]
    assert times == sorted(times)  # type: ignore[type-var]


def test_comparisons_select_validates_limit() -> None:
    with pytest.raises(ConfigError, match="limit"):
        select_articles([], limit=1)


def _store_with_stories(path: Path, stories: dict[str, list[Article]]) -> SQLiteStore:
    store = SQLiteStore(path)
    with store.session():
        for seq, (sid, arts) in enumerate(stories.items(), 1):
            for a in arts:
                store.add_article(a)
            store.save_stories([Story(sid, arts[0].title, len(arts), seq=seq,
                                      last_published=arts[-1].published)])
            store.save_story_articles(
                [StoryArticle(a.id, sid, a.published or START, "published", "similar", 0.5)
                 for a in arts]
            )
    return store


class _Build:
    """A stand-in comparison: records what it was asked to compare."""

    def __init__(self, fail_on: str = "") -> None:
        self.calls: list[tuple[str, int]] = []
        self.fail_on = fail_on

    def __call__(self, story: Any, compared: Sequence[Article], every: Sequence[Article]) -> dict[str, Any]:
        sid = str(getattr(story, "id", story))
        self.calls.append((sid, len(compared)))
        if sid == self.fail_on:
            raise InputError("empty", "an article is empty")
        return {"comparison": {"articles": [a.id for a in compared]}, "report": {"story": sid}}


def test_comparisons_prepare_stores_versions_and_resumes(tmp_path: Path) -> None:
    stories = {f"s{k}": [_article(10 * k + n, "dam", f"O{n}") for n in range(3)] for k in range(4)}
    stories["single"] = [_article(99, "aid", "Lone")]
    store = _store_with_stories(tmp_path / "p.db", stories)
    build = _Build()
    first = prepare_comparisons(store, build=build, max_stories=2)
    assert (first.prepared, first.remaining) == (2, 2) and len(build.calls) == 2
    rest = prepare_comparisons(store, build=build)  # resumes: only the two left
    assert (rest.prepared, rest.fresh, rest.remaining) == (2, 2, 0) and len(build.calls) == 4
    again = prepare_comparisons(store, build=build)
    assert (again.prepared, again.fresh) == (0, 4) and len(build.calls) == 4
    cache = SQLiteComparisonCache(store)
    record = cache.get("s1")
    assert record is not None and record.status == "ready" and record.total == 3
    assert record.data["report"] == {"story": "s1"}
    assert record.version == input_version(store, stories["s1"])
    store.close()
    reopened = SQLiteStore(tmp_path / "p.db")  # kept across processes
    assert SQLiteComparisonCache(reopened).version("s1") == record.version
    reopened.close()


def test_comparisons_change_of_story_makes_its_record_stale(tmp_path: Path) -> None:
    arts = [_article(n, "dam", f"O{n}") for n in range(3)]
    store = _store_with_stories(tmp_path / "v.db", {"s1": arts[:2]})
    build = _Build()
    prepare_comparisons(store, build=build)
    before = SQLiteComparisonCache(store).version("s1")
    with store.session():
        store.add_article(arts[2])
        store.save_story_articles([StoryArticle(arts[2].id, "s1", START, "published", "similar")])
    assert input_version(store, arts) != before
    report = prepare_comparisons(store, build=build)
    assert report.prepared == 1 and build.calls[-1] == ("s1", 3)
    store.close()


def test_comparisons_input_errors_are_stored_as_failed(tmp_path: Path) -> None:
    store = _store_with_stories(tmp_path / "f.db", {"bad": [_article(n, "dam", f"O{n}") for n in range(2)]})
    report = prepare_comparisons(store, build=_Build(fail_on="bad"))
    assert report.failed == [("bad", "an article is empty")]
    record = SQLiteComparisonCache(store).get("bad")
    assert record is not None and record.status == "failed" and record.reason == "empty"
    store.close()


def test_comparisons_memory_cache_and_prepare_story() -> None:
    arts = _big_story(40)
    cache = MemoryComparisonCache()
    build = _Build()
    record = prepare_story(None, "big", arts, build=build, cache=cache)
    assert build.calls == [("big", MAX_COMPARED)] and record.total == 40
    assert cache.version("big") == record.version and record.note.startswith("12 of 40")
    assert cache.prune({"other"}) == 1 and cache.get("big") is None
