"""The columnar duplicate index: exact / near / wire matches, removal, regrouping, and the key
table's merges and compactions (small thresholds, so a few hundred articles cross many)."""

from __future__ import annotations

import tracemalloc

import numpy as np
import pytest

from newsprism.errors import ConfigError
from newsprism.link.config import LinkConfig
from newsprism.link.duplicates import DuplicateIndex, DuplicateMatch
from newsprism.link.keyrows import KEY_MASK, MAX_ROWS, KeyRows
from newsprism.represent.base import ArticleFeatures
from newsprism.represent.minhash import band_keys
from newsprism.represent.tfidf import EMPTY

CONFIG = LinkConfig()
_RANK = {"exact": 0, "near": 1, "wire": 2}


def _features(
    aid: str,
    rng: np.random.Generator,
    *,
    signature: np.ndarray | None = None,
    sentences: list[int] | None = None,
    text_hash: int | None = None,
    source: str | None = None,
) -> ArticleFeatures:
    sig = (
        rng.integers(0, 2**32, 64, dtype=np.uint64).astype(np.uint32)
        if signature is None
        else signature
    )
    return ArticleFeatures(
        article_id=aid,
        source=source or f"Outlet of {aid}",
        title=aid,
        language="en",
        time=0.0,
        time_note="published",
        text_hash=int(rng.integers(0, 2**63)) if text_hash is None else text_hash,
        signature=sig,
        sentences=[int(x) for x in rng.integers(0, 2**63, 20)] if sentences is None else sentences,
        vector=EMPTY,
        feature_ids=np.zeros(0, dtype=np.int64),
        word_count=300,
    )


def _copy(
    aid: str, base: ArticleFeatures, rng: np.random.Generator, changed: int
) -> ArticleFeatures:
    """A near copy: the last ``changed`` bins differ (so the first bands stay equal)."""
    sig = base.signature.copy()
    if changed:
        sig[-changed:] += np.uint32(1)  # also differs in the low 16 bits the index keeps
    return _features(aid, rng, signature=sig)


def test_duplicates_find_exact_copy_as_exact_and_the_rest_by_jaccard() -> None:
    rng = np.random.default_rng(1)
    index = DuplicateIndex(CONFIG)
    a = _features("a", rng)
    index.add(a, None)
    copy = _features("b", rng, signature=a.signature.copy(), text_hash=a.text_hash)
    assert index.find(copy) == [DuplicateMatch("a", "exact", 1.0)]
    index.add(copy, "a")
    third = _features("c", rng, signature=a.signature.copy(), text_hash=a.text_hash)
    # The earliest copy is the exact match; the other copy is a near-duplicate at Jaccard 1.
    assert index.find(third) == [
        DuplicateMatch("a", "exact", 1.0),
        DuplicateMatch("b", "near", 1.0),
    ]


def test_duplicates_find_near_copy_above_threshold_only() -> None:
    rng = np.random.default_rng(2)
    index = DuplicateIndex(CONFIG)
    base = _features("base", rng)
    index.add(base, None)
    assert index.find(_copy("near", base, rng, changed=16)) == [
        DuplicateMatch("base", "near", 48 / 64)
    ]
    # 40 changed bins: bands 0..7 still equal (a candidate) but Jaccard 24/64 is below 0.5.
    assert index.find(_copy("far", base, rng, changed=40)) == []
    assert index.find(_features("other", rng)) == []


def test_duplicates_find_wire_rewrite_by_two_shared_sentences() -> None:
    rng = np.random.default_rng(3)
    index = DuplicateIndex(CONFIG)
    wire = _features("wire", rng)
    index.add(wire, None)
    shared = wire.sentences[2:4]
    rewrite = _features("rewrite", rng, sentences=[7, *shared, 9])
    found = index.find(rewrite)
    assert [(m.article_id, m.kind) for m in found] == [("wire", "wire")]
    assert found[0].jaccard < 0.2  # unrelated signatures
    assert index.find(_features("quote", rng, sentences=[wire.sentences[0], 11])) == []
    # Only the first 12 fingerprints of an indexed article are kept.
    assert index.find(_features("late", rng, sentences=wire.sentences[12:14])) == []


