"""Revisiting recent decisions: re-cluster the neighbourhood of the stories a batch touched.

A stream decides each article once, on the evidence it has then, so the order articles arrive in
changes the stories: in a shuffled ECB+ stream the first reports of two similar events met before
either story had grown, and stayed mixed. After each batch, each touched story and the active
stories the link model finds close to it (its neighbourhood) are re-clustered from their
members' vectors by the same average link over pair probabilities that groups a batch and that
``relink`` runs over a whole archive. The new clusters then take the old ids (the cluster holding
most of an old story's articles keeps its id; ties go to the older story), moved articles and
vanished stories are recorded, and the centroids are rebuilt exactly from the members.

Only stories whose every member is among the recent articles kept here are revisited (a bounded
cache, so memory does not grow with the active stories): a story reloaded from the store after a
restart, or one larger than the cache, keeps its decisions and is only merged whole.
"""

from __future__ import annotations

from collections import Counter, OrderedDict
from collections.abc import Iterable
from typing import TYPE_CHECKING

import numpy as np

from newsprism.link.grouping import cluster_articles
from newsprism.link.index import StoryState
from newsprism.link.model import vector_features
from newsprism.represent.base import ArticleFeatures
from newsprism.represent.tfidf import HashedTfidf, sum_vectors

if TYPE_CHECKING:
    from newsprism.link.engine import LinkEngine

# A story close enough to be re-clustered with a touched one: the link model's probability of
# one story at least this. Low on purpose: it only widens what average link looks at, the 0.5
# cut decides (0.25: a neighbour that a quarter-confident model links is worth a second look).
NEIGHBOUR_FLOOR = 0.25


class Reviser:
    """Keeps recent articles' vectors and re-clusters touched neighbourhoods.

    Args:
        capacity: recent articles kept (the oldest leave first); a story is revisited only
            while all of its articles are kept.
        max_articles: most articles re-clustered together (a larger neighbourhood is skipped:
            big stories have settled, and the pair matrix grows with the square).

    Attributes:
        tfidf: the stream's TF-IDF (set by the owner): a kept article is weighed again once the
            document frequencies count twice as many articles as when it was last weighed, so
            the first articles of a young store, weighed on a handful of documents, are judged
            again on what the store has learnt since (at most log2(N) times each).
    """

    def __init__(self, capacity: int = 5_000, max_articles: int = 400) -> None:
        self.capacity = capacity
        self.max_articles = max_articles
        self.tfidf: HashedTfidf | None = None
        self._recent: OrderedDict[str, _Kept] = OrderedDict()

    def __len__(self) -> int:
        return len(self._recent)

    def remember(self, batch: Iterable[ArticleFeatures]) -> None:
        """Keep the batch's vectors (a slim copy: no signature or sentences) and raw counts."""
        docs = self.tfidf.n_docs_ if self.tfidf is not None else 0
        for f in batch:
            slim = ArticleFeatures(
                f.article_id, f.source, f.title, f.language, f.time, f.time_note, None,
                _EMPTY_U32, [], f.vector, _EMPTY_I64, f.word_count,
            )
            ids = f.feature_ids.astype(np.int32) if len(f.counts) == len(f.feature_ids) else _EMPTY_I32
            counts = f.counts.astype(np.float16) if len(ids) else _EMPTY_F16
            self._recent[f.article_id] = _Kept(slim, ids, counts, docs)
        while len(self._recent) > self.capacity:
            self._recent.popitem(last=False)

    def forget(self, article_ids: Iterable[str]) -> None:
        """Drop retired articles."""
        for aid in article_ids:
            self._recent.pop(aid, None)

    def revisit(self, engine: LinkEngine, touched: Iterable[str]) -> set[str]:
        """Re-cluster the neighbourhood of each touched story; return the ids of the stories
        that were re-clustered (the caller's merge pass leaves pairs of those alone)."""
        stories = engine.stories
        done: set[str] = set()
        for sid in sorted(touched):
            story = stories.stories.get(sid)
            if story is None or sid in done or not self._revisable(story):
                continue
            known = engine.neighbours.get(sid)
            near = known if known is not None else stories.alike(story)
            current = (stories.stories.get(o.id) for o, p in near if p >= NEIGHBOUR_FLOOR)
            hood = [story] + [
                other for other in current
                if other is not None and other.id != sid and other.id not in done and self._revisable(other)
            ]
            size = 0
            kept = []
            for s in hood:  # best neighbours first: keep what fits
                if size + len(s.members) <= self.max_articles:
                    kept.append(s)
                    size += len(s.members)
            done.update(s.id for s in kept)
            done.update(self._recluster(engine, kept))
        return done

    def _revisable(self, story: StoryState) -> bool:
        return story.count == len(story.members) and all(a in self._recent for a in story.members)

    def _reweigh(self, members: list[str]) -> bool:
        """Weigh again the members weighed on half the documents counted now or fewer."""
        tfidf = self.tfidf
        if tfidf is None:
            return False
        changed = False
        for aid in members:
            kept = self._recent[aid]
            if len(kept.ids) and tfidf.n_docs_ >= 2 * max(1, kept.docs):
                vector = tfidf.vector(kept.ids.astype(np.int64), kept.counts.astype(np.float32))
                kept.features.vector = vector
                kept.docs = tfidf.n_docs_
                changed = True
        return changed

    def _recluster(self, engine: LinkEngine, hood: list[StoryState]) -> list[str]:
        """Re-cluster the articles of ``hood``; apply and record the changes; return the ids of
        the stories it leaves."""
        members = [aid for s in hood for aid in s.members]
        reweighed = self._reweigh(members)
        if len(hood) < 2 and not reweighed:
            return [s.id for s in hood]  # no neighbour, nothing weighed anew: the story stands
        feats = [self._recent[aid].features for aid in members]
        old_of = [engine.story_of[aid] for aid in members]
        tied = _duplicate_pairs(engine, members)
        labels = cluster_articles(feats, tied, engine.config, engine.model)
        kept = _held(engine, feats, old_of, labels)
        if kept:  # the join decision still holds for these: they stay with their story
            labels = cluster_articles(feats, tied + kept, engine.config, engine.model)
        clusters: dict[int, list[int]] = {}
        for i, label in enumerate(labels.tolist()):
            clusters.setdefault(label, []).append(i)
        old = {s.id: s for s in hood}
        before = sorted(sorted(s.members) for s in hood)
        if not reweighed and sorted(sorted(members[i] for i in c) for c in clusters.values()) == before:
            return [s.id for s in hood]  # nothing changed
        named = _assign(list(clusters.values()), old_of, old)
        for s in hood:
            engine.stories.remove(s.id)
        out = []
        for idx, keep_id in named:
            group = [feats[i] for i in idx]
            group.sort(key=lambda f: f.time)
            if keep_id is not None:
                state = engine.stories.create(keep_id, old[keep_id].seq, group[0])
            else:
                state = engine.open_story(group[0])
            engine.stories.add_many(state, group[1:])
            for i in idx:
                aid = members[i]
                engine.story_of[aid] = state.id
                if old_of[i] != state.id:  # (open_story already points its founder at the new id)
                    engine.changes.moves.append((aid, state.id))
            engine.changes.touched.add(state.id)
            out.append(state.id)
        for sid in set(old) - set(out):  # a story none of the clusters kept: record where it went
            took = Counter(engine.story_of[aid] for aid in old[sid].members).most_common(1)[0][0]
            engine.changes.merges.append((took, sid, "revised"))
            engine.changes.touched.discard(sid)
        return out


