"""Streaming linking: the ingest batch hook that puts each new article into a story.

The linker keeps the active stories (those inside the fade window, within a memory budget) in
memory and writes every decision to the store in the batch's transaction. A new process that
opens an existing store rebuilds that memory from the store, cheaply: only stories active in the
fade window before the newest stored story time are reloaded (at most 64 recent articles each,
within the memory budget). When the
store's link generation is not the one this linker last wrote (another process linked, a relink
ran, or a batch rolled back), it rebuilds too.
"""

from __future__ import annotations

import logging
import time as _time
from array import array
from collections import deque
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta

import numpy as np

from newsprism.errors import NotFound
from newsprism.link import boilerplate, firsts
from newsprism.link.config import LinkConfig
from newsprism.link.engine import Changes, LinkEngine
from newsprism.link.index import StoryState
from newsprism.model import Article, DuplicateMember, Story, StoryArticle, StoryMerge
from newsprism.represent.base import ArticleFeatures
from newsprism.represent.features import LinkRepresenter, PreparedText
from newsprism.represent.worker import PendingBatch, PrepareWorker
from newsprism.storage.base import Store
from newsprism.storage.stories import StoryStore, story_store

logger = logging.getLogger(__name__)

BatchHook = Callable[[Store, list[Article]], None]

# Members reloaded per active story when rebuilding: enough for its centroid and for finding
# duplicates among its recent articles; the story summary itself comes from the store.
_RELOAD_MEMBERS = 64


def story_id_for(article_id: str) -> str:
    """The id of a story opened by this article (its first article): ``s`` + 11 id characters."""
    return "s" + article_id[:11]


