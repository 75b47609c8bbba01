"""In-memory index of the active stories: centroids, time spans and an inverted index of terms.

Candidate stories for an article come from the inverted index (a story's heaviest centroid terms
point at it), never from a scan of all stories; only those few candidates are scored, in one
vectorised pass. A story leaves the index when it fades (its time span ended long before the
stream's current times) or when the memory budget is spent (least recently touched first).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import numpy as np

from newsprism.link.config import LinkConfig
from newsprism.represent.base import ArticleFeatures
from newsprism.represent.tfidf import SparseVector


@dataclass(slots=True)
class StoryState:
    """A story as the linker holds it in memory."""

    id: str
    seq: int
    ids: np.ndarray
    weights: np.ndarray
    norm: float
    first: float
    last: float
    count: int = 0
    members: list[str] = field(default_factory=list)
    sources: dict[str, int] = field(default_factory=dict)
    first_reporter: str | None = None
    rep_id: str | None = None
    rep_title: str = ""
    rep_vector: SparseVector | None = None
    language: str | None = None
    indexed: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int32))
    touched: int = 0

    def centroid(self) -> SparseVector:
        """The unit centroid vector."""
        if self.norm == 0.0:
            return SparseVector(self.ids, self.weights)
        return SparseVector(self.ids, self.weights / self.norm)


class StoryIndex:
    """Active stories with their centroids, and the term -> stories inverted index.

    Args:
        config: link settings (term counts, candidates, fade window).
    """

    def __init__(self, config: LinkConfig) -> None:
        self.config = config
        self.stories: dict[str, StoryState] = {}
        # term -> story id, or a set of ids when several stories share the term: most terms
        # point at one story, and a set costs ~200 bytes more than the id itself.
        self._postings: dict[int, str | set[str]] = {}
        self.active_articles = 0
        self._clock = 0

    def __contains__(self, story_id: str) -> bool:
        return story_id in self.stories

    def __len__(self) -> int:
        return len(self.stories)

    def candidates(
        self,
        vector_sum: SparseVector,
        count: int,
        first: float,
        last: float,
        language: str | None,
        dated: bool = True,
    ) -> list[tuple[StoryState, float]]:
        """Stories a group of ``count`` articles may join, with the average-link score, best first.

        ``vector_sum`` is the sum of the group's unit vectors; the score of a story is the mean
        cosine between the group's and the story's articles (sum . centroid-sum / (count * n))
        less the time penalty. Only stories sharing one of the group's heaviest terms, of a
        compatible language and, for a ``dated`` group (publication dates, not ingest times),
        within the fade window of its time span are scored.
        """
        if len(vector_sum) == 0:
            return []
        cfg = self.config
        fade = cfg.fade_seconds if dated else float("inf")
        picked: list[StoryState] = []
        for sid in self._hits(vector_sum, exclude=None):
            story = self.stories[sid]
            if (
                story.first - fade <= last
                and first <= story.last + fade
                and _same_language(story.language, language)
            ):
                picked.append(story)
                if len(picked) >= cfg.max_candidates:
                    break
        return self._score(vector_sum, count, first, last, picked)

    def alike(self, story: StoryState) -> list[tuple[StoryState, float]]:
        """Other stories with their average-link score to ``story``, best first."""
        vec = SparseVector(story.ids, story.weights)
        picked = [self.stories[sid] for sid in self._hits(vec, exclude=story.id)]
        picked = picked[: self.config.max_candidates]
        return self._score(vec, len(story.members), story.first, story.last, picked)

    def _hits(self, vec: SparseVector, exclude: str | None) -> list[str]:
        """Stories sharing the heaviest terms of ``vec``, most shared weight first."""
        top = np.argsort(-vec.weights)[: self.config.query_terms]
        hits: dict[str, float] = defaultdict(float)
        for term, weight in zip(vec.ids[top].tolist(), vec.weights[top].tolist(), strict=True):
            posting = self._postings.get(term)
            if posting is None:
                continue
            if isinstance(posting, str):
                hits[posting] += weight
            elif len(posting) <= _MAX_POSTING:
                for sid in posting:
                    hits[sid] += weight
        if exclude is not None:
            hits.pop(exclude, None)
        return [sid for sid, _ in sorted(hits.items(), key=lambda kv: -kv[1])]

    def _score(
        self, vec: SparseVector, count: int, first: float, last: float, picked: list[StoryState]
    ) -> list[tuple[StoryState, float]]:
        if not picked:
            return []
        sizes = np.fromiter((max(1, len(s.members)) for s in picked), np.float64, len(picked))
        scores = _dots(vec, picked) / (max(1, count) * sizes)
        starts = np.fromiter((s.first for s in picked), np.float64, len(picked))
        ends = np.fromiter((s.last for s in picked), np.float64, len(picked))
        gap = np.maximum(0.0, np.maximum(starts - last, first - ends))
        scores = scores - time_penalty(gap, self.config)
        order = np.argsort(-scores, kind="stable")
        return [(picked[i], float(scores[i])) for i in order]

    def create(self, story_id: str, seq: int, features: ArticleFeatures) -> StoryState:
        """Open a new story holding one article."""
        story = StoryState(
            id=story_id,
            seq=seq,
            ids=np.zeros(0, np.int64),
            weights=np.zeros(0, np.float32),
            norm=0.0,
            first=features.time,
            last=features.time,
            language=features.language,
        )
        self.stories[story_id] = story
        self.add(story, features)
        return story

    def add(self, story: StoryState, features: ArticleFeatures) -> None:
        """Add an article to a story: centroid, time span, outlets, representative title."""
        self.add_many(story, [features])

    def add_many(self, story: StoryState, members: list[ArticleFeatures]) -> None:
        """Add articles to a story (one centroid update for all of them)."""
        for features in members:
            if features.time < story.first or story.count == 0:
                story.first_reporter = features.source
            story.first = min(story.first, features.time)
            story.last = max(story.last, features.time)
            story.count += 1
            if features.source:
                story.sources[features.source] = story.sources.get(features.source, 0) + 1
            if story.language is None:
                story.language = features.language
        self.absorb_many(story, members)

    def absorb(self, story: StoryState, features: ArticleFeatures) -> None:
        """Fold an article into a story's centroid and members (see :meth:`absorb_many`)."""
        self.absorb_many(story, [features])

    def absorb_many(self, story: StoryState, members: list[ArticleFeatures]) -> None:
        """Fold articles into a story's centroid and members, not its summary (counts, outlets,
        times): rebuilding from the store, where the summary is already right."""
        if story.id not in self.stories:
            self.stories[story.id] = story
        vectors = [f.vector for f in members if len(f.vector)]
        if vectors:
            ids = np.concatenate([story.ids, *(v.ids for v in vectors)])
            weights = np.concatenate([story.weights, *(v.weights for v in vectors)])
            self._set_centroid(story, ids, weights)
        centroid = story.centroid()
        for features in members:
            story.members.append(features.article_id)
            self._update_representative(story, features, centroid)
        self._touch(story)
        self.active_articles += len(members)

    def merge(self, survivor: StoryState, merged: StoryState) -> None:
        """Fold ``merged`` into ``survivor`` (its id disappears from the index)."""
        self._unindex(merged)
        self.stories.pop(merged.id, None)
        ids = np.concatenate([survivor.ids, merged.ids])
        weights = np.concatenate([survivor.weights, merged.weights])
        self._set_centroid(survivor, ids, weights)
        if merged.first < survivor.first:
            survivor.first_reporter = merged.first_reporter
        survivor.first = min(survivor.first, merged.first)
        survivor.last = max(survivor.last, merged.last)
        survivor.count += merged.count
        survivor.members.extend(merged.members)
        for source, n in merged.sources.items():
            survivor.sources[source] = survivor.sources.get(source, 0) + n
        centroid = survivor.centroid()
        own = survivor.rep_vector.dot(centroid) if survivor.rep_vector is not None else -1.0
        other = merged.rep_vector.dot(centroid) if merged.rep_vector is not None else -1.0
        if other > own:
            survivor.rep_id, survivor.rep_title = merged.rep_id, merged.rep_title
            survivor.rep_vector = merged.rep_vector
        self._touch(survivor)

    def remove(self, story_id: str) -> StoryState | None:
        """Drop a story from memory (it stays in the store)."""
        story = self.stories.pop(story_id, None)
        if story is not None:
            self._unindex(story)
            self.active_articles -= len(story.members)
        return story

    def faded(self, low_time: float) -> list[str]:
        """Stories whose span ended more than a fade window (and a day) before ``low_time``."""
        limit = low_time - self.config.fade_seconds - 86400.0
        return [sid for sid, s in self.stories.items() if s.last < limit]

    def over_budget(self) -> list[str]:
        """Least recently touched stories to drop so the active articles fit the budget."""
        excess = self.active_articles - self.config.max_active_articles
        if excess <= 0:
            return []
        out: list[str] = []
        for story in sorted(self.stories.values(), key=lambda s: s.touched):
            if excess <= 0:
                break
            out.append(story.id)
            excess -= len(story.members)
        return out

    def _set_centroid(self, story: StoryState, ids: np.ndarray, weights: np.ndarray) -> None:
        uniq, inverse = np.unique(ids, return_inverse=True)
        summed = np.bincount(inverse, weights=weights).astype(np.float32)
        k = self.config.centroid_terms
        if len(uniq) > k:
            keep = np.sort(np.argpartition(-summed, k)[:k])
            uniq, summed = uniq[keep], summed[keep]
        # Feature ids fit 32 bits (at most 2**26 buckets): half the memory of int64.
        story.ids, story.weights = uniq.astype(np.int32), summed
        story.norm = float(np.sqrt(np.dot(summed, summed)))
        self._reindex(story)

    def _reindex(self, story: StoryState) -> None:
        k = self.config.index_terms
        if len(story.ids) > k:
            top = story.ids[np.argpartition(-story.weights, k)[:k]]
        else:
            top = story.ids
        top = np.sort(top)
        old = story.indexed
        for term in np.setdiff1d(old, top, assume_unique=True).tolist():
            self._unpost(term, story.id)
        for term in np.setdiff1d(top, old, assume_unique=True).tolist():
            posting = self._postings.get(term)
            if posting is None:
                self._postings[term] = story.id
            elif isinstance(posting, str):
                self._postings[term] = {posting, story.id}
            else:
                posting.add(story.id)
        story.indexed = top

    def _unindex(self, story: StoryState) -> None:
        for term in story.indexed.tolist():
            self._unpost(term, story.id)
        story.indexed = np.zeros(0, np.int32)

    def _unpost(self, term: int, story_id: str) -> None:
        posting = self._postings.get(term)
        if posting is None:
            return
        if isinstance(posting, str):
            if posting == story_id:
                del self._postings[term]
            return
        posting.discard(story_id)
        if len(posting) == 1:
            self._postings[term] = next(iter(posting))

    def _update_representative(self, story: StoryState, features: ArticleFeatures, centroid: SparseVector) -> None:
        score = features.vector.dot(centroid) if len(features.vector) else -1.0
        current = story.rep_vector.dot(centroid) if story.rep_vector is not None else -2.0
        if story.rep_id is None or score > current:
            story.rep_id, story.rep_title = features.article_id, features.title
            story.rep_vector = features.vector if len(features.vector) else None

    def _touch(self, story: StoryState) -> None:
        self._clock += 1
        story.touched = self._clock


