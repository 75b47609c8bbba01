"""Sentence matching from sentence vectors computed once per article.

:func:`candidate_pairs` picks, from the cosine matrix of two articles' sentences, each sentence's
best partner on the other side (both directions), so a sentence may match several (one long
sentence of A told as two sentences in B). :class:`CosineScorer` turns a candidate into an
:class:`~newsprism.compare.base.AlignedPair` by its cosine alone; a calibrated paraphrase model
can take its place (:class:`PairScorer`).

:class:`CachingEncoder` wraps an embedder so that a text embedded once (a sentence, a title, a
whole body) is never embedded again while the cache lives; a story comparison shares one.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Protocol, runtime_checkable

import numpy as np

from newsprism.compare.base import AlignedPair
from newsprism.errors import ConfigError

#: MiniLM cosine from which two news sentences usually say the same thing (on MRPC, paraphrase
#: pairs start to dominate about 0.7; see ``newsprism.compare.features.ALIGNED_COSINE``).
PARAPHRASE_COSINE = 0.7
#: Candidates below this cosine are not worth scoring (unrelated sentences of one story score
#: 0.2-0.5 with MiniLM).
CANDIDATE_FLOOR = 0.5


class CachingEncoder:
    """An embedder that remembers the vectors of texts it has embedded (least recent dropped),
    and spreads new texts over ``workers`` threads.

    Args:
        encoder: anything with ``encode(texts) -> ndarray`` of L2-normalised rows; it must allow
            concurrent calls when ``workers > 1`` (an ONNX Runtime session does).
        max_items: texts remembered.
        workers: threads calling the encoder at once. With a single-threaded ONNX session per
            call, two callers used the two cores for 2.35 s of CPU per 200 news sentences where
            one session with two intra-op threads spent 3.6 s (its threads spin and wait on
            each other), measured on the 2-core reference machine.
    """

    def __init__(self, encoder: object, max_items: int = 50_000, *, workers: int = 2) -> None:
        if not hasattr(encoder, "encode"):
            raise ConfigError(
                f"encoder: expected an object with encode(texts), got {type(encoder).__name__}"
            )
        for name, value in (("max_items", max_items), ("workers", workers)):
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise ConfigError(f"{name}: expected a positive integer, got {value!r}")
        self.encoder = encoder
        self.max_items = max_items
        self.workers = workers
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()
        self._lock = threading.Lock()

    def __getattr__(self, name: str) -> object:
        if name in ("encoder", "_cache", "_lock", "workers"):
            raise AttributeError(name)
        return getattr(self.encoder, name)  # dim, max_tokens ... of the wrapped embedder

    def _embed(self, texts: list[str]) -> dict[str, np.ndarray]:
        """Vectors of texts not in the cache: each length bucket split over the workers."""
        chunks = []
        for bucket in _length_buckets(texts):
            ordered = sorted(bucket, key=len)
            parts = self.workers if len(ordered) >= MIN_PARALLEL else 1
            chunks += [ordered[k::parts] for k in range(parts)]
        run = self.encoder.encode  # type: ignore[attr-defined]
        if len(chunks) > 1 and self.workers > 1:
            with ThreadPoolExecutor(max_workers=self.workers) as pool:
                results = list(pool.map(run, chunks))
        else:
            results = [run(c) for c in chunks]
        found: dict[str, np.ndarray] = {}
        for chunk, rows in zip(chunks, results):
            found.update(zip(chunk, np.asarray(rows, dtype=np.float32)))
        return found

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Vectors of ``texts``; only texts not seen before reach the wrapped encoder."""
        if isinstance(texts, str):
            raise ConfigError(
                "texts: expected a sequence of strings, got a single str; wrap it in a list"
            )
        items = list(texts)
        if not items:
            return np.asarray(self.encoder.encode([]), dtype=np.float32)  # type: ignore[attr-defined]
        with self._lock:
            known = {t: self._cache[t] for t in items if t in self._cache}
        missing = [t for t in dict.fromkeys(items) if t not in known]
        if missing:
            known.update(self._embed(missing))
            with self._lock:
                for text in missing:
                    self._cache[text] = known[text]
                while len(self._cache) > self.max_items:
                    self._cache.popitem(last=False)
        return np.stack([known[t] for t in items])


