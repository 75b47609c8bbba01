"""Storage of article analyses, for both backends (mixins of SQLiteStore and MemoryStore).

An analysis is kept as JSON with the analyzer version that produced it; articles without one, or
with one from another version, are what :func:`newsprism.analyze.analyze_pending` works on next.
Entity keys are indexed per article (``analysis_entities``) so later stages can ask which
articles mention an entity, and what the store-wide canonical name of a key is.

A stage after linking that fails on one article records the failure (``failures``: article,
stage, reason, detail, the stage's version) instead of stopping the batch; the article stays
stored and linked, :meth:`failures` lists what failed and why, and a failure at the current
version is not retried on every run (``newsprism reanalyze --failed`` does retry it).

Schema component ``analysis`` (see :func:`newsprism.storage.schema.register_migrations`).
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager
from datetime import UTC, datetime
from typing import Any

from newsprism.errors import NotFound
from newsprism.model import Analysis, Rejected
from newsprism.storage.schema import Migration, register_migrations

ANALYSIS_MIGRATIONS: list[Migration] = [
    """
    CREATE TABLE analyses (
        article_id TEXT PRIMARY KEY,
        version TEXT NOT NULL,
        data TEXT NOT NULL,
        analyzed_at TEXT NOT NULL
    );
    CREATE TABLE analysis_entities (
        article_id TEXT NOT NULL,
        key TEXT NOT NULL,
        label TEXT NOT NULL,
        canonical TEXT NOT NULL,
        mentions INTEGER NOT NULL,
        PRIMARY KEY (article_id, key, canonical)
    );
    CREATE INDEX analysis_entities_key ON analysis_entities(key);
    """,
    # v2: per-article failures of the stages after linking (analysis first).
    """
    CREATE TABLE failures (
        article_id TEXT NOT NULL,
        stage TEXT NOT NULL,
        version TEXT NOT NULL,
        reason TEXT NOT NULL,
        detail TEXT NOT NULL,
        at TEXT NOT NULL,
        PRIMARY KEY (article_id, stage)
    );
    """,
]
register_migrations("analysis", ANALYSIS_MIGRATIONS)

EntityRow = tuple[str, str, str, int]
"""``(key, label, canonical, mentions)`` of one entity in one article."""


def entity_rows(analysis: Analysis) -> list[EntityRow]:
    """Entity keys of an analysis with their label, canonical name and mention count.

    One row per ``(key, canonical)``, the table's key: one entity tagged with two labels in one
    article (a person here, an organisation there) counts all its mentions under its most
    frequent label (ties: the alphabetically first).
    """
    counts: dict[tuple[str, str], Counter[str]] = {}
    for e in analysis.entities:
        counts.setdefault((e.key, e.canonical), Counter())[e.label] += 1
    return [(k, min(labels, key=lambda label: (-labels[label], label)), c, sum(labels.values()))
            for (k, c), labels in counts.items()]


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _pick_names(rows: Sequence[tuple[str, str, int]]) -> dict[str, str]:
    """Most-mentioned canonical name per key (ties: the longer, then alphabetical)."""
    totals: dict[str, Counter[str]] = {}
    for key, canonical, n in rows:
        totals.setdefault(key, Counter())[canonical] += n
    return {k: max(c.items(), key=lambda kv: (kv[1], len(kv[0]), kv[0]))[0]
            for k, c in totals.items()}


class AnalysisSQLiteMixin:
    """Analysis storage for :class:`~newsprism.storage.sqlite.SQLiteStore`."""

    execute: Callable[..., Any]
    executemany: Callable[..., Any]
    session: Callable[[], AbstractContextManager[Any]]
    has_article: Callable[[str], bool]

    def save_analysis(self, analysis: Analysis) -> None:
        """Store (or replace) the analysis of a stored article.

        Raises:
            NotFound: the article is not in the store.
        """
        if not self.has_article(analysis.article_id):
            raise NotFound(f"no article with id {analysis.article_id!r} to attach an analysis to")
        data = json.dumps(analysis.to_dict(), ensure_ascii=False)
        with self.session():
            self.execute(
                "INSERT OR REPLACE INTO analyses (article_id, version, data, analyzed_at) "
                "VALUES (?,?,?,?)",
                (analysis.article_id, analysis.version, data,
                 datetime.now(UTC).isoformat(timespec="seconds")),
            )
            self.execute("DELETE FROM analysis_entities WHERE article_id = ?",
                         (analysis.article_id,))
            rows = [(analysis.article_id, *row) for row in entity_rows(analysis)]
            if rows:
                self.executemany("INSERT INTO analysis_entities VALUES (?,?,?,?,?)", rows)
            self.execute("DELETE FROM failures WHERE article_id = ? AND stage = 'analyze'",
                         (analysis.article_id,))

    def record_failure(self, article_id: str, stage: str, version: str, reason: str,
                       detail: str) -> None:
        """Record that ``stage`` (at ``version``) failed on a stored article, and why.

        The article stays stored; the newest failure per (article, stage) is kept.
        """
        self.execute(
            "INSERT OR REPLACE INTO failures (article_id, stage, version, reason, detail, at) "
            "VALUES (?,?,?,?,?,?)", (article_id, stage, version, reason, detail, _now()))

    def failures(self, *, stage: str | None = None, article_id: str | None = None,
                 limit: int | None = None, offset: int = 0) -> list[Rejected]:
        """Recorded stage failures, newest first, as ``Rejected(article id, stage, reason,
        detail)``; optionally of one stage or one article."""
        clauses, params = _failure_filter(stage, article_id)
        rows = self.execute(
            f"SELECT article_id, stage, reason, detail FROM failures {clauses} "
            "ORDER BY at DESC, rowid DESC LIMIT ? OFFSET ?",
            [*params, -1 if limit is None else limit, offset]).fetchall()
        return [Rejected(r[0], r[1], r[2], r[3]) for r in rows]

    def count_failures(self, *, stage: str | None = None) -> int:
        """How many stage failures are recorded (of one stage)."""
        clauses, params = _failure_filter(stage, None)
        return int(self.execute(f"SELECT count(*) FROM failures {clauses}", params).fetchone()[0])

    def get_analysis(self, article_id: str) -> Analysis | None:
        """The stored analysis of an article (exact id), or None."""
        row = self.execute("SELECT data FROM analyses WHERE article_id = ?",
                           (article_id,)).fetchone()
        return None if row is None else Analysis.from_dict(json.loads(row[0]))

    def ids_needing_analysis(self, version: str | None, *, limit: int | None = None,
                             failed: bool = False) -> list[str]:
        """Ids of articles (ingest order) with no analysis or one of another version.

        Args:
            version: the current analyzer version; None lists every article (re-analysis).
            limit: at most this many.
            failed: also list articles whose analysis failed at ``version`` (left out otherwise:
                they would fail the same way until the code changes, and a change bumps the
                version).
        """
        params: list[Any] = [] if version is None else [version, version, int(failed)]
        params.append(-1 if limit is None else limit)
        if version is None:
            sql = "SELECT id FROM articles ORDER BY seq LIMIT ?"
        else:
            sql = ("SELECT a.id FROM articles a LEFT JOIN analyses n ON n.article_id = a.id "
                   "LEFT JOIN failures f ON f.article_id = a.id AND f.stage = 'analyze' "
                   "AND f.version = ? WHERE (n.article_id IS NULL OR n.version != ?) "
                   "AND (f.article_id IS NULL OR ?) ORDER BY a.seq LIMIT ?")
        return [r[0] for r in self.execute(sql, params).fetchall()]

    def ids_failed(self, stage: str = "analyze") -> list[str]:
        """Ids of articles (ingest order) with a recorded failure of ``stage``."""
        rows = self.execute("SELECT a.id FROM articles a JOIN failures f ON f.article_id = a.id "
                            "WHERE f.stage = ? ORDER BY a.seq", (stage,)).fetchall()
        return [r[0] for r in rows]

    def count_analyses(self, *, version: str | None = None) -> int:
        """How many analyses are stored (of one version)."""
        if version is None:
            return int(self.execute("SELECT count(*) FROM analyses").fetchone()[0])
        return int(self.execute("SELECT count(*) FROM analyses WHERE version = ?",
                                (version,)).fetchone()[0])

    def articles_with_entity(self, key: str) -> list[str]:
        """Ids of analysed articles that mention the entity ``key``."""
        rows = self.execute("SELECT DISTINCT article_id FROM analysis_entities WHERE key = ? "
                            "ORDER BY article_id", (key,)).fetchall()
        return [r[0] for r in rows]

    def entity_names(self, keys: Sequence[str] | None = None) -> dict[str, str]:
        """Store-wide canonical name of entity keys: the most-mentioned name across articles."""
        if keys is None:
            rows = self.execute("SELECT key, canonical, sum(mentions) FROM analysis_entities "
                                "GROUP BY key, canonical").fetchall()
        else:
            rows = []
            for i in range(0, len(keys), 500):
                chunk = list(keys[i:i + 500])
                rows += self.execute(
                    "SELECT key, canonical, sum(mentions) FROM analysis_entities WHERE key IN "
                    f"({','.join('?' * len(chunk))}) GROUP BY key, canonical", chunk).fetchall()
        return _pick_names([(r[0], r[1], int(r[2])) for r in rows])


class AnalysisMemoryMixin:
    """Analysis storage for :class:`~newsprism.storage.memory.MemoryStore`.

    The state is created in ``__new__`` so that it exists before the first session snapshot
    (MemoryStore's sessions restore every instance attribute on rollback).
    """

    _analyses: dict[str, tuple[str, str]]
    _analysis_entities: dict[str, list[EntityRow]]
    _failures: dict[tuple[str, str], tuple[str, Rejected]]
    has_article: Callable[[str], bool]
    iter_articles: Callable[..., Iterator[Any]]

    def __new__(cls, *args: Any, **kwargs: Any) -> Any:
        obj = super().__new__(cls)
        obj._analyses = {}
        obj._analysis_entities = {}
        obj._failures = {}
        return obj

    def record_failure(self, article_id: str, stage: str, version: str, reason: str,
                       detail: str) -> None:
        """Record that ``stage`` (at ``version``) failed on a stored article, and why."""
        self._failures.pop((article_id, stage), None)
        self._failures[(article_id, stage)] = (version, Rejected(article_id, stage, reason, detail))

    def failures(self, *, stage: str | None = None, article_id: str | None = None,
                 limit: int | None = None, offset: int = 0) -> list[Rejected]:
        """Recorded stage failures, newest first (see the SQLite store)."""
        items = [r for _, r in reversed(self._failures.values())
                 if (stage is None or r.stage == stage)
                 and (article_id is None or r.ref == article_id)]
        return items[offset:None if limit is None else offset + limit]

    def count_failures(self, *, stage: str | None = None) -> int:
        """How many stage failures are recorded (of one stage)."""
        return len(self.failures(stage=stage))

    def ids_failed(self, stage: str = "analyze") -> list[str]:
        """Ids of articles (ingest order) with a recorded failure of ``stage``."""
        return [a.id for a in self.iter_articles() if (a.id, stage) in self._failures]

    def save_analysis(self, analysis: Analysis) -> None:
        """Store (or replace) the analysis of a stored article.

        Raises:
            NotFound: the article is not in the store.
        """
        if not self.has_article(analysis.article_id):
            raise NotFound(f"no article with id {analysis.article_id!r} to attach an analysis to")
        data = json.dumps(analysis.to_dict(), ensure_ascii=False)
        self._analyses[analysis.article_id] = (analysis.version, data)
        self._analysis_entities[analysis.article_id] = entity_rows(analysis)
        self._failures.pop((analysis.article_id, "analyze"), None)

    def get_analysis(self, article_id: str) -> Analysis | None:
        """The stored analysis of an article (exact id), or None."""
        found = self._analyses.get(article_id)
        return None if found is None else Analysis.from_dict(json.loads(found[1]))

    def ids_needing_analysis(self, version: str | None, *, limit: int | None = None,
                             failed: bool = False) -> list[str]:
        """Ids of articles (ingest order) with no analysis or one of another version (and,
        unless ``failed``, no failure recorded at ``version``)."""
        ids = [a.id for a in self.iter_articles()
               if version is None or (
                   self._analyses.get(a.id, ("",))[0] != version
                   and (failed or self._failures.get((a.id, "analyze"), ("",))[0] != version))]
        return ids if limit is None else ids[:limit]

    def count_analyses(self, *, version: str | None = None) -> int:
        """How many analyses are stored (of one version)."""
        return sum(1 for v, _ in self._analyses.values() if version is None or v == version)

    def articles_with_entity(self, key: str) -> list[str]:
        """Ids of analysed articles that mention the entity ``key``."""
        return sorted(a for a, rows in self._analysis_entities.items()
                      if any(r[0] == key for r in rows))

    def entity_names(self, keys: Sequence[str] | None = None) -> dict[str, str]:
        """Store-wide canonical name of entity keys: the most-mentioned name across articles."""
        wanted = None if keys is None else set(keys)
        rows = [(k, c, n) for entries in self._analysis_entities.values()
                for k, _, c, n in entries if wanted is None or k in wanted]
        return _pick_names(rows)


def _failure_filter(stage: str | None, article_id: str | None) -> tuple[str, list[Any]]:
    clauses: list[str] = []
    params: list[Any] = []
    if stage is not None:
        clauses.append("stage = ?")
        params.append(stage)
    if article_id is not None:
        clauses.append("article_id = ?")
        params.append(article_id)
    return ("WHERE " + " AND ".join(clauses)) if clauses else "", params
