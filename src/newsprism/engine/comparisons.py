"""Story comparisons prepared ahead of the reader: chosen, versioned, stored, resumable.

Comparing a story's articles costs seconds (analysis, sentence vectors, every pair aligned), so
the web server should never do it while a reader waits. :func:`prepare_comparisons` walks the
stories after an ingest (``newsprism prepare``, or the server's background worker), compares
each one whose stored comparison is missing or stale, and stores the result with the version of
its inputs:

* **inputs' version** -- a hash of the story's article ids, the analyses the comparison read,
  and :data:`PREPARED_FORMAT`. A story that gains, loses or re-analyses an article has a new
  version, so its stored comparison no longer counts (invalidation needs no bookkeeping);
* **bounded** -- a story of more than :data:`MAX_COMPARED` articles is compared on the ones a
  reader can read: the most central (closest to what the whole story reports) and the most
  distinct (least like those already chosen); the stored record says which and why, and the page
  says so. Pairs grow with the square of the articles: 12 give 66 pairs, 400 would give 79,800;
* **resumable** -- each story is stored in its own transaction, so a run that is stopped (or
  runs out of its ``budget``) leaves what it finished, and the next run goes on from there.

What is stored is what the page and the API show (the page products are built by ``build``),
as compressed JSON in the store (:mod:`newsprism.engine.cache`), not in the server's memory.
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from newsprism.engine.cache import ComparisonCache, PreparedComparison, comparison_cache
from newsprism.errors import ConfigError, NewsprismError
from newsprism.link import boilerplate
from newsprism.model import Article

logger = logging.getLogger(__name__)

#: Articles compared per story. A page shows six side by side; twelve give the page its six and
#: the facts panel a wider base. On the 2-core reference machine a 12-article story compares in
#: a few seconds (66 pairs); the old cap of 40 (780 pairs) took 13-39 s.
MAX_COMPARED = 12
#: Bumped when what is stored changes shape (older records then count as stale).
PREPARED_FORMAT = "prepared-1"
#: Weight of centrality against distinctness when choosing articles (maximal marginal
#: relevance; 0.5 weighs them equally: a wire copy republished ten times is picked once).
CENTRALITY_WEIGHT = 0.5

Build = Callable[[Any, Sequence[Article], Sequence[Article]], dict[str, Any]]


@dataclass(frozen=True, slots=True)
class Selection:
    """Which articles of a story are compared, and the note that says so."""

    compared: tuple[Article, ...]
    total: int
    note: str = ""


@dataclass(slots=True)
class PrepareReport:
    """What one :func:`prepare_comparisons` run did."""

    prepared: int = 0
    fresh: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)
    remaining: int = 0
    seconds: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        """Plain-JSON form."""
        return {
            "prepared": self.prepared,
            "fresh": self.fresh,
            "failed": [{"story_id": s, "error": e} for s, e in self.failed],
            "remaining": self.remaining,
            "seconds": round(self.seconds, 2),
        }


def select_articles(articles: Sequence[Article], limit: int = MAX_COMPARED) -> Selection:
    """The articles of a story worth comparing: all of them, or ``limit`` chosen for being
    central and distinct (TF-IDF cosine, maximal marginal relevance), in time order.

    Args:
        articles: the story's articles.
        limit: how many to keep (2 or more).

    Returns:
        The :class:`Selection`, with a note when articles were left out.

    Raises:
        ConfigError: ``limit`` is not an integer of 2 or more.
    """
    if isinstance(limit, bool) or not isinstance(limit, int) or limit < 2:
        raise ConfigError(f"limit: expected an integer >= 2, got {limit!r}")
    articles = list({a.id: a for a in articles}.values())
    if len(articles) <= limit:
        return Selection(tuple(_by_time(articles)), len(articles))
    sims = _similarities(articles)
    centrality = (sims.sum(axis=1) - 1.0) / (len(articles) - 1)
    chosen = [int(np.argmax(centrality))]
    closest = sims[chosen[0]].copy()
    outlets = {articles[chosen[0]].source}
    while len(chosen) < limit:
        gain = CENTRALITY_WEIGHT * centrality - (1 - CENTRALITY_WEIGHT) * closest
        # a second article from an outlet already chosen says less than a new voice
        gain -= np.array([0.05 if a.source in outlets else 0.0 for a in articles])
        gain[chosen] = -np.inf
        pick = int(np.argmax(gain))
        chosen.append(pick)
        closest = np.maximum(closest, sims[pick])
        outlets.add(articles[pick].source)
    note = (
        f"{limit} of {len(articles)} articles compared: the most central (closest to what the "
        "whole story reports) and the most distinct (least like those already chosen); the "
        "others are listed below"
    )
    return Selection(tuple(_by_time([articles[i] for i in chosen])), len(articles), note)


def _similarities(articles: Sequence[Article]) -> np.ndarray:
    """Cosine similarities of the articles' TF-IDF vectors (title and opening)."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    texts = [f"{a.title}\n{a.body[:3000]}" for a in articles]
    try:
        matrix = TfidfVectorizer(sublinear_tf=True).fit_transform(texts)
    except ValueError:  # no words at all: every article is as good as another
        return np.eye(len(articles))
    return np.asarray((matrix @ matrix.T).todense())


def _by_time(articles: Sequence[Article]) -> list[Article]:
    return sorted(articles, key=lambda a: (a.published is None, a.published and a.published.isoformat() or "", a.id))


