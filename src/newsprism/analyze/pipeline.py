"""Analysis over a store: incremental, in batches, over both cores.

:func:`analyze_pending` finds stored articles without a current analysis (none yet, or one made
by another analyzer version), analyses them in worker processes (each loads its own models once),
and commits each batch of results in one store session. It runs after ingest, so ingest itself
stays fast; a killed run loses at most the batches not yet committed, and the next run (of
``analyze_pending``, ``reanalyze --missing`` or ``ingest``) resumes.

One article never stops the batch: when the analyzer fails on it, or its result cannot be
stored, the failure is recorded in the store with its reason (``store.failures()``), the article
stays stored and linked, and later runs leave it alone until the analyzer version changes or
``failed=True`` (``newsprism reanalyze --failed``) retries it.
"""

from __future__ import annotations

import functools
import logging
import multiprocessing
import sys
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any, Protocol

from newsprism.analyze.analyzer import Analyzer
from newsprism.analyze.base import AnalyzerConfig, ArticleAnalyzer
from newsprism.model import Analysis
from newsprism.errors import ConfigError
from newsprism.model import Article, Rejected
from newsprism.storage.base import Store, analysis_store

logger = logging.getLogger(__name__)

# Below this many pending articles one process is quicker than starting workers (a worker needs
# ~3 s to import spaCy and load the models; one process analyses ~15-20 articles/s).
MIN_PARALLEL = 60

Progress = Callable[[int], None]
"""Called with the number of articles just analysed."""


class PartitionStream(Protocol):
    """What the analysis asks of an engine (:mod:`newsprism.engine`; stages never import it):
    ``fn`` of each partition, yielded in order while the next ones run."""

    def imap_partitions(
        self, fn: Callable[[list[Any]], list[Any]], parts: Iterable[list[Any]]
    ) -> Iterator[list[Any]]: ...


STAGE = "analyze"
Outcome = Analysis | Rejected
"""An article's analysis, or its failure (``Rejected(article id, "analyze", reason, detail)``)."""


def analyze_pending(
    store: Store,
    *,
    workers: int = 2,
    batch_size: int = 32,
    progress: bool | Progress | None = None,
    analyzer: ArticleAnalyzer | None = None,
    config: AnalyzerConfig | None = None,
    force: bool = False,
    failed: bool = False,
    on_failure: Callable[[Rejected], object] | None = None,
    engine: PartitionStream | None = None,
) -> int:
    """Analyse the stored articles that lack a current analysis; return how many were analysed.

    Articles whose analysis fails are not counted; each failure is recorded in the store (and
    given to ``on_failure``), and the run goes on.

    Args:
        store: a store with analysis support (SQLiteStore, MemoryStore).
        workers: processes to use (1 = in this process).
        batch_size: articles per worker task and per store transaction.
        progress: a progress bar (True), none (False), a bar when stderr is a terminal (None),
            or a callable given each batch's size.
        analyzer: the analyzer for in-process runs (default: ``Analyzer(config)``); worker
            processes build their own from ``analyzer.config`` (or ``config``).
        config: analyzer settings when no analyzer is given.
        force: re-analyse every article, current or not (after a model upgrade).
        failed: analyse only the articles whose analysis failed before (a retry).
        on_failure: called with each article's failure.
        engine: run the batches on this engine's workers (``newsprism.engine``'s ``DaskEngine``;
            each worker loads the models once) instead of ``workers`` local processes; this
            process still reads the articles and writes each batch's results as it comes back.

    Raises:
        ConfigError: ``workers`` or ``batch_size`` out of range.
    """
    _check(workers, batch_size)
    if analyzer is None:
        analyzer = default_analyzer() if config is None else Analyzer(config)
    ids = _pending_ids(store, analyzer.version, force=force, failed=failed)
    if not ids:
        return 0
    saver = _Saver(store, analyzer.version, _progress(progress, len(ids)), on_failure)
    batches = [ids[i:i + batch_size] for i in range(0, len(ids), batch_size)]
    worker_config = getattr(analyzer, "config", config)
    if engine is not None and isinstance(worker_config, AnalyzerConfig):
        _run_engine(store, worker_config, batches, engine, saver)
    elif workers == 1 or len(ids) < MIN_PARALLEL or not isinstance(worker_config, AnalyzerConfig):
        _run_local(store, analyzer, batches, saver)
    else:
        _run_pool(store, worker_config, batches, min(workers, len(batches)), saver)
    logger.info("analysed %d articles, %d failed", saver.done, saver.failed)
    return saver.done


