"""A compact multimap from key prefixes to small integer values: sorted packed ``uint64`` entries.

Both in-memory lookup tables of the linker are this one structure: the duplicate index's key ->
row table (:mod:`newsprism.link.keyrows`) and the story index's term -> story slot postings
(:mod:`newsprism.link.postings`). Each entry is one ``uint64``: the key in the high bits and the
value in the low ``value_bits``, so an entry costs 8 bytes, against ~100 for a Python dict entry
with its int objects. Sorting the entries sorts by key, then value: all entries of a key form one
run. The all-ones value is never stored, so a key's entries lie strictly below
``key | value_mask`` and never equal the all-ones sentinel that pads the sorted array.

Two tiers, so that no insert re-sorts the big array:

* pending: the newest entries, in a dict from key to value(s) (fast inserts and lookups) plus a
  numpy buffer of the packed entries (for the merge);
* main: the sorted array, searched through a bucket directory (:class:`_Directory`, for uniform
  hash keys) or by binary search (for skewed keys such as terms, whose long runs overflow the
  directory's windows). The pending entries join it (in place: main keeps 1/16 spare; timsort
  merges the two sorted runs in one linear pass) once there are more than
  ``max(buffer_keys, len(main) // 32)``.

Since the threshold grows with main, each entry is moved ~32 times on average whatever the size,
so the amortised merge cost per insert stays constant (3-5 us for 34 keys here, at 0.1-2M
entries), and the pending dict (~75 bytes an entry) averages ~1.2 bytes per stored entry. A
second sorted tier between the two would merge less but cost a second search per lookup, which
timed slower here for the duplicate keys.

Which entries still count is the owner's rule (:class:`AliveRule`): the duplicate index's rows
die when their article is removed (:class:`~newsprism.link.keyrows.RowFlags`; a compaction
drops them and renumbers the rows that stay); a versioned-slot rule (stale postings when a story
slot is given new terms; nothing to renumber) is what the story postings need. Lookups return
only entries alive by the store's rule; a merge drops the pending entries it calls dead;
:meth:`SortedKeys.compact` drops every dead entry. ``directory=False`` and ``max_run`` serve
skewed keys such as terms. The story postings (:mod:`newsprism.link.postings`) still keep their
own three sorted levels: on this two-tier layout their set_terms + lookup timed ~45% slower
(50,000 generated stories; the pending dict's long lists of common terms), so they move here
once the store has a sorted pending level.
"""

from __future__ import annotations

from typing import Protocol

import numpy as np

from newsprism.errors import ConfigError

_ALL_ONES = 0xFFFF_FFFF_FFFF_FFFF
# Most entries read per key (the longest of ~1M buckets of 2 to 6 entries on average holds 12-22).
_MAX_WIDTH = 40
_CHUNK = 1 << 16  # entries per step of whole-array passes
# Pending entries are merged once they exceed 1/_MERGE_SHARE of the sorted ones.
_MERGE_SHARE = 32
_OFFSETS = np.arange(_MAX_WIDTH)
_SENTINELS = np.full(_MAX_WIDTH, _ALL_ONES, dtype=np.uint64)
_EMPTY = np.zeros(0, dtype=np.uint64)
_NONE = np.zeros(0, dtype=np.intp)


class AliveRule(Protocol):
    """Which stored entries still count, decided from their values."""

    def alive(self, values: np.ndarray) -> np.ndarray:
        """One flag per value (``intp``): whether its entries still count."""

    def renumbering(self) -> np.ndarray | None:
        """The new value (``uint64``) of each old value kept by a compaction, or None when values
        stay as they are."""


