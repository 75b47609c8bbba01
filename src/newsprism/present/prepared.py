"""What a story page shows of a story comparison, made once when the comparison is prepared.

:func:`page_products` runs the comparison stage on the chosen articles and turns its result into
plain JSON: the API's comparison, the highlights of every compared article, the conflicts, key
facts, timeline and unique-fact counts panels, and the story report built on the comparison.
:mod:`newsprism.engine.comparisons` stores that next to the inputs' version; pages and the API
read it back without comparing anything.
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Callable, Sequence
from typing import Any

from newsprism.model import Article
from newsprism.present.highlights import Highlight
from newsprism.present.sidebyside import (
    comparison_highlights,
    conflicts_view,
    key_facts,
    timeline,
    unique_counts,
)

logger = logging.getLogger(__name__)

#: ``page_products(report=STOCK)``: the report stage this build ships.
STOCK = object()


def _default(spec: str) -> Callable[..., Any] | None:
    module, _, name = spec.partition(":")
    try:
        return getattr(importlib.import_module(module), name, None)  # type: ignore[no-any-return]
    except ImportError:
        return None


def page_products(
    store: Any,
    story: Any,
    compared: Sequence[Article],
    every: Sequence[Article],
    *,
    compare_story: Callable[..., Any] | None = None,
    report: Callable[..., Any] | None | object = STOCK,
) -> dict[str, Any]:
    """Compare ``compared`` and return everything the page and the API show of it.

    Args:
        store: the store (stored analyses are reused).
        story: the story (for the report).
        compared: the articles to compare (already chosen, two or more).
        every: all the story's articles (unused today; the report reads the story itself).
        compare_story: the comparison stage (default ``newsprism.compare.story:compare_story``).
        report: the report stage (default: :data:`STOCK`, ``newsprism.report:story_report``);
            None skips it.

    Returns:
        ``comparison``, ``highlights`` (article id -> ``[start, end, kind, pair, note]`` rows),
        ``conflicts``, ``key_facts``, ``timeline``, ``unique`` and ``report`` (None when it
        failed or is missing).

    Raises:
        Whatever the comparison stage raises (an ``InputError`` when the texts cannot be
        compared).
    """
    del every
    compare_story = compare_story or _default("newsprism.compare.story:compare_story")
    if compare_story is None:
        from newsprism.present.services import Unavailable

        raise Unavailable("story comparison is not available in this build of newsprism")
    cmp = compare_story(list(compared), store=store)
    products: dict[str, Any] = {"comparison": _plain(cmp)}
    panels: dict[str, Callable[[], Any]] = {
        "highlights": lambda: _rows(comparison_highlights(cmp, compared)),
        "conflicts": lambda: conflicts_view(cmp),
        "key_facts": lambda: key_facts(cmp),
        "timeline": lambda: timeline(cmp),
        "unique": lambda: unique_counts(cmp),
    }
    for name, make in panels.items():
        try:
            products[name] = make()
        except Exception:  # a stage that returns less than documented: the panel stays empty
            logger.exception("the %s panel of story %s failed", name, _story_id(story))
            products[name] = None
    if report is STOCK:
        report = _default("newsprism.report:story_report")
    products["report"] = _report(report, store, story, cmp)  # type: ignore[arg-type]
    return products


def _report(fn: Callable[..., Any] | None, store: Any, story: Any, cmp: Any) -> Any:
    if fn is None:
        return None
    try:
        return _plain(fn(store, story, comparison=cmp))
    except Exception:  # the page shows the comparison even when its report fails
        logger.exception("report of story %s failed", _story_id(story))
        return None


def highlights_of(products: dict[str, Any]) -> dict[str, list[Highlight]]:
    """The stored highlight rows back as :class:`Highlight` objects, by article id."""
    rows = products.get("highlights") or {}
    return {aid: [Highlight(int(r[0]), int(r[1]), str(r[2]), r[3], str(r[4])) for r in spans]
            for aid, spans in rows.items()}


def _rows(spans: dict[str, list[Highlight]]) -> dict[str, list[list[Any]]]:
    return {aid: [[h.start, h.end, h.kind, h.pair, h.note] for h in hs] for aid, hs in spans.items()}


def _story_id(story: Any) -> str:
    return str(getattr(getattr(story, "story", story), "id", "?"))


def _plain(result: Any) -> Any:
    if hasattr(result, "to_dict"):
        return result.to_dict()
    return result


class PreparedStories:
    """The server's side of prepared comparisons: read them, or queue the missing ones.

    Owned by :class:`~newsprism.present.services.Services`; runs preparation on its background
    worker (one at a time, at most :attr:`Jobs.max_queued` waiting), so a flood of cold story
    pages queues a bounded amount of work instead of computing on request threads.

    Args:
        services: the server's services (store, stages, jobs).
    """

    #: Stories prepared per background sweep job (the sweep re-queues itself behind the jobs
    #: that pages queued meanwhile, so a reader's story never waits for a whole sweep).
    SWEEP_STORIES = 3

    def __init__(self, services: Any) -> None:
        from newsprism.engine.cache import comparison_cache

        self.services = services
        self.cache = comparison_cache(services.store)
        self._sweeps = 0
        self._worker: Any = None

    def state(self, story: Any, articles: Sequence[Article], *, wait: float = 0.0) -> Any:
        """``ready`` (value: the :class:`~newsprism.engine.cache.PreparedComparison`),
        ``pending`` (queued now if it was not) or ``failed``."""
        from newsprism.engine.comparisons import input_version
        from newsprism.present.jobs import JobState

        story_id = _story_id(story)
        version = input_version(self.services.store, articles)
        if self.cache.version(story_id) == version:
            return self._state_of(self.cache.get(story_id))
        key = ("prepare", story_id, version)
        jobs = self.services.jobs
        state = jobs.submit(key, lambda: self._prepare(story, articles))
        if state.status == "pending" and wait > 0:
            state = jobs.wait(key, wait) or state
        if state.status == "ready":
            return self._state_of(self.cache.get(story_id))
        return state if isinstance(state, JobState) else JobState("pending")

    def pending_version(self, story_id: str) -> str | None:
        """The stored record's inputs' version (one indexed read; for page cache keys)."""
        return self.cache.version(story_id)

    def sweep(self) -> None:
        """Queue a background pass over stale stories (a few at a time; see SWEEP_STORIES)."""
        self._sweeps += 1
        self.services.jobs.submit(("sweep", self._sweeps), self._sweep_once)

    def _sweep_once(self) -> int:
        from newsprism.engine.comparisons import prepare_comparisons

        worker = self.worker()
        if worker is not None:
            answer = worker.sweep(self.SWEEP_STORIES)
            remaining, prepared = int(answer["remaining"]), int(answer["prepared"])
        else:
            report = prepare_comparisons(
                self.services.store, build=self._build, cache=self.cache,
                max_stories=self.SWEEP_STORIES,
            )
            remaining, prepared = report.remaining, report.prepared
        if remaining:
            self.sweep()  # behind whatever pages queued meanwhile
        return prepared

    def worker(self) -> Any:
        """The child process that prepares comparisons (:mod:`newsprism.engine.worker`), for a
        store file served with the stock stages; None otherwise (then this process does it)."""
        from newsprism.engine.worker import PrepareWorker
        from newsprism.storage import store_file

        store, stages = self.services.store, self.services.stages
        path = store_file(store)
        if path is None:
            return None
        names = {"compare_story": "newsprism.compare.story:compare_story",
                 "report": "newsprism.report:story_report", "get_story": "newsprism.link:get_story"}
        if any(stages.get(k) is not _default(spec) for k, spec in names.items()):
            return None  # stand-in stages (tests, embedders) run here, where they were set
        if self._worker is None:
            self._worker = PrepareWorker(path)
        return self._worker

    def close(self) -> None:
        """Stop the worker process, if one was started."""
        if self._worker is not None:
            self._worker.close()

    def _prepare(self, story: Any, articles: Sequence[Article]) -> None:
        from newsprism.engine.comparisons import prepare_story

        try:
            worker = self.worker()
            if worker is not None:
                worker.story(_story_id(story))
            else:
                prepare_story(
                    self.services.store, story, articles, build=self._build, cache=self.cache
                )
        except Exception:
            # nothing was stored: drop cached pending pages so that the failure shows
            self.services.clear_caches()
            raise

    def _build(self, story: Any, compared: Sequence[Article], every: Sequence[Article]) -> dict[str, Any]:
        stages = self.services.stages
        return page_products(
            self.services.store, story, compared, every,
            compare_story=stages.get("compare_story"), report=stages.get("report"),
        )

    @staticmethod
    def _state_of(record: Any) -> Any:
        from newsprism.present.jobs import JobState

        if record is None:
            return JobState("pending")
        if record.status == "failed":
            return JobState("failed", error=record.error, reason=record.reason)
        return JobState("ready", value=record)
