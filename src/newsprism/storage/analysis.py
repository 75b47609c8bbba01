"""Storage of article analyses, for both backends (mixins of SQLiteStore and MemoryStore).

An analysis is kept as JSON with the analyzer version that produced it; articles without one, or
with one from another version, are what :func:`newsprism.analyze.analyze_pending` works on next.
Entity keys are indexed per article (``analysis_entities``) so later stages can ask which
articles mention an entity, and what the store-wide canonical name of a key is.

Schema component ``analysis`` (see :func:`newsprism.storage.sqlite.register_migrations`).
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager
from datetime import UTC, datetime
from typing import Any

from newsprism.analyze.model import Analysis
from newsprism.errors import NotFound
from newsprism.storage.sqlite import Migration, register_migrations

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
]
register_migrations("analysis", ANALYSIS_MIGRATIONS)

EntityRow = tuple[str, str, str, int]
"""``(key, label, canonical, mentions)`` of one entity in one article."""


def entity_rows(analysis: Analysis) -> list[EntityRow]:
    """Entity keys of an analysis with their label, canonical name and mention count."""
    counts = Counter((e.key, e.label, e.canonical) for e in analysis.entities)
    return [(k, label, c, n) for (k, label, c), n in counts.items()]


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

    def get_analysis(self, article_id: str) -> Analysis | None:
        """The stored analysis of an article (exact id), or None."""
        row = self.execute("SELECT data FROM analyses WHERE article_id = ?",
                           (article_id,)).fetchone()
        return None if row is None else Analysis.from_dict(json.loads(row[0]))

    def ids_needing_analysis(self, version: str | None, *, limit: int | None = None) -> list[str]:
        """Ids of articles (ingest order) with no analysis or one of another version.

        Args:
            version: the current analyzer version; None lists every article (re-analysis).
            limit: at most this many.
        """
        params: list[Any] = [] if version is None else [version]
        params.append(-1 if limit is None else limit)
        if version is None:
            sql = "SELECT id FROM articles ORDER BY seq LIMIT ?"
        else:
            sql = ("SELECT a.id FROM articles a LEFT JOIN analyses n ON n.article_id = a.id "
                   "WHERE n.article_id IS NULL OR n.version != ? ORDER BY a.seq LIMIT ?")
        return [r[0] for r in self.execute(sql, params).fetchall()]

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
    has_article: Callable[[str], bool]
    iter_articles: Callable[..., Iterator[Any]]

    def __new__(cls, *args: Any, **kwargs: Any) -> Any:
        obj = super().__new__(cls)
        obj._analyses = {}
        obj._analysis_entities = {}
        return obj

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

    def get_analysis(self, article_id: str) -> Analysis | None:
        """The stored analysis of an article (exact id), or None."""
        found = self._analyses.get(article_id)
        return None if found is None else Analysis.from_dict(json.loads(found[1]))

    def ids_needing_analysis(self, version: str | None, *, limit: int | None = None) -> list[str]:
        """Ids of articles (ingest order) with no analysis or one of another version."""
        ids = [a.id for a in self.iter_articles()
               if version is None or self._analyses.get(a.id, ("",))[0] != version]
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