def test_duplicates_sentences_one_outlet_repeats_are_not_wire() -> None:
    rng = np.random.default_rng(5)
    index = DuplicateIndex(CONFIG)
    promo = [101, 102]  # an app promo and a newsletter line under every article of one outlet
    index.add(_features("first", rng, sentences=[1, *promo], source="Daily"), None)
    assert index.find(_features("second", rng, sentences=[2, *promo], source="Daily")) == []
    found = index.find(_features("copy", rng, sentences=[3, *promo], source="Other"))
    assert [(m.article_id, m.kind) for m in found] == [("first", "wire")]


def test_duplicates_wire_counts_every_holder_of_a_sentence() -> None:
    rng = np.random.default_rng(4)
    index = DuplicateIndex(CONFIG)
    one = _features("one", rng, sentences=[1, 2, 3])
    two = _features("two", rng, sentences=[2, 3, 4])
    index.add(one, None)
    index.add(two, None)
    found = index.find(_features("new", rng, sentences=[2, 3]))
    assert sorted(m.article_id for m in found) == ["one", "two"]
    assert {m.kind for m in found} == {"wire"}


def test_duplicates_text_hash_and_sentence_fingerprint_do_not_meet() -> None:
    """A one-sentence body's text hash can equal that sentence's fingerprint."""
    rng = np.random.default_rng(5)
    index = DuplicateIndex(CONFIG)
    index.add(_features("a", rng, sentences=[123456789], text_hash=1), None)
    assert index.find(_features("b", rng, sentences=[5, 6], text_hash=123456789)) == []


def test_duplicates_remove_forgets_and_readd_finds_again() -> None:
    rng = np.random.default_rng(6)
    index = DuplicateIndex(CONFIG, buffer_keys=16)
    base = _features("base", rng)
    index.add(base, "g")
    assert "base" in index and len(index) == 1
    index.remove("base")
    index.remove("base")  # twice is harmless
    assert "base" not in index and len(index) == 0
    assert index.group_of("base") is None
    assert index.find(_copy("copy", base, rng, changed=8)) == []
    index.add(base, None)
    assert [m.article_id for m in index.find(_copy("copy", base, rng, changed=8))] == ["base"]


def test_duplicates_add_twice_keeps_one_row() -> None:
    rng = np.random.default_rng(7)
    index = DuplicateIndex(CONFIG)
    a = _features("a", rng)
    index.add(a, None)
    index.add(a, "other")
    assert len(index) == 1 and index.group_of("a") is None
    assert len(index.find(_copy("b", a, rng, changed=0))) == 1


def test_duplicates_regroup_renames_only_the_group_members() -> None:
    rng = np.random.default_rng(8)
    index = DuplicateIndex(CONFIG)
    for aid, group in (("a", "g1"), ("b", "g1"), ("c", "g2"), ("d", None)):
        index.add(_features(aid, rng), group)
    index.regroup("g2", "g1")
    assert [index.group_of(x) for x in "abcd"] == ["g1", "g1", "g1", None]
    index.set_group("d", "g3")
    index.remove("a")
    index.regroup("g1", "g3")
    assert [index.group_of(x) for x in "bcd"] == ["g3", "g3", "g3"]
    index.regroup("missing", "g3")
    index.set_group("missing", "g3")
    assert index.group_of("missing") is None


