"""The compact story index: candidates from the postings, reindexing, removal, merges, the
representative title, and the postings' levels and versions against a plain-dict model."""

from __future__ import annotations

import random
from datetime import timedelta

import numpy as np
import pytest

from newsprism.link import LinkConfig
from newsprism.link import postings as postings_module
from newsprism.link.engine import LinkEngine
from newsprism.link.index import StoryIndex
from newsprism.link.postings import Postings
from newsprism.link.state import StoryState
from newsprism.represent.base import ArticleFeatures
from newsprism.represent.tfidf import SparseVector

T0 = 1_700_000_000.0
DAY = 86400.0


def _vector(terms: dict[int, float]) -> SparseVector:
    ids = np.array(sorted(terms), np.int64)
    weights = np.array([terms[i] for i in ids.tolist()], np.float64)
    return SparseVector(ids, (weights / np.linalg.norm(weights)).astype(np.float32))


def _features(
    aid: str, terms: dict[int, float], time: float = T0, language: str | None = "en"
) -> ArticleFeatures:
    vector = _vector(terms)
    return ArticleFeatures(
        article_id=aid,
        source="Outlet " + aid[:1],
        title="title of " + aid,
        language=language,
        time=time,
        time_note="published",
        text_hash=None,
        signature=np.zeros(64, np.uint64),
        sentences=[],
        vector=vector,
        feature_ids=vector.ids,
        word_count=100,
    )


def _topic(base: int, n: int = 12) -> dict[int, float]:
    """Terms base..base+n-1, heaviest first."""
    return {base + k: float(n - k) for k in range(n)}


def _found(index: StoryIndex, terms: dict[int, float], **kw: object) -> list[str]:
    f = _features("query", terms, **kw)  # type: ignore[arg-type]
    return [s.id for s, _ in index.candidates(f.vector, 1, f.time, f.time, f.language)]


def test_index_candidates_found_via_postings() -> None:
    index = StoryIndex(LinkConfig())
    index.create("s-flood", 1, _features("a1", _topic(100)))
    index.create("s-rates", 2, _features("b1", _topic(5000)))
    found = index.candidates(_vector(_topic(100)), 1, T0, T0, "en")
    assert [s.id for s, _ in found] == ["s-flood"]
    assert found[0][1] == pytest.approx(1.0, abs=2e-3)  # same vector: cosine 1 (float16 centroid)
    assert _found(index, _topic(90_000)) == []  # shares no term
    assert _found(index, _topic(100), language="de") == []  # another language
    assert _found(index, _topic(100), time=T0 + 90 * DAY) == []  # past the fade window
    assert _found(index, _topic(100), language=None) == ["s-flood"]


def test_index_candidates_ranked_by_score() -> None:
    index = StoryIndex(LinkConfig())
    index.create("s-near", 1, _features("a1", _topic(100)))
    index.create("s-far", 2, _features("b1", {**_topic(100, 3), **_topic(7000, 12)}))
    scores = {s.id: sc for s, sc in index.candidates(_vector(_topic(100)), 1, T0, T0, "en")}
    assert list(scores) == ["s-near", "s-far"]
    assert scores["s-near"] > scores["s-far"] > 0.0


def test_index_reindex_drops_stale_terms() -> None:
    index = StoryIndex(LinkConfig(index_terms=4, centroid_terms=8))
    story = index.create("s1", 1, _features("a1", _topic(100, 4)))
    assert _found(index, _topic(100, 4)) == ["s1"]
    # Three articles on other terms push 100..103 out of the story's 4 indexed terms.
    index.add_many(
        story, [_features(f"a{k}", {200: 9.0, 201: 8.0, 202: 7.0, 203: 6.0}) for k in (2, 3, 4)]
    )
    assert set(story.ids.tolist()) >= {200, 201, 202, 203}
    assert _found(index, _topic(100, 4)) == []  # old postings lapsed with the version bump
    assert _found(index, {200: 1.0, 201: 1.0}) == ["s1"]
    assert index._postings.live == 4


