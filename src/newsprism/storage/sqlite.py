"""SQLite store (the default): WAL journal, one transaction per batch, FTS5 search, migrations.

Schema versions are kept per component (``core`` here; later stages register their own tables
through :func:`~newsprism.storage.schema.register_migrations`, re-exported here), so a component's tables can evolve without renumbering
the others. A process killed mid-batch leaves the last committed batch: SQLite's journal rolls
the open transaction back on the next open.
"""

from __future__ import annotations

import json
import logging
import sqlite3
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from newsprism.errors import NotFound, StorageError
from newsprism.model import Article, Rejected
from newsprism.storage.analysis import AnalysisSQLiteMixin
from newsprism.storage.identity import IdentitySQLiteMixin
from newsprism.storage.schema import (
    Migration,
    register_migrations,
    registered_migrations,
    timestamp,
)
from newsprism.storage.sitelines import SQLiteSiteLines
from newsprism.storage.stories import SQLiteStoryStore

__all__ = ["RANK_LIMIT", "Migration", "SQLiteStore", "SearchPage", "register_migrations", "timestamp"]

logger = logging.getLogger(__name__)

_CORE_MIGRATIONS: list[Migration] = [
    """
    CREATE TABLE articles (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        id TEXT NOT NULL UNIQUE,
        external_id TEXT,
        source TEXT,
        title TEXT NOT NULL,
        body TEXT NOT NULL,
        published TEXT,
        published_ts REAL,
        language TEXT,
        url TEXT,
        data TEXT NOT NULL,
        ingested_at TEXT NOT NULL
    );
    CREATE INDEX articles_source ON articles(source);
    CREATE INDEX articles_published ON articles(published_ts);
    CREATE INDEX articles_external ON articles(external_id);
    CREATE VIRTUAL TABLE articles_fts USING fts5(
        title, body, content='articles', content_rowid='seq', tokenize='porter unicode61'
    );
    CREATE TRIGGER articles_ai AFTER INSERT ON articles BEGIN
        INSERT INTO articles_fts(rowid, title, body) VALUES (new.seq, new.title, new.body);
    END;
    CREATE TRIGGER articles_ad AFTER DELETE ON articles BEGIN
        INSERT INTO articles_fts(articles_fts, rowid, title, body)
        VALUES ('delete', old.seq, old.title, old.body);
    END;
    CREATE TABLE rejected (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        ref TEXT NOT NULL,
        stage TEXT NOT NULL,
        reason TEXT NOT NULL,
        detail TEXT NOT NULL,
        at TEXT NOT NULL,
        UNIQUE(ref, stage, reason)
    );
    CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    """,
    # v2: the full-text index is written per transaction (one INSERT ... SELECT of the
    # transaction's new articles before COMMIT), not by a row trigger: half the cost (0.13 vs
    # 0.27 ms per 500-word article, measured here), and still atomic with the articles.
    "DROP TRIGGER IF EXISTS articles_ai;",
]

register_migrations("core", _CORE_MIGRATIONS)


#: Matches a search ranks by relevance (BM25). Past this many, the most recently stored come
#: first: BM25 reads every match's positions and counts every match for its IDF, ~1.5 us per
#: match here (4.6 ms for 6,000 matches at 10,000 articles; 55-100 ms for 500,000 at 1,000,000).
RANK_LIMIT = 20_000