class _Kept:
    """A kept article: slim features, raw counts and the document count it was weighed on."""

    __slots__ = ("counts", "docs", "features", "ids")

    def __init__(self, features: ArticleFeatures, ids: np.ndarray, counts: np.ndarray, docs: int) -> None:
        self.features, self.ids, self.counts, self.docs = features, ids, counts, docs


def _assign(
    clusters: list[list[int]], old_of: list[str], old: dict[str, StoryState]
) -> list[tuple[list[int], str | None]]:
    """Each new cluster with the old story id it keeps (None: a new story). Largest overlaps
    first; an old id goes to one cluster only; ties to the older story."""
    offers = []
    for c, idx in enumerate(clusters):
        for sid, n in Counter(old_of[i] for i in idx).items():
            offers.append((-n, old[sid].seq, c, sid))
    offers.sort()
    taken: dict[int, str] = {}
    used: set[str] = set()
    for _, _, c, sid in offers:
        if c not in taken and sid not in used:
            taken[c] = sid
            used.add(sid)
    return [(idx, taken.get(c)) for c, idx in enumerate(clusters)]


def _held(
    engine: LinkEngine, feats: list[ArticleFeatures], old_of: list[str], labels: np.ndarray
) -> list[tuple[int, int]]:
    """Pairs tying each article that the re-clustering would take from its story to that story,
    when the link model still finds the article and the rest of its story one story (the
    decision that put it there): an article moves only when the story-level judgement agrees
    with the average link."""
    by_story: dict[str, list[int]] = {}
    for i, sid in enumerate(old_of):
        by_story.setdefault(sid, []).append(i)
    pairs: list[tuple[int, int]] = []
    for idx in by_story.values():
        if len(idx) < 2:
            continue
        main = Counter(int(labels[i]) for i in idx).most_common(1)[0][0]
        for i in idx:
            if int(labels[i]) == main:
                continue
            rest = [feats[j] for j in idx if j != i]
            if _fits(engine, feats[i], rest) >= engine.config.link_threshold:
                pairs.append((i, next(j for j in idx if j != i)))
    return pairs


def _fits(engine: LinkEngine, article: ArticleFeatures, rest: list[ArticleFeatures]) -> float:
    """The link model's probability that ``article`` and the articles ``rest`` are one story."""
    texts = sum(1 for f in rest if len(f.vector))
    if not len(article.vector) or not texts:
        return 0.0
    x = vector_features(article.vector, sum_vectors([f.vector for f in rest]), 1.0, float(texts))
    times = [f.time for f in rest]
    gap = max(0.0, min(times) - article.time, article.time - max(times))
    dated = article.dated and all(f.dated for f in rest)
    return float(engine.model.probability(x, gap, dated)[0])


def _duplicate_pairs(engine: LinkEngine, members: list[str]) -> list[tuple[int, int]]:
    """Index pairs of members in one duplicate group (they stay together)."""
    first: dict[str, int] = {}
    pairs = []
    for i, aid in enumerate(members):
        group = engine.duplicates.group_of(aid)
        if group is None:
            continue
        if group in first:
            pairs.append((first[group], i))
        else:
            first[group] = i
    return pairs


_EMPTY_U32 = np.zeros(0, np.uint32)
_EMPTY_I64 = np.zeros(0, np.int64)
_EMPTY_I32 = np.zeros(0, np.int32)
_EMPTY_F16 = np.zeros(0, np.float16)
