"""Library functions behind the CLI commands that combine stages (ingest + link + analyze, demo)."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import IO, Any

from newsprism.config import IngestOptions
from newsprism.model import Article, IngestReport, Rejected
from newsprism.pipeline import BatchHook, ingest, ingest_articles, read_articles
from newsprism.storage.base import Store

logger = logging.getLogger(__name__)


def ingest_and_link(
    inputs: Iterable[str | Path],
    store: Store,
    *,
    options: IngestOptions | None = None,
    link: bool = True,
    analyze: bool = True,
    progress: bool | None = None,
    stdin: IO[bytes] | None = None,
) -> IngestReport:
    """Ingest inputs, link each new article into a story, then analyse what lacks analysis.

    Linking runs inside each ingest batch's transaction (an article is never stored without its
    story); analysis runs after ingest, over both cores, on every stored article that lacks it,
    so a run killed during analysis is finished by the next ``ingest`` (even one that adds
    nothing). An article the analysis fails on stays stored and linked; its failure is recorded
    and listed in ``report.failed``.

    Returns:
        The ingest report (rejections, skipped files and analysis failures included).
    """
    hooks: list[BatchHook] = []
    if link:
        hooks.append(_link_hook(store))
    try:
        report = ingest(inputs, store, options=options, hooks=hooks, progress=progress,
                        stdin=stdin)
    finally:
        for hook in hooks:
            close = getattr(hook, "close", None)
            if close is not None:
                close()  # the link worker process: not left behind by an error
    if analyze:
        report.analysed = _analyze_pending(store, progress, report.failed.append)
    return report


def _link_hook(store: Store) -> BatchHook:
    from newsprism.link import make_link_hook

    return make_link_hook(store)


def _analyze_pending(store: Store, progress: bool | None,
                     on_failure: Callable[[Rejected], object] | None = None) -> int:
    from newsprism.analyze import analyze_pending

    return analyze_pending(store, progress=progress, on_failure=on_failure)


def analysis_for_show(store: Store, article: Article) -> dict[str, Any] | None:
    """The stored analysis of an article as plain JSON (computed now if missing)."""
    from newsprism.analyze import analysis_for_show as _impl

    result: dict[str, Any] | None = _impl(store, article)
    return result


def demo(store: Store, *, progress: bool | None = None) -> dict[str, Any]:
    """Ingest the bundled sample corpus into ``store`` and gather what newsprism found.

    Returns:
        ``inputs, db, ingest, articles, outlets, stories, example`` as plain JSON.
    """
    from newsprism.data import sample_manifest, sample_path

    folder = sample_path()
    # Plain-text files do not name their outlet; the manifest does (as --source would).
    by_outlet: dict[str | None, list[Path]] = {}
    for doc in sample_manifest()["documents"]:
        ref = doc["ref"].split(":")[0].split("#")[0]
        outlet = doc["outlet"] if doc["format"] == "text" else None
        paths = by_outlet.setdefault(outlet, [])
        if folder / ref not in paths:
            paths.append(folder / ref)
    # One batch, so the linker groups the sample's articles together as a bulk ingest would.
    items = [
        item
        for outlet, paths in by_outlet.items()
        for item in read_articles(paths, IngestOptions(source=outlet))
    ]
    report = ingest_articles(items, store, hooks=[_link_hook(store)])
    if report.ingested:
        _analyze_pending(store, progress)
    files = [p for paths in by_outlet.values() for p in paths]
    articles = store.articles()
    example = max(articles, key=lambda a: len(a.removed), default=None)
    return {
        "inputs": len(files),
        "db": getattr(store, "path", ":memory:"),
        "ingest": report.to_dict(),
        "articles": len(articles),
        "outlets": [list(s) for s in store.sources()],
        "stories": _story_summaries(store),
        "example": None if example is None else {
            "id": example.id,
            "title": example.title,
            "source": example.source,
            "removed": [r.to_dict() for r in example.removed],
            "captions": list(example.captions),
            "lead": example.paragraphs[0],
        },
    }


def _story_summaries(store: Store) -> list[dict[str, Any]]:
    from newsprism.link import stories

    found = sorted(stories(store), key=lambda v: -v.story.article_count)
    return [s.to_dict() for s in found]