def test_index_remove_frees_slot_and_postings() -> None:
    index = StoryIndex(LinkConfig())
    for k in range(50):
        index.create(f"s{k}", k, _features(f"a{k}", _topic(1000 * (k + 1))))
    assert index.active_articles == 50 and index._postings.live == 50 * 12
    slots = {index.stories[f"s{k}"].slot for k in range(50)}
    for k in range(50):
        removed = index.remove(f"s{k}")
        assert removed is not None and removed.slot == -1
    assert len(index) == 0 and index.active_articles == 0 and index._postings.live == 0
    assert _found(index, _topic(1000)) == []
    index._postings.compact()
    assert len(index._postings) == 0
    again = index.create("t1", 99, _features("z1", _topic(1000)))
    assert again.slot in slots  # a freed slot is reused
    assert _found(index, _topic(1000)) == ["t1"]
    assert _found(index, _topic(2000)) == []  # the slot's earlier story is gone


def test_index_faded_and_over_budget() -> None:
    index = StoryIndex(LinkConfig(max_active_articles=100, fade_after=timedelta(days=10)))
    old = index.create("old", 1, _features("a1", _topic(100), time=T0))
    for k in range(2, 100):
        index.add(old, _features(f"a{k}", _topic(100), time=T0))
    index.create("new", 2, _features("b1", _topic(5000), time=T0 + 20 * DAY))
    assert index.faded(T0 + 12 * DAY) == ["old"]  # ended > fade window + a day before
    assert index.faded(T0 + 10 * DAY) == []
    assert index.active_articles == 100
    index.create("newer", 3, _features("c1", _topic(9000), time=T0 + 20 * DAY))
    assert index.over_budget() == ["old"]  # least recently touched first


def test_index_merge_moves_members_and_postings() -> None:
    index = StoryIndex(LinkConfig())
    a = index.create("sA", 1, _features("a1", _topic(100), time=T0))
    b = index.create("sB", 2, _features("b1", _topic(5000), time=T0 - DAY))
    index.add(b, _features("b2", _topic(5000), time=T0))
    index.merge(a, b)
    assert "sB" not in index and len(index) == 1
    assert a.members == ["a1", "b1", "b2"] and a.count == 3
    assert a.first == T0 - DAY and a.first_reporter == "Outlet b"
    assert index.active_articles == 3
    assert _found(index, _topic(5000)) == ["sA"]
    assert _found(index, _topic(100)) == ["sA"]
    # The merged story's representative is closer to the merged centroid (two of three members).
    assert a.rep_title == "title of b1"


def test_index_representative_is_most_central_title() -> None:
    index = StoryIndex(LinkConfig())
    story = index.create("s1", 1, _features("edge1", {1: 1.0, 9: 1.0}))
    index.add(story, _features("edge2", {2: 1.0, 8: 1.0}))
    assert story.rep_title == "title of edge1"  # a two-article story ties: the first keeps it
    index.add(story, _features("middle", {1: 1.0, 2: 1.0}))
    assert story.rep_id == "middle" and story.rep_title == "title of middle"
    index.add(story, _features("edge3", {1: 1.0, 9: 1.0}))
    assert story.rep_id == "middle"  # cos 0.80 vs 0.77 for the edges


def test_index_representative_follows_a_moving_centroid() -> None:
    index = StoryIndex(LinkConfig(centroid_terms=8, index_terms=4))
    story = index.create("s1", 1, _features("first", _topic(100, 6)))
    for k in range(6):  # the story drifts to other terms: the old ones leave the centroid
        index.add(story, _features(f"drift{k}", _topic(300, 6)))
    assert story.rep_id != "first"
    assert story.size == 8


def test_story_state_constructor_keeps_the_centroid_sum() -> None:
    state = StoryState(
        "s1",
        7,
        ids=np.array([3, 9, 40]),
        weights=np.array([2.0, 1.0, 0.5], np.float32),
        norm=0.0,
        first=T0,
        last=T0 + 5,
    )
    assert state.ids.tolist() == [3, 9, 40]
    assert state.weights == pytest.approx([2.0, 1.0, 0.5], rel=1e-3)
    assert state.norm == pytest.approx(np.sqrt(4 + 1 + 0.25))
    assert state.slot == -1 and state.rep_terms is None
    empty = StoryState(
        "s2", 8, ids=np.zeros(0, np.int64), weights=np.zeros(0, np.float32), norm=0.0
    )
    assert empty.size == 0 and len(empty.centroid()) == 0