class SortedKeys:
    """Multimap from key prefixes (``key & key_mask``) to values in ``[0, 2**value_bits - 1)``.

    Args:
        value_bits: low bits of an entry that hold the value (1 to 63).
        buffer_keys: pending entries (at least) before a merge into the sorted array is due.
        alive: which entries still count (None: all of them).
        directory: find keys in the sorted array through a bucket directory (:class:`_Directory`:
            faster for uniform hash keys with short runs) rather than by binary search (faster
            for skewed keys, such as terms, whose long runs overflow the directory's windows).

    Raises:
        ConfigError: ``value_bits`` or ``buffer_keys`` out of range.
    """

    def __init__(
        self,
        value_bits: int,
        buffer_keys: int = 8192,
        alive: AliveRule | None = None,
        *,
        directory: bool = True,
    ) -> None:
        if not isinstance(value_bits, int) or not 1 <= value_bits <= 63:
            raise ConfigError(f"SortedKeys value_bits must be in [1, 63], got {value_bits!r}")
        if not isinstance(buffer_keys, int) or isinstance(buffer_keys, bool) or buffer_keys < 1:
            raise ConfigError(
                f"SortedKeys buffer_keys must be a positive integer, got {buffer_keys!r}"
            )
        self.value_mask = np.uint64((1 << value_bits) - 1)
        self.key_mask = np.uint64(_ALL_ONES ^ ((1 << value_bits) - 1))
        self.buffer_keys = buffer_keys
        self.rule = alive
        self._main = _SENTINELS.copy()  # sorted entries, then sentinels: windows stay in bounds
        self._n = 0  # entries in main
        self._buf = np.zeros(buffer_keys, dtype=np.uint64)
        self._nbuf = 0
        self._pending: dict[int, int | list[int]] = {}
        self._dir = _Directory(_EMPTY) if directory else None

    def __len__(self) -> int:
        """Stored entries, dead ones not yet dropped included."""
        return self._n + self._nbuf

    @property
    def pending(self) -> int:
        """Entries not yet merged into the sorted array."""
        return self._nbuf

    def tiers(self) -> tuple[np.ndarray, np.ndarray]:
        """The pending entries (unsorted) and the sorted ones (views: read only)."""
        return self._buf[: self._nbuf], self._main[: self._n]

    def lookup(
        self, prefixes: np.ndarray, plist: list[int], max_run: int | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        """All stored values of the given key prefixes that are alive, merged ones first.

        Args:
            prefixes: the keys' prefixes (``uint64``, low ``value_bits`` zero).
            plist: the same prefixes as Python ints.
            max_run: a key with more entries than this in one tier, dead ones included, is
                skipped (in every tier), without reading them (None: no limit).

        Returns:
            ``(which, values)``: for every alive entry of a looked-up key, the key's position in
            ``prefixes`` and the value (both ``intp``); within a key, the merged values in
            increasing order, then the pending ones in insertion order.
        """
        if not plist:
            return _NONE, _NONE
        found = None
        crowded: list[np.ndarray] = []  # positions of keys with a run longer than max_run
        if self._n:
            main = self._main[: self._n + _MAX_WIDTH]
            if self._dir is not None:
                found = self._dir.search(main, prefixes, self.value_mask, max_run, crowded)
            else:
                found = _searched(main, prefixes, self.value_mask, max_run, crowded)
        if self._pending and not self._pending.keys().isdisjoint(plist):
            recent = self._pending_hits(plist, max_run, crowded)
            found = recent if found is None else _join(found, recent)
        if found is None:
            return _NONE, _NONE
        which, values = found
        keep = None
        if crowded:
            skip = np.zeros(len(plist), dtype=bool)
            for positions in crowded:
                skip[positions] = True
            keep = ~skip[which]
        if self.rule is not None and len(values):
            alive = self.rule.alive(values)
            keep = alive if keep is None else keep & alive
        if keep is not None and not keep.all():
            return which[keep], values[keep]
        return which, values

    def insert(self, prefixes: np.ndarray, plist: list[int], value: int) -> bool:
        """Store ``(prefix, value)`` for each prefix; return True when a :meth:`flush` is due."""
        n = len(plist)
        if not n:
            return False
        end = self._nbuf + n
        if end > len(self._buf):
            grown = np.zeros(max(2 * len(self._buf), end), dtype=np.uint64)
            grown[: self._nbuf] = self._buf[: self._nbuf]
            self._buf = grown
        np.bitwise_or(prefixes, value, out=self._buf[self._nbuf : end])
        self._nbuf = end
        pending = self._pending
        if pending.keys().isdisjoint(plist):
            pending.update(dict.fromkeys(plist, value))  # 3x faster than update(zip(...)) here
        else:
            before = {p: pending[p] for p in pending.keys() & plist}
            pending.update(dict.fromkeys(plist, value))
            for p, old in before.items():
                if isinstance(old, list):  # each key's own list: grown in place, not copied
                    old.append(value)
                    pending[p] = old
                else:
                    pending[p] = [old, value]
        return end > max(self.buffer_keys, self._n // _MERGE_SHARE)

    def flush(self) -> None:
        """Merge the pending entries (those alive) into the sorted array."""
        newer = self._buf[: self._nbuf]
        if self.rule is not None and len(newer):
            newer = newer[: _keep_in_place(newer, self.rule, None, self.value_mask)]
        newer.sort()
        self._append(newer)
        if self._dir is not None and self._dir.fits(self._n):
            self._dir.add(newer)
        elif self._dir is not None:
            self._dir = _Directory(self._main[: self._n])
        self._clear_pending()

    def compact(self, rule: AliveRule | None = None) -> None:
        """Merge the pending entries and drop every dead one, renumbering the values that stay
        when the rule says so.

        Args:
            rule: the rule to apply (default: the store's; with neither, only merges).
        """
        rule = rule if rule is not None else self.rule
        if rule is None:
            self.flush()
            return
        remap = rule.renumbering()
        newer = self._buf[: self._nbuf]
        newer = newer[: _keep_in_place(newer, rule, remap, self.value_mask)]
        newer.sort()
        self._n = _keep_in_place(self._main[: self._n], rule, remap, self.value_mask)
        if len(self._main) > 2 * _capacity(self._n + len(newer)):  # give memory back
            self._main = self._main[: _capacity(self._n + len(newer))].copy()
        self._append(newer)
        if self._dir is not None:
            self._dir = _Directory(self._main[: self._n])
        self._clear_pending()

    def _clear_pending(self) -> None:
        self._nbuf = 0
        self._pending = {}  # a new dict: clear() would keep the grown table
        size = max(self.buffer_keys, self._n // _MERGE_SHARE)
        if len(self._buf) > 4 * size:
            self._buf = np.zeros(size, dtype=np.uint64)

    def _append(self, newer: np.ndarray) -> None:
        """Merge sorted ``newer`` into main, in place when main has room (it keeps 1/16 spare)."""
        n, m = self._n, len(newer)
        if n + m + _MAX_WIDTH > len(self._main):
            grown = np.empty(_capacity(n + m), dtype=np.uint64)
            grown[:n] = self._main[:n]
            self._main = grown
        main = self._main
        main[n : n + m] = newer
        main[: n + m].sort(kind="stable")  # timsort: one linear merge of the two sorted runs
        main[n + m : n + m + _MAX_WIDTH] = _SENTINELS
        self._n = n + m

    def _pending_hits(
        self, plist: list[int], max_run: int | None, crowded: list[np.ndarray]
    ) -> tuple[np.ndarray, np.ndarray]:
        which: list[int] = []
        values: list[int] = []
        for i, p in enumerate(plist):
            found = self._pending.get(p)
            if found is None:
                continue
            if isinstance(found, list):
                if max_run is not None and len(found) > max_run:
                    crowded.append(np.array([i], dtype=np.intp))
                    continue
                which += [i] * len(found)
                values += found
            else:
                which.append(i)
                values.append(found)
        return np.array(which, dtype=np.intp), np.array(values, dtype=np.intp)


class _Directory:
    """Where each bucket of keys (their top bits) starts in the sorted array.

    With 2 to 6 entries per bucket on average, a key's run usually lies within the window of
    ``width`` entries (the longest bucket's length) from its bucket's start: one gather of that
    window per key replaces a binary search, whose ~20 dependent reads miss the cache once the
    array is large (timed on 49 uniform hash keys with the caches evicted: 25-45 us against
    45-95 us for searchsorted, 0.7-20M entries). Buckets longer than ``_MAX_WIDTH`` (a long run
    of one key: many exact copies, a common term) are searched by searchsorted. Costs 0.7 to 2
    bytes per entry (uint32 starts); 4 to 12 entries per bucket on average cost half as much but
    doubled the window (~30 entries), and the lookup time with it.
    """

    __slots__ = ("bits", "crowded", "offsets", "shift", "starts")

    def __init__(self, pairs: np.ndarray) -> None:
        self.bits = max(1, (len(pairs) // 2).bit_length() - 1)
        self.shift = np.uint64(64 - self.bits)
        self.starts: np.ndarray = np.empty(
            (1 << self.bits) + 1, dtype=np.int64 if len(pairs) >> 31 else np.uint32
        )
        for lo in range(0, 1 << self.bits, _CHUNK):  # in chunks: big temporaries cost page faults
            hi = min(lo + _CHUNK, 1 << self.bits)
            self.starts[lo:hi] = pairs.searchsorted(
                np.arange(lo, hi, dtype=np.uint64) << self.shift
            )
        self.starts[-1] = len(pairs)
        self.offsets: np.ndarray = _OFFSETS[:1]
        self.crowded = False
        self._measure()

    def fits(self, n: int) -> bool:
        """Whether ``n`` entries keep 2 to 6 per bucket on average (else rebuild)."""
        return 2 << self.bits <= n <= 6 << self.bits and (
            n >> 31 == 0 or self.starts.dtype == np.int64
        )

    def add(self, pairs: np.ndarray) -> None:
        """Account for sorted ``pairs`` merged into the array."""
        buckets = (pairs >> self.shift).astype(np.intp)
        counts = np.bincount(buckets, minlength=1 << self.bits)
        np.add(self.starts[1:], np.cumsum(counts, dtype=self.starts.dtype), out=self.starts[1:])
        # Only the buckets that grew can have become the longest.
        grown = np.subtract(self.starts[buckets + 1], self.starts[buckets])
        self._measure(int(grown.max(initial=0)))

    def search(
        self,
        arr: np.ndarray,
        prefixes: np.ndarray,
        vmask: np.uint64,
        max_run: int | None,
        crowded: list[np.ndarray],
    ) -> tuple[np.ndarray, np.ndarray] | None:
        """(key position, value) of every entry of ``arr`` (padded) with one of the prefixes;
        the positions of keys with more than ``max_run`` entries go to ``crowded`` instead."""
        first = self.starts[(prefixes >> self.shift).astype(np.intp)]
        window = arr[np.add(first[:, None], self.offsets)]
        # Below the value mask: the same key bits (the all-ones sentinel differs from an all-ones
        # prefix by exactly the mask). One min() answers "any hit?" for the usual no-hit case.
        diff = window ^ prefixes[:, None]
        late = None
        if self.crowded:  # windows that end before their key's run does: searchsorted
            late = np.flatnonzero(window[:, -1] < (prefixes | vmask))
            diff[late] = vmask
        found = None
        if diff.min() < vmask:
            which, col = np.nonzero(diff < vmask)
            found = which, (window[which, col] & vmask).view(np.intp)
            if max_run is not None and max_run < len(self.offsets):
                found = _short_runs(found, max_run, crowded)
        runs = None
        if late is not None and late.size:
            runs = _runs(arr, prefixes[late], vmask, max_run)
        if runs is None:
            return found
        assert late is not None  # for mypy: runs come from the late keys
        if len(runs[2]):
            crowded.append(late[runs[2]])
        more = late[runs[0]], runs[1]
        return more if found is None else _join(found, more)

    def _measure(self, longest: int | None = None) -> None:
        """Set the window to the longest bucket (``longest``: a bucket that just grew)."""
        if longest is None:
            longest = int(np.diff(self.starts).max(initial=0))
        else:
            longest = max(longest, len(self.offsets))
        self.offsets = _OFFSETS[: max(1, min(longest, _MAX_WIDTH))]
        self.crowded = self.crowded or longest > _MAX_WIDTH


def _join(
    a: tuple[np.ndarray, np.ndarray], b: tuple[np.ndarray, np.ndarray]
) -> tuple[np.ndarray, np.ndarray]:
    return np.concatenate((a[0], b[0])), np.concatenate((a[1], b[1]))


def _short_runs(
    found: tuple[np.ndarray, np.ndarray], max_run: int, crowded: list[np.ndarray]
) -> tuple[np.ndarray, np.ndarray]:
    """The hits of keys with at most ``max_run`` of them (the others' positions to ``crowded``)."""
    which, values = found
    counts = np.bincount(which)
    crowded.append(np.flatnonzero(counts > max_run))
    keep = counts[which] <= max_run
    return which[keep], values[keep]


def _searched(
    arr: np.ndarray,
    prefixes: np.ndarray,
    vmask: np.uint64,
    max_run: int | None,
    crowded: list[np.ndarray],
) -> tuple[np.ndarray, np.ndarray] | None:
    """:func:`_runs` of all the prefixes, searched in increasing order (each binary search
    starts near the previous one's end: half the time of unordered needles on 100k entries)."""
    order = np.argsort(prefixes)
    runs = _runs(arr, prefixes[order], vmask, max_run)
    if runs is None:
        return None
    if len(runs[2]):
        crowded.append(order[runs[2]])
    return order[runs[0]], runs[1]


def _capacity(n: int) -> int:
    """Room for ``n`` entries, the next merges and the sentinels."""
    return n + n // (_MERGE_SHARE // 2) + 2 * _MAX_WIDTH


def _runs(
    arr: np.ndarray, prefixes: np.ndarray, vmask: np.uint64, max_run: int | None
) -> tuple[np.ndarray, np.ndarray, np.ndarray] | None:
    """(key position, value) of every entry of ``arr`` (sorted, sentinel-ended) with one of the
    prefixes, and the positions of keys with more than ``max_run`` entries (left out), by
    searchsorted: one search for where each run would start, a second only for the keys
    present."""
    lo = arr.searchsorted(prefixes)
    ends = prefixes | vmask
    present = arr[lo] < ends
    if not present.any():
        return None
    keys = np.flatnonzero(present)
    lo = lo[keys]
    counts = arr.searchsorted(ends[keys]) - lo
    crowded = _NONE
    if max_run is not None and int(counts.max()) > max_run:
        crowded = keys[counts > max_run]
        counts[counts > max_run] = 0
    which = np.repeat(keys, counts)
    starts = np.cumsum(counts) - counts  # where each key's hits begin in the output
    at = np.arange(len(which)) - np.repeat(starts - lo, counts)
    return which, (arr[at] & vmask).view(np.intp), crowded


def _keep_in_place(
    arr: np.ndarray, rule: AliveRule, remap: np.ndarray | None, vmask: np.uint64
) -> int:
    """Drop the dead entries of ``arr`` and renumber the rest by ``remap``, in place (a
    renumbering keeps value order, so sorted entries stay sorted); return how many are left.

    Works in chunks written back to the front of ``arr``: fresh array-sized temporaries cost a
    page fault per 4 KiB here, more than the arithmetic (21 ms for one ``&`` over 2M entries).
    """
    out = 0
    kmask = ~vmask
    for lo in range(0, len(arr), _CHUNK):
        chunk = arr[lo : lo + _CHUNK]
        values = (chunk & vmask).view(np.intp)
        keep = rule.alive(values)
        kept = chunk[keep]
        if remap is not None:
            kept &= kmask
            kept |= remap[values[keep]]
        arr[out : out + len(kept)] = kept
        out += len(kept)
    return out