class StreamingLinker:
    """Links each new article to an existing story or a new one; use as an ingest hook.

    Args:
        config: thresholds and sizes (default :class:`LinkConfig`).
        clock: the ingest time given to undated articles (default: now, UTC).
        record_latency: keep each article's link time in seconds in :attr:`latencies`.
        worker: read batches' texts in a second process while the store writes them (see
            :mod:`newsprism.represent.worker`); default: when the machine has a second core.
            Only batches of 32 articles or more go to the worker.
    """

    def __init__(
        self,
        config: LinkConfig | None = None,
        *,
        clock: Callable[[], datetime] | None = None,
        record_latency: bool = False,
        worker: bool | None = None,
    ) -> None:
        self.config = config or LinkConfig()
        use_worker = PrepareWorker.available() if worker is None else worker
        self._worker = PrepareWorker(LinkRepresenter()) if use_worker else None
        # Batches sent to the worker, oldest first: (article ids, future).
        self._prepared: deque[tuple[list[str], PendingBatch]] = deque()
        self._clock = clock or (lambda: datetime.now(UTC))
        self.record_latency = record_latency
        self.latencies = array("d")  # 8 bytes an article (a list of floats costs 40)
        self.worker_articles = 0  # articles whose text the worker process read
        self._own: dict[str, tuple[float, float]] = {}
        self._engine: LinkEngine | None = None
        self._representer: LinkRepresenter | None = None
        self._store: StoryStore | None = None
        self._generation = -1
        self._lines = boilerplate.OutletLines(None)  # each outlet's site-boilerplate line keys
        self._bp_version: dict[str, int] = {}  # outlet -> times its boilerplate grew
        self._stripped_at: dict[str, int] = {}  # article sent to the worker -> that version

    def __call__(self, store: Store, articles: list[Article]) -> None:
        """The batch hook: link ``articles`` (already added to ``store`` in this transaction).

        Raises:
            ConfigError: the store keeps no stories (not a newsprism backend).
        """
        self.link(story_store(store), articles)

    def prepare(self, articles: Sequence[Article]) -> None:
        """Start reading a batch's texts in the worker process; :meth:`link` collects the result.

        The ingest pipeline calls this one batch ahead (before it writes and links the previous
        batch), so the worker reads while this process writes and links.
        """
        if self._worker is None:
            return
        texts = []
        for a in articles:  # leave out the boilerplate known so far (link() checks it still holds)
            known = self._lines.known(a.source)
            if known:
                a = boilerplate.strip(a, known)
                self._stripped_at[a.id] = self._bp_version.get(a.source or "", 0)
            texts.append((a.title, a.body))
        future = self._worker.submit(texts)
        if future is not None:
            self._prepared.append(([a.id for a in articles], future))
            while len(self._prepared) > 4:  # announced but never linked: forget the oldest
                self._prepared.popleft()[1].cancel()

    @property
    def worker_pid(self) -> int | None:
        """The link worker process's id while one runs."""
        return self._worker.pid if self._worker is not None else None

    def close(self) -> None:
        """Stop the worker process, if one runs."""
        self._prepared.clear()
        if self._worker is not None:
            self._worker.close()

    def link(self, store: StoryStore, articles: Sequence[Article]) -> list[StoryArticle]:
        """Link articles and write the decisions to ``store``; return their story links."""
        if not articles:
            return []
        engine, representer = self._state(store)
        try:
            now = self._clock()
            started = _time.perf_counter()
            prepared = self._take_prepared(articles)
            keys = [boilerplate.line_keys(a) if a.source else [] for a in articles]
            texts = [
                self._prepare(representer, a, prepared.get(a.id), self._lines(a.source), k)
                for a, k in zip(articles, keys, strict=True)
            ]
            # The whole batch joins the document frequencies before any of its weights are
            # computed (as relink does), so an article's weights do not depend on its place in
            # the batch: the first articles of a fresh store were weighed on themselves alone.
            observed = [t[0].ids for t in texts if t is not None and len(t[0].ids)]
            for ids in observed:
                representer.tfidf.observe(ids)
            features = [
                self._represent(representer, article, now, text) for article, text in zip(articles, texts, strict=True)
            ]
            self._load_window(store, engine, representer, features)
            decisions = engine.link_batch(features)
            if self.record_latency:
                self._record(started, features)
            links = [
                StoryArticle(
                    article_id=f.article_id,
                    story_id=d.story_id,
                    time=datetime.fromtimestamp(f.time, UTC),
                    time_note=f.time_note,
                    reason=d.reason,
                    score=d.score,
                )
                for f, d in zip(features, decisions, strict=True)
            ]
            _persist(store, engine, engine.take_changes(), links)
            self._count_lines(store, articles, keys, links)
            low = min(f.time for f in features)
            # What a new process needs to carry on as this one would: the document frequencies
            # and the time below which stories retire.
            if observed:
                features_seen, counts = np.unique(np.concatenate(observed), return_counts=True)
                store.add_link_counts(features_seen.tolist(), counts.tolist(), len(observed))
            store.raise_link_watermark(low)
            engine.retire(store.link_watermark() or low)
            representer.trim()
            self._generation = store.bump_link_generation()
        except BaseException:
            self._engine = None  # memory may be ahead of the store now: rebuild on next use
            raise
        return links

    def _take_prepared(self, articles: Sequence[Article]) -> dict[str, tuple[PreparedText, float]]:
        """The worker's prepared features of these articles by id (with the seconds each took
        there): the announced batches up to the one holding them; empty when none was sent or
        the worker failed (they are then prepared here)."""
        wanted = {a.id for a in articles}
        out: dict[str, tuple[PreparedText, float]] = {}
        while self._prepared and self._worker is not None and not wanted.issubset(out):
            ids, future = self._prepared[0]
            if out and wanted.isdisjoint(ids):
                break  # a later batch's: leave it for the next call
            self._prepared.popleft()
            result = self._worker.result(future)
            if result is None:
                self._prepared.clear()
                break
            out.update((aid, (p, sec)) for aid, p, sec in zip(ids, *result, strict=True))
        self.worker_articles += len(wanted.intersection(out))
        return out

    def _load_window(
        self, store: StoryStore, engine: LinkEngine, representer: LinkRepresenter, features: list[ArticleFeatures]
    ) -> None:
        """Bring back from the store the stories that dated articles older than the memory's
        window may belong to: which stories an article can join depends on its own time, not on
        what arrived before it (an archive read out of date order, or a second run)."""
        watermark = store.link_watermark()
        dated = [f.time for f in features if f.dated]
        if watermark is None or not dated:
            return
        held_from = watermark - 86400.0  # memory holds every story ending after held_from - fade
        old = [t for t in dated if t < held_from]
        if not old:
            return
        fade = self.config.fade_seconds
        start = datetime.fromtimestamp(min(old) - fade - 86400.0, UTC)
        end = datetime.fromtimestamp(min(max(old), held_from) + fade, UTC)
        wanted = [s for s in store.stories_between(start, end) if s.id not in engine.stories]
        if wanted:
            load_stories(store, engine, representer, wanted)

    def _count_lines(
        self, store: StoryStore, articles: Sequence[Article], keys: list[list[int]], links: list[StoryArticle]
    ) -> None:
        """Count each article's lines under its outlet and story (site-boilerplate detection)."""
        by_outlet: dict[str, list[tuple[int, str]]] = {}
        for article, lines, link in zip(articles, keys, links, strict=True):
            if article.source:
                by_outlet.setdefault(article.source, []).extend((k, link.story_id) for k in set(lines) if k)
        for outlet, sightings in by_outlet.items():
            became = store.count_site_lines(outlet, sightings, boilerplate.MIN_STORIES)
            if became:
                self._lines.grow(outlet, became)
                self._bp_version[outlet] = self._bp_version.get(outlet, 0) + 1

    def _prepare(
        self,
        representer: LinkRepresenter,
        article: Article,
        prepared: tuple[PreparedText, float] | None,
        site_lines: set[int] = frozenset(),  # type: ignore[assignment]
        keys: Sequence[int] = (),
    ) -> tuple[PreparedText, float] | None:
        """The article's text features: the worker's, else read here (None when that fails).
        An article holding its outlet's boilerplate lines is read without them: the worker's
        reading counts when it left out the same lines (the outlet's boilerplate has not grown
        since)."""
        sent = self._stripped_at.pop(article.id, None)
        if site_lines and site_lines.intersection(keys):
            if prepared is not None and sent == self._bp_version.get(article.source or "", 0):
                return prepared
            article = boilerplate.strip(article, site_lines, keys)
        elif prepared is not None and sent is None:
            return prepared
        start = _time.perf_counter()
        try:
            text = representer.prepare(article.title, article.body)
        except Exception:  # a featurizer bug must not end the batch: the article stays alone
            logger.exception("reading article %s failed; it stays a singleton", article.id)
            return None
        return text, -(_time.perf_counter() - start)  # negative: time spent in this process

    def _represent(
        self,
        representer: LinkRepresenter,
        article: Article,
        now: datetime,
        prepared: tuple[PreparedText, float] | None,
    ) -> ArticleFeatures:
        start = _time.perf_counter()
        elsewhere = 0.0
        try:
            if prepared is None:
                raise ValueError("no text features")
            features = representer.finish(article, prepared[0], now=now, observe=False)
            elsewhere = max(0.0, prepared[1])
            start += min(0.0, prepared[1])  # reading here counts as this process's time
        except Exception:  # a featurizer bug must not end the batch: the article stays alone
            logger.exception("representing article %s failed; it stays a singleton", article.id)
            features = _fallback_features(article, now)
        if self.record_latency:
            self._own[features.article_id] = (_time.perf_counter() - start, elsewhere)
        return features

    def _record(self, started: float, features: list[ArticleFeatures]) -> None:
        """Per-article latency: its own representation time (in the worker and here) plus an
        equal share of the batch's linking work (grouping, candidate scoring) that it waited for."""
        total = _time.perf_counter() - started
        own = [self._own.pop(f.article_id, (0.0, 0.0)) for f in features]
        shared = max(0.0, total - sum(here for here, _ in own)) / len(features)
        self.latencies.extend(here + elsewhere + shared for here, elsewhere in own)

    def _state(self, store: StoryStore) -> tuple[LinkEngine, LinkRepresenter]:
        generation = store.link_generation()
        if (
            self._engine is None
            or self._representer is None
            or store is not self._store
            or generation != self._generation
        ):
            self._engine, self._representer = rebuild(store, self.config, self._clock())
            self._engine.reviser.tfidf = self._representer.tfidf
            self._lines, self._bp_version, self._stripped_at = boilerplate.OutletLines(store), {}, {}
            self._store = store
            self._generation = generation
        return self._engine, self._representer

    @property
    def engine(self) -> LinkEngine | None:
        """The in-memory state (None before the first batch)."""
        return self._engine