def input_version(store: Any, articles: Sequence[Article | str]) -> str:
    """The version of a story comparison's inputs: its articles and their stored analyses.

    Args:
        store: the store (its analysis versions are read when it keeps analyses).
        articles: every article of the story (articles or their ids).
    """
    ids = sorted(a if isinstance(a, str) else a.id for a in articles)
    digest = hashlib.sha256(PREPARED_FORMAT.encode())
    digest.update("\n".join(ids).encode())
    digest.update(repr(_analysis_versions(store, ids)).encode())
    return digest.hexdigest()[:24]


def _analysis_versions(store: Any, ids: Sequence[str]) -> list[tuple[str, str]]:
    execute = getattr(store, "execute", None)
    if not callable(execute) or not ids:
        return []
    found: list[tuple[str, str]] = []
    for start in range(0, len(ids), 500):
        chunk = list(ids[start : start + 500])
        marks = ",".join("?" * len(chunk))
        try:
            rows = execute(
                f"SELECT article_id, version FROM analyses WHERE article_id IN ({marks})", chunk
            ).fetchall()
        except NewsprismError:  # a store without the analysis tables
            return []
        found.extend((str(r[0]), str(r[1])) for r in rows)
    return sorted(found)


def prepare_story(
    store: Any,
    story: Any,
    articles: Sequence[Article],
    *,
    build: Build,
    cache: ComparisonCache | None = None,
    limit: int = MAX_COMPARED,
) -> PreparedComparison:
    """Compare one story now (on its selected articles) and store the result.

    Args:
        store: the store.
        story: the story (its ``id`` keys the record).
        articles: all of its articles.
        build: ``build(story, compared, all_articles)`` -> the page products (plain JSON).
        cache: where records go (default: the store's).
        limit: see :func:`select_articles`.

    Returns:
        The stored record: ``ready``, or ``failed`` when the inputs cannot be compared (an
        input error; bugs raise instead, and nothing is stored for them).
    """
    cache = cache or comparison_cache(store)
    story_id = str(getattr(getattr(story, "story", story), "id", story))
    version = input_version(store, articles)
    selection = select_articles(articles, limit)
    started = time.perf_counter()
    try:
        data = build(story, selection.compared, articles)
        status, error, reason = "ready", "", ""
    except NewsprismError as exc:
        reason = str(getattr(exc, "reason", "") or "")
        if not reason:
            raise
        data, status, error = {}, "failed", str(getattr(exc, "message", exc))
    record = PreparedComparison(
        story_id=story_id,
        version=version,
        status=status,
        compared=tuple(a.id for a in selection.compared),
        total=selection.total,
        note=selection.note,
        data=data,
        error=error,
        reason=reason,
        seconds=time.perf_counter() - started,
    )
    cache.put(record)
    return record


def prepare_comparisons(
    store: Any,
    *,
    build: Build | None = None,
    cache: ComparisonCache | None = None,
    max_stories: int | None = None,
    budget: float | None = None,
    limit: int = MAX_COMPARED,
) -> PrepareReport:
    """Prepare every story whose stored comparison is missing or stale, newest first.

    Args:
        store: a store that keeps stories.
        build: makes the stored page products (default: the web pages' own,
            :func:`newsprism.present.prepared.page_products`).
        cache: where records go (default: the store's own table).
        max_stories: prepare at most this many stories in this run.
        budget: stop starting new stories after this many seconds.
        limit: articles compared per story (see :func:`select_articles`).

    Returns:
        The :class:`PrepareReport` (``remaining``: stale stories left for the next run).
    """
    if build is None:
        from newsprism.present.prepared import page_products

        build = _with_store(page_products, store)
    cache = cache or comparison_cache(store)
    report, started = PrepareReport(), time.perf_counter()
    for story_id in _story_ids(store):
        ids = [link.article_id for link in store.story_articles(story_id)]
        if len(ids) < 2:
            continue
        if cache.version(story_id) == input_version(store, ids):  # no article is read
            report.fresh += 1
            continue
        spent = time.perf_counter() - started
        if (max_stories is not None and report.prepared + len(report.failed) >= max_stories) or (
            budget is not None and spent >= budget
        ):
            report.remaining += 1
            continue
        record = _prepare_logged(store, story_id, articles_of(store, story_id), build, cache, limit)
        if record is not None and record.status == "ready":
            report.prepared += 1
        else:
            report.failed.append((story_id, record.error if record else "bug (logged)"))
    cache.prune(set(_story_ids(store)))
    report.seconds = time.perf_counter() - started
    return report


def _prepare_logged(
    store: Any, story_id: str, articles: Sequence[Article], build: Build,
    cache: ComparisonCache, limit: int,
) -> PreparedComparison | None:
    """:func:`prepare_story`, with a bug logged (and the run going on) instead of raised."""
    try:
        return prepare_story(store, story_id, articles, build=build, cache=cache, limit=limit)
    except Exception:
        logger.exception("preparing the comparison of story %s failed", story_id)
        return None


def _with_store(fn: Callable[..., dict[str, Any]], store: Any) -> Build:
    def build(story: Any, compared: Sequence[Article], every: Sequence[Article]) -> dict[str, Any]:
        return fn(store, story, compared, every)

    return build


def _story_ids(store: Any) -> list[str]:
    """Ids of the stories with two or more articles, most recently active first."""
    lister = getattr(store, "list_stories", None)
    if not callable(lister):
        raise ConfigError(f"prepare_comparisons needs a store that keeps stories, got {type(store).__name__}")
    return [s.id for s in lister() if getattr(s, "article_count", 2) >= 2 and not s.merged_into]


def articles_of(store: Any, story_id: str) -> list[Article]:
    """The stored articles of a story, as comparisons see them (site boilerplate set apart)."""
    return [boilerplate.view(store, store.get_article(link.article_id)) for link in store.story_articles(story_id)]