def test_index_restored_story_joins_on_absorb() -> None:
    index = StoryIndex(LinkConfig())
    state = StoryState("s-old", 4, first=T0, last=T0 + DAY, rep_title="stored title", count=40)
    index.stories[state.id] = state  # as LinkEngine.restore does
    index.absorb_many(state, [_features("a1", _topic(100)), _features("a2", _topic(100))])
    assert state.slot >= 0 and state.count == 40 and index.active_articles == 2
    assert state.rep_title == "title of a1"  # recomputed among the reloaded members
    assert _found(index, _topic(100)) == ["s-old"]


def test_engine_memory_follows_active_articles() -> None:
    """Stories retire as the stream moves on: the index, postings and story_of shrink with them."""
    engine = LinkEngine(LinkConfig(fade_after=timedelta(days=2)), lambda f: "s" + f.article_id)
    peak_live = 0
    for day in range(30):
        batch = [
            _features(f"d{day}-{k}-{j}", _topic(10_000 * (day * 5 + k) + 1), time=T0 + day * DAY)
            for k in range(5)
            for j in range(3)
        ]
        engine.link_batch(batch)
        engine.take_changes()
        engine.retire(min(f.time for f in batch))
        peak_live = max(peak_live, engine.stories._postings.live)
        assert len(engine.story_of) == engine.stories.active_articles
    assert len(engine.stories) <= 5 * 5  # ~4 days of 5 stories a day, not 30 days
    postings = engine.stories._postings
    assert (
        postings.live <= peak_live
        and len(postings) <= 2 * postings.live + 2 * postings_module.SMALL
    )
    assert len(engine.stories._slots) <= 5 * 5  # freed slots are reused


# -- postings ---------------------------------------------------------------------------------


def _lookup(p: Postings, terms: list[int], max_posting: int = 1000) -> set[tuple[int, int]]:
    slots, term_of = p.lookup(np.array(terms, np.int64), max_posting)
    pairs = [(terms[t], s) for s, t in zip(slots.tolist(), term_of.tolist(), strict=True)]
    assert len(pairs) == len(set(pairs)), "a live posting was returned twice"
    return set(pairs)


def test_postings_match_a_dict_model_through_merges(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(postings_module, "SMALL", 16)
    monkeypatch.setattr(postings_module, "MIDDLE_MIN", 64)
    rng = random.Random(5)
    p, model = Postings(), dict[int, set[int]]()
    for step in range(3000):
        slot = rng.randrange(60)
        if rng.random() < 0.2:
            p.drop(slot)
            model.pop(slot, None)
        else:
            terms = rng.sample(range(200), rng.randint(1, 8))
            p.set_terms(slot, np.array(terms, np.int64))
            model[slot] = set(terms)
        if step % 97 == 0:
            query = rng.sample(range(200), 24)
            expected = {(t, s) for s, ts in model.items() for t in ts if t in query}
            assert _lookup(p, query) == expected
            assert p.live == sum(len(ts) for ts in model.values())
            assert len(p) <= 2 * p.live + 2 * postings_module.SMALL
    assert any(len(level) for level in p._levels[1:])  # the middle and main levels were used


def test_postings_skip_crowded_terms() -> None:
    p = Postings()
    for slot in range(5):
        p.set_terms(slot, np.array([7, 100 + slot]))
    assert {s for t, s in _lookup(p, [7], max_posting=5)} == set(range(5))
    assert _lookup(p, [7, 101], max_posting=4) == {(101, 1)}  # term 7 heads 5 > 4 stories


def test_postings_version_wrap_keeps_one_live_posting() -> None:
    p = Postings()
    p.set_terms(3, np.array([11, 12]))
    for k in range(5001):  # past 2**12 versions of slot 3: old postings must not come back
        p.set_terms(3, np.array([11 if k % 2 else 13]))
    assert _lookup(p, [11, 12, 13]) == {(13, 3)}
    assert len(p) <= 2 * p.live + 2 * postings_module.SMALL


def test_postings_reject_out_of_range_terms() -> None:
    with pytest.raises(ValueError, match="term ids"):
        Postings().set_terms(0, np.array([-1]))
    with pytest.raises(ValueError, match="slot"):
        Postings().set_terms(-2, np.array([1]))