def make_link_hook(store: Store | None = None, config: LinkConfig | None = None) -> StreamingLinker:
    """The streaming linker as an ingest batch hook: ``ingest(..., hooks=[make_link_hook(store)])``.

    Args:
        store: the store the hook will link into; when given, its active stories are loaded now
            (otherwise on the first batch).
        config: link settings.

    Returns:
        A callable ``hook(store, articles)`` (a :class:`StreamingLinker`).
    """
    linker = StreamingLinker(config)
    if store is not None:
        linker._state(story_store(store))
    return linker


def rebuild(store: StoryStore, config: LinkConfig, now: datetime) -> tuple[LinkEngine, LinkRepresenter]:
    """Fresh in-memory state holding the store's active stories (those inside the fade window)."""
    started = _time.perf_counter()
    representer = LinkRepresenter()
    engine = LinkEngine(
        config,
        lambda features: story_id_for(features.article_id),
        next_seq=store.next_story_seq(),
        is_taken=lambda story_id: _story_exists(store, story_id),
    )
    features, counts, docs = store.link_counts()
    if docs:
        representer.tfidf.df_[np.asarray(features, np.int64)] = counts
        representer.tfidf.n_docs_ = docs
    engine.reviser.tfidf = representer.tfidf
    active = _active_stories(store, config)
    loaded = load_stories(store, engine, representer, active, observe=not docs)
    logger.info(
        "link state rebuilt: %d stories, %d articles in %.2fs",
        len(active), loaded, _time.perf_counter() - started,
    )
    return engine, representer


