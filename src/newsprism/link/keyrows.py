"""A compact multimap from 64-bit hash keys to int rows (the duplicate index's lookup table).

Each (key, row) pair is stored as one ``uint64``: the key's top 40 bits (``key & KEY_MASK``) and
the row in the low 24 bits, so a pair costs 8 bytes, against ~100 for a Python dict entry with
its int objects. Sorting the packed values sorts by key, then row: all rows of a key form one run.

Cutting keys to 40 bits lets unrelated keys collide: with N pairs stored, a looked-up key meets a
foreign one with probability about N / 2**39 (6e-5 at 1M articles of ~34 keys). The owner
verifies what matters (Jaccard of band candidates, the signature of exact copies); a false
sentence hit would also need a second, real shared sentence with the same article to matter.

Two tiers, so that no insert re-sorts the big array:

* pending: the newest pairs, in a dict from key to row(s) (fast inserts and lookups) plus a
  numpy buffer of the packed pairs (for the merge);
* main: the sorted array, with a bucket directory (:class:`_Directory`) for lookups. The pending
  pairs join it (in place: main keeps 1/16 spare; timsort merges the two sorted runs in one
  linear pass) once there are more than ``max(buffer_keys, len(main) // 32)``.

Since the threshold grows with main, each pair is moved ~32 times on average whatever the size,
so the amortised merge cost per article stays constant (3-5 us for 34 keys here, at 0.1-2M
pairs), and the pending dict (~75 bytes a pair) averages ~1.2 bytes per stored pair. A second
sorted tier between the two would merge less but cost a second search per lookup, which timed
slower here. Dead rows' pairs stay until the owner asks for a compaction (:meth:`KeyRows.flush`
with the live rows), which also renumbers the rows that stay.
"""

from __future__ import annotations

import numpy as np

from newsprism.errors import ConfigError

ROW_BITS = 24
# The last row number is never used: a key's pairs then lie strictly below ``prefix | ROW_MASK``,
# which is never a pair, and the all-ones sentinel is never one either.
MAX_ROWS = (1 << ROW_BITS) - 1
_ROW_MASK = np.uint64((1 << ROW_BITS) - 1)
KEY_MASK = np.uint64(0xFFFF_FFFF_FFFF_FFFF ^ ((1 << ROW_BITS) - 1))  # the stored part of a key
# Most pairs read per key (the longest of ~1M buckets of 2 to 6 pairs on average holds 12-22).
_MAX_WIDTH = 40
_CHUNK = 1 << 16  # pairs per step of whole-array passes
# Pending pairs are merged once they exceed 1/_MERGE_SHARE of the sorted ones.
_MERGE_SHARE = 32
_OFFSETS = np.arange(_MAX_WIDTH)
_SENTINELS = np.full(_MAX_WIDTH, 0xFFFF_FFFF_FFFF_FFFF, dtype=np.uint64)
_EMPTY = np.zeros(0, dtype=np.uint64)
_NO_HITS = (np.zeros(0, dtype=np.intp), np.zeros(0, dtype=np.intp))