# A term heading more than this many active stories names no story (like a stopword): it is
# skipped when gathering candidates, so one common word cannot make the lookup scan thousands.
_MAX_POSTING = 1000


def _same_language(a: str | None, b: str | None) -> bool:
    return a is None or b is None or a == b


def time_penalty(gap_seconds: np.ndarray, config: LinkConfig) -> np.ndarray:
    """``time_weight`` * log1p(gap in days) / log1p(``time_scale_days``), capped at ``time_weight``."""
    days = np.maximum(gap_seconds, 0.0) / 86400.0
    scaled = np.log1p(days) / np.log1p(config.time_scale_days)
    return config.time_weight * np.minimum(1.0, scaled)


def _dots(vec: SparseVector, stories: list[StoryState]) -> np.ndarray:
    """Dot product of ``vec`` with each story's centroid sum, in one vectorised pass."""
    lengths = np.fromiter((len(s.ids) for s in stories), np.int64, len(stories))
    ids = np.concatenate([s.ids for s in stories])
    weights = np.concatenate([s.weights for s in stories])
    if len(ids) == 0 or len(vec.ids) == 0:
        return np.zeros(len(stories))
    pos = np.minimum(np.searchsorted(vec.ids, ids), len(vec.ids) - 1)
    contrib = np.where(vec.ids[pos] == ids, weights * vec.weights[pos], 0.0)
    starts = np.concatenate([[0], np.cumsum(lengths)[:-1]])
    sums = np.add.reduceat(contrib, np.minimum(starts, len(contrib) - 1))
    return np.where(lengths > 0, sums, 0.0)