def load_stories(
    store: StoryStore, engine: LinkEngine, representer: LinkRepresenter, stories: Sequence[Story],
    *, observe: bool = False,
) -> int:
    """Put stored stories into the engine (their latest members' features re-read, weighed on
    the current document frequencies; with ``observe``, counted into them: a store written before
    they were kept). Returns how many articles were read."""
    lines = boilerplate.OutletLines(store)
    loaded = 0
    for story in stories:
        if story.id in engine.stories:
            continue
        links = store.story_articles(story.id)[-_RELOAD_MEMBERS:]
        members = []
        for link in links:
            try:
                article = store.get_article(link.article_id)
            except NotFound:
                continue
            article = boilerplate.strip(article, lines(article.source))
            members.append(representer.represent(article, now=link.time, observe=observe))
        groups = {
            m.article_id: g.id
            for g in store.duplicate_groups([x.article_id for x in links])
            for m in g.members
        }
        engine.restore(_state_from(story), members, groups)
        engine.reviser.remember(members)  # revisited like the stream's own, when all reloaded
        loaded += len(members)
    return loaded


def _active_stories(store: StoryStore, config: LinkConfig) -> list[Story]:
    """The stories the uninterrupted stream would still hold: those whose time span reaches into
    the fade window (and a day) before the stored retire watermark (a store from before the
    watermark: before the newest story time)."""
    watermark = store.link_watermark()
    if watermark is not None:
        since = datetime.fromtimestamp(watermark, UTC) - config.fade_after - timedelta(days=1)
    else:
        newest = store.list_stories(limit=1)
        if not newest or newest[0].last_published is None:
            return []
        since = newest[0].last_published - config.fade_after - timedelta(days=1)
    picked: list[Story] = []
    budget = config.max_active_articles
    for story in store.list_stories(since=since):
        budget -= min(story.article_count, _RELOAD_MEMBERS)
        if budget < 0:
            break
        picked.append(story)
    return list(reversed(picked))