#: Fewest texts in a length bucket worth splitting over threads.
MIN_PARALLEL = 8
#: Character lengths that split texts into separate embedding calls. A batch is padded to its
#: longest text, so one 256-token body in a batch of 31 sentences made that batch cost as much as
#: 32 bodies (2 s instead of 0.3 s for a pair of 1,000-word articles on a busy 2-core machine).
LENGTH_BUCKETS = (160, 320, 640)


def _length_buckets(texts: Sequence[str]) -> list[list[str]]:
    buckets: list[list[str]] = [[] for _ in range(len(LENGTH_BUCKETS) + 1)]
    for text in texts:
        k = next(
            (i for i, edge in enumerate(LENGTH_BUCKETS) if len(text) < edge), len(LENGTH_BUCKETS)
        )
        buckets[k].append(text)
    return [b for b in buckets if b]


@runtime_checkable
class PairScorer(Protocol):
    """Scores candidate sentence pairs given their texts and cosines."""

    def score(
        self,
        texts_a: Sequence[str],
        texts_b: Sequence[str],
        pairs: Sequence[tuple[int, int]],
        cosines: Sequence[float],
    ) -> list[AlignedPair]:
        """One aligned pair per candidate."""
        ...


class CosineScorer:
    """Scores a pair by its cosine; a paraphrase from :data:`PARAPHRASE_COSINE` on."""

    def __init__(self, threshold: float = PARAPHRASE_COSINE) -> None:
        if not 0.0 < threshold < 1.0:
            raise ConfigError(f"threshold: expected a cosine in (0, 1), got {threshold!r}")
        self.threshold = threshold

    def score(
        self,
        texts_a: Sequence[str],
        texts_b: Sequence[str],
        pairs: Sequence[tuple[int, int]],
        cosines: Sequence[float],
    ) -> list[AlignedPair]:
        """Aligned pairs whose score is the cosine."""
        return [
            AlignedPair(i, j, texts_a[i], texts_b[j], float(c), float(c), bool(c >= self.threshold))
            for (i, j), c in zip(pairs, cosines)
        ]


def candidate_pairs(cos: np.ndarray, floor: float = CANDIDATE_FLOOR) -> list[tuple[int, int]]:
    """Each row's and each column's best partner with a cosine of at least ``floor``."""
    if cos.size == 0:
        return []
    found: set[tuple[int, int]] = set()
    best_b = cos.argmax(axis=1)
    for i, j in enumerate(best_b):
        if cos[i, j] >= floor:
            found.add((i, int(j)))
    best_a = cos.argmax(axis=0)
    for j, i in enumerate(best_a):
        if cos[i, j] >= floor:
            found.add((int(i), j))
    return sorted(found)


def align_vectors(
    texts_a: Sequence[str],
    texts_b: Sequence[str],
    vectors_a: np.ndarray,
    vectors_b: np.ndarray,
    scorer: PairScorer | None = None,
    *,
    floor: float = CANDIDATE_FLOOR,
) -> list[AlignedPair]:
    """Aligned sentence pairs of two articles from their precomputed sentence vectors.

    Args:
        texts_a, texts_b: the sentences (row ``i`` of ``vectors_a`` embeds ``texts_a[i]``).
        vectors_a, vectors_b: L2-normalised sentence vectors.
        scorer: turns candidates into scored pairs (default :class:`CosineScorer`).
        floor: candidates need at least this cosine.

    Returns:
        Pairs, best score first.
    """
    if vectors_a.shape[1] == 0 or vectors_b.shape[1] == 0 or not len(texts_a) or not len(texts_b):
        return []
    cos = np.clip(vectors_a @ vectors_b.T, -1.0, 1.0)
    pairs = candidate_pairs(cos, floor)
    scored = (scorer or CosineScorer()).score(
        texts_a, texts_b, pairs, [float(cos[i, j]) for i, j in pairs]
    )
    return sorted(scored, key=lambda p: (-p.score, p.index_a, p.index_b))


def one_to_one(pairs: Sequence[AlignedPair]) -> list[AlignedPair]:
    """Pairs taken best score first, each sentence used once; returned in A's order."""
    used_a: set[int] = set()
    used_b: set[int] = set()
    out = []
    for p in sorted(pairs, key=lambda p: (-p.score, p.index_a, p.index_b)):
        if p.index_a in used_a or p.index_b in used_b:
            continue
        used_a.add(p.index_a)
        used_b.add(p.index_b)
        out.append(p)
    return sorted(out, key=lambda p: p.index_a)
