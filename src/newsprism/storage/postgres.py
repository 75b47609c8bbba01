"""PostgreSQL store (opt-in, extra ``newsprism[postgres]``): many processes on one database.

``--db postgresql://USER@HOST/DB`` (or ``NEWSPRISM_DB``) selects it. The driver, psycopg 3, is
imported when a store is opened, never when newsprism is: without it, opening one raises
:class:`~newsprism.errors.MissingDependency` with the install command.

* Full-text search: a generated ``tsvector`` column (title weighted A, body B, English stemming)
  with a GIN index, ranked by ``ts_rank`` (titles count 3x, as in the SQLite store).
* Schema versions per component with migrations (:mod:`newsprism.storage.schema`, backend
  ``postgres``), applied under an advisory lock so processes opening a new database at once
  migrate it once.
* :meth:`PostgresStore.session`: one transaction per batch; nested sessions are savepoints, so an
  article the database refuses (a NUL character, a text too long to index) fails alone.
* Concurrent writers: see :meth:`PostgresStore.serialize_writes`.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from typing import Any, Self

from newsprism.errors import MissingDependency, NotFound, StorageError
from newsprism.model import Article, Rejected
from newsprism.storage.pgtables import PgAnalysis, PgIdentity, PgSiteLines, PgStories
from newsprism.storage.schema import (
    Migration,
    now_text,
    register_migrations,
    registered_migrations,
    timestamp,
)
from newsprism.storage.sqlite import RANK_LIMIT, SearchPage

logger = logging.getLogger(__name__)

INSTALL_HINT = "pip install 'newsprism[postgres]'"

WRITE_LOCK = 0x6E657773  # "news": the advisory lock key of newsprism's write transactions
MIGRATE_LOCK = 0x6E657774  # held while a process migrates the schema

_CORE: list[Migration] = [
    """
    CREATE TABLE articles (
        seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        external_id TEXT,
        source TEXT,
        title TEXT NOT NULL,
        body TEXT NOT NULL,
        published TEXT,
        published_ts DOUBLE PRECISION,
        language TEXT,
        url TEXT,
        data TEXT NOT NULL,
        ingested_at TEXT NOT NULL,
        tsv TSVECTOR GENERATED ALWAYS AS (
            setweight(to_tsvector('english', title), 'A')
            || setweight(to_tsvector('english', body), 'B')) STORED
    );
    CREATE INDEX articles_source ON articles (lower(source));
    CREATE INDEX articles_published ON articles (published_ts);
    CREATE INDEX articles_external ON articles (external_id);
    CREATE INDEX articles_id_prefix ON articles (id text_pattern_ops);
    CREATE INDEX articles_tsv ON articles USING GIN (tsv);
    CREATE TABLE rejected (
        seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        ref TEXT NOT NULL,
        stage TEXT NOT NULL,
        reason TEXT NOT NULL,
        detail TEXT NOT NULL,
        at TEXT NOT NULL,
        UNIQUE (ref, stage, reason)
    );
    CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    """,
]
register_migrations("core", _CORE, backend="postgres")

# ts_rank weights {D, C, B, A}: a title word (A) counts 3x a body word (B), as in the SQLite store.
_RANK = "ts_rank('{0.1, 0.1, 0.333, 1.0}', a.tsv, q)"
_COLUMNS = ("id, external_id, source, title, body, published, published_ts, language, url, "
            "data, ingested_at")


def _psycopg() -> Any:
    """The psycopg module, or MissingDependency with the install hint."""
    try:
        import psycopg
    except ImportError as exc:
        raise MissingDependency(
            f"the PostgreSQL store needs psycopg 3: {INSTALL_HINT}") from exc
    return psycopg


def safe_url(url: str) -> str:
    """``url`` with any password replaced by ``***`` (for messages and logs)."""
    head, sep, rest = url.partition("://")
    creds, at, host = rest.rpartition("@")
    if not at or ":" not in creds:
        return url
    return f"{head}{sep}{creds.split(':', 1)[0]}:***@{host}"


class PostgresStore(PgStories, PgAnalysis, PgIdentity, PgSiteLines):
    """A :class:`~newsprism.storage.base.Store` (and StoryStore, AnalysisStore) in a PostgreSQL
    database; the same contract suites as the SQLite and memory stores hold it.

    Args:
        url: ``postgresql://USER[:PASSWORD]@HOST[:PORT]/DB`` (any libpq connection string).
        lock_wait: seconds a write transaction waits in all for other writers before failing
            with a StorageError.

    Raises:
        MissingDependency: psycopg is not installed.
        StorageError: the database cannot be reached or migrated.
    """

    def __init__(self, url: str, *, lock_wait: float = 600.0) -> None:
        psycopg = _psycopg()
        self.url = url
        self.lock_wait = lock_wait
        try:
            self._conn = psycopg.connect(url, autocommit=True)
            # Advisory and row locks give up after lock_wait (a stuck writer is reported).
            self._conn.execute(f"SET lock_timeout = {int(lock_wait * 1000)}")
        except psycopg.Error as exc:
            raise StorageError(f"cannot open the store at {safe_url(url)}: {exc}") from exc
        self._error = psycopg.Error
        self._lock = threading.RLock()
        self._depth = 0
        self._serialized = False
        try:
            self.migrate()
        except BaseException:
            self._conn.close()
            raise

    def __repr__(self) -> str:
        return f"PostgresStore({safe_url(self.url)!r})"

    # -- schema -------------------------------------------------------------------------------

    def migrate(self) -> dict[str, int]:
        """Apply the migrations each component lacks; return the versions now in place.

        Raises:
            StorageError: the database's schema is newer than this newsprism, or a step failed.
        """
        with self.session():
            self.execute("SELECT pg_advisory_xact_lock(%s)", (MIGRATE_LOCK,))
            self.execute("CREATE TABLE IF NOT EXISTS schema_versions "
                         "(component TEXT PRIMARY KEY, version INTEGER NOT NULL)")
            versions = self.schema_versions()
            for component, steps in registered_migrations("postgres"):
                have = versions.get(component, 0)
                if have > len(steps):
                    raise StorageError(
                        f"the store's {component!r} schema is version {have}, newer than this "
                        f"newsprism knows ({len(steps)}): upgrade newsprism")
                for version, step in enumerate(steps[have:], start=have + 1):
                    logger.info("migrating %s schema to version %d", component, version)
                    if callable(step):
                        step(self)
                    else:
                        self.execute(step)
                    self.execute("INSERT INTO schema_versions VALUES (%s, %s) ON CONFLICT "
                                 "(component) DO UPDATE SET version = excluded.version",
                                 (component, version))
                versions[component] = len(steps)
            return versions

    def schema_versions(self) -> dict[str, int]:
        """Component -> schema version stored in the database."""
        rows = self.execute("SELECT component, version FROM schema_versions").fetchall()
        return {r[0]: r[1] for r in rows}

    # -- transactions -------------------------------------------------------------------------

    @contextmanager
    def session(self) -> Iterator[PostgresStore]:
        """One transaction around a batch of writes; a nested session is a savepoint inside it
        (its failure undoes its own writes only, when the caller handles the exception).

        Raises:
            StorageError: the commit failed.
        """
        with self._lock:
            self._depth += 1
            try:
                with self._conn.transaction():
                    yield self
            except self._error as exc:
                raise StorageError(f"the transaction failed: {exc}") from exc
            finally:
                self._depth -= 1
                if self._depth == 0:
                    self._serialized = False

    def serialize_writes(self) -> None:
        """Hold newsprism's write lock until the open transaction ends (nothing outside one).

        A transaction-scoped advisory lock (``pg_advisory_xact_lock``), taken by a batch at its
        first article or rejection write and by anything that reads or writes the linker's state
        (the link generation first of all). Why:

        * the streaming linker keeps stories in memory and trusts them while the stored link
          generation is the one it last wrote; another process linking between its read of the
          generation and its commit would be lost or duplicated. Holding the lock from that read
          to the commit makes each batch's linking see every earlier batch, as one process would;
        * taken at the first article write too, two writers never wait on each other's
          uncommitted rows (the same article in two batches) in opposite orders, a deadlock, and
          the identity check ("is this text stored already?") sees every committed article;
        * advisory, not ``LOCK TABLE``: readers (the web server, searches) never wait, and the
          lock goes with the transaction, so a killed process releases it.

        Parsing, normalizing and text features run outside the transaction, in parallel.

        Raises:
            StorageError: another writer held the lock for ``lock_wait`` seconds.
        """
        if self._depth == 0 or self._serialized:
            return
        self.execute("SELECT pg_advisory_xact_lock(%s)", (WRITE_LOCK,))
        self._serialized = True

    def execute(self, sql: str, params: Sequence[Any] | dict[str, Any] | None = None) -> Any:
        """Run one statement (``%s`` placeholders) in the open session, if any; return the
        cursor.

        Raises:
            StorageError: the database refused it.
        """
        with self._lock:
            try:
                return self._conn.execute(sql, params)
            except (self._error, UnicodeEncodeError) as exc:
                raise StorageError(f"{exc} (in: {sql.strip()[:80]})") from exc

    def executemany(self, sql: str, rows: Sequence[Sequence[Any]] | Any) -> None:
        """Run one statement for many rows (atomic on its own outside a session)."""
        rows = list(rows)
        if not rows:
            return
        with self.session(), self._conn.cursor() as cur:
            try:
                cur.executemany(sql, rows)
            except (self._error, UnicodeEncodeError) as exc:
                raise StorageError(f"{exc} (in: {sql.strip()[:80]})") from exc

    # -- articles -----------------------------------------------------------------------------

    def add_article(self, article: Article) -> bool:
        """Store an article; False (and its input kept as an alias) when it is stored already
        (see :mod:`newsprism.storage.identity`)."""
        self.serialize_writes()
        with self.session():
            stored = self.stored_as(article)
            if stored is not None:
                self.add_alias(stored, article)
                return False
            data = article.to_dict()
            cur = self.execute(
                f"INSERT INTO articles ({_COLUMNS}) VALUES (%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s) "
                "ON CONFLICT (id) DO NOTHING",
                (article.id, article.external_id, article.source, article.title, article.body,
                 data["published"], timestamp(article.published), article.language, article.url,
                 json.dumps(data, ensure_ascii=False), now_text()))
            if cur.rowcount == 0:
                return False
            self._record_key(article)
        return True

    def has_article(self, article_id: str) -> bool:
        """Whether this exact id is stored."""
        return self.execute("SELECT 1 FROM articles WHERE id = %s",
                            (article_id,)).fetchone() is not None

    def get_article(self, article_id: str) -> Article:
        """The article with this id or unique prefix (4+ characters).

        Raises:
            NotFound: no article, or the prefix is ambiguous.
        """
        row = self.execute("SELECT data FROM articles WHERE id = %s", (article_id,)).fetchone()
        if row is None and len(article_id) >= 4:
            rows = self.execute("SELECT data FROM articles WHERE id LIKE %s ORDER BY id LIMIT 2",
                                (_prefix_pattern(article_id),)).fetchall()
            if len(rows) > 1:
                raise NotFound(f"article id prefix {article_id!r} is ambiguous; give more of it")
            row = rows[0] if rows else None
        if row is None:
            raise NotFound(f"no article with id {article_id!r}")
        return Article.from_dict(json.loads(row[0]))

    def articles(self, *, source: str | None = None, since: datetime | None = None,
                 until: datetime | None = None, limit: int | None = None,
                 offset: int = 0) -> list[Article]:
        """Articles in ingest order, filtered by outlet and publication time."""
        where, params = article_filter(source, since, until)
        rows = self.execute(f"SELECT data FROM articles a {where} ORDER BY seq LIMIT %s OFFSET %s",
                            [*params, limit, offset]).fetchall()
        return [Article.from_dict(json.loads(r[0])) for r in rows]

    def iter_articles(self, batch_size: int = 500) -> Iterator[Article]:
        """Every article in ingest order, in batches of ``batch_size``."""
        last = 0
        while True:
            rows = self.execute("SELECT seq, data FROM articles WHERE seq > %s ORDER BY seq "
                                "LIMIT %s", (last, batch_size)).fetchall()
            if not rows:
                return
            last = rows[-1][0]
            yield from (Article.from_dict(json.loads(r[1])) for r in rows)

    def write_stamp(self) -> int:
        """A number that changes when articles are added: the highest row number (an index
        lookup). With several writers, a batch that commits after a later-numbered one leaves
        it unchanged until the next write."""
        return int(self.execute("SELECT coalesce(max(seq), 0) FROM articles").fetchone()[0])

    def count_articles(self, *, source: str | None = None) -> int:
        """How many articles (of one outlet)."""
        where, params = article_filter(source, None, None)
        return int(self.execute(f"SELECT count(*) FROM articles a {where}", params).fetchone()[0])

    def search(self, query: str, *, limit: int = 20) -> list[tuple[Article, float]]:
        """Full-text search (every word must occur, stems match), best ``ts_rank`` first."""
        terms = _terms(query)
        if not terms:
            return []
        rows = self.execute(
            f"SELECT a.data, {_RANK} AS rank FROM articles a, "
            "plainto_tsquery('english', %s) q WHERE a.tsv @@ q ORDER BY rank DESC, a.seq LIMIT %s",
            (terms, limit)).fetchall()
        return [(Article.from_dict(json.loads(r[0])), float(r[1])) for r in rows]

    def search_page(self, query: str, *, limit: int = 20, offset: int = 0,
                    source: str | None = None, since: datetime | None = None,
                    until: datetime | None = None) -> SearchPage:
        """One page of search hits as article summaries; see the SQLite store's twin (up to
        :data:`~newsprism.storage.sqlite.RANK_LIMIT` matches ranked, past that newest first)."""
        terms = _terms(query)
        if not terms:
            return SearchPage([], 0, True)
        where, params = article_filter(source, since, until, joiner="AND")
        matches = f"FROM articles a, plainto_tsquery('english', %s) q WHERE a.tsv @@ q {where}"
        total = int(self.execute(f"SELECT count(*) FROM (SELECT 1 {matches} LIMIT %s) m",
                                 [terms, *params, RANK_LIMIT]).fetchone()[0])
        ranked = total < RANK_LIMIT
        if total == 0 or (ranked and offset >= total):
            return SearchPage([], total, ranked, ranked)
        score, order = (_RANK, "score DESC, a.seq") if ranked else ("0.0", "a.seq DESC")
        rows = self.execute(
            "SELECT a.id, a.external_id, a.title, a.source, a.published, a.language, a.url, "
            f"a.body, {score} AS score {matches} ORDER BY {order} LIMIT %s OFFSET %s",
            [terms, *params, limit, offset]).fetchall()
        keys = ("id", "external_id", "title", "source", "published", "language", "url")
        hits = [({**dict(zip(keys, r[:7], strict=True)), "words": len(r[7].split())},
                 float(r[8])) for r in rows]
        return SearchPage(hits, total, ranked, ranked)

    def sources(self) -> list[tuple[str, int]]:
        """Outlets and their article counts, most first."""
        rows = self.execute("SELECT source, count(*) AS n FROM articles WHERE source IS NOT NULL "
                            "GROUP BY source ORDER BY n DESC, source").fetchall()
        return [(r[0], int(r[1])) for r in rows]

    # -- rejected, meta -----------------------------------------------------------------------

    def add_rejected(self, rejected: Rejected) -> None:
        """Record a refused input once per (ref, stage, reason)."""
        self.serialize_writes()
        self.execute(
            "INSERT INTO rejected (ref, stage, reason, detail, at) VALUES (%s,%s,%s,%s,%s) "
            "ON CONFLICT (ref, stage, reason) DO UPDATE SET detail = excluded.detail, "
            "at = excluded.at",
            (rejected.ref, rejected.stage, rejected.reason, rejected.detail, now_text()))

    def rejected(self, *, limit: int | None = None, offset: int = 0) -> list[Rejected]:
        """Refused inputs, newest first."""
        rows = self.execute("SELECT ref, stage, reason, detail FROM rejected ORDER BY seq DESC "
                            "LIMIT %s OFFSET %s", (limit, offset)).fetchall()
        return [Rejected(r[0], r[1], r[2], r[3]) for r in rows]

    def count_rejected(self) -> int:
        """How many refused inputs are recorded."""
        return int(self.execute("SELECT count(*) FROM rejected").fetchone()[0])

    def get_meta(self, key: str, default: str | None = None) -> str | None:
        """A stored setting or marker."""
        row = self.execute("SELECT value FROM meta WHERE key = %s", (key,)).fetchone()
        return default if row is None else str(row[0])

    def set_meta(self, key: str, value: str) -> None:
        """Store a setting or marker."""
        self.execute("INSERT INTO meta VALUES (%s, %s) ON CONFLICT (key) DO UPDATE "
                     "SET value = excluded.value", (key, value))

    def close(self) -> None:
        """Close the connection."""
        with self._lock:
            self._conn.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def article_filter(source: str | None, since: datetime | None, until: datetime | None, *,
                   joiner: str = "WHERE") -> tuple[str, list[Any]]:
    """The condition on articles ``a`` (``joiner`` first) and its parameters."""
    clauses: list[str] = []
    params: list[Any] = []
    if source is not None:
        clauses.append("lower(a.source) = lower(%s)")
        params.append(source)
    if since is not None:
        clauses.append("a.published_ts >= %s")
        params.append(timestamp(since))
    if until is not None:
        clauses.append("a.published_ts < %s")
        params.append(timestamp(until))
    return (f"{joiner} " + " AND ".join(clauses)) if clauses else "", params


def _prefix_pattern(prefix: str) -> str:
    """A LIKE pattern matching ids that start with ``prefix`` ('%' and '_' in it are text)."""
    return prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _terms(query: str) -> str:
    """The query's words (letters and digits), so user text is never query syntax."""
    return " ".join("".join(c if c.isalnum() else " " for c in query).split())
