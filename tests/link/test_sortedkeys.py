"""The shared sorted-key store under the duplicate index and the story postings, checked against
a brute-force multimap with each alive rule: dead rows renumbered at compaction, and stale slot
versions (small buffers, so a few hundred inserts cross many merges and compactions)."""

from __future__ import annotations

import random

import numpy as np
import pytest

from newsprism.errors import ConfigError
from newsprism.link.keyrows import RowFlags
from newsprism.link.sortedkeys import SortedKeys

_VALUE_BITS = 20


class SlotVersions:
    """Values ``slot << bits | version``, alive while the version is the slot's current one (the
    rule the story postings' versioned slots need: stale entries, nothing to renumber)."""

    def __init__(self, bits: int) -> None:
        self.bits = bits
        self.versions = np.zeros(64, dtype=np.intp)
        self.counts = np.zeros(64, dtype=np.intp)
        self.live = 0

    def alive(self, values: np.ndarray) -> np.ndarray:
        mask = (1 << self.bits) - 1
        return (values & mask) == self.versions[values >> self.bits]

    def renumbering(self) -> None:
        pass

    def value(self, slot: int) -> int:
        return (slot << self.bits) | int(self.versions[slot])

    def next_wraps(self, slot: int) -> bool:
        return int(self.versions[slot]) == (1 << self.bits) - 1

    def bump(self, slot: int) -> None:
        self.versions[slot] = (int(self.versions[slot]) + 1) % (1 << self.bits)
        self.live -= int(self.counts[slot])
        self.counts[slot] = 0

    def add(self, slot: int, count: int) -> None:
        self.counts[slot] += count
        self.live += count


def _prefixes(keys: list[int]) -> tuple[np.ndarray, list[int]]:
    arr = np.array(keys, dtype=np.uint64) << np.uint64(_VALUE_BITS)
    return arr, arr.tolist()


def _found(store: SortedKeys, keys: list[int], max_run: int | None = None) -> list[tuple[int, int]]:
    which, values = store.lookup(*_prefixes(keys), max_run)
    return sorted(zip([keys[w] for w in which.tolist()], values.tolist(), strict=True))


def _key_pool(rng: random.Random) -> list[int]:
    # A few hot keys make runs longer than a directory window (and the all-ones key).
    return [rng.randrange(1 << 44) for _ in range(60)] + [(1 << 44) - 1]


def test_sortedkeys_row_flags_match_a_brute_force_reference() -> None:
    rng = random.Random(1)
    pool = _key_pool(rng)
    flags = np.zeros(1 << 12, dtype=bool)
    store = SortedKeys(_VALUE_BITS, buffer_keys=16, alive=RowFlags(flags))
    rows: list[set[int]] = []  # each row's keys, in row order
    for step in range(1500):
        keys = set(rng.sample(pool, rng.randint(0, 5)))
        if rng.random() < 0.4:
            keys.add(pool[0])  # a key with hundreds of live rows
        row = len(rows)
        rows.append(keys)
        flags[row] = True
        due = store.insert(*_prefixes(sorted(keys)), row)
        if rng.random() < 0.5:
            flags[rng.randrange(len(rows))] = False
        if due and rng.random() < 0.3:
            store.compact()  # dead rows go; live row r becomes the live rows before it
            keep = np.flatnonzero(flags[: len(rows)]).tolist()
            rows = [rows[r] for r in keep]
            flags[:] = False
            flags[: len(rows)] = True
        elif due:
            store.flush()
        if step % 37 == 0:
            query = rng.sample(pool[1:], 12) + [pool[0]]
            expected = sorted(
                (k, r) for r, ks in enumerate(rows) if flags[r] for k in ks if k in query
            )
            assert _found(store, query) == expected, step
    assert store.pending < len(store)


def test_sortedkeys_slot_versions_match_a_brute_force_reference() -> None:
    rng = random.Random(2)
    pool = _key_pool(rng)
    versions = SlotVersions(4)  # wraps after 16 bumps
    store = SortedKeys(_VALUE_BITS, buffer_keys=8, alive=versions)
    model: dict[int, set[int]] = {}
    for step in range(3000):
        slot = rng.randrange(40)
        if versions.next_wraps(slot):
            store.compact()  # no entry of the version about to come round may remain
        versions.bump(slot)
        model.pop(slot, None)
        if rng.random() < 0.8:
            keys = set(rng.sample(pool, rng.randint(1, 6)))
            if store.insert(*_prefixes(sorted(keys)), versions.value(slot)):
                store.flush() if rng.random() < 0.7 else store.compact()
            versions.add(slot, len(keys))
            model[slot] = keys
        if step % 41 == 0:
            query = rng.sample(pool, 15)
            which, values = store.lookup(*_prefixes(query))
            got = sorted(
                zip([query[w] for w in which.tolist()], (values >> 4).tolist(), strict=True)
            )
            expected = sorted((k, s) for s, ks in model.items() for k in ks if k in query)
            assert got == expected, step
            assert versions.live == sum(len(ks) for ks in model.values())
    store.compact()
    assert len(store) == versions.live and store.pending == 0


def test_sortedkeys_max_run_skips_long_runs_in_each_tier() -> None:
    store = SortedKeys(_VALUE_BITS, buffer_keys=4)
    for row in range(100):
        keys = [7, 1000 + row]
        if store.insert(*_prefixes(keys), row):
            store.flush()
    assert len(_found(store, [7])) == 100
    assert _found(store, [7, 1050], max_run=3) == [(1050, 50)]
    assert _found(store, [7], max_run=100) == [(7, r) for r in range(100)]


def test_sortedkeys_empty_lookup_and_bad_parameters() -> None:
    store = SortedKeys(_VALUE_BITS, buffer_keys=1)
    store.insert(*_prefixes([3]), 1)
    store.flush()
    assert _found(store, []) == []
    with pytest.raises(ConfigError, match="value_bits"):
        SortedKeys(64)
    with pytest.raises(ConfigError, match="buffer_keys"):
        SortedKeys(_VALUE_BITS, buffer_keys=0)