@dataclass(frozen=True, slots=True)
class SearchPage:
    """One page of search hits: ``(summary, score)`` best first; how many matched (exactly, or
    at least, when ``exact`` is false); ``ranked``: by relevance (else newest first)."""

    hits: list[tuple[dict[str, Any], float]]
    total: int
    exact: bool
    ranked: bool = True


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class SQLiteStore(SQLiteStoryStore, AnalysisSQLiteMixin, IdentitySQLiteMixin, SQLiteSiteLines):
    """The default :class:`~newsprism.storage.base.Store`, in one SQLite file.

    Args:
        path: database file (created with its folder), or ``":memory:"``.
        timeout: seconds SQLite waits for another writer's lock on one statement.
        lock_wait: seconds a write transaction waits in all for other writers (it retries
            while they hold the lock), before failing with a StorageError.
    """

    def __init__(self, path: str | Path = "newsprism.db", *, timeout: float = 30.0,
                 lock_wait: float = 600.0) -> None:
        self.path = str(path)
        self.lock_wait = lock_wait
        if self.path != ":memory:":
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        try:
            self._conn = sqlite3.connect(
                self.path, timeout=timeout, isolation_level=None, check_same_thread=False
            )
        except sqlite3.Error as exc:
            raise StorageError(f"cannot open the store at {self.path}: {exc}") from exc
        self._conn.row_factory = sqlite3.Row
        self._lock = threading.RLock()
        self._depth = 0
        # First seq added in the open transaction and not yet in the full-text index.
        self._fts_from: int | None = None
        self._conn.execute("PRAGMA journal_mode=WAL")
        # NORMAL is safe with WAL: a crash can lose the last commits but never corrupts the file.
        self._conn.execute("PRAGMA synchronous=NORMAL")
        self._conn.execute("PRAGMA foreign_keys=ON")
        self.migrate()

    # -- schema -------------------------------------------------------------------------------

    def migrate(self) -> dict[str, int]:
        """Apply the migrations each component lacks; return the versions now in place."""
        with self._lock:
            self._conn.execute(
                "CREATE TABLE IF NOT EXISTS schema_versions "
                "(component TEXT PRIMARY KEY, version INTEGER NOT NULL)"
            )
            versions = dict(
                self._conn.execute("SELECT component, version FROM schema_versions").fetchall()
            )
            for component, steps in registered_migrations("sqlite"):
                have = versions.get(component, 0)
                if have > len(steps):
                    raise StorageError(
                        f"the store's {component!r} schema is version {have}, newer than this "
                        f"newsprism knows ({len(steps)}): upgrade newsprism"
                    )
                for version, step in enumerate(steps[have:], start=have + 1):
                    self._apply(component, version, step)
                versions[component] = len(steps)
            return versions

    def _apply(self, component: str, version: int, step: Migration) -> None:
        self._begin()
        try:
            row = self._conn.execute("SELECT version FROM schema_versions WHERE component = ?",
                                     (component,)).fetchone()
            if row is not None and row[0] >= version:  # another process migrated meanwhile
                self._conn.execute("COMMIT")
                return
            logger.info("migrating %s schema to version %d", component, version)
            if callable(step):
                step(self._conn)
            else:
                for statement in _split_sql(step):
                    self._conn.execute(statement)
            self._conn.execute(
                "INSERT OR REPLACE INTO schema_versions VALUES (?, ?)", (component, version)
            )
            self._conn.execute("COMMIT")
        except sqlite3.Error as exc:
            self._conn.execute("ROLLBACK")
            raise StorageError(f"migration {component} v{version} failed: {exc}") from exc

    def schema_versions(self) -> dict[str, int]:
        """Component -> schema version stored in the file."""
        rows = self._conn.execute("SELECT component, version FROM schema_versions").fetchall()
        return {r[0]: r[1] for r in rows}

    # -- transactions -------------------------------------------------------------------------

    @contextmanager
    def session(self) -> Iterator[SQLiteStore]:
        """One transaction around a batch of writes (nested sessions join the outer one)."""
        with self._lock:
            if self._depth == 0:
                self._begin()
            self._depth += 1
            try:
                yield self
                if self._depth == 1:
                    self._index_text()
            except BaseException:
                self._depth -= 1
                if self._depth == 0:
                    self._fts_from = None
                    self._conn.execute("ROLLBACK")
                raise
            self._depth -= 1
            if self._depth == 0:
                self._conn.execute("COMMIT")

    def _begin(self) -> None:
        """Open a write transaction, waiting for other writers (another ``ingest``, a server)
        up to ``lock_wait`` seconds in all; each try waits ``timeout`` in SQLite's busy handler.

        Raises:
            StorageError: still locked after ``lock_wait`` seconds.
        """
        deadline = time.monotonic() + self.lock_wait
        while True:
            try:
                self._conn.execute("BEGIN IMMEDIATE")
                return
            except sqlite3.OperationalError as exc:
                message = str(exc)
                if "locked" not in message and "busy" not in message:
                    raise StorageError(f"cannot start a transaction: {message}") from exc
                if time.monotonic() >= deadline:
                    raise StorageError(
                        f"the store at {self.path} stayed locked by another writer for "
                        f"{self.lock_wait:.0f} s; is another newsprism process stuck? "
                        "(raise lock_wait to wait longer)") from exc
                logger.info("the store is busy with another writer; waiting")

    def execute(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> sqlite3.Cursor:
        """Run one statement (in the open session, if any); for component storage modules."""
        with self._lock:
            try:
                return self._conn.execute(sql, params)
            except (sqlite3.Error, UnicodeEncodeError, OverflowError) as exc:
                # UnicodeEncodeError: a lone surrogate in a value; OverflowError: an int > 2**63.
                raise StorageError(f"{exc} (in: {sql.strip()[:80]})") from exc

    def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        """Run one statement for many rows (atomic on its own outside a session)."""
        with self.session():
            try:
                self._conn.executemany(sql, rows)
            except (sqlite3.Error, UnicodeEncodeError, OverflowError) as exc:
                raise StorageError(f"{exc} (in: {sql.strip()[:80]})") from exc

    # -- articles -----------------------------------------------------------------------------

    def add_article(self, article: Article) -> bool:
        """Store an article; False (and its input kept as an alias) when it is stored already:
        the same id, or the same text where one of the two outlets is unknown
        (:mod:`newsprism.storage.identity`)."""
        with self.session():
            stored = self.stored_as(article)
            if stored is not None:
                self.add_alias(stored, article)
                return False
            self._insert_article(article)
            self._record_key(article)
        return True

    def _insert_article(self, article: Article) -> None:
        data = article.to_dict()
        cur = self.execute(
            "INSERT OR IGNORE INTO articles (id, external_id, source, title, body, published, "
            "published_ts, language, url, data, ingested_at) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
            (
                article.id,
                article.external_id,
                article.source,
                article.title,
                article.body,
                data["published"],
                timestamp(article.published),
                article.language,
                article.url,
                json.dumps(data, ensure_ascii=False),
                _now(),
            ),
        )
        with self._lock:  # in a session: indexed when it commits
            if self._fts_from is None:
                self._fts_from = cur.lastrowid

    def _index_text(self) -> None:
        """Add the articles written since the last call to the full-text index."""
        with self._lock:
            if self._fts_from is None:
                return
            first, self._fts_from = self._fts_from, None
            self.execute(
                "INSERT INTO articles_fts(rowid, title, body) "
                "SELECT seq, title, body FROM articles WHERE seq >= ?",
                (first,),
            )

    def has_article(self, article_id: str) -> bool:
        """Whether this exact id is stored."""
        return self.execute("SELECT 1 FROM articles WHERE id = ?", (article_id,)).fetchone() is not None

    def get_article(self, article_id: str) -> Article:
        """The article with this id or unique prefix (4+ characters)."""
        row = self.execute("SELECT data FROM articles WHERE id = ?", (article_id,)).fetchone()
        if row is None and len(article_id) >= 4:
            # A range on the unique index, not LIKE: '%' and '_' in a prefix are plain text.
            rows = self.execute(
                "SELECT data FROM articles WHERE id >= ? AND id < ? ORDER BY id LIMIT 2",
                (article_id, article_id + "\U0010ffff"),
            ).fetchall()
            if len(rows) > 1:
                raise NotFound(f"article id prefix {article_id!r} is ambiguous; give more of it")
            row = rows[0] if rows else None
        if row is None:
            raise NotFound(f"no article with id {article_id!r}")
        return Article.from_dict(json.loads(row[0]))

    def articles(
        self,
        *,
        source: str | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
        limit: int | None = None,
        offset: int = 0,
    ) -> list[Article]:
        """Articles in ingest order, filtered by outlet and publication time."""
        where, params = _article_filter(source, since, until)
        sql = f"SELECT data FROM articles {where} ORDER BY seq LIMIT ? OFFSET ?"
        rows = self.execute(sql, [*params, -1 if limit is None else limit, offset]).fetchall()
        return [Article.from_dict(json.loads(r[0])) for r in rows]

    def iter_articles(self, batch_size: int = 500) -> Iterator[Article]:
        """Every article in ingest order, in batches of ``batch_size``."""
        last = 0
        while True:
            rows = self.execute(
                "SELECT seq, data FROM articles WHERE seq > ? ORDER BY seq LIMIT ?",
                (last, batch_size),
            ).fetchall()
            if not rows:
                return
            last = rows[-1][0]
            yield from (Article.from_dict(json.loads(r[1])) for r in rows)

    def write_stamp(self) -> int:
        """A number that changes whenever an article is added: the highest row number (rows are
        numbered by AUTOINCREMENT and never reused; articles are never deleted). An index
        lookup, where ``count(*)`` reads every row."""
        return int(self.execute("SELECT coalesce(max(seq), 0) FROM articles").fetchone()[0])

    def count_articles(self, *, source: str | None = None) -> int:
        """How many articles (of one outlet)."""
        where, params = _article_filter(source, None, None)
        return int(self.execute(f"SELECT count(*) FROM articles {where}", params).fetchone()[0])

    def search(self, query: str, *, limit: int = 20) -> list[tuple[Article, float]]:
        """FTS5 BM25 search over titles (weighted 3x) and bodies."""
        match = _fts_query(query)
        if not match:
            return []
        self._index_text()  # inside a transaction: its own new articles are found too
        rows = self.execute(
            "SELECT a.data, bm25(articles_fts, 3.0, 1.0) AS rank FROM articles_fts "
            "JOIN articles a ON a.seq = articles_fts.rowid WHERE articles_fts MATCH ? "
            "ORDER BY rank LIMIT ?",
            (match, limit),
        ).fetchall()
        return [(Article.from_dict(json.loads(r[0])), -float(r[1])) for r in rows]

    def search_page(
        self,
        query: str,
        *,
        limit: int = 20,
        offset: int = 0,
        source: str | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
    ) -> SearchPage:
        """One page of search hits as article summaries (no full article is read or parsed).

        Up to :data:`RANK_LIMIT` matches are ranked by BM25 (titles weighted 3x); a query that
        matches more lists the most recently stored matches first (score 0); ``total`` is then a
        floor.

        Args:
            query: free text; every word must occur (stems match).
            limit, offset: the page.
            source, since, until: the same filters as :meth:`articles`.

        Returns:
            The :class:`SearchPage`: ``(summary with "words", score)`` pairs, totals, order.
        """
        match = _fts_query(query)
        if not match:
            return SearchPage([], 0, True)
        self._index_text()  # inside a transaction: its own new articles are found too
        where, params = _article_filter(source, since, until, alias="a.", joiner="AND")
        join = "JOIN articles a ON a.seq = f.rowid" if where else ""
        matches = f"FROM articles_fts f {join} WHERE articles_fts MATCH ? {where}"
        total = int(
            self.execute(
                f"SELECT count(*) FROM (SELECT 1 {matches} LIMIT ?)", [match, *params, RANK_LIMIT]
            ).fetchone()[0]
        )
        ranked = total < RANK_LIMIT
        if total == 0 or (ranked and offset >= total):
            return SearchPage([], total, ranked, ranked)
        score, order = ("bm25(articles_fts, 3.0, 1.0)", "rank") if ranked else ("0.0", "seq DESC")
        rows = self.execute(
            f"WITH hits AS (SELECT f.rowid AS seq, {score} AS rank {matches} "
            f"ORDER BY {order} LIMIT ? OFFSET ?) "
            "SELECT a.id, a.external_id, a.title, a.source, a.published, a.language, a.url, "
            "a.body, hits.rank FROM hits JOIN articles a ON a.seq = hits.seq "
            f"ORDER BY {'hits.rank' if ranked else 'hits.seq DESC'}",
            [match, *params, limit, offset],
        ).fetchall()
        hits = [(_summary_of(r), -float(r[8]) or 0.0) for r in rows]
        return SearchPage(hits, total, ranked, ranked)

    def sources(self) -> list[tuple[str, int]]:
        """Outlets and their article counts, most first."""
        rows = self.execute(
            "SELECT source, count(*) AS n FROM articles WHERE source IS NOT NULL "
            "GROUP BY source ORDER BY n DESC, source"
        ).fetchall()
        return [(r[0], r[1]) for r in rows]

    # -- rejected -----------------------------------------------------------------------------

    def add_rejected(self, rejected: Rejected) -> None:
        """Record a refused input once per (ref, stage, reason)."""
        self.execute(
            "INSERT INTO rejected (ref, stage, reason, detail, at) VALUES (?,?,?,?,?) "
            "ON CONFLICT(ref, stage, reason) DO UPDATE SET detail = excluded.detail, at = excluded.at",
            (rejected.ref, rejected.stage, rejected.reason, rejected.detail, _now()),
        )

    def rejected(self, *, limit: int | None = None, offset: int = 0) -> list[Rejected]:
        """Refused inputs, newest first."""
        rows = self.execute(
            "SELECT ref, stage, reason, detail FROM rejected ORDER BY seq DESC LIMIT ? OFFSET ?",
            (-1 if limit is None else limit, offset),
        ).fetchall()
        return [Rejected(r[0], r[1], r[2], r[3]) for r in rows]

    def count_rejected(self) -> int:
        """How many refused inputs are recorded."""
        return int(self.execute("SELECT count(*) FROM rejected").fetchone()[0])

    # -- meta ---------------------------------------------------------------------------------

    def get_meta(self, key: str, default: str | None = None) -> str | None:
        """A stored setting or marker."""
        row = self.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return default if row is None else str(row[0])

    def set_meta(self, key: str, value: str) -> None:
        """Store a setting or marker."""
        self.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, value))

    def close(self) -> None:
        """Close the connection (checkpointing the WAL)."""
        with self._lock:
            self._conn.close()

    def __enter__(self) -> SQLiteStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _article_filter(
    source: str | None,
    since: datetime | None,
    until: datetime | None,
    *,
    alias: str = "",
    joiner: str = "WHERE",
) -> tuple[str, list[Any]]:
    """The SQL condition (``joiner`` first, columns prefixed by ``alias``) and its parameters."""
    clauses: list[str] = []
    params: list[Any] = []
    if source is not None:
        clauses.append(f"{alias}source = ? COLLATE NOCASE")
        params.append(source)
    if since is not None:
        clauses.append(f"{alias}published_ts >= ?")
        params.append(timestamp(since))
    if until is not None:
        clauses.append(f"{alias}published_ts < ?")
        params.append(timestamp(until))
    return (f"{joiner} " + " AND ".join(clauses)) if clauses else "", params


def _summary_of(row: Sequence[Any]) -> dict[str, Any]:
    """``Article.summary()`` plus ``words`` from the article columns (id ... url, body)."""
    keys = ("id", "external_id", "title", "source", "published", "language", "url")
    return {**dict(zip(keys, row[:7], strict=True)), "words": len(row[7].split())}


def _fts_query(query: str) -> str:
    """Turn free text into an FTS5 query of quoted terms (so user text is never FTS syntax)."""
    terms = [t for t in "".join(c if c.isalnum() else " " for c in query).split() if t]
    return " ".join(f'"{t}"' for t in terms)


def _split_sql(script: str) -> list[str]:
    """Split a migration script into statements, keeping trigger bodies whole."""
    statements: list[str] = []
    buf = ""
    for part in script.split(";"):
        buf += part
        if sqlite3.complete_statement(buf + ";"):
            if buf.strip():
                statements.append(buf.strip())
            buf = ""
        else:
            buf += ";"
    return statements
