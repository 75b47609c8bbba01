"""Runs the stages over a Store, in batches, resumably.

``ingest`` reads inputs lazily, normalizes each, and writes one transaction per batch: the new
articles, the rejected inputs, and whatever the batch hooks (story linking) write for them. A
process killed mid-run loses at most the batches not yet committed (the one being read and the
one waiting to be written); re-running skips what is stored (ids are
content hashes, and one text is one article whatever outlet flag it came with), so it completes
without duplicates.

One bad unit never takes good data with it: a file or line that cannot be read is rejected
alone (``Rejected`` with its reason, stored), a folder file that is not an article is skipped
(``Skipped``, listed in the report), and an article the store refuses (a value it cannot hold)
is rejected alone with stage ``"store"`` while the rest of its batch is written.
"""

from __future__ import annotations

import logging
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import IO, Any

from newsprism.config import IngestOptions
from newsprism.errors import StorageError
from newsprism.ingest.base import read_inputs
from newsprism.model import Article, IngestReport, RawDocument, Rejected, Skipped
from newsprism.normalize.base import normalize
from newsprism.storage.base import Store

logger = logging.getLogger(__name__)

BatchHook = Callable[[Store, list[Article]], None]
"""Called inside the batch's transaction with the articles that batch added. A hook may also
have a ``prepare(articles)`` method: it is called with the batch's articles before the batch is
written (some may turn out to be stored already), so the hook can start reading them in another
process while the store writes (the streaming linker does)."""


def ingest(
    inputs: Iterable[str | Path],
    store: Store,
    *,
    options: IngestOptions | None = None,
    hooks: Sequence[BatchHook] = (),
    progress: bool | None = None,
    stdin: IO[bytes] | None = None,
) -> IngestReport:
    """Read, clean and store articles from files, folders, globs or ``-`` (stdin).

    Args:
        inputs: paths, directories (recursive), glob patterns, or ``"-"``.
        store: where articles and rejected inputs go.
        options: reading options (outlet fallback, size limit, batch size).
        hooks: run per batch on the newly added articles, in the same transaction.
        progress: show a progress bar (default: when stderr is a terminal).
        stdin: byte stream read for ``"-"`` (default ``sys.stdin.buffer``).

    Returns:
        Counts of ingested, duplicate and rejected inputs, with each rejection's reason.
    """
    options = options or IngestOptions()
    report = IngestReport()
    bar = _progress_bar(progress)
    writer = _BatchWriter(store, hooks, report, on_written=bar.update)
    batch: list[Article | Rejected] = []
    wait = None if options.max_batch_wait_ms is None else options.max_batch_wait_ms / 1000.0
    oldest = 0.0
    for item in read_inputs(inputs, options, stdin=stdin):
        if isinstance(item, Skipped):
            logger.info("skipped %s: %s", item.ref, item.detail)
            report.skipped.append(item)
            continue
        oldest = oldest if batch else time.monotonic()
        batch.append(item if isinstance(item, Rejected) else _normalize(item, options))
        if len(batch) >= options.batch_size:
            writer.add(batch)
            batch = []
        elif wait is not None and time.monotonic() - oldest >= wait:
            writer.add(batch)  # waited long enough: written now, not one batch behind
            writer.finish()
            batch = []
    writer.add(batch)
    writer.finish()
    bar.close()
    return report


def ingest_articles(
    articles: Iterable[Article | Rejected],
    store: Store,
    *,
    hooks: Sequence[BatchHook] = (),
    batch_size: int = 200,
) -> IngestReport:
    """Store already-built articles (library use, API), batched like :func:`ingest`.

    ``Rejected`` items among them are recorded as rejected inputs.
    """
    report = IngestReport()
    writer = _BatchWriter(store, hooks, report)
    batch: list[Article | Rejected] = []
    for article in articles:
        batch.append(article)
        if len(batch) >= batch_size:
            writer.add(batch)
            batch = []
    writer.add(batch)
    writer.finish()
    return report


def read_articles(
    inputs: Iterable[str | Path], options: IngestOptions | None = None
) -> Iterator[Article | Rejected]:
    """Read and normalize inputs without storing them (each input an Article or a Rejected;
    folder files that are not articles are left out)."""
    options = options or IngestOptions()
    for item in read_inputs(inputs, options):
        if not isinstance(item, Skipped):
            yield item if isinstance(item, Rejected) else _normalize(item, options)


def _normalize(raw: RawDocument, options: IngestOptions) -> Article | Rejected:
    try:
        return normalize(raw, options)
    except Exception as exc:  # an extractor bug must not end the batch; keep the input's reason
        logger.exception("normalizing %s failed", raw.ref)
        return Rejected(raw.ref, "normalize", "internal_error", f"{type(exc).__name__}: {exc}")


class _BatchWriter:
    """Writes batches one behind the reading: a full batch is first announced to the hooks that
    have a ``prepare`` method, and written when the next batch is full (or at the end). So a hook
    can read batch N+1 in another process while batch N is written and linked here (the streaming
    linker's worker). A process killed mid-run loses the uncommitted batches (at most two)."""

    def __init__(
        self,
        store: Store,
        hooks: Sequence[BatchHook],
        report: IngestReport,
        on_written: Callable[[int], object] | None = None,
    ) -> None:
        self.store = store
        self.hooks = hooks
        self.report = report
        self.on_written = on_written
        self._pending: list[Article | Rejected] | None = None

    def add(self, batch: list[Article | Rejected]) -> None:
        """Announce ``batch`` to the hooks and write the one before it."""
        if not batch:
            return
        articles = [item for item in batch if isinstance(item, Article)]
        for hook in self.hooks:
            prepare = getattr(hook, "prepare", None)
            if prepare is not None and articles:
                prepare(articles)
        self.finish()
        self._pending = batch

    def finish(self) -> None:
        """Write the batch still waiting."""
        if self._pending is not None:
            batch, self._pending = self._pending, None
            _write_batch(self.store, batch, self.hooks, self.report)
            if self.on_written is not None:
                self.on_written(len(batch))


def _write_batch(
    store: Store, batch: list[Article | Rejected], hooks: Sequence[BatchHook], report: IngestReport
) -> None:
    added: list[Article] = []
    rejected: list[Rejected] = []
    duplicates = 0
    with store.session():
        for item in batch:
            if isinstance(item, Article):
                try:
                    stored = store.add_article(item)
                except StorageError as exc:  # a value this store cannot hold: this one only
                    logger.warning("storing %s failed: %s", item.input_ref, exc)
                    item = Rejected(item.input_ref or item.id, "store", "store_error", str(exc))
                else:
                    added.extend([item] if stored else [])
                    duplicates += not stored
                    continue
            store.add_rejected(item)
            rejected.append(item)
        for hook in hooks:
            hook(store, added)
    # Counted once the batch is committed: a rolled-back batch reports nothing it did not keep.
    report.rejected.extend(rejected)
    report.duplicates += duplicates
    report.ingested += len(added)
    report.article_ids.extend(a.id for a in added)


class _NullBar:
    def update(self, n: int) -> None:
        """Ignore progress."""

    def close(self) -> None:
        """Nothing to close."""


def _progress_bar(progress: bool | None) -> Any:
    if progress is None:
        progress = sys.stderr.isatty()
    if not progress:
        return _NullBar()
    from tqdm import tqdm

    return tqdm(desc="ingest", unit=" inputs", file=sys.stderr, dynamic_ncols=True)
