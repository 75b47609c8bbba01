"""Duplicate detection: exact copies, near-duplicates (MinHash LSH) and wire rewrites.

* exact: the same normalised body text (hash match);
* near: a syndicated copy with a changed headline, trimmed tail or an added caption: estimated
  Jaccard of word 5-shingles at least ``near_duplicate_threshold``, candidates from LSH bands;
* wire: two outlets rewriting one agency report: at least ``wire_min_shared`` long sentences in
  common (sentence fingerprints), whatever the rest of the text.

The index holds the articles of the active (in-memory) stories; articles are removed with their
story when it fades. It is columnar, so a million active articles fit in memory: each indexed
article is a row (its id and group in Python lists, its signature in one 2-D array), and every
key pointing at it (text hash, LSH band keys, sentence fingerprints) is one packed 8-byte pair
in a :class:`~newsprism.link.keyrows.KeyRows` multimap. A removed article's row is only marked
dead; dead rows and their pairs go at the next compaction, which renumbers the live rows, so
memory follows the active count, not the stream's total.

Measured with tracemalloc on the generated benchmark stream (20,000 articles, all active):
550-600 bytes per active article (the pending-key dict fills and empties), against ~3,400 for
the dict-based index it replaced; 650-680 with stories retiring (4-day fade, 7,500 active);
~600 on a synthetic stream with 1M active. The price is time: find + add took ~40-50 us per
article against ~30-40 for the dict-based index here (77 against 55 us at 1M active); numpy
calls cost ~1 us each on this machine, a dict lookup ~0.05 us. The stream as a whole was not
slower (fewer Python objects for the garbage collector).
"""

from __future__ import annotations

import sys
from dataclasses import dataclass

import numpy as np

from newsprism.errors import ConfigError
from newsprism.link.config import LinkConfig
from newsprism.link.keyrows import KEY_MASK as _KEY_MASK
from newsprism.link.keyrows import MAX_ROWS, KeyRows
from newsprism.represent.base import ArticleFeatures
from newsprism.represent.minhash import band_keys

_KIND_RANK = {"exact": 0, "near": 1, "wire": 2}


@dataclass(frozen=True, slots=True)
class DuplicateMatch:
    """An earlier article that the new one duplicates."""

    article_id: str
    kind: str
    jaccard: float


# Sentence fingerprints kept per article: wire rewrites share sentences from the top of the
# agency copy, and every kept fingerprint costs an 8-byte pair while the story is active.
_MAX_SENTENCES = 12
# Earliest holders of one sentence counted for wire matches: a sentence most indexed articles
# share is boilerplate, and counting thousands of holders per article would cost time for
# nothing (the dict-based index counted only the first holder).
_MAX_HOLDERS = 64
# Keys of the three kinds live in one table: the tag keeps a text hash from meeting the
# fingerprint of a one-sentence body with the same words (band keys are another hash).
_TAG_EXACT = 0x5A17_C0DE_0000_0001
_MASK64 = 0xFFFF_FFFF_FFFF_FFFF


@dataclass(slots=True)
class _Query:
    """An article's key prefixes: [text hash?] [band keys] [sentence fingerprints]."""

    article_id: str
    prefixes: np.ndarray
    plist: list[int]
    n_exact: int
    n_bands: int
    n_indexed: int  # prefixes stored by add(): only the first _MAX_SENTENCES sentences