def _state_from(story: Story) -> StoryState:
    first = story.first_published.timestamp() if story.first_published else 0.0
    last = story.last_published.timestamp() if story.last_published else first
    state = StoryState(
        id=story.id,
        seq=story.seq,
        ids=np.zeros(0, np.int64),
        weights=np.zeros(0, np.float32),
        norm=0.0,
        first=first,
        last=last,
        first_reporter=story.first_reporter,
        rep_title=story.title,
    )
    state.sources = {s: 1 for s in story.sources}
    state.count = story.article_count
    state.firsts = firsts.stored(story.first_published.timestamp() if story.first_published else None,
                                 story.first_reporter)
    return state


def _story_exists(store: StoryStore, story_id: str) -> bool:
    return store.has_story(story_id)


def _persist(store: StoryStore, engine: LinkEngine, changes: Changes, links: list[StoryArticle]) -> None:
    """Write a batch's decisions: links, merges (with history), stories, duplicate groups."""
    s = store  # the story methods come from the storage mixins
    now = datetime.now(UTC).replace(microsecond=0)
    s.save_story_articles(links)
    for survivor, merged, reason in changes.merges:
        s.move_story_articles(merged, survivor)
        s.record_merge(StoryMerge(survivor, merged, reason, now))
        s.save_stories([_merged_record(s, merged, survivor, engine)])
    moved = {aid: sid for aid, sid in changes.moves}  # re-clustered: the last move wins
    if moved:
        s.save_story_articles([
            StoryArticle(link.article_id, moved[link.article_id], link.time, link.time_note, "revised", link.score)
            for aid in moved if (link := s.story_article(aid)) is not None
        ])
    live = [engine.stories.stories[sid] for sid in changes.touched if sid in engine.stories]
    s.save_stories([summary(state) for state in live])
    for old, new in changes.group_renames:
        s.rename_duplicate_group(old, new)
    by_group: dict[str, list[DuplicateMember]] = {}
    for aid, group, kind, jaccard, matched in changes.duplicate_members:
        by_group.setdefault(group, []).append(DuplicateMember(aid, kind, jaccard, matched))
    for group, members in by_group.items():
        s.save_duplicate_members(group, members)


def _merged_record(store: StoryStore, merged: str, survivor: str, engine: LinkEngine) -> Story:
    if store.has_story(merged):
        old = store.get_story_record(merged)
        return Story(old.id, old.title, old.article_count, old.sources, old.first_published,
                     old.last_published, old.first_reporter, old.seq, survivor)
    state = engine.stories.stories.get(survivor)  # opened and merged within this batch
    title = state.rep_title if state is not None else ""
    return Story(merged, title, 0, (), None, None, None, 0, survivor)


def summary(state: StoryState) -> Story:
    """The stored summary of an in-memory story."""
    return Story(
        id=state.id,
        title=state.rep_title,
        article_count=state.count,
        sources=tuple(state.sources),
        first_published=datetime.fromtimestamp(state.first, UTC),
        last_published=datetime.fromtimestamp(state.last, UTC),
        first_reporter=state.first_reporter,
        seq=state.seq,
    )


def _fallback_features(article: Article, now: datetime) -> ArticleFeatures:
    from newsprism.represent.base import NullRepresenter

    features = NullRepresenter().represent(article, now=now)
    features.notes.append("represent_failed")
    return features
