"""Analysis over a store: incremental, in batches, over both cores.

:func:`analyze_pending` finds stored articles without a current analysis (none yet, or one made
by another analyzer version), analyses them in worker processes (each loads its own models once),
and commits each batch of results in one store session. It runs after ingest, so ingest itself
stays fast; a killed run loses at most the batches not yet committed, and the next run resumes.
"""

from __future__ import annotations

import functools
import logging
import multiprocessing
import sys
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

from newsprism.analyze.analyzer import Analyzer
from newsprism.analyze.base import AnalyzerConfig, ArticleAnalyzer
from newsprism.analyze.model import Analysis
from newsprism.errors import ConfigError
from newsprism.model import Article

if TYPE_CHECKING:
    from newsprism.storage.base import Store

logger = logging.getLogger(__name__)

# Below this many pending articles one process is quicker than starting workers (a worker needs
# ~3 s to import spaCy and load the models; one process analyses ~15-20 articles/s).
MIN_PARALLEL = 60

Progress = Callable[[int], None]
"""Called with the number of articles just analysed."""


def analyze_pending(
    store: Store,
    *,
    workers: int = 2,
    batch_size: int = 32,
    progress: bool | Progress | None = None,
    analyzer: ArticleAnalyzer | None = None,
    config: AnalyzerConfig | None = None,
    force: bool = False,
) -> int:
    """Analyse the stored articles that lack a current analysis; return how many were analysed.

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

    Raises:
        ConfigError: ``workers`` or ``batch_size`` out of range.
    """
    _check(workers, batch_size)
    if analyzer is None:
        analyzer = default_analyzer() if config is None else Analyzer(config)
    ids = store.ids_needing_analysis(None if force else analyzer.version)  # type: ignore[attr-defined]
    if not ids:
        return 0
    report = _progress(progress, len(ids))
    batches = [ids[i:i + batch_size] for i in range(0, len(ids), batch_size)]
    worker_config = getattr(analyzer, "config", config)
    if workers == 1 or len(ids) < MIN_PARALLEL or not isinstance(worker_config, AnalyzerConfig):
        done = _run_local(store, analyzer, batches, report)
    else:
        done = _run_pool(store, worker_config, batches, min(workers, len(batches)), report)
    logger.info("analysed %d articles", done)
    return done


def analysis_for_show(store: Store, article: Article, *,
                      analyzer: ArticleAnalyzer | None = None) -> dict[str, Any]:
    """The analysis of a stored article as plain JSON (``newsprism show ID --analysis``).

    Analyses it now, and stores the result, when the store has none.

    Returns:
        ``article_id, version, language, notes, sentences, entities, places, times,
        attributions, figures, agencies``; offsets point into the article body.
    """
    analysis = store.get_analysis(article.id)  # type: ignore[attr-defined]
    if analysis is None:
        analysis = analyze_articles(analyzer or default_analyzer(), [article])[0]
        store.save_analysis(analysis)  # type: ignore[attr-defined]
    result: dict[str, Any] = analysis.to_dict()
    return result


@functools.lru_cache(maxsize=1)
def default_analyzer() -> Analyzer:
    """The process's analyzer with default settings; models load on first use and stay loaded."""
    return Analyzer()


def analyze_articles(analyzer: ArticleAnalyzer, articles: Sequence[Article]) -> list[Analysis]:
    """Analyse a batch; an article that makes the analyzer fail gets a result saying so.

    A failed article is stored with a note rather than retried on every run (it would fail the
    same way until the code changes, and a code change bumps the version).
    """
    try:
        return analyzer.analyze_many(articles)
    except Exception:  # an analyzer bug must not stop the batch: find the article, record it
        logger.exception("batch analysis failed; analysing its %d articles one by one",
                         len(articles))
    out = []
    for article in articles:
        try:
            out.append(analyzer.analyze(article))
        except Exception as exc:
            logger.exception("analysing article %s failed", article.id)
            out.append(Analysis(article.id, analyzer.version, article.language,
                                notes=(f"analysis failed: {type(exc).__name__}: {exc}",)))
    return out


def _check(workers: int, batch_size: int) -> None:
    if not isinstance(workers, int) or not 1 <= workers <= 64:
        raise ConfigError(f"workers must be an integer in [1, 64], got {workers!r}")
    if not isinstance(batch_size, int) or not 1 <= batch_size <= 10_000:
        raise ConfigError(f"batch_size must be an integer in [1, 10000], got {batch_size!r}")


def _save(store: Store, analyses: Sequence[Analysis]) -> None:
    with store.session():
        for analysis in analyses:
            store.save_analysis(analysis)  # type: ignore[attr-defined]


def _run_local(store: Store, analyzer: ArticleAnalyzer, batches: list[list[str]],
               report: Progress) -> int:
    done = 0
    for ids in batches:
        results = analyze_articles(analyzer, [store.get_article(i) for i in ids])
        _save(store, results)
        done += len(results)
        report(len(results))
    return done


def _run_pool(store: Store, config: AnalyzerConfig, batches: list[list[str]], workers: int,
              report: Progress) -> int:
    """Workers analyse; this process reads articles, writes results, and keeps 2 tasks per worker
    in flight (so no worker waits on the store and memory stays bounded)."""
    context = multiprocessing.get_context("spawn")  # no fork: the parent may hold threads/locks
    done = 0
    with context.Pool(workers, initializer=_init_worker, initargs=(config,)) as pool:
        queue: deque[Any] = deque()
        todo: Iterator[list[str]] = iter(batches)

        def submit() -> None:
            ids = next(todo, None)
            if ids is not None:
                articles = [store.get_article(i).to_dict() for i in ids]
                queue.append(pool.apply_async(_work, (articles,)))

        for _ in range(workers * 2):
            submit()
        while queue:
            results: list[Analysis] = queue.popleft().get()
            submit()
            _save(store, results)
            done += len(results)
            report(len(results))
    return done


# One analyzer per worker process, built by the pool initializer and owned by that process.
_WORKER: dict[str, Analyzer] = {}


def _init_worker(config: AnalyzerConfig) -> None:
    _WORKER["analyzer"] = Analyzer(config).load()


def _work(articles: list[dict[str, Any]]) -> list[Analysis]:
    return analyze_articles(_WORKER["analyzer"], [Article.from_dict(a) for a in articles])


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
