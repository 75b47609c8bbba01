"""Word shingles and vectorized MinHash signatures (numpy), plus sentence fingerprints.

Why not one ``datasketch.MinHash`` per article: updating it hashes every shingle in Python
(~1.2 ms for a 600-word article here). This module uses one-permutation hashing with
densification (Shrivastava & Li, 2014): each shingle is hashed once, its top bits choose one of
``num_perm`` bins and each bin keeps its minimum; empty bins borrow the next filled bin's value.
That is O(shingles) instead of O(shingles x permutations): ~0.05 ms for a 520-word article
against ~0.13 ms for 64 classic permutations in numpy (CPU time, measured here), with the same
estimator (share of equal bins) for Jaccard similarity and the same LSH banding.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from functools import lru_cache

import numpy as np

from newsprism.errors import ConfigError
from newsprism.represent.text import TokenHasher

_MASK32 = np.uint64(0xFFFFFFFF)
# Odd 64-bit multipliers mixing the k token hashes of a shingle into one 64-bit value.
_MIX = np.array(
    [0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9, 0xD6E8FEB86659FD93,
     0xFF51AFD7ED558CCD, 0xC4CEB9FE1A85EC53, 0x2545F4914F6CDD1D, 0x94D049BB133111EB],
    dtype=np.uint64,
)


class MinHasher:
    """Computes MinHash signatures of word k-shingles.

    Args:
        num_perm: signature length (number of hash permutations), 16..1024.
        shingle_size: words per shingle, 1..8.
        seed: fixes the permutations (signatures only compare under the same seed).
    """

    def __init__(self, num_perm: int = 64, shingle_size: int = 5, seed: int = 1) -> None:
        if not isinstance(num_perm, int) or not 16 <= num_perm <= 1024:
            raise ConfigError(f"num_perm must be an integer in [16, 1024], got {num_perm!r}")
        if not isinstance(shingle_size, int) or not 1 <= shingle_size <= len(_MIX):
            raise ConfigError(f"shingle_size must be an integer in [1, 8], got {shingle_size!r}")
        self.num_perm = num_perm
        self.shingle_size = shingle_size
        rng = np.random.default_rng(seed)
        # Multiply-shift universal hashing: (a * x + b) >> 32 with odd a; top 32 bits kept.
        self._a = (rng.integers(1, 2**63, num_perm, dtype=np.uint64) << np.uint64(1)) | np.uint64(1)
        self._b = rng.integers(0, 2**63, num_perm, dtype=np.uint64)

    def shingles(self, token_hashes: np.ndarray) -> np.ndarray:
        """64-bit hashes of consecutive ``shingle_size``-token windows (repeats kept: the
        signature's per-bin minimum ignores them)."""
        k = self.shingle_size
        n = len(token_hashes)
        if n == 0:
            return np.zeros(0, dtype=np.uint64)
        k = min(k, n)
        with np.errstate(over="ignore"):
            acc = token_hashes[: n - k + 1] * _MIX[0]
            for i in range(1, k):
                acc = acc ^ (token_hashes[i : n - k + 1 + i] * _MIX[i])
        return acc

    def signature(self, shingle_hashes: np.ndarray) -> np.ndarray:
        """The MinHash signature (uint32, ``num_perm`` values); all-max for an empty set."""
        k = self.num_perm
        sig = np.full(k, 0xFFFFFFFF, dtype=np.uint32)
        if len(shingle_hashes) == 0:
            return sig
        with np.errstate(over="ignore"):
            h = (shingle_hashes ^ self._b[0]) * self._a[0]
            h ^= h >> np.uint64(29)
            h *= self._a[1]
        bins = ((h >> np.uint64(32)) % np.uint64(k)).astype(np.intp)
        np.minimum.at(sig, bins, (h & _MASK32).astype(np.uint32))
        return _densify(sig)

    def signature_of_tokens(self, words: Sequence[str], hasher: TokenHasher) -> np.ndarray:
        """Signature of a token list (hashes through ``hasher``)."""
        hashes = np.fromiter(map(hasher.__getitem__, words), dtype=np.uint64, count=len(words))
        return self.signature(self.shingles(hashes))


def _densify(sig: np.ndarray) -> np.ndarray:
    """Fill empty bins from the next filled bin to the right (circular), offset by the distance
    so that borrowed values differ from the lender's own."""
    empty = sig == 0xFFFFFFFF
    if not empty.any() or empty.all():
        return sig
    k = len(sig)
    positions = np.where(~empty, np.arange(k), 2 * k)
    doubled = np.concatenate([positions, positions + k])
    nearest = np.minimum.accumulate(doubled[::-1])[::-1][:k]
    source = nearest % k
    distance = (nearest - np.arange(k)).astype(np.uint64)
    with np.errstate(over="ignore"):
        borrowed = (sig[source].astype(np.uint64) + distance * np.uint64(0x9E3779B1)) & _MASK32
    sig[empty] = borrowed[empty].astype(np.uint32)
    return sig


def jaccard_estimate(sig_a: np.ndarray, sig_b: np.ndarray) -> float:
    """Estimated Jaccard similarity of two shingle sets: the share of equal signature values."""
    if len(sig_a) != len(sig_b):
        raise ConfigError(
            f"signatures must have the same length, got {len(sig_a)} and {len(sig_b)}: "
            "they come from MinHashers with different num_perm"
        )
    return float(np.count_nonzero(sig_a == sig_b)) / len(sig_a)


def band_keys(
    signature: np.ndarray, bands: int, rows: int, out: np.ndarray | None = None
) -> np.ndarray:
    """One 64-bit key per LSH band (``uint64``), equal for two signatures exactly when that band's
    values are equal (up to hash collisions).

    The key is a multilinear hash: the sum of the band's values times odd 64-bit multipliers,
    plus a term for the band number (so one table holds all bands), modulo 2**64. It is one
    matrix product for all bands, against a multiply-xor loop per row before (3.5 against 7 to
    10 us per signature here); array arithmetic wraps silently, so no errstate is needed.

    Args:
        signature: a MinHash signature (at least ``bands * rows`` values).
        bands, rows: the LSH banding.
        out: a ``uint64`` array of ``bands`` values to write the keys into (returned).
    """
    used = signature[: bands * rows].reshape(bands, rows).astype(np.uint64)
    keys = np.matmul(used, _BAND_MIX[:rows], out=out)
    keys += _band_numbers(bands)
    return keys


# Odd 64-bit multipliers of the band hash, one per row of a band (LinkConfig allows up to 64).
_BAND_MIX = np.random.default_rng(0xB4ED).integers(0, 2**63, 64, dtype=np.uint64) * np.uint64(2)
_BAND_MIX += np.uint64(1)


@lru_cache(maxsize=8)
def _band_numbers(bands: int) -> np.ndarray:
    """The band-number term of :func:`band_keys` (shared: never modify)."""
    return np.arange(bands, dtype=np.uint64) * _MIX[7]


def sentence_fingerprints(sents: Sequence[Sequence[str]], min_words: int = 10) -> list[int]:
    """Fingerprints of sentences with at least ``min_words`` words (63-bit, in sentence order).

    Sentences are compared on their lower-cased word sequence, so punctuation, quotes and spacing
    differences between two outlets' copies of a wire sentence do not matter. Short sentences
    ("He said no.") are skipped: they repeat across unrelated articles. The fingerprints are
    BLAKE2b hashes, the same in every process (articles may be represented in a worker process),
    and 63 bits keep them in a signed 64-bit array with no collision in practice.
    """
    out = dict.fromkeys(stable_hash64(" ".join(words)) for words in sents if len(words) >= min_words)
    return list(out)


def stable_hash64(text: str) -> int:
    """A 63-bit hash of ``text`` that is the same in every process (non-negative)."""
    digest = hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=8).digest()
    return int.from_bytes(digest, "little") >> 1