def _pending_ids(store: Store, version: str, *, force: bool, failed: bool) -> list[str]:
    """The ids one run works on: every article, the failed ones, or those lacking an analysis."""
    if force:
        return analysis_store(store).ids_needing_analysis(None)
    if failed:
        return analysis_store(store).ids_failed(STAGE)
    return analysis_store(store).ids_needing_analysis(version)


def analysis_for_show(store: Store, article: Article, *,
                      analyzer: ArticleAnalyzer | None = None) -> dict[str, Any]:
    """The analysis of a stored article as plain JSON (``newsprism show ID --analysis``).

    Analyses it now, and stores the result, when the store has none.

    Returns:
        ``article_id, version, language, notes, sentences, entities, places, times,
        attributions, figures, agencies``; offsets point into the article body.
    """
    kept = analysis_store(store)
    analysis = kept.get_analysis(article.id)
    if analysis is None:
        analysis = analyze_articles(analyzer or default_analyzer(), [article])[0]
        kept.save_analysis(analysis)
    result: dict[str, Any] = analysis.to_dict()
    return result


@functools.lru_cache(maxsize=1)
def default_analyzer() -> Analyzer:
    """The process's analyzer with default settings; models load on first use and stay loaded."""
    return Analyzer()


def analyze_articles(analyzer: ArticleAnalyzer, articles: Sequence[Article]) -> list[Analysis]:
    """Analyse a batch (no store); an article that makes the analyzer fail gets an empty result
    whose note says why."""
    return [
        item if isinstance(item, Analysis)
        else Analysis(item.ref, analyzer.version, article.language,
                      notes=(f"analysis failed: {item.detail}",))
        for item, article in zip(analyze_outcomes(analyzer, articles), articles, strict=True)
    ]


def analyze_outcomes(analyzer: ArticleAnalyzer, articles: Sequence[Article]) -> list[Outcome]:
    """Analyse a batch: each article's analysis, or a ``Rejected`` saying why it failed.

    The batch is analysed at once; when that fails, article by article, so one bad article
    costs only itself.
    """
    try:
        results = analyzer.analyze_many(articles)
        if len(results) == len(articles):
            return list(results)
        logger.error("the analyzer returned %d results for %d articles", len(results),
                     len(articles))
    except Exception:  # an analyzer bug must not stop the batch: find the article, record it
        logger.exception("batch analysis failed; analysing its %d articles one by one",
                         len(articles))
    out: list[Outcome] = []
    for article in articles:
        try:
            out.append(analyzer.analyze(article))
        except Exception as exc:
            logger.exception("analysing article %s failed", article.id)
            out.append(Rejected(article.id, STAGE, "analyzer_error",
                                f"{type(exc).__name__}: {exc}"))
    return out


def _check(workers: int, batch_size: int) -> None:
    if not isinstance(workers, int) or not 1 <= workers <= 64:
        raise ConfigError(f"workers must be an integer in [1, 64], got {workers!r}")
    if not isinstance(batch_size, int) or not 1 <= batch_size <= 10_000:
        raise ConfigError(f"batch_size must be an integer in [1, 10000], got {batch_size!r}")


