"""The streaming linker as an ingest hook: stories, duplicates, stable ids, rebuild, bad input."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from newsprism.link import (
    LinkConfig,
    StreamingLinker,
    duplicate_groups,
    get_story,
    make_link_hook,
    stories,
)
from newsprism.pipeline import ingest_articles
from newsprism.storage import MemoryStore, SQLiteStore, Store
from newsprism.testing import make_article
from tests.link._articles import DAY, FLOOD, articles, syndicated_copy, three_stories, wire_rewrites


@pytest.fixture(params=["sqlite", "memory"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    s: Store = SQLiteStore(tmp_path / "s.db") if request.param == "sqlite" else MemoryStore()
    yield s
    s.close()


def _story_of(store: Store, article_id: str) -> str:
    link = store.story_article(article_id)  # type: ignore[attr-defined]
    assert link is not None, f"{article_id} was not linked"
    return str(link.story_id)


def test_streaming_groups_same_story_and_separates_others(store: Store) -> None:
    flood, rates, quake = three_stories()
    mixed = sorted(flood + rates + quake, key=lambda a: a.published)
    ingest_articles(mixed, store, hooks=[make_link_hook(store)], batch_size=3)
    assert len({_story_of(store, a.id) for a in flood}) == 1
    assert len({_story_of(store, a.id) for a in rates}) == 1
    assert len({_story_of(store, a.id) for a in quake}) == 1
    assert len({_story_of(store, a.id) for a in flood + rates + quake}) == 3
    views = stories(store)
    assert sorted(v.story.article_count for v in views) == [2, 2, 3]
    flood_view = next(v for v in views if v.story.article_count == 3)
    assert flood_view.story.first_reporter == "Riverton Herald"
    assert set(flood_view.story.sources) == {"Riverton Herald", "National Daily", "Evening Post"}
    assert flood_view.story.first_published == DAY
    assert flood_view.story.title in {t for t, _ in FLOOD}


def test_streaming_story_keeps_its_id_as_it_grows(store: Store) -> None:
    flood, _, _ = three_stories()
    hook = make_link_hook(store)
    ingest_articles(flood[:1], store, hooks=[hook])
    first = _story_of(store, flood[0].id)
    ingest_articles(flood[1:], store, hooks=[hook])
    assert {_story_of(store, a.id) for a in flood} == {first}
    assert get_story(store, first).story.article_count == 3


def test_streaming_new_process_rebuilds_state_from_store(tmp_path: Path) -> None:
    flood, rates, _ = three_stories()
    path = tmp_path / "s.db"
    with SQLiteStore(path) as store:
        ingest_articles(flood[:2] + rates[:1], store, hooks=[make_link_hook(store)])
        flood_id = _story_of(store, flood[0].id)
    with SQLiteStore(path) as store:  # a new process: fresh linker, same file
        linker = make_link_hook(store)
        assert linker.engine is not None and flood_id in linker.engine.stories
        ingest_articles(flood[2:] + rates[1:], store, hooks=[linker])
        assert _story_of(store, flood[2].id) == flood_id
        assert _story_of(store, rates[1].id) == _story_of(store, rates[0].id)


def test_streaming_relearns_after_another_writer(store: Store) -> None:
    flood, _, _ = three_stories()
    one, two = make_link_hook(store), make_link_hook(store)
    ingest_articles(flood[:1], store, hooks=[one])
    ingest_articles(flood[1:2], store, hooks=[two])  # sees the generation change and reloads
    ingest_articles(flood[2:], store, hooks=[one])
    assert len({_story_of(store, a.id) for a in flood}) == 1


def test_streaming_story_fades_after_window(store: Store) -> None:
    flood, _, _ = three_stories()
    later = make_article(flood[1].title, list(flood[1].paragraphs), source="Late Weekly",
                         published=DAY + timedelta(days=90))
    hook = make_link_hook(store, LinkConfig(fade_after=timedelta(days=3)))
    ingest_articles(flood[:1] + [later], store, hooks=[hook])
    assert _story_of(store, flood[0].id) != _story_of(store, later.id)


def test_streaming_duplicates_join_one_story_and_form_groups(store: Store) -> None:
    flood, rates, _ = three_stories()
    copy = syndicated_copy(flood[0], "Wire Reprint")
    wires = wire_rewrites(DAY)
    ingest_articles([flood[0], rates[0], copy, *wires], store, hooks=[make_link_hook(store)])
    assert _story_of(store, copy.id) == _story_of(store, flood[0].id)
    assert _story_of(store, wires[0].id) == _story_of(store, wires[1].id)
    groups = {frozenset(m.article_id for m in g.members): g for g in duplicate_groups(store)}
    near = groups[frozenset({flood[0].id, copy.id})]
    kinds = {m.article_id: m for m in near.members}
    assert kinds[flood[0].id].kind == "original" and kinds[copy.id].kind in {"near", "exact"}
    assert kinds[copy.id].jaccard >= 0.5
    wire = groups[frozenset(a.id for a in wires)]
    assert {m.kind for m in wire.members} == {"original", "wire"}
    view = get_story(store, _story_of(store, copy.id))
    assert {e.duplicate_kind for e in view.articles} == {"original", "near"} or {
        e.duplicate_kind for e in view.articles
    } == {"original", "exact"}


def test_streaming_bad_input_is_linked_or_left_alone_with_reason(store: Store) -> None:
    flood, _, _ = three_stories()
    bad = [
        make_article("", [""], source="Blank"),
        make_article("Brenn river", ["Flood."], source="Terse", published=DAY),
        make_article(flood[1].title, list(flood[1].paragraphs), source="Undated"),
        make_article("Future", ["A report from a future date about nothing in particular."],
                     published=datetime(2199, 1, 1, tzinfo=UTC)),
        make_article("El río Brenn inunda Riverton", ["Las lluvias desbordaron el río en Riverton."],
                     language="es", published=DAY),
        make_article("Endless", ["lorem ipsum dolor " * 70_000], published=DAY),
    ]
    report = ingest_articles([flood[0], *bad], store, hooks=[make_link_hook(store)])
    assert report.ingested == 7
    links = {a.id: store.story_article(a.id) for a in bad}  # type: ignore[attr-defined]
    assert all(link is not None for link in links.values())
    assert links[bad[0].id].reason == "no_text"
    assert links[bad[2].id].time_note == "no_date_ingest_time"
    assert links[bad[3].id].time_note == "implausible_date_ingest_time"
    assert _story_of(store, bad[5].id) != _story_of(store, flood[0].id)


def test_streaming_hook_failure_rolls_back_and_rebuilds(store: Store) -> None:
    flood, _, _ = three_stories()
    linker = StreamingLinker()

    def boom(_store: Store, _articles: list) -> None:
        raise RuntimeError("later hook failed")

    ingest_articles(flood[:1], store, hooks=[linker])
    with pytest.raises(RuntimeError):
        ingest_articles(flood[1:2], store, hooks=[linker, boom])
    assert store.story_article(flood[1].id) is None  # type: ignore[attr-defined]
    ingest_articles(flood[1:], store, hooks=[linker])
    assert len({_story_of(store, a.id) for a in flood}) == 1
    assert stories(store)[0].story.article_count == 3


def test_streaming_records_latency_per_article() -> None:
    store = MemoryStore()
    linker = StreamingLinker(record_latency=True)
    flood, rates, quake = three_stories()
    ingest_articles(flood + rates + quake, store, hooks=[linker])
    assert len(linker.latencies) == 7 and all(t > 0 for t in linker.latencies)


def test_streaming_stories_filter_by_source_and_since(store: Store) -> None:
    flood, rates, _ = three_stories()
    late = articles([("Karsland bank holds rates", ["The Karsland bank held rates at 4.5 percent."])],
                    ["Business Times"], DAY + timedelta(days=90))
    ingest_articles(flood + rates + late, store, hooks=[make_link_hook(store)])
    told = stories(store, source="riverton herald")
    assert [v.story.article_count for v in told] == [3]
    recent = stories(store, since=DAY + timedelta(days=80))
    assert [e.article.id for v in recent for e in v.articles] == [late[0].id]


def test_streaming_hook_rejects_a_store_without_stories() -> None:
    from newsprism.errors import ConfigError

    with pytest.raises(ConfigError, match="keeps stories"):
        make_link_hook(object())  # type: ignore[arg-type]
    with pytest.raises(ConfigError, match="LinkConfig.link_threshold"):
        LinkConfig(link_threshold=2.0)


def test_streaming_an_old_article_finds_its_story_after_newer_ones() -> None:
    from datetime import UTC, datetime, timedelta

    from newsprism.pipeline import ingest_articles
    from newsprism.storage import MemoryStore
    from newsprism.testing import make_article

    start = datetime(2024, 1, 1, tzinfo=UTC)
    text = ["Dock workers at the port of Kestrel Bay walked out over pay, union leader Mara Quist said.",
            "The strike by 1,200 Kestrel Bay dockers halted container traffic for a second day."]
    first = make_article("Kestrel Bay dockers strike over pay", text, source="A", published=start)
    later = [make_article(f"Council election result {i}", [f"Candidate Bo Lind{i} won ward {i} by {i * 40} votes."],
                          source="B", published=start + timedelta(days=200 + i)) for i in range(3)]
    late_copy = make_article("Kestrel Bay strike enters second day", text[::-1], source="C",
                             published=start + timedelta(days=1))
    store = MemoryStore()
    for batch in ([first], later, [late_copy]):  # dates out of order, three runs
        ingest_articles(batch, store, hooks=[make_link_hook(store)])
    assert store.story_article(late_copy.id).story_id == store.story_article(first.id).story_id  # type: ignore[union-attr]