class DuplicateIndex:
    """In-memory index of the active articles' text hashes, LSH bands and sentence fingerprints.

    Args:
        config: thresholds and LSH banding.
        buffer_keys: pending keys (at least) before they are merged into the sorted key table
            (see :class:`~newsprism.link.keyrows.KeyRows`); small values only make tests cross
            merges and compactions with few articles.

    Signatures are kept as their low 16 bits per bin: the Jaccard estimate is the share of equal
    bins, and two different 32-bit bin values share their low 16 bits with probability 2**-16,
    which moves an estimate by under 0.001 on average (band keys are computed from the full
    signature before it is stored).
    """

    def __init__(self, config: LinkConfig, *, buffer_keys: int = 8192) -> None:
        self.config = config
        self._keys = KeyRows(buffer_keys)
        self._row_of: dict[str, int] = {}
        self._ids: list[str | None] = []
        self._groups: list[str | None] = []
        self._sources: list[str | None] = []  # each row's outlet (interned: one object per outlet)
        self._members: dict[str, list[str]] = {}  # group -> its indexed articles
        self._cap = 0
        self._width = 0  # signature length, set by the first article that has one
        self._alive = np.zeros(0, dtype=bool)
        self._sigs = np.zeros((0, 0), dtype=np.uint16)
        self._last: _Query | None = None  # keys of the last find(), for the add() that follows

    def __len__(self) -> int:
        return len(self._row_of)

    def __contains__(self, article_id: str) -> bool:
        return article_id in self._row_of

    def group_of(self, article_id: str) -> str | None:
        """The duplicate group of an indexed article (None when it has no duplicate yet)."""
        row = self._row_of.get(article_id)
        return None if row is None else self._groups[row]

    def set_group(self, article_id: str, group: str) -> None:
        """Put an indexed article into duplicate group ``group``."""
        row = self._row_of.get(article_id)
        if row is None or self._groups[row] == group:
            return
        old = self._groups[row]
        if old is not None:
            self._leave(old, article_id)
        self._groups[row] = group
        self._members.setdefault(group, []).append(article_id)

    def find(self, features: ArticleFeatures) -> list[DuplicateMatch]:
        """Indexed articles that ``features`` duplicates, strongest kind first, then by Jaccard."""
        q = self._query(features)
        which, rows = self._keys.lookup(q.prefixes, q.plist)
        if not rows.size:
            return []
        alive = self._alive[rows]
        which, rows = which[alive], rows[alive]
        found: dict[int, tuple[str, float]] = {}
        exact = rows[which < q.n_exact]
        if exact.size:
            # A key prefix is 40 bits: a copy also has the same signature, a stray hit has not.
            exact = exact[self._jaccard(features, exact) == 1.0] if self._width else exact
            if exact.size:  # the earliest copy, as a first-come text-hash map would say
                found[int(exact.min())] = ("exact", 1.0)
        in_bands = (which >= q.n_exact) & (which < q.n_exact + q.n_bands)
        self._near(features, np.unique(rows[in_bands]), found)
        sentence = which >= q.n_exact + q.n_bands
        if sentence.any():
            self._wire(features, which[sentence], rows[sentence], found)
        out = [DuplicateMatch(self._ids[r], kind, j) for r, (kind, j) in found.items()]  # type: ignore[arg-type]
        return sorted(out, key=lambda m: (_KIND_RANK[m.kind], -m.jaccard, m.article_id))

    def add(self, features: ArticleFeatures, group: str | None) -> None:
        """Index an article as a member of duplicate group ``group``."""
        aid = features.article_id
        if aid in self._row_of:
            return
        q = self._query(features)
        sig = features.signature
        if sig.size and not self._width:  # _query() rejected any other length
            self._set_width(sig.size)
        row = self._new_row()
        self._ids.append(aid)
        self._groups.append(group)
        source = features.source
        self._sources.append(sys.intern(source) if source else None)
        self._alive[row] = True
        if self._width:
            self._sigs[row] = sig if sig.size else 0
        self._row_of[aid] = row
        if group is not None:
            self._members.setdefault(group, []).append(aid)
        n = q.n_indexed
        if self._keys.insert(q.prefixes[:n], q.plist[:n], row):
            live = len(self._row_of)
            # Dead rows' keys are dropped with a merge once they are an eighth of the live ones.
            if (len(self._ids) - live) * 8 >= max(live, 1):
                self._compact()
            else:
                self._keys.flush()

    def regroup(self, old: str, new: str) -> None:
        """Rename duplicate group ``old`` to ``new`` for the indexed members (cost: the group's size)."""
        if old == new:
            return
        members = self._members.pop(old, None)
        if not members:
            return
        for aid in members:
            self._groups[self._row_of[aid]] = new
        self._members.setdefault(new, []).extend(members)

    def remove(self, article_id: str) -> None:
        """Forget an article (its story faded); its row and keys go at the next compaction."""
        row = self._row_of.pop(article_id, None)
        if row is None:
            return
        self._alive[row] = False
        self._ids[row] = None
        group = self._groups[row]
        if group is not None:
            self._groups[row] = None
            self._leave(group, article_id)

    # -- matching -------------------------------------------------------------------------------

    def _near(
        self, features: ArticleFeatures, rows: np.ndarray, found: dict[int, tuple[str, float]]
    ) -> None:
        """Band candidates whose estimated Jaccard reaches the near-duplicate threshold."""
        if not rows.size:
            return
        sims = self._jaccard(features, rows)
        threshold = self.config.near_duplicate_threshold
        for r, j in zip(rows.tolist(), sims.tolist(), strict=True):
            if j >= threshold and r not in found:
                found[r] = ("near", j)

    def _wire(
        self,
        features: ArticleFeatures,
        which: np.ndarray,
        rows: np.ndarray,
        found: dict[int, tuple[str, float]],
    ) -> None:
        """Articles sharing at least ``wire_min_shared`` sentences (each sentence counted for its
        earliest ``_MAX_HOLDERS`` holders)."""
        if len(rows) > _MAX_HOLDERS:
            order = np.argsort(which, kind="stable")  # per sentence, oldest tier and row first
            which, rows = which[order], rows[order]
            first = np.searchsorted(which, which)
            rows = rows[np.arange(len(which)) - first < _MAX_HOLDERS]
        holders, counts = np.unique(rows, return_counts=True)
        holders = holders[counts >= self.config.wire_min_shared]
        # Sentences one outlet repeats in its own articles (a promo, a newsletter line) are that
        # outlet's boilerplate, not a wire report: wire copy is text shared across outlets.
        own = features.source
        holders = np.array(
            [r for r in holders.tolist() if r not in found and (own is None or self._sources[r] != own)],
            dtype=np.intp,
        )
        if holders.size:
            for r, j in zip(
                holders.tolist(), self._jaccard(features, holders).tolist(), strict=True
            ):
                found[r] = ("wire", j)

    def _jaccard(self, features: ArticleFeatures, rows: np.ndarray) -> np.ndarray:
        """Estimated Jaccard of ``features`` with each row: the share of equal (16-bit) bins."""
        sig = features.signature
        if sig.size != self._width:
            raise _width_error(sig.size, self._width)
        equal = np.count_nonzero(self._sigs[rows] == sig.astype(np.uint16), axis=1)
        return equal / self._width

    def _query(self, features: ArticleFeatures) -> _Query:
        """The article's key prefixes (kept from find() for the add() that follows it)."""
        last = self._last
        if last is not None and last.article_id == features.article_id:
            return last
        cfg = self.config
        sig = features.signature
        if sig.size and sig.size != (self._width or sig.size):
            raise _width_error(sig.size, self._width)
        if sig.size and sig.size < cfg.lsh_bands * cfg.lsh_rows:
            raise ConfigError(
                f"signatures need at least lsh_bands * lsh_rows = {cfg.lsh_bands * cfg.lsh_rows} "
                f"values, got {sig.size}: use a MinHasher with a larger num_perm"
            )
        sentences = features.sentences
        text_hash = features.text_hash
        n_exact = int(text_hash is not None)
        n_bands = cfg.lsh_bands if sig.size and features.word_count else 0
        keys = np.empty(n_exact + n_bands + len(sentences), dtype=np.uint64)
        if text_hash is not None:
            keys[0] = (text_hash ^ _TAG_EXACT) & _MASK64
        if n_bands:
            band_keys(sig, cfg.lsh_bands, cfg.lsh_rows, out=keys[n_exact : n_exact + n_bands])
        if sentences:
            try:
                keys[n_exact + n_bands :] = sentences
            except OverflowError:  # a negative (process-local) hash
                keys[n_exact + n_bands :] = [fp & _MASK64 for fp in sentences]
        keys &= _KEY_MASK
        n_indexed = n_exact + n_bands + min(len(sentences), _MAX_SENTENCES)
        q = _Query(features.article_id, keys, keys.tolist(), n_exact, n_bands, n_indexed)
        self._last = q
        return q

    # -- rows -----------------------------------------------------------------------------------

    def _leave(self, group: str, article_id: str) -> None:
        members = self._members.get(group)
        if members is None:
            return
        members.remove(article_id)
        if not members:
            del self._members[group]

    def _set_width(self, width: int) -> None:
        """Size the signature array for the first article that has a signature."""
        self._width = width
        self._sigs = np.zeros((self._cap, width), dtype=np.uint16)

    def _new_row(self) -> int:
        """The next row number, after a compaction or growing the arrays when they are full."""
        n = len(self._ids)
        if n >= self._cap:
            live = len(self._row_of)
            dead = n - live
            # Dead rows are reclaimed rather than grown over once they are an eighth of the live
            # ones (the same share at which a merge compacts: each holds 128 signature bytes).
            if dead and (dead * 8 >= live or self._cap >= MAX_ROWS):
                self._compact()
            elif self._cap >= MAX_ROWS:
                raise ConfigError(
                    f"the duplicate index holds at most {MAX_ROWS} articles, got {live + 1}: "
                    "lower LinkConfig.max_active_articles"
                )
            if len(self._ids) >= self._cap:
                self._resize(min(MAX_ROWS, max(1024, self._cap * 9 // 8)))
        return len(self._ids)

    def _resize(self, cap: int) -> None:
        n = len(self._ids)
        alive = np.zeros(cap, dtype=bool)
        alive[:n] = self._alive[:n]
        sigs = np.zeros((cap, self._width), dtype=np.uint16)
        sigs[:n] = self._sigs[:n]
        self._alive, self._sigs, self._cap = alive, sigs, cap

    def _compact(self) -> None:
        """Drop dead rows and their keys; live rows keep their order, renumbered from 0."""
        n = len(self._ids)
        live = self._alive[:n].copy()
        self._keys.flush(live)
        keep = np.flatnonzero(live)
        m = len(keep)
        self._sigs[:m] = self._sigs[keep]
        self._alive[:m] = True
        self._alive[m:n] = False
        keep_list = keep.tolist()
        self._ids = [self._ids[i] for i in keep_list]
        self._groups = [self._groups[i] for i in keep_list]
        self._sources = [self._sources[i] for i in keep_list]
        self._row_of = dict(zip(self._ids, range(m), strict=True))  # type: ignore[arg-type]
        if self._cap > 2 * m + 2048:  # the active count fell: give the memory back
            self._resize(m * 9 // 8 + 1024)


def _width_error(got: int, width: int) -> ConfigError:
    return ConfigError(
        f"signatures must have the same length, got {got} and {width}: "
        "they come from MinHashers with different num_perm"
    )
