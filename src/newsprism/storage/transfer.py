"""Copy a SQLite store whole into a PostgreSQL one (``newsprism migrate``).

Every kept table is copied in its stored order (articles in ingest order, merges in the order
they happened), rows unchanged: article and story ids, story numbers, merge history, analyses,
failures, duplicate groups, aliases, and the linker's state (document frequencies, watermark,
generation, site lines), so a linker opened on the copy carries on as it would have on the file.
Caches (prepared comparisons) are left behind: they are rebuilt on demand.

Resumable: each batch is one transaction on the target, together with the source row number it
reached (meta ``migrate.<table>``); a rerun after a crash or Ctrl-C goes on from there. At the
end every table's row count is checked against the source's. Stop the writers of the source
first: rows added to it during the copy may be missed (the count check then fails).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from newsprism.config import is_server_db
from newsprism.errors import ConfigError, StorageError

logger = logging.getLogger(__name__)

PROGRESS = "migrate."
"""Prefix of the target's meta keys that record the copy's progress."""

# (table, columns, conflict key or None): the tables kept by newsprism's components, in an order
# that copies articles before what refers to them.
TABLES: tuple[tuple[str, str, str | None], ...] = (
    ("articles", ("id, external_id, source, title, body, published, published_ts, language, url, "
                  "data, ingested_at"), "id"),
    ("article_keys", "article_id, content_key, has_source", "article_id"),
    ("article_aliases", "article_id, input_ref, external_id, source, at", "article_id, input_ref"),
    ("rejected", "ref, stage, reason, detail, at", "ref, stage, reason"),
    ("stories", ("id, seq, title, article_count, sources, first_ts, last_ts, first_reporter, "
                 "merged_into, updated_at"), "id"),
    ("story_articles", "article_id, story_id, ts, time_note, reason, score", "article_id"),
    ("story_merges", "survivor, merged, reason, at", None),
    ("duplicate_members", "article_id, group_id, kind, jaccard, matched", "article_id"),
    ("analyses", "article_id, version, data, analyzed_at", "article_id"),
    ("analysis_entities", "article_id, key, label, canonical, mentions",
     "article_id, key, canonical"),
    ("failures", "article_id, stage, version, reason, detail, at", "article_id, stage"),
    ("link_df", "feature, n", "feature"),
    ("site_lines", "outlet, line, stories, boilerplate", "outlet, line"),
    ("meta", "key, value", "key"),
)


@dataclass
class MigrateReport:
    """What one ``migrate`` run did: rows copied now and the rows in each table at the end."""

    copied: dict[str, int] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        """Plain-JSON form."""
        return {"copied": self.copied, "counts": self.counts, "seconds": round(self.seconds, 2)}


def migrate_store(source: str, target: str, *, batch_size: int = 2000,
                  progress: Callable[[str, int], None] | None = None) -> MigrateReport:
    """Copy the SQLite store ``source`` into the PostgreSQL database ``target``, resumably.

    Args:
        source: ``sqlite:PATH`` or a store file path.
        target: ``postgresql://USER@HOST/DB`` (empty, or holding an unfinished copy of ``source``).
        batch_size: rows per target transaction.
        progress: called with (table, rows copied so far) after each batch.

    Returns:
        The :class:`MigrateReport`.

    Raises:
        ConfigError: a bad source, target or batch size.
        StorageError: the target holds other data, or the counts differ after the copy.
        MissingDependency: psycopg is not installed.
    """
    from pathlib import Path

    from newsprism.storage.postgres import PostgresStore
    from newsprism.storage.sqlite import SQLiteStore

    path = source.removeprefix("sqlite:")
    if not Path(path).is_file():
        raise ConfigError(f"--from must name an existing SQLite store (sqlite:PATH), got {source!r}")
    if not is_server_db(target):
        raise ConfigError(f"--to must be a postgresql://USER@HOST/DB URL, got {target!r}")
    if not isinstance(batch_size, int) or batch_size < 1:
        raise ConfigError(f"batch_size must be a positive integer, got {batch_size!r}")
    started = time.monotonic()
    report = MigrateReport()
    with SQLiteStore(path) as src, PostgresStore(target) as dst:
        _claim(dst, str(Path(path).resolve()))
        for table, columns, key in TABLES:
            report.copied[table] = _copy_table(src, dst, table, columns, key, batch_size, progress)
        report.counts = _check_counts(src, dst)
        dst.set_meta(PROGRESS + "done", "1")
    report.seconds = time.monotonic() - started
    return report


def _claim(dst: Any, source: str) -> None:
    """Mark the target as the copy of ``source``; refuse a target holding anything else."""
    with dst.session():
        dst.serialize_writes()
        mark = dst.get_meta(PROGRESS + "source")
        if mark is None and (dst.count_articles() or dst.count_rejected() or dst.count_stories()):
            raise StorageError("the target database already holds a store; migrate copies into "
                               "an empty database (or resumes its own unfinished copy)")
        if mark is not None and mark != source:
            raise StorageError(f"the target holds a copy of {mark}, not of {source}")
        dst.set_meta(PROGRESS + "source", source)


def _copy_table(src: Any, dst: Any, table: str, columns: str, key: str | None, batch_size: int,
                progress: Callable[[str, int], None] | None) -> int:
    """Copy the rows of one table past the recorded progress; return how many were copied."""
    done_key = PROGRESS + table
    last = int(dst.get_meta(done_key, "0") or 0)
    marks = ",".join(["%s"] * len(columns.split(",")))
    insert = f"INSERT INTO {table} ({columns}) VALUES ({marks})"
    if key is not None:
        insert += f" ON CONFLICT ({key}) DO NOTHING"
    where = "" if table != "meta" else f"AND key NOT LIKE '{PROGRESS}%'"
    copied = 0
    while True:
        rows = src.execute(f"SELECT rowid, {columns} FROM {table} WHERE rowid > ? {where} "
                           "ORDER BY rowid LIMIT ?", (last, batch_size)).fetchall()
        if not rows:
            return copied
        with dst.session():
            dst.serialize_writes()
            dst.executemany(insert, [tuple(r[1:]) for r in rows])
            last = int(rows[-1][0])
            dst.set_meta(done_key, str(last))
        copied += len(rows)
        if progress is not None:
            progress(table, copied)
        logger.info("migrate: %s: %d rows copied", table, copied)


def _check_counts(src: Any, dst: Any) -> dict[str, int]:
    """Every table's row count, equal on both sides.

    Raises:
        StorageError: a table's counts differ (the source changed during the copy?).
    """
    counts: dict[str, int] = {}
    wrong: list[str] = []
    for table, _, _ in TABLES:
        where = f" WHERE key NOT LIKE '{PROGRESS}%'" if table == "meta" else ""
        have = int(src.execute(f"SELECT count(*) FROM {table}{where}").fetchone()[0])
        got = int(dst.execute(f"SELECT count(*) FROM {table}{where}").fetchone()[0])
        counts[table] = got
        if have != got:
            wrong.append(f"{table}: {have} in the source, {got} in the target")
    if wrong:
        raise StorageError("the copy's counts differ (was the source written during the copy? "
                           "run migrate again to copy what is missing): " + "; ".join(wrong))
    return counts
