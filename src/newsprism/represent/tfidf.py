"""Hashed, streaming TF-IDF over title, lead and body, with entity proxies and numbers weighed up.

No fitted vocabulary: features are stable token hashes folded into ``2**n_bits`` buckets (the
hashing trick), and document frequencies are counted as articles arrive, so a stream never needs
a refit. Vectors are sparse: sorted int64 feature ids with float32 weights, L2-normalised over the
``top_k`` heaviest features (enough for story identity; it bounds memory and scoring cost).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from newsprism.errors import ConfigError
from newsprism.represent.text import STOPWORDS, TokenHasher, entity_runs, stable_hash, stem, tokens

DEFAULT_N_BITS = 21


@dataclass(frozen=True, slots=True)
class TfidfWeights:
    """How much each part of an article counts (multipliers on the term counts).

    Calibrated on ../shared/data/ecbplus (982 docs, 86 stories, 43 topics of two similar events)
    with exact average-link clustering (soft time penalty, best cut): BCubed F1 0.933 with these
    defaults; one at a time: title 1 -> 0.930, title 3 -> 0.931, lead 1 -> 0.933, entity 1 ->
    0.930, entity 3 -> 0.928, number 1 -> 0.930, number 3 -> 0.931; plain tf-idf without the part
    weights or entity features scored about 0.88. Entity and number proxies matter most: two
    events of one topic (two rehab check-ins, two Klitschko fights) differ mainly in names and
    numbers.
    """

    title: float = 2.0
    lead: float = 2.0
    entity: float = 2.0
    number: float = 2.0
    lead_chars: int = 600

    def __post_init__(self) -> None:
        for name in ("title", "lead", "entity", "number"):
            value = getattr(self, name)
            if not isinstance(value, (int, float)) or not 0 <= value <= 10:
                raise ConfigError(f"TfidfWeights.{name} must be a number in [0, 10], got {value!r}")
        if not isinstance(self.lead_chars, int) or self.lead_chars < 0:
            raise ConfigError(f"lead_chars must be a non-negative integer, got {self.lead_chars!r}")


@dataclass(frozen=True, slots=True)
class SparseVector:
    """Sorted feature ids with their weights (L2 norm 1 unless empty)."""

    ids: np.ndarray
    weights: np.ndarray

    def __len__(self) -> int:
        return len(self.ids)

    def dot(self, other: SparseVector) -> float:
        """Dot product (cosine when both are unit vectors)."""
        common, ia, ib = np.intersect1d(self.ids, other.ids, assume_unique=True, return_indices=True)
        if len(common) == 0:
            return 0.0
        return float(np.dot(self.weights[ia], other.weights[ib]))


EMPTY = SparseVector(np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32))


def sum_vectors(vectors: list[SparseVector]) -> SparseVector:
    """The sum of sparse vectors (a set's centroid sum); EMPTY for none with terms."""
    vectors = [v for v in vectors if len(v)]
    if not vectors:
        return EMPTY
    if len(vectors) == 1:
        return vectors[0]
    ids = np.concatenate([v.ids for v in vectors])
    weights = np.concatenate([v.weights for v in vectors])
    uniq, inverse = np.unique(ids, return_inverse=True)
    return SparseVector(uniq, np.bincount(inverse, weights=weights).astype(np.float32))


class HashedTfidf:
    """Streaming TF-IDF with hashed features.

    Args:
        n_bits: features are folded into ``2**n_bits`` buckets (16..26).
        top_k: keep the heaviest ``top_k`` features of each vector (8..4096).
        weights: part multipliers (title, lead, entities, numbers).
        max_tokens: only the first ``max_tokens`` body tokens count (a 200,000-word input costs
            no more than a long article).
    """

    def __init__(
        self,
        n_bits: int = DEFAULT_N_BITS,
        top_k: int = 96,
        weights: TfidfWeights | None = None,
        max_tokens: int = 5000,
    ) -> None:
        if not isinstance(n_bits, int) or not 16 <= n_bits <= 26:
            raise ConfigError(f"n_bits must be an integer in [16, 26], got {n_bits!r}")
        if not isinstance(top_k, int) or not 8 <= top_k <= 4096:
            raise ConfigError(f"top_k must be an integer in [8, 4096], got {top_k!r}")
        if not isinstance(max_tokens, int) or max_tokens < 100:
            raise ConfigError(f"max_tokens must be an integer >= 100, got {max_tokens!r}")
        self.n_bits = n_bits
        self.top_k = top_k
        self.weights = weights or TfidfWeights()
        self.max_tokens = max_tokens
        self.df_ = np.zeros(2**n_bits, dtype=np.int32)
        self.n_docs_ = 0
        self._features = _FeatureMap(n_bits)

    def counts(self, title: str, body_tokens: list[str], body: str) -> tuple[np.ndarray, np.ndarray]:
        """Weighted raw counts of an article's features: (sorted ids, counts).

        Every occurrence is mapped to its feature code and weight and summed in numpy: 2.4x
        faster than counting tokens in Counters first (236 -> ~100 us for a 520-word article).
        """
        w = self.weights
        words, entities = self._features.word, self._features.entity
        parts = (
            (words, body_tokens[: self.max_tokens], 1.0),
            (words, tokens(title), w.title),
            (words, tokens(body[: w.lead_chars]), w.lead),
            (entities, entity_runs(body[: self.max_tokens * 8]), w.entity),
            (entities, entity_runs(title), w.entity * w.title),
        )
        codes = np.fromiter(
            (table[t] for table, toks, _ in parts for t in toks), np.int64, sum(len(p[1]) for p in parts)
        )
        vals = np.repeat(
            np.array([weight for _, _, weight in parts], np.float32), [len(toks) for _, toks, _ in parts]
        )
        # Odd codes are numbers: weighed up.
        vals = vals * np.where(codes & 1, np.float32(w.number), np.float32(1.0))
        ids = codes >> 1
        keep = ids >= 0
        uniq, inverse = np.unique(ids[keep], return_inverse=True)
        return uniq, np.bincount(inverse, weights=vals[keep]).astype(np.float32)

    def observe(self, ids: np.ndarray) -> None:
        """Count one article's features into the document frequencies."""
        self.df_[ids] += 1
        self.n_docs_ += 1

    def forget(self, ids: np.ndarray) -> None:
        """Undo :meth:`observe` (used when rebuilding state)."""
        np.subtract.at(self.df_, ids, 1)
        np.maximum(self.df_, 0, out=self.df_)
        self.n_docs_ = max(0, self.n_docs_ - 1)

    def vector(self, ids: np.ndarray, counts: np.ndarray) -> SparseVector:
        """The unit tf-idf vector over the ``top_k`` heaviest features."""
        if len(ids) == 0:
            return EMPTY
        n = self.n_docs_
        idf = np.log((n + 1.0) / (self.df_[ids] + 1.0)) + 1.0
        weights = (1.0 + np.log1p(counts)) * idf.astype(np.float32)
        if len(ids) > self.top_k:
            keep = np.sort(np.argpartition(-weights, self.top_k)[: self.top_k])
            ids, weights = ids[keep], weights[keep]
        norm = float(np.sqrt(np.dot(weights, weights)))
        if norm == 0.0 or math.isnan(norm):
            return EMPTY
        return SparseVector(ids, (weights / norm).astype(np.float32))

    def trim(self) -> None:
        """Bound the token memo of long streams."""
        self._features.word.trim()
        self._features.entity.trim()


def entity_bit(n_bits: int) -> int:
    """The feature-id bit that marks a name feature (capitalised runs): names hash into the upper
    half of the ``2**n_bits`` buckets and words and numbers into the lower half, so a dot product
    splits into its name and word parts without another lookup (the link model weighs them
    apart: names tell two same-kind events apart)."""
    return 1 << (n_bits - 1)


class _FeatureLookup(TokenHasher):
    """token -> (feature id << 1 | is_number), or -2 for a stopword; memoised."""

    def __init__(self, n_bits: int, prefix: str, is_entity: bool) -> None:
        super().__init__()
        self._mask = (1 << (n_bits - 1)) - 1  # half the buckets: see entity_bit
        self._flag = entity_bit(n_bits) if is_entity else 0
        self._prefix = prefix
        self._is_entity = is_entity

    def __missing__(self, token: str) -> int:
        if self._is_entity:
            value = ((stable_hash(self._prefix + token) & self._mask) | self._flag) << 1
        elif token in STOPWORDS or (len(token) < 2 and not token.isdigit()):
            value = -2
        elif token[0].isdigit():
            value = ((stable_hash("#" + token) & self._mask) << 1) | 1
        else:
            value = (stable_hash(stem(token)) & self._mask) << 1
        self[token] = value
        return value


class _FeatureMap:
    def __init__(self, n_bits: int) -> None:
        self.word = _FeatureLookup(n_bits, "", False)
        self.entity = _FeatureLookup(n_bits, "E:", True)
