"""In-memory index of the active stories: centroids, time spans and an inverted index of terms.

Candidate stories for an article come from the inverted index (a story's heaviest centroid terms
point at it), never from a scan of all stories; only those few candidates are scored, in one
vectorised pass. A story leaves the index when it fades (its time span ended long before the
stream's current times) or when the memory budget is spent (least recently touched first).

Memory is what bounds a long stream, so the index is compact: a story's centroid is one packed
``bytes`` (:mod:`newsprism.link.state`), its representative article keeps only its terms that are
in the centroid as (position, float16 weight) pairs (3 bytes a term), the inverted index holds
8-byte postings by story slot (:mod:`newsprism.link.postings`), and one numpy row per slot holds
what filtering, scoring and the retire scans read. Stories get slots from a free list, so all of
it follows the active stories. On the generated stream of benchmarks/linking_speed.py (~3.3
articles a story) the index and the engine's article -> story map hold ~700 bytes per active
article (tracemalloc; ~2,100 with dicts, sets and numpy arrays per story).
"""

from __future__ import annotations

import numpy as np

from newsprism.link import firsts
from newsprism.link.config import LinkConfig
from newsprism.link.model import (
    FEATURES,
    NAME_BIT,
    LinkModel,
    load_link_model,
    part_norms,
    set_features,
)
from newsprism.link.postings import Postings
from newsprism.link.state import NO_TERMS, TERM, RepCodec, StoryState, pack, unpack
from newsprism.represent.base import ArticleFeatures
from newsprism.represent.tfidf import SparseVector

__all__ = ["StoryIndex", "StoryState"]