class KeyRows:
    """Multimap from key prefixes (``key & KEY_MASK``) to rows in ``[0, MAX_ROWS)``.

    Args:
        buffer_keys: pending pairs (at least) before a flush into the sorted array is due.

    Raises:
        ConfigError: ``buffer_keys`` is not a positive integer.
    """

    def __init__(self, buffer_keys: int = 8192) -> None:
        if not isinstance(buffer_keys, int) or isinstance(buffer_keys, bool) or buffer_keys < 1:
            raise ConfigError(
                f"KeyRows buffer_keys must be a positive integer, got {buffer_keys!r}"
            )
        self.buffer_keys = buffer_keys
        self._main = _SENTINELS.copy()  # sorted pairs, then sentinels: windows stay in bounds
        self._n = 0  # pairs in main
        self._buf = np.zeros(buffer_keys, dtype=np.uint64)
        self._nbuf = 0
        self._pending: dict[int, int | list[int]] = {}
        self._dir = _Directory(_EMPTY)

    def __len__(self) -> int:
        """Stored pairs, those of dead rows not yet compacted away included."""
        return self._n + self._nbuf

    @property
    def pending(self) -> int:
        """Pairs not yet merged into the sorted array."""
        return self._nbuf

    def lookup(self, prefixes: np.ndarray, plist: list[int]) -> tuple[np.ndarray, np.ndarray]:
        """All stored rows of the given key prefixes, merged ones first.

        Args:
            prefixes: the keys' prefixes (``uint64``).
            plist: the same prefixes as Python ints.

        Returns:
            ``(which, rows)``: for every stored pair of a looked-up key, the key's position in
            ``prefixes`` and the row (both ``intp``); within a key, older rows first.
        """
        found = self._dir.search(self._main[: self._n + _MAX_WIDTH], prefixes) if self._n else None
        if self._pending and not self._pending.keys().isdisjoint(plist):
            recent = self._pending_hits(plist)
            if found is None:
                return recent
            return np.concatenate((found[0], recent[0])), np.concatenate((found[1], recent[1]))
        return _NO_HITS if found is None else found

    def insert(self, prefixes: np.ndarray, plist: list[int], row: int) -> bool:
        """Store ``(prefix, row)`` for each prefix; return True when a :meth:`flush` is due."""
        n = len(plist)
        if not n:
            return False
        end = self._nbuf + n
        if end > len(self._buf):
            grown = np.zeros(max(2 * len(self._buf), end), dtype=np.uint64)
            grown[: self._nbuf] = self._buf[: self._nbuf]
            self._buf = grown
        np.bitwise_or(prefixes, row, out=self._buf[self._nbuf : end])
        self._nbuf = end
        pending = self._pending
        if pending.keys().isdisjoint(plist):
            pending.update(dict.fromkeys(plist, row))  # 3x faster than update(zip(...)) here
        else:
            before = {p: pending[p] for p in pending.keys() & plist}
            pending.update(dict.fromkeys(plist, row))
            for p, old in before.items():
                pending[p] = [*old, row] if isinstance(old, list) else [old, row]
        return end > max(self.buffer_keys, self._n // _MERGE_SHARE)

    def flush(self, live: np.ndarray | None = None) -> None:
        """Merge the pending pairs into the sorted array; with ``live``, compact too.

        Args:
            live: one flag per row stored since the last compaction. When given, the pairs of
                dead rows are dropped and live row ``r`` becomes row ``count_nonzero(live[:r])``
                (the owner renumbers its own rows the same way).
        """
        newer = self._buf[: self._nbuf]
        newer.sort()
        if live is not None:
            remap = (np.cumsum(live) - 1).astype(np.uint64)
            self._n = _renumber_in_place(self._main[: self._n], live, remap)
            newer = newer[: _renumber_in_place(newer, live, remap)]
            if len(self._main) > 2 * _capacity(self._n + len(newer)):  # give memory back
                self._main = self._main[: _capacity(self._n + len(newer))].copy()
        self._append(newer)
        if live is None and self._dir.fits(self._n):
            self._dir.add(newer)
        else:
            self._dir = _Directory(self._main[: self._n])
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

    def _pending_hits(self, plist: list[int]) -> tuple[np.ndarray, np.ndarray]:
        which: list[int] = []
        rows: list[int] = []
        for i, p in enumerate(plist):
            found = self._pending.get(p)
            if found is None:
                continue
            if isinstance(found, list):
                which += [i] * len(found)
                rows += found
            else:
                which.append(i)
                rows.append(found)
        return np.array(which, dtype=np.intp), np.array(rows, dtype=np.intp)


class _Directory:
    """Where each bucket of keys (their top bits) starts in the sorted array.

    Keys are uniform hashes, so with 2 to 6 pairs per bucket on average a key's run lies within
    the window of ``width`` pairs (the longest bucket's length) from its bucket's start: one
    gather of that window per key replaces a binary search, whose ~20 dependent reads miss the
    cache once the array is large (timed on 49 keys with the caches evicted: 25-45 us against
    45-95 us for searchsorted, 0.7-20M pairs). Buckets longer than ``_MAX_WIDTH`` (a long run of
    one key: many exact copies) are searched by searchsorted. Costs 0.7 to 2 bytes per pair
    (uint32 starts); 4 to 12 pairs per bucket on average cost half as much but doubled the
    window (~30 pairs), and the lookup time with it.
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
        """Whether ``n`` pairs keep 2 to 6 per bucket on average (else rebuild)."""
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

    def search(self, arr: np.ndarray, prefixes: np.ndarray) -> tuple[np.ndarray, np.ndarray] | None:
        """(key position, row) of every pair of ``arr`` (padded) with one of the prefixes."""
        first = self.starts[(prefixes >> self.shift).astype(np.intp)]
        window = arr[np.add(first[:, None], self.offsets)]
        # Below ROW_MASK: the same top 40 bits (the all-ones sentinel differs from an all-ones
        # prefix by exactly ROW_MASK). One min() answers "any hit?" for the usual no-hit case.
        diff = window ^ prefixes[:, None]
        late = None
        if self.crowded:  # windows that end before their key's run does: searchsorted
            late = np.flatnonzero(window[:, -1] < (prefixes | _ROW_MASK))
            diff[late] = _ROW_MASK
        found = None
        if diff.min() < _ROW_MASK:
            which, col = np.nonzero(diff < _ROW_MASK)
            found = which, (window[which, col] & _ROW_MASK).view(np.intp)
        more = _runs(arr, prefixes[late]) if late is not None and late.size else None
        if more is None:
            return found
        more = late[more[0]], more[1]  # type: ignore[index]
        if found is None:
            return more
        return np.concatenate((found[0], more[0])), np.concatenate((found[1], more[1]))

    def _measure(self, longest: int | None = None) -> None:
        """Set the window to the longest bucket (``longest``: a bucket that just grew)."""
        if longest is None:
            longest = int(np.diff(self.starts).max(initial=0))
        else:
            longest = max(longest, len(self.offsets))
        self.offsets = _OFFSETS[: max(1, min(longest, _MAX_WIDTH))]
        self.crowded = self.crowded or longest > _MAX_WIDTH


def _capacity(n: int) -> int:
    """Room for ``n`` pairs, the next merges and the sentinels."""
    return n + n // (_MERGE_SHARE // 2) + 2 * _MAX_WIDTH


def _runs(arr: np.ndarray, prefixes: np.ndarray) -> tuple[np.ndarray, np.ndarray] | None:
    """(key position, row) of every pair of ``arr`` (sorted, sentinel-ended) with one of the
    prefixes, by searchsorted: one search for where each run would start, a second only for the
    keys present."""
    lo = arr.searchsorted(prefixes)
    ends = prefixes | _ROW_MASK
    present = arr[lo] < ends
    if not present.any():
        return None
    keys = np.flatnonzero(present)
    lo = lo[keys]
    counts = arr.searchsorted(ends[keys]) - lo
    which = np.repeat(keys, counts)
    starts = np.cumsum(counts) - counts  # where each key's hits begin in the output
    at = np.arange(len(which)) - np.repeat(starts - lo, counts)
    return which, (arr[at] & _ROW_MASK).view(np.intp)


def _renumber_in_place(arr: np.ndarray, live: np.ndarray, remap: np.ndarray) -> int:
    """Drop the pairs of dead rows from sorted ``arr`` and renumber the rest, in place (the
    renumbering keeps row order, so the pairs stay sorted); return how many are left.

    Works in chunks written back to the front of ``arr``: fresh array-sized temporaries cost a
    page fault per 4 KiB here, more than the arithmetic (21 ms for one ``&`` over 2M pairs).
    """
    out = 0
    for lo in range(0, len(arr), _CHUNK):
        chunk = arr[lo : lo + _CHUNK]
        rows = (chunk & _ROW_MASK).view(np.intp)
        keep = live[rows]
        kept = chunk[keep]
        kept &= KEY_MASK
        kept |= remap[rows[keep]]
        arr[out : out + len(kept)] = kept
        out += len(kept)
    return out
