"""What the web server asks of the library, behind one object that knows which stages exist.

The REST API and the web pages are thin: every answer comes from a library function. Some stages
(linking, analysis, comparison, report) are optional parts of a build; :class:`Services` looks
each one up once, when the app is created, and the routes answer ``501`` (API) or show a marked
placeholder (web) for the parts that are missing, so the server runs on any subset of the stages.

No function here touches the file system with anything that comes from a request.
"""

from __future__ import annotations

import importlib
import logging
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from newsprism.config import IngestOptions
from newsprism.errors import ConfigError, InputError, NewsprismError
from newsprism.model import Article, IngestReport, RawDocument, Rejected
from newsprism.normalize.base import normalize
from newsprism.pipeline import BatchHook, ingest_articles
from newsprism.present.jobs import Jobs, JobState
from newsprism.storage.base import Store

logger = logging.getLogger(__name__)

#: Optional stage functions, looked up by ``module:attribute``.
_OPTIONAL: dict[str, str] = {
    "stories": "newsprism.link:stories",
    "get_story": "newsprism.link:get_story",
    "link_hook": "newsprism.link:make_link_hook",
    "analyze_pending": "newsprism.analyze:analyze_pending",
    "analysis": "newsprism.analyze:analysis_for_show",
    "report": "newsprism.report:story_report",
    "compare": "newsprism.compare.pair:compare",
    "compare_story": "newsprism.compare.story:compare_story",
    "similarity": "newsprism.compare.similarity:similarity",
    "reuse": "newsprism.compare.reuse:find_passages",
}
#: Story list orders.
SORTS = ("newest", "biggest")
#: Entries kept per cache (story highlights are the costly part of a story page).
CACHE_SIZE = 512


class Unavailable(NewsprismError):
    """A stage this request needs is not part of this build (the API answers 501)."""


def _lookup(spec: str) -> Callable[..., Any] | None:
    module, _, name = spec.partition(":")
    try:
        found = getattr(importlib.import_module(module), name, None)
    except ImportError:
        return None
    except Exception:  # a half-written stage must not take the whole server down
        logger.exception("importing %s failed; the feature stays off", module)
        return None
    return found if callable(found) else None