class StoryIndex:
    """Active stories with their centroids, and the term -> stories inverted index.

    Args:
        config: link settings (term counts, candidates, fade window).
    """

    def __init__(self, config: LinkConfig, model: LinkModel | None = None) -> None:
        self.config = config
        self.model = model if model is not None else load_link_model(config.model_path)
        self.stories: dict[str, StoryState] = {}
        self.active_articles = 0
        self._postings = Postings()
        self._slots: list[StoryState | None] = []
        self._free: list[int] = []
        # Per slot, mirrored from the story at every change: what candidate filtering, scoring
        # and the retire scans read, without touching the story objects.
        self._table = np.zeros(64, _SLOT)
        self._languages: dict[str | None, int] = {None: -1}
        self._forgotten = 0  # stories removed since ``stories`` was last rebuilt
        self._clock = 0
        self._rep = RepCodec(config.centroid_terms)

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
        """Stories a group of ``count`` articles may join, with the link model's probability,
        best first (see :meth:`candidate_slots` for which stories are looked at).

        ``vector_sum`` is the sum of the group's unit vectors; a ``dated`` group has publication
        dates, not ingest times.
        """
        slots = self.candidate_slots(vector_sum, first, last, language, dated)
        return self._score(vector_sum, count, first, last, slots, dated)

    def alike(self, story: StoryState) -> list[tuple[StoryState, float]]:
        """Other stories with the link model's probability that they tell ``story``'s story,
        best first (stories of another language, or beyond the fade window, excluded)."""
        vec = SparseVector(story.ids, story.weights)
        slots = self.candidate_slots(vec, story.first, story.last, story.language, True, story.slot)
        return self._score(vec, len(story.members), story.first, story.last, slots)

    def _hits(self, vec: SparseVector, exclude: int) -> np.ndarray:
        """Slots of the stories sharing the heaviest terms of ``vec``, most shared weight first
        (ties: the story met at the heavier query term first)."""
        top = np.argsort(-vec.weights)[: self.config.query_terms]
        slots, term_of = self._postings.lookup(vec.ids[top], _MAX_POSTING)
        if exclude >= 0:
            keep = slots != exclude
            slots, term_of = slots[keep], term_of[keep]
        if len(slots) < 2:
            return slots
        # One sort by (slot, query term rank): each slot's run starts at its heaviest term.
        order = np.argsort(slots * len(top) + term_of)
        slots, term_of = slots[order], term_of[order]
        starts = np.flatnonzero(np.concatenate(([True], slots[1:] != slots[:-1])))
        shared = np.add.reduceat(vec.weights[top].astype(np.float64)[term_of], starts)
        return slots[starts][np.lexsort((term_of[starts], -shared))]

    def _score(
        self, vec: SparseVector, count: int, first: float, last: float, slots: np.ndarray,
        dated: bool = True,
    ) -> list[tuple[StoryState, float]]:
        """The stories in ``slots`` with the link model's probability that they tell the story
        of ``vec`` (a sum of ``count`` unit vectors), best first."""
        picked, feats, gap = self.features(vec, count, first, last, slots)
        if not picked:
            return []
        scores = self.model.probability(feats, gap, dated)
        order = np.argsort(-scores, kind="stable")
        return [(picked[i], float(scores[i])) for i in order.tolist()]

    def features(
        self, vec: SparseVector, count: int, first: float, last: float, slots: np.ndarray
    ) -> tuple[list[StoryState], np.ndarray, np.ndarray]:
        """The stories in ``slots``, the link model's features of each against ``vec`` (a sum
        of ``count`` unit vectors spanning ``first`` .. ``last``) and the time gaps (seconds)."""
        if len(slots) == 0:
            return [], np.zeros((0, len(FEATURES))), np.zeros(0)
        picked: list[StoryState] = [self._slots[i] for i in slots.tolist()]  # type: ignore[misc]
        row = self._table[slots]
        word, name, story_norms = _dots(vec, picked, row["norm"], row["named"].astype(np.float64))
        feats = set_features(
            word, name, part_norms(vec.ids, vec.weights), story_norms, max(1, count), np.maximum(1, row["size"])
        )
        gap = np.maximum(0.0, np.maximum(row["first"] - last, first - row["last"]))
        return picked, feats, gap

    def candidate_slots(
        self, vector_sum: SparseVector, first: float, last: float, language: str | None,
        dated: bool = True, exclude: int = -1,
    ) -> np.ndarray:
        """Slots of the stories a set spanning ``first`` .. ``last`` may join: sharing one of
        its heaviest terms, of a compatible language, within the fade window when ``dated``."""
        if len(vector_sum) == 0:
            return np.zeros(0, np.int64)
        fade = self.config.fade_seconds if dated else float("inf")
        slots = self._hits(vector_sum, exclude=exclude)
        if len(slots) == 0:
            return slots
        row = self._table[slots]
        ok = (row["first"] - fade <= last) & (first <= row["last"] + fade)
        code = self._languages.get(language, -2)
        if code != -1:
            ok &= (row["lang"] == code) | (row["lang"] == -1)
        return slots[ok][: self.config.max_candidates]

    def create(self, story_id: str, seq: int, features: ArticleFeatures) -> StoryState:
        """Open a new story holding one article."""
        story = StoryState(
            story_id, seq, first=features.time, last=features.time, language=features.language
        )
        self._register(story)
        self.add(story, features)
        return story

    def add(self, story: StoryState, features: ArticleFeatures) -> None:
        """Add an article to a story: centroid, time span, outlets, representative title."""
        self.add_many(story, [features])

    def add_many(self, story: StoryState, members: list[ArticleFeatures]) -> None:
        """Add articles to a story (one centroid update for all of them)."""
        for features in members:
            story.firsts = firsts.add(
                story.firsts, features.time, features.dated, features.source, features.article_id
            )
            story.first = min(story.first, features.time)
            story.last = max(story.last, features.time)
            story.count += 1
            if features.source:
                story.sources[features.source] = story.sources.get(features.source, 0) + 1
            if story.language is None:
                story.language = features.language
        story.first_reporter = firsts.reporter(story.firsts, story.count)
        self.absorb_many(story, members)

    def absorb(self, story: StoryState, features: ArticleFeatures) -> None:
        """Fold an article into a story's centroid and members (see :meth:`absorb_many`)."""
        self.absorb_many(story, [features])

    def absorb_many(self, story: StoryState, members: list[ArticleFeatures]) -> None:
        """Fold articles into a story's centroid and members, not its summary (counts, outlets,
        times): rebuilding from the store, where the summary is already right. A story not yet
        in the index joins it."""
        if story.slot < 0:
            self._register(story)
        vectors = [f.vector for f in members if len(f.vector)]
        if vectors:
            ids, unit = unpack(story.terms)
            ids = np.concatenate([ids, *(v.ids for v in vectors)])
            weights = np.concatenate([unit * np.float32(story.norm), *(v.weights for v in vectors)])
            self._set_centroid(story, ids, weights)
        terms = np.frombuffer(story.terms, TERM)
        ids, unit = terms["i"], terms["w"].astype(np.float32)
        for features in members:
            story.members.append(features.article_id)
            self._update_representative(story, features, ids, unit)
        self._touch(story)
        self.active_articles += len(members)

    def merge(self, survivor: StoryState, merged: StoryState) -> None:
        """Fold ``merged`` into ``survivor`` (its id disappears from the index)."""
        self._unregister(merged)
        other_rep = self._rep.decode(merged)
        ids = np.concatenate([survivor.ids, merged.ids])
        weights = np.concatenate([survivor.weights, merged.weights])
        self._set_centroid(survivor, ids, weights)
        survivor.firsts = firsts.merge(survivor.firsts, merged.firsts)
        survivor.first = min(survivor.first, merged.first)
        survivor.last = max(survivor.last, merged.last)
        survivor.count += merged.count
        survivor.first_reporter = firsts.reporter(survivor.firsts, survivor.count)
        survivor.members.extend(merged.members)
        for source, n in merged.sources.items():
            survivor.sources[source] = survivor.sources.get(source, 0) + n
        terms = np.frombuffer(survivor.terms, TERM)
        unit = terms["w"].astype(np.float32)
        other_terms = self._rep.encode(*other_rep, terms["i"]) if other_rep is not None else None
        own = self._rep.score(survivor.rep_terms, unit, -1.0)
        if self._rep.score(other_terms, unit, -1.0) > own + _REP_MARGIN:
            survivor.rep_id, survivor.rep_title = merged.rep_id, merged.rep_title
            survivor.rep_terms = other_terms
        self._touch(survivor)

    def remove(self, story_id: str) -> StoryState | None:
        """Drop a story from memory (it stays in the store)."""
        story = self.stories.get(story_id)
        if story is not None:
            self._unregister(story)
            self.active_articles -= len(story.members)
        return story

    def faded(self, low_time: float) -> list[str]:
        """Stories whose span ended more than a fade window (and a day) before ``low_time``."""
        limit = low_time - self.config.fade_seconds - 86400.0
        slots = np.flatnonzero(self._table["last"][: len(self._slots)] < limit)
        return [s.id for s in (self._slots[i] for i in slots.tolist()) if s is not None]

    def over_budget(self) -> list[str]:
        """Least recently touched stories to drop so the active articles fit the budget."""
        excess = self.active_articles - self.config.max_active_articles
        if excess <= 0:
            return []
        touched = self._table["touched"][: len(self._slots)]
        # Each story holds at least one article: the oldest ``excess`` stories are enough.
        oldest = (
            np.argpartition(touched, excess)[:excess]
            if excess < len(touched)
            else np.arange(len(touched))
        )
        out: list[str] = []
        for slot in oldest[np.argsort(touched[oldest], kind="stable")].tolist():
            story = self._slots[slot]
            if story is None:
                continue
            if excess <= 0:
                break
            out.append(story.id)
            excess -= len(story.members)
        return out

    # -- internals ----------------------------------------------------------------------------

    def _register(self, story: StoryState) -> None:
        """Give a story a slot (a free one first, so the slot arrays follow the active stories)."""
        self.stories[story.id] = story
        if self._free:
            slot = self._free.pop()
            self._slots[slot] = story
        else:
            slot = len(self._slots)
            self._slots.append(story)
            if slot >= len(self._table):
                self._table = np.concatenate(
                    [self._table, np.zeros(len(self._table) // 2 + 1, _SLOT)]
                )
        story.slot = slot
        self._mirror(story)
        if story.terms:
            self._reindex(story)

    def _unregister(self, story: StoryState) -> None:
        if self.stories.pop(story.id, None) is not None:
            self._forgotten += 1
            if self._forgotten > len(self.stories):  # see LinkEngine.retire: a dict never shrinks
                self.stories = dict(self.stories)
                self._forgotten = 0
        if story.slot < 0:
            return
        self._postings.drop(story.slot)
        self._slots[story.slot] = None
        # A free slot is never faded, never over budget.
        self._table[story.slot] = (np.inf, np.inf, 0.0, np.iinfo(np.int64).max, 0, -1, 0.0)
        self._free.append(story.slot)
        story.slot = -1

    def _set_centroid(self, story: StoryState, ids: np.ndarray, weights: np.ndarray) -> None:
        """Keep the heaviest ``centroid_terms`` of a centroid sum, packed; re-map the
        representative's terms onto them; re-post the heaviest if they changed."""
        rep = self._rep.decode(story)
        posted = self._top(story.terms)
        order = np.argsort(ids, kind="stable")
        ids = ids[order]
        starts = np.flatnonzero(np.concatenate(([True], ids[1:] != ids[:-1])))
        uniq, summed = ids[starts], np.add.reduceat(weights[order].astype(np.float64), starts)
        k = self.config.centroid_terms
        if len(uniq) > k:
            keep = np.sort(np.argpartition(-summed, k)[:k])
            uniq, summed = uniq[keep], summed[keep]
        norm = float(np.sqrt(np.dot(summed, summed)))
        unit = (summed / norm if norm > 0 else summed).astype(np.float16)
        # Feature ids fit 32 bits (at most 2**26 buckets): half the memory of int64.
        story.terms = pack(uniq, unit)
        story.norm = norm
        if rep is not None:
            story.rep_terms = self._rep.encode(rep[0], rep[1], uniq)
        top = self._top(story.terms)
        # A grown story's heaviest terms often stay the same: then its postings stay too.
        if story.slot >= 0 and not np.array_equal(top, posted):
            self._postings.set_terms(story.slot, top)

    def _reindex(self, story: StoryState) -> None:
        """Post the story's heaviest centroid terms (its older postings lapse)."""
        self._postings.set_terms(story.slot, self._top(story.terms))

    def _top(self, terms: bytes) -> np.ndarray:
        """The ids of the heaviest ``index_terms`` of a packed centroid, sorted."""
        arr = np.frombuffer(terms, TERM)
        k = self.config.index_terms
        if len(arr) <= k:
            return arr["i"]
        return np.sort(arr["i"][np.argpartition(-arr["w"].astype(np.float32), k)[:k]])

    def _update_representative(
        self, story: StoryState, features: ArticleFeatures, ids: np.ndarray, unit: np.ndarray
    ) -> None:
        """Keep the member closest to the centroid (``ids``, ``unit`` weights) as representative."""
        vec = features.vector
        score, pos, hit = -1.0, None, None
        if len(vec) and len(ids):
            pos = np.minimum(np.searchsorted(ids, vec.ids), len(ids) - 1)
            hit = ids[pos] == vec.ids
            score = float(np.dot(vec.weights[hit], unit[pos[hit]]))
        if (
            story.rep_id is None
            or score > self._rep.score(story.rep_terms, unit, -2.0) + _REP_MARGIN
        ):
            story.rep_id, story.rep_title = features.article_id, features.title
            story.rep_terms = None
            if len(vec):
                story.rep_terms = (
                    self._rep.pack(pos[hit], vec.weights[hit]) if pos is not None else NO_TERMS
                )

    def _touch(self, story: StoryState) -> None:
        self._clock += 1
        self._mirror(story)

    def _mirror(self, story: StoryState) -> None:
        """Copy what the vectorised scans read into the story's slot row."""
        if story.slot < 0:
            return
        lang = self._languages.setdefault(story.language, len(self._languages))
        terms = np.frombuffer(story.terms, TERM)
        w = terms["w"].astype(np.float32)
        named = terms["i"] >= NAME_BIT
        self._table[story.slot] = (
            story.first,
            story.last,
            story.norm,
            self._clock,
            len(story.members),
            lang,
            float(np.dot(w[named], w[named])),
        )


# A new member (or a merged story's representative) replaces the representative only when its
# cosine with the centroid is higher by more than this. Two members of a two-article story always
# tie (each has the same cosine with their sum), and float16 rounding (~1e-4 on a cosine) must not
# decide ties: the first member keeps the title. On a 20,000-article generated stream, stories
# of 3+ articles got the same title as with float32 full vectors and no margin in 99.3% (1e-3:
# 96.4%); ECB+ (82 stories of 3+ articles): all but 1.
_REP_MARGIN = 2e-4

# A term heading more than this many active stories names no story (like a stopword): it is
# skipped when gathering candidates, so one common word cannot make the lookup scan thousands.
_MAX_POSTING = 1000


# One row per story slot (see StoryIndex._mirror); language is a small code, -1 for none.
_SLOT = np.dtype(
    [
        ("first", "<f8"),
        ("last", "<f8"),
        ("norm", "<f8"),
        ("touched", "<i8"),
        ("size", "<i4"),
        ("lang", "<i4"),
        ("named", "<f4"),  # the names' share of the unit centroid's squared norm
    ]
)


def _dots(
    vec: SparseVector, stories: list[StoryState], norms: np.ndarray, named: np.ndarray
) -> tuple[np.ndarray, np.ndarray, tuple[np.ndarray, np.ndarray]]:
    """Word and name parts of the dot product of ``vec`` with each story's centroid sum (unit
    centroid times ``norms``), and the word and name norms of each sum (from the names' share
    ``named`` of the unit centroid), in one vectorised pass: one search of all the stories' terms
    among the vector's, the float16 weights converted only where a term matches."""
    n = len(stories)
    name_norm = np.sqrt(np.clip(named, 0.0, 1.0)) * norms
    word_norm = np.sqrt(np.clip(1.0 - named, 0.0, 1.0)) * norms
    terms = np.frombuffer(b"".join([s.terms for s in stories]), TERM)
    query = vec.ids.astype(np.int32)  # feature ids fit 32 bits; same type as the stored ids
    if len(terms) == 0 or len(query) == 0:
        zero = np.zeros(n)
        return zero, zero, (word_norm, name_norm)
    ids = terms["i"]
    pos = np.searchsorted(query, ids)
    np.minimum(pos, len(query) - 1, out=pos)
    hit = np.flatnonzero(query[pos] == ids)
    contrib = terms["w"][hit].astype(np.float32) * vec.weights[pos[hit]]
    ends = np.cumsum(np.fromiter((len(s.terms) for s in stories), np.int64, n) // TERM.itemsize)
    owner = np.searchsorted(ends, hit, side="right")
    is_name = ids[hit] >= NAME_BIT
    word = np.bincount(owner[~is_name], weights=contrib[~is_name], minlength=n) * norms
    name = np.bincount(owner[is_name], weights=contrib[is_name], minlength=n) * norms
    return word, name, (word_norm, name_norm)