def test_duplicates_match_a_brute_force_reference_across_merges_and_compactions() -> None:
    """Random stream with copies, rewrites, removals and re-adds; tiny merge thresholds."""
    rng = np.random.default_rng(9)
    index = DuplicateIndex(CONFIG, buffer_keys=40)
    ref = _Reference()
    pool: list[ArticleFeatures] = []
    removed: list[ArticleFeatures] = []
    for i in range(700):
        features = _next_article(i, rng, pool, removed)
        assert index.find(features) == ref.find(features), i
        group = f"g{i % 7}" if i % 3 == 0 else None
        index.add(features, group)
        ref.add(features, group)
        pool.append(features)
        if i > 60 and rng.random() < 0.9:  # about 60 active, as old stories fade
            gone = pool.pop(int(rng.integers(0, len(pool) // 2)))
            index.remove(gone.article_id)
            ref.remove(gone.article_id)
            removed.append(gone)
        if i % 50 == 0:
            index.regroup(f"g{i % 7}", f"g{(i + 1) % 7}")
            ref.regroup(f"g{i % 7}", f"g{(i + 1) % 7}")
        for f in pool[-5:]:
            assert index.group_of(f.article_id) == ref.groups[f.article_id]
    assert len(index) == len(ref.entries)


def test_duplicates_memory_follows_the_active_articles() -> None:
    rng = np.random.default_rng(10)

    def stream(n: int) -> int:
        index = DuplicateIndex(CONFIG, buffer_keys=64)
        tracemalloc.start()
        for i in range(n):
            index.add(_features(f"a{i}", rng), None)
            if i >= 200:
                index.remove(f"a{i - 200}")
        size = tracemalloc.get_traced_memory()[0]
        tracemalloc.stop()
        assert len(index) == 200
        return size

    assert stream(6000) < 2 * stream(600)


def test_duplicates_reject_signatures_of_another_length() -> None:
    rng = np.random.default_rng(11)
    index = DuplicateIndex(CONFIG)
    index.add(_features("a", rng), None)
    short = _features("b", rng, signature=np.zeros(32, dtype=np.uint32))
    with pytest.raises(ConfigError, match="same length"):
        index.add(short, None)


def test_duplicates_keep_articles_without_text() -> None:
    rng = np.random.default_rng(12)
    index = DuplicateIndex(CONFIG)
    empty = _features("empty", rng, signature=np.zeros(0, dtype=np.uint32), sentences=[])
    empty.text_hash = None
    empty.word_count = 0
    index.add(empty, None)
    assert "empty" in index and index.find(empty) == []
    a = _features("a", rng)
    index.add(a, None)  # the first signature sets the width; the empty row holds zeros
    assert [m.article_id for m in index.find(_copy("b", a, rng, 0))] == ["a"]
    assert len(index) == 2


def test_keyrows_find_rows_in_pending_and_merged_pairs() -> None:
    table = KeyRows(buffer_keys=4)
    keys = np.array([5 << 30, 7 << 30, 9 << 30], dtype=np.uint64) & KEY_MASK
    plist = keys.tolist()
    assert not table.insert(keys[:2], plist[:2], 0)
    assert table.insert(keys, plist, 1)  # 5 pending pairs: a flush is due
    table.flush()
    table.insert(keys[1:], plist[1:], 2)
    which, rows = table.lookup(keys, plist)
    assert sorted(zip(which.tolist(), rows.tolist())) == [
        (0, 0),
        (0, 1),
        (1, 0),
        (1, 1),
        (1, 2),
        (2, 1),
        (2, 2),
    ]
    # Compaction drops row 1 and renumbers row 2 to 1.
    table.flush(np.array([True, False, True]))
    which, rows = table.lookup(keys, plist)
    assert sorted(zip(which.tolist(), rows.tolist())) == [(0, 0), (1, 0), (1, 1), (2, 1)]
    assert len(table) == 4 and table.pending == 0


def test_keyrows_find_long_runs_of_one_key() -> None:
    """More rows for one key than a directory window holds (many exact copies)."""
    rng = np.random.default_rng(13)
    table = KeyRows(buffer_keys=8)
    hot = np.array([123 << 40], dtype=np.uint64)
    for row in range(300):
        other = rng.integers(0, 2**63, 3, dtype=np.uint64) & KEY_MASK
        keys = np.concatenate((hot, other))
        if table.insert(keys, keys.tolist(), row):
            table.flush()
    table.flush()
    which, rows = table.lookup(hot, hot.tolist())
    assert sorted(rows.tolist()) == list(range(300)) and not which.any()
    absent = np.array([(123 << 40) + (1 << 30)], dtype=np.uint64)
    assert table.lookup(absent, absent.tolist())[1].size == 0


def test_keyrows_all_ones_prefix_is_not_the_sentinel() -> None:
    table = KeyRows(buffer_keys=1)
    top = np.array([KEY_MASK], dtype=np.uint64)
    low = np.array([1 << 24], dtype=np.uint64)
    table.insert(low, low.tolist(), 3)
    table.flush()
    assert table.lookup(top, top.tolist())[1].size == 0
    table.insert(top, top.tolist(), MAX_ROWS - 1)
    table.flush()
    assert table.lookup(top, top.tolist())[1].tolist() == [MAX_ROWS - 1]


def test_keyrows_reject_bad_threshold() -> None:
    with pytest.raises(ConfigError, match="buffer_keys"):
        KeyRows(buffer_keys=0)


def test_band_keys_change_only_with_their_band() -> None:
    rng = np.random.default_rng(14)
    sig = rng.integers(0, 2**32, 64, dtype=np.uint64).astype(np.uint32)
    keys = band_keys(sig, 21, 3)
    assert keys.dtype == np.uint64 and len(set(keys.tolist())) == 21
    other = sig.copy()
    other[7] += np.uint32(1)  # band 2
    changed = np.flatnonzero(band_keys(other, 21, 3) != keys)
    assert changed.tolist() == [2]
    # Equal values in different bands give different keys.
    same = np.zeros(64, dtype=np.uint32)
    assert len(set(band_keys(same, 21, 3).tolist())) == 21
    out = np.zeros(23, dtype=np.uint64)
    band_keys(sig, 21, 3, out=out[1:22])
    assert np.array_equal(out[1:22], keys) and out[0] == 0 == out[22]


# -- reference ------------------------------------------------------------------------------


def _next_article(
    i: int, rng: np.random.Generator, pool: list[ArticleFeatures], removed: list[ArticleFeatures]
) -> ArticleFeatures:
    roll = rng.random()
    if removed and roll < 0.05:  # an article comes back (a restored story)
        return removed.pop(int(rng.integers(0, len(removed))))
    if pool and roll < 0.25:
        base = pool[int(rng.integers(0, len(pool)))]
        kind = rng.integers(0, 3)
        if kind == 0:
            return _features(
                f"x{i}", rng, signature=base.signature.copy(), text_hash=base.text_hash
            )
        if kind == 1:
            return _copy(f"n{i}", base, rng, changed=int(rng.integers(0, 45)))
        k = int(rng.integers(1, 4))
        return _features(
            f"w{i}",
            rng,
            sentences=[*base.sentences[10 : 10 + k], *rng.integers(0, 2**63, 5).tolist()],
        )
    return _features(f"a{i}", rng)


class _Reference:
    """The behaviour, brute force: every alive entry is compared with the query."""

    def __init__(self) -> None:
        self.entries: dict[str, ArticleFeatures] = {}
        self.groups: dict[str, str | None] = {}

    def add(self, features: ArticleFeatures, group: str | None) -> None:
        if features.article_id not in self.entries:
            self.entries[features.article_id] = features
            self.groups[features.article_id] = group

    def remove(self, aid: str) -> None:
        self.entries.pop(aid, None)
        self.groups.pop(aid, None)

    def regroup(self, old: str, new: str) -> None:
        for aid, group in self.groups.items():
            if group == old:
                self.groups[aid] = new

    def find(self, q: ArticleFeatures) -> list[DuplicateMatch]:
        found: dict[str, DuplicateMatch] = {}
        qbands = set(band_keys(q.signature, 21, 3).tolist())
        for aid, e in self.entries.items():  # insertion order: the earliest exact copy first
            j = (
                float(
                    np.count_nonzero(e.signature.astype(np.uint16) == q.signature.astype(np.uint16))
                )
                / 64
            )
            if (
                e.text_hash == q.text_hash
                and j == 1.0
                and not any(m.kind == "exact" for m in found.values())
            ):
                found[aid] = DuplicateMatch(aid, "exact", 1.0)
            elif (
                qbands & set(band_keys(e.signature, 21, 3).tolist())
                and j >= CONFIG.near_duplicate_threshold
            ):
                found[aid] = DuplicateMatch(aid, "near", j)
            elif len(set(q.sentences) & set(e.sentences[:12])) >= CONFIG.wire_min_shared:
                found[aid] = DuplicateMatch(aid, "wire", j)
        return sorted(found.values(), key=lambda m: (_RANK[m.kind], -m.jaccard, m.article_id))