class _Saver:
    """Writes each batch's outcomes in one transaction; when that fails, article by article, so
    an analysis the store refuses becomes that article's recorded failure, not the run's end."""

    def __init__(self, store: Store, version: str, report: Progress,
                 on_failure: Callable[[Rejected], object] | None) -> None:
        self.store = store
        self.version = version
        self.report = report
        self.on_failure = on_failure
        self.done = 0
        self.failed = 0

    def save(self, outcomes: Sequence[Outcome]) -> None:
        """Store a batch's analyses and failures."""
        try:
            with self.store.session():
                for item in outcomes:
                    self._save_one(item)
        except Exception:
            logger.warning("storing a batch of %d analyses failed; storing them one by one",
                           len(outcomes), exc_info=True)
            for item in outcomes:
                self._save_alone(item)
        else:
            for item in outcomes:
                self._count(item)
        self.report(len(outcomes))

    def _save_one(self, item: Outcome) -> None:
        if isinstance(item, Analysis):
            analysis_store(self.store).save_analysis(item)
        else:
            analysis_store(self.store).record_failure(
                item.ref, item.stage, self.version, item.reason, item.detail)

    def _save_alone(self, item: Outcome) -> None:
        try:
            with self.store.session():
                self._save_one(item)
        except Exception as exc:
            if not isinstance(item, Analysis):
                raise  # the failure itself cannot be recorded: the store is broken
            logger.exception("storing the analysis of %s failed", item.article_id)
            item = Rejected(item.article_id, STAGE, "store_error", f"{type(exc).__name__}: {exc}")
            with self.store.session():
                self._save_one(item)
        self._count(item)

    def _count(self, item: Outcome) -> None:
        if isinstance(item, Analysis):
            self.done += 1
            return
        self.failed += 1
        if self.on_failure is not None:
            self.on_failure(item)


def _articles(store: Store, ids: Sequence[str]) -> list[Article]:
    """The stored articles of ``ids`` (one deleted meanwhile is left out)."""
    from newsprism.errors import NotFound

    out = []
    for article_id in ids:
        try:
            out.append(store.get_article(article_id))
        except NotFound:
            logger.info("article %s is gone from the store; not analysed", article_id)
    return out


def _run_local(store: Store, analyzer: ArticleAnalyzer, batches: list[list[str]],
               saver: _Saver) -> None:
    for ids in batches:
        saver.save(analyze_outcomes(analyzer, _articles(store, ids)))


def _run_pool(store: Store, config: AnalyzerConfig, batches: list[list[str]], workers: int,
              saver: _Saver) -> None:
    """Workers analyse; this process reads articles, writes results, and keeps 2 tasks per worker
    in flight (so no worker waits on the store and memory stays bounded)."""
    context = multiprocessing.get_context("spawn")  # no fork: the parent may hold threads/locks
    with context.Pool(workers, initializer=_init_worker, initargs=(config,)) as pool:
        queue: deque[Any] = deque()
        todo: Iterator[list[str]] = iter(batches)

        def submit() -> None:
            ids = next(todo, None)
            if ids is not None:
                articles = [a.to_dict() for a in _articles(store, ids)]
                queue.append(pool.apply_async(_work, (articles,)))

        for _ in range(workers * 2):
            submit()
        while queue:
            results: list[Outcome] = queue.popleft().get()
            submit()
            saver.save(results)


def _run_engine(store: Store, config: AnalyzerConfig, batches: list[list[str]],
                engine: PartitionStream, saver: _Saver) -> None:
    """The engine's workers analyse; this process reads each batch when a slot frees and saves it."""
    parts = ([a.to_dict() for a in _articles(store, ids)] for ids in batches)
    for results in engine.imap_partitions(functools.partial(_analyze_partition, config), parts):
        saver.save(results)


def _analyze_partition(config: AnalyzerConfig, articles: list[dict[str, Any]]) -> list[Outcome]:
    """One batch on an engine's worker; its analyzer loads once per process (and config)."""
    loaded = _WORKER.get("analyzer")
    if loaded is None or loaded.config != config:
        _init_worker(config)
    return _work(articles)


# One analyzer per worker process, built by the pool initializer and owned by that process.
_WORKER: dict[str, Analyzer] = {}


def _init_worker(config: AnalyzerConfig) -> None:
    _WORKER["analyzer"] = Analyzer(config).load()


def _work(articles: list[dict[str, Any]]) -> list[Outcome]:
    return analyze_outcomes(_WORKER["analyzer"], [Article.from_dict(a) for a in articles])


def _progress(progress: bool | Progress | None, total: int) -> Progress:
    if callable(progress):
        return progress
    if progress is None:
        progress = sys.stderr.isatty()
    if not progress:
        return lambda n: None
    from tqdm import tqdm

    bar = tqdm(total=total, desc="analyze", unit=" articles", file=sys.stderr,
               dynamic_ncols=True)

    def update(n: int) -> None:
        bar.update(n)
        if bar.n >= total:
            bar.close()

    return update
