"""The duplicate index's lookup table: 64-bit hash keys -> int rows, in a :class:`SortedKeys`.

Each (key, row) pair is one ``uint64``: the key's top 40 bits (``key & KEY_MASK``) and the row
in the low 24 bits (see :mod:`newsprism.link.sortedkeys` for the tiers, merges and lookups).

Cutting keys to 40 bits lets unrelated keys collide: with N pairs stored, a looked-up key meets a
foreign one with probability about N / 2**39 (6e-5 at 1M articles of ~34 keys). The owner
verifies what matters (Jaccard of band candidates, the signature of exact copies); a false
sentence hit would also need a second, real shared sentence with the same article to matter.

Dead rows' pairs stay until the owner asks for a compaction (:meth:`KeyRows.flush` with the live
rows, a :class:`RowFlags` rule), which also renumbers the rows that
stay.
"""

from __future__ import annotations

import numpy as np

from newsprism.link.sortedkeys import SortedKeys

ROW_BITS = 24
# The last row number is never used: the all-ones value is never stored (see SortedKeys).
MAX_ROWS = (1 << ROW_BITS) - 1
KEY_MASK = np.uint64(0xFFFF_FFFF_FFFF_FFFF ^ ((1 << ROW_BITS) - 1))  # the stored part of a key


class KeyRows(SortedKeys):
    """Multimap from key prefixes (``key & KEY_MASK``) to rows in ``[0, MAX_ROWS)``.

    Args:
        buffer_keys: pending pairs (at least) before a flush into the sorted array is due.

    Raises:
        ConfigError: ``buffer_keys`` is not a positive integer.
    """

    def __init__(self, buffer_keys: int = 8192) -> None:
        super().__init__(ROW_BITS, buffer_keys)

    def flush(self, live: np.ndarray | None = None) -> None:
        """Merge the pending pairs into the sorted array; with ``live``, compact too.

        Args:
            live: one flag per row stored since the last compaction. When given, the pairs of
                dead rows are dropped and live row ``r`` becomes row ``count_nonzero(live[:r])``
                (the owner renumbers its own rows the same way).
        """
        if live is None:
            super().flush()
        else:
            self.compact(RowFlags(live))


class RowFlags:
    """Rows that are alive while their flag is set; a compaction renumbers the live ones.

    Args:
        flags: one flag per row. Live row ``r`` becomes ``count_nonzero(flags[:r])`` at a
            compaction (the owner renumbers its own rows the same way).
    """

    def __init__(self, flags: np.ndarray) -> None:
        self.flags = flags

    def alive(self, values: np.ndarray) -> np.ndarray:
        """Whether each row's flag is set."""
        return self.flags[values]

    def renumbering(self) -> np.ndarray:
        """Live row ``r``'s new number: the live rows before it."""
        return (np.cumsum(self.flags) - 1).astype(np.uint64)