@dataclass
class Services:
    """The store and the optional stage functions the server uses.

    Args:
        store: where articles (and stories, analyses) live.
        stages: name -> function; built by :meth:`discover` (tests may pass their own).
    """

    store: Store
    stages: dict[str, Callable[..., Any]] = field(default_factory=dict)
    jobs: Jobs = field(default_factory=Jobs, repr=False)
    _caches: dict[str, OrderedDict[Any, Any]] = field(default_factory=dict, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _prepared: Any = field(default=None, repr=False)
    #: Prepare stale comparisons in the background after start-up and writes (``serve`` does).
    ahead: bool = False

    def version(self) -> tuple[Any, ...]:
        """What changes whenever a page could: the store's link generation and article stamp.

        Both are read from the store (so writes by another process count too). The stamp is the
        store's ``write_stamp()`` where it has one (an index lookup; ``count(*)`` took ~0.2 ms
        at 10,000 articles and grows with the store), else the article count.
        """
        generation = getattr(self.store, "link_generation", None)
        stamp = getattr(self.store, "write_stamp", None)
        count = stamp() if callable(stamp) else self.store.count_articles()
        return (generation() if callable(generation) else None, count)

    def memo(self, cache: str, key: Any, compute: Callable[[], Any]) -> Any:
        """``compute()``, remembered under ``key`` until :meth:`version` changes.

        Args:
            cache: which cache (each holds :data:`CACHE_SIZE` entries).
            key: what identifies the value besides the store version.
            compute: makes the value on a miss.
        """
        full = (self.version(), key)
        hit = self.cache_get(cache, full)
        if hit is not None:
            return hit
        value = compute()
        self.cache_put(cache, full, value)
        return value

    def cache_get(self, cache: str, key: Any) -> Any:
        """A cached value, or None (least-recently-used caches of :data:`CACHE_SIZE` entries)."""
        with self._lock:
            entries = self._caches.get(cache)
            if entries is None or key not in entries:
                return None
            entries.move_to_end(key)
            return entries[key]

    def cache_put(self, cache: str, key: Any, value: Any) -> None:
        """Remember a value (dropping the least recently used beyond :data:`CACHE_SIZE`)."""
        with self._lock:
            entries = self._caches.setdefault(cache, OrderedDict())
            entries[key] = value
            entries.move_to_end(key)
            while len(entries) > CACHE_SIZE:
                entries.popitem(last=False)

    def clear_caches(self) -> None:
        """Forget every cached value (after a write; comparisons, keyed by their articles,
        stay valid and are kept)."""
        with self._lock:
            self._caches.clear()

    def close(self) -> None:
        """Stop background work (app shutdown)."""
        self.jobs.close()
        if self._prepared is not None:
            self._prepared.close()

    @classmethod
    def discover(cls, store: Store) -> Services:
        """Look every optional stage up once and keep those that import."""
        stages = {name: fn for name, spec in _OPTIONAL.items() if (fn := _lookup(spec))}
        if "stories" in stages and callable(getattr(store, "list_stories", None)):
            stages["list_stories"] = _store_lister(store)
        missing = sorted(set(_OPTIONAL) - set(stages))
        if missing:
            logger.info("server runs without: %s", ", ".join(missing))
        return cls(store, stages)

    def has(self, name: str) -> bool:
        """Whether the optional stage function ``name`` is available."""
        return name in self.stages

    def features(self) -> dict[str, bool]:
        """What this server can answer, for ``/api/health`` and the pages."""
        return {
            "stories": self.has("stories") and self.has("get_story"),
            "linking": self.has("link_hook"),
            "analysis": self.has("analysis"),
            "report": self.has("report"),
            "compare": self.has("compare"),
            "story_comparison": self.has("compare_story"),
            "similarity": self.has("similarity"),
            "highlights": self.has("highlights") or self.has("reuse"),
        }

    def _stage(self, name: str, what: str) -> Callable[..., Any]:
        fn = self.stages.get(name)
        if fn is None:
            raise Unavailable(f"{what} is not available in this build of newsprism")
        return fn

    # -- writes -------------------------------------------------------------------------------

    def store_items(self, items: Sequence[Article | Rejected]) -> IngestReport:
        """Store normalised articles (linking them into stories) and record the rejections.

        Returns:
            The ingest report; rejections are stored and listed in it.
        """
        articles = [a for a in items if isinstance(a, Article)]
        hooks: list[BatchHook] = []
        if "link_hook" in self.stages:
            hooks.append(self.stages["link_hook"](self.store))
        report = ingest_articles(articles, self.store, hooks=hooks)
        if report.ingested:
            self.clear_caches()
            if self.ahead:
                self.prepare_ahead()
        rejected = [r for r in items if isinstance(r, Rejected)]
        if rejected:
            with self.store.session():
                for r in rejected:
                    self.store.add_rejected(r)
            report.rejected.extend(rejected)
        return report

    def analyze_new(self) -> None:
        """Queue the analysis stage for articles that lack it (after a write; runs in the
        background worker, in this process, one run at a time)."""
        fn = self.stages.get("analyze_pending")
        if fn is None:
            return
        store = self.store
        self.jobs.submit(("analyze", self.version()), lambda: fn(store, workers=1, progress=False))

    # -- reads --------------------------------------------------------------------------------

    def analysis(self, article: Article) -> dict[str, Any] | None:
        """The stored analysis of ``article`` as plain JSON, or None without the stage."""
        fn = self.stages.get("analysis")
        return None if fn is None else fn(self.store, article)

    def stories(
        self,
        *,
        since: datetime | None = None,
        until: datetime | None = None,
        source: str | None = None,
        sort: str = "newest",
    ) -> list[Any]:
        """Stories filtered by time and outlet, newest (latest article) or biggest first.

        Args:
            since: keep stories with an article at or after this time.
            until: keep stories that started before this time.
            source: keep stories this outlet covered.
            sort: ``"newest"`` or ``"biggest"`` (most articles; newest among equals).

        Raises:
            Unavailable: no linking stage.
            ConfigError: unknown ``sort``.
        """
        if sort not in SORTS:
            raise ConfigError(f"sort must be one of {', '.join(SORTS)}, got {sort!r}")
        lister = self.stages.get("list_stories")
        if lister is not None:
            found = list(lister(since=since, source=source))
        else:
            found = list(self._stage("stories", "story linking")(self.store, since=since, source=source))
        if until is not None:
            found = [s for s in found if (_story_time(s, "first") or until) < until]
        newest = sorted(found, key=lambda s: _sort_time(_story_time(s, "last")), reverse=True)
        if sort == "biggest":
            return sorted(newest, key=_count, reverse=True)
        return newest

    def stories_window(
        self, *, since: datetime | None, source: str | None, limit: int, offset: int
    ) -> tuple[list[Any], int] | None:
        """One page of stories, latest activity first, straight from the store, with the total.

        None when the store cannot page stories itself (then :meth:`stories` lists them all).
        """
        lister = self.stages.get("list_stories")
        if lister is None:
            return None
        items = list(lister(since=since, source=source, limit=limit, offset=offset))
        counter = getattr(self.store, "count_stories", None)
        if since is None and source is None and callable(counter):
            return items, int(counter())
        return items, len(lister(since=since, source=source))

    def story(self, story_id: str) -> Any:
        """One story by id.

        Raises:
            Unavailable: no linking stage.
            NotFound: unknown id.
        """
        return self._stage("get_story", "story linking")(self.store, story_id)

    def story_articles(self, story: Any) -> list[Article]:
        """The stored articles of a story, oldest first (undated last).

        The ids are ``story.article_ids`` when the story carries them, else the store's
        story links.
        """
        entries = getattr(story, "articles", None)
        if entries and all(hasattr(e, "article") for e in entries):  # a link.StoryView
            found = [e.article for e in entries]
            return sorted(found, key=lambda a: (a.published is None, _sort_time(a.published)))
        ids: Iterable[str] = getattr(story, "article_ids", None) or ()
        links = getattr(self.store, "story_articles", None)
        if not ids and callable(links) and getattr(story, "id", None) is not None:
            ids = [link.article_id for link in links(story.id)]
        found = [self.store.get_article(i) for i in ids]
        return sorted(found, key=lambda a: (a.published is None, _sort_time(a.published)))

    def story_of(self, article: Article) -> str | None:
        """The id of the story ``article`` belongs to, when linking recorded one."""
        lookup = getattr(self.store, "story_article", None)
        if not callable(lookup) or not self.features()["stories"]:
            return None
        link = lookup(article.id)
        return None if link is None else str(link.story_id)

    def story_comparison(
        self, story: Any, articles: Sequence[Article], *, wait: float = 0.0
    ) -> JobState:
        """The story's prepared comparison; queued in the background when missing or stale.

        Args:
            story: the story.
            articles: all its articles (two or more); their ids and analyses version it.
            wait: seconds to wait for one that is not ready yet.

        Returns:
            ``ready`` with the :class:`~newsprism.engine.cache.PreparedComparison`,
            ``pending``, or ``failed`` with the error.

        Raises:
            Unavailable: no comparison stage.
        """
        self._stage("compare_story", "story comparison")
        return self.prepared().state(story, articles, wait=wait)  # type: ignore[no-any-return]

    def prepared(self) -> Any:
        """The :class:`~newsprism.present.prepared.PreparedStories` of this server."""
        from newsprism.present.prepared import PreparedStories

        with self._lock:
            if self._prepared is None:
                self._prepared = PreparedStories(self)
            return self._prepared

    def prepare_ahead(self) -> None:
        """Queue the preparation of every stale story comparison (after start-up and writes)."""
        if self.has("compare_story") and callable(getattr(self.store, "list_stories", None)):
            self.prepared().sweep()

    def report(self, story: Any, comparison: Any = None) -> dict[str, Any]:
        """The story report (timeline, summary, coverage, conflicts) as plain JSON.

        Args:
            story: the story.
            comparison: its finished story comparison, when there is one (the report then
                reuses it instead of comparing the articles itself).

        Raises:
            Unavailable: no report stage.
        """
        fn = self._stage("report", "the story report")
        if comparison is None:
            return _plain(fn(self.store, story))
        return _plain(fn(self.store, story, comparison=comparison))

    def compare(self, a: Article, b: Article) -> dict[str, Any]:
        """The comparison of two articles as plain JSON.

        Raises:
            Unavailable: no comparison stage.
        """
        result = self._stage("compare", "article comparison")(a, b)
        return _plain(result)

    def similarity(self, text1: str, text2: str) -> dict[str, Any]:
        """Similarity of two texts as plain JSON.

        Raises:
            Unavailable: no similarity model.
        """
        fn = self._stage("similarity", "text similarity")
        try:
            result = fn(text1, text2)
        except InputError as exc:
            if exc.reason != "empty":
                raise
            # Two strings are a valid question; "no words, no similarity" is its answer.
            return {"scores": None, "reasons": {}, "detail": str(exc.message)}
        return _plain(result)


def _store_lister(store: Any) -> Callable[..., list[Any]]:
    """Story records (no articles) paged by the store itself: the fast way to list stories."""

    def list_stories(
        *, since: datetime | None = None, source: str | None = None,
        limit: int | None = None, offset: int = 0,
    ) -> list[Any]:
        return list(store.list_stories(since=since, source=source, limit=limit, offset=offset))

    return list_stories


def normalize_record(obj: dict[str, Any], ref: str, options: IngestOptions) -> Article | Rejected:
    """A posted JSON article -> Article or Rejected, with the same rules as a JSONL line."""
    from newsprism.ingest.jsonl import record_fields

    text, fields = record_fields(obj)
    if not text or not text.strip():
        return Rejected(ref, "ingest", "missing_field", "the article has no text")
    return normalize(RawDocument(ref=ref, kind="record", text=text, fields=fields), options)


def normalize_raw(
    text: str, kind: str, ref: str, options: IngestOptions, url: str | None
) -> Article | Rejected:
    """Posted plain text or HTML -> Article or Rejected."""
    fields = {"url": url} if url else {}
    return normalize(RawDocument(ref=ref, kind=kind, text=text, fields=fields), options)


def _plain(result: Any) -> dict[str, Any]:
    if hasattr(result, "to_dict"):
        result = result.to_dict()
    if not isinstance(result, dict):
        return {"value": result}
    return result


def _story_time(story: Any, which: str) -> datetime | None:
    story = getattr(story, "story", story)
    value = getattr(story, which, None) or getattr(story, f"{which}_published", None)
    return value if isinstance(value, datetime) else None


def _sort_time(value: datetime | None) -> float:
    from newsprism.storage.schema import timestamp

    return timestamp(value) or 0.0


def _count(story: Any) -> int:
    story = getattr(story, "story", story)
    return int(getattr(story, "article_count", 0) or len(getattr(story, "article_ids", ()) or ()))
