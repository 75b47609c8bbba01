"""A story as the streaming linker holds it in memory, and the packing of its centroid.

A story is kept compact because the active stories are what bounds a long stream's memory: its
centroid is one ``bytes`` object (int32 term id + float16 weight of the unit centroid, 6 bytes a
term, with the norm beside it) instead of two numpy arrays (8 bytes a term and ~220 bytes of
array headers), and its representative article keeps only its terms that are in the centroid
(see :class:`newsprism.link.index.StoryIndex`).
"""

from __future__ import annotations

import numpy as np

from newsprism.represent.tfidf import SparseVector

# One centroid term: feature id and weight in the unit centroid. float16 keeps ~3 significant
# digits (unit weights are <= 1, so no overflow): with it the streaming stories were identical to
# float32's on ECB+ (file order and 3 shuffles, BCubed F1 0.935) and on a 20,000-article
# generated stream.
TERM = np.dtype([("i", "<i4"), ("w", "<f2")])
NO_TERMS = b""


def pack(ids: np.ndarray, weights: np.ndarray) -> bytes:
    """Terms and weights (sorted ids) as packed bytes: int32 id + float16 weight per term."""
    out = np.empty(len(ids), TERM)
    out["i"] = ids
    out["w"] = weights
    return out.tobytes()


def unpack(buf: bytes) -> tuple[np.ndarray, np.ndarray]:
    """The (int32 ids, float32 weights) packed by :func:`pack`."""
    arr = np.frombuffer(buf, TERM)
    return arr["i"].astype(np.int32), arr["w"].astype(np.float32)


class StoryState:
    """A story as the linker holds it in memory.

    Args:
        id, seq: story id and creation number.
        ids, weights: centroid sum (sorted feature ids, weights); stored as the unit centroid in
            float16 with ``norm``.
        norm: L2 norm of the centroid sum (0 for an empty one).
        first, last: time span (UTC seconds).
        count, members, sources, first_reporter, language: the summary (``members`` are the
            article ids held in memory; ``count`` includes the ones only in the store).
        rep_id, rep_title: the representative (most central) article and its title.

    Attributes (besides the arguments): ``terms`` (the packed unit centroid, see :func:`pack`),
    ``rep_terms`` (the representative's centroid terms, kept by the index), ``slot`` (its
    number in the index, -1 outside it).
    """

    __slots__ = (
        "count",
        "first",
        "first_reporter",
        "firsts",
        "id",
        "language",
        "last",
        "members",
        "norm",
        "rep_id",
        "rep_terms",
        "rep_title",
        "seq",
        "slot",
        "sources",
        "terms",
    )

    def __init__(
        self,
        id: str,
        seq: int,
        ids: np.ndarray | None = None,
        weights: np.ndarray | None = None,
        norm: float = 0.0,
        first: float = 0.0,
        last: float = 0.0,
        count: int = 0,
        members: list[str] | None = None,
        sources: dict[str, int] | None = None,
        first_reporter: str | None = None,
        rep_id: str | None = None,
        rep_title: str = "",
        language: str | None = None,
    ) -> None:
        self.id, self.seq = id, seq
        self.first, self.last = first, last
        self.count = count
        self.members: list[str] = members if members is not None else []
        self.sources: dict[str, int] = sources if sources is not None else {}
        self.first_reporter = first_reporter
        # The extremes of the members' times that decide first_reporter (link/firsts.py).
        self.firsts: tuple | None = None  # type: ignore[type-arg]
        self.rep_id, self.rep_title = rep_id, rep_title
        self.language = language
        self.slot = -1  # its slot in the index; -1 while not indexed
        # The representative's terms that are in the centroid: (position in the centroid, float16
        # weight) pairs, re-mapped on every centroid change (see StoryIndex._set_centroid); None
        # while the representative has no text vector.
        self.rep_terms: bytes | None = None
        self.norm = float(norm)
        self.terms = NO_TERMS
        if ids is not None and weights is not None and len(ids):
            summed = np.asarray(weights, np.float64)
            self.norm = self.norm or float(np.sqrt(np.dot(summed, summed)))
            self.terms = pack(ids, summed / self.norm if self.norm > 0 else summed)

    def __repr__(self) -> str:
        return f"StoryState(id={self.id!r}, seq={self.seq}, members={len(self.members)}, terms={self.size})"

    @property
    def size(self) -> int:
        """Terms in the centroid."""
        return len(self.terms) // TERM.itemsize

    @property
    def ids(self) -> np.ndarray:
        """Centroid feature ids (sorted int32)."""
        return unpack(self.terms)[0]

    @property
    def weights(self) -> np.ndarray:
        """Centroid sum weights (float32), aligned with :attr:`ids`."""
        return unpack(self.terms)[1] * np.float32(self.norm)

    def centroid(self) -> SparseVector:
        """The unit centroid vector."""
        ids, weights = unpack(self.terms)
        return SparseVector(ids, weights)


class RepCodec:
    """Packs a story's representative as its terms that are in the centroid: (position in the
    centroid, float16 weight) pairs, 3 bytes a term (4 past 256 centroid terms).

    Terms outside the centroid add nothing to the representative's cosine with it, and a term
    that left the centroid rarely comes back (its summed weight is gone), so the cosine from these
    terms is the full vector's. Positions change with the centroid: :meth:`decode` before a
    centroid update, :meth:`encode` after it.

    Args:
        centroid_terms: most terms a centroid holds (``LinkConfig.centroid_terms``).
    """

    def __init__(self, centroid_terms: int) -> None:
        position = "u1" if centroid_terms <= 256 else "<u2"
        self.dtype = np.dtype([("p", position), ("w", "<f2")])

    def encode(self, ids: np.ndarray, weights: np.ndarray, centroid_ids: np.ndarray) -> bytes:
        """The terms of a vector (sorted ``ids``, ``weights``) found in ``centroid_ids``."""
        if len(centroid_ids) == 0 or len(ids) == 0:
            return NO_TERMS
        pos = np.minimum(np.searchsorted(centroid_ids, ids), len(centroid_ids) - 1)
        hit = centroid_ids[pos] == ids
        return self.pack(pos[hit], weights[hit])

    def pack(self, positions: np.ndarray, weights: np.ndarray) -> bytes:
        """(position, weight) pairs as bytes."""
        out = np.empty(len(positions), self.dtype)
        out["p"], out["w"] = positions, weights
        return out.tobytes()

    def decode(self, story: StoryState) -> tuple[np.ndarray, np.ndarray] | None:
        """The representative's (ids, weights) in the story's current centroid, or None when it
        has no text vector."""
        if story.rep_terms is None:
            return None
        rep = np.frombuffer(story.rep_terms, self.dtype)
        return np.frombuffer(story.terms, TERM)["i"][rep["p"]], rep["w"].astype(np.float32)

    def score(self, terms: bytes | None, unit: np.ndarray, missing: float) -> float:
        """Cosine of packed representative terms with a centroid's ``unit`` weights (``missing``
        when there is no vector)."""
        if terms is None:
            return missing
        rep = np.frombuffer(terms, self.dtype)
        return float(np.dot(rep["w"].astype(np.float32), unit[rep["p"]]))
