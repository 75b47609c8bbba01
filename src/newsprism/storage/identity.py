"""Which stored article an input is, whatever the flags it was ingested with.

An article's id hashes its outlet, title and body, so two outlets printing one wire text stay two
articles. But an outlet can be *unknown* (no ``--source``, no field in the input): the same text
ingested once with ``--source Reuters`` and once without is one article, not a second one from
outlet "-". So every stored article also keeps its *content key* (the id hash without the outlet),
and a new article is the stored one when:

* its id is stored, or
* its outlet is unknown and a stored article has the same content key (any outlet), or
* its outlet is known and a stored article with the same content key has an unknown outlet.

An input found to be a stored article leaves an *alias*: its external id and input reference,
kept with the stored article, so "where did input id X go?" has an answer
(:meth:`articles_by_external_id`) even when many input lines carry one text.

Schema component ``identity`` (see :func:`newsprism.storage.schema.register_migrations`).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import Any

from newsprism.model import Article, article_id
from newsprism.storage.schema import Migration, register_migrations


def content_key(article: Article) -> str:
    """The article's id hash without the outlet: equal for one text from any outlet."""
    return article_id(None, article.title, article.body)


def _backfill(conn: sqlite3.Connection) -> None:
    """Content keys of the articles stored before this component existed."""
    rows = conn.execute("SELECT data FROM articles ORDER BY seq").fetchall()
    for (data,) in rows:
        article = Article.from_dict(json.loads(data))
        conn.execute("INSERT OR IGNORE INTO article_keys VALUES (?,?,?)",
                     (article.id, content_key(article), int(article.source is not None)))


IDENTITY_MIGRATIONS: list[Migration] = [
    """
    CREATE TABLE article_keys (
        article_id TEXT PRIMARY KEY,
        content_key TEXT NOT NULL,
        has_source INTEGER NOT NULL
    );
    CREATE INDEX article_keys_content ON article_keys(content_key, has_source);
    CREATE TABLE article_aliases (
        article_id TEXT NOT NULL,
        input_ref TEXT NOT NULL,
        external_id TEXT,
        source TEXT,
        at TEXT NOT NULL,
        PRIMARY KEY (article_id, input_ref)
    );
    CREATE INDEX article_aliases_external ON article_aliases(external_id);
    """,
    _backfill,
]
register_migrations("identity", IDENTITY_MIGRATIONS)


def _alias_row(stored_id: str, article: Article) -> tuple[str, str, str | None, str | None, str]:
    return (stored_id, article.input_ref or "", article.external_id, article.source,
            datetime.now(UTC).isoformat(timespec="seconds"))


class IdentitySQLiteMixin:
    """Content keys and aliases for :class:`~newsprism.storage.sqlite.SQLiteStore`."""

    execute: Callable[..., Any]
    get_article: Callable[[str], Article]

    def stored_as(self, article: Article) -> str | None:
        """The id of the stored article that ``article`` is (see the module docstring), or None."""
        if self.execute("SELECT 1 FROM articles WHERE id = ?", (article.id,)).fetchone():
            return article.id
        if article.source is None:
            sql = ("SELECT k.article_id FROM article_keys k JOIN articles a ON a.id = k.article_id "
                   "WHERE k.content_key = ? ORDER BY a.seq LIMIT 1")
        else:
            sql = ("SELECT k.article_id FROM article_keys k JOIN articles a ON a.id = k.article_id "
                   "WHERE k.content_key = ? AND k.has_source = 0 ORDER BY a.seq LIMIT 1")
        row = self.execute(sql, (content_key(article),)).fetchone()
        return None if row is None else str(row[0])

    def _record_key(self, article: Article) -> None:
        """Keep a newly stored article's content key."""
        self.execute("INSERT OR REPLACE INTO article_keys VALUES (?,?,?)",
                     (article.id, content_key(article), int(article.source is not None)))

    def add_alias(self, stored_id: str, article: Article) -> None:
        """Remember that the input ``article`` came from is the stored article ``stored_id``."""
        stored = self.execute("SELECT json_extract(data, '$.input_ref'), external_id "
                              "FROM articles WHERE id = ?", (stored_id,)).fetchone()
        if stored is not None and (stored[0], stored[1]) == (article.input_ref,
                                                             article.external_id):
            return  # the very input it was stored from, read again
        self.execute("INSERT OR REPLACE INTO article_aliases VALUES (?,?,?,?,?)",
                     _alias_row(stored_id, article))

    def aliases(self, stored_id: str) -> list[dict[str, Any]]:
        """The other inputs that are this article: ``input_ref, external_id, source``."""
        rows = self.execute("SELECT input_ref, external_id, source FROM article_aliases "
                            "WHERE article_id = ? ORDER BY rowid", (stored_id,)).fetchall()
        return [{"input_ref": r[0], "external_id": r[1], "source": r[2]} for r in rows]

    def articles_by_external_id(self, external_id: str) -> list[Article]:
        """Stored articles that an input with this external id became (its own or an alias)."""
        rows = self.execute(
            "SELECT id FROM articles WHERE external_id = ? UNION "
            "SELECT article_id FROM article_aliases WHERE external_id = ?",
            (external_id, external_id)).fetchall()
        return [self.get_article(r[0]) for r in rows]


class IdentityMemoryMixin:
    """Content keys and aliases for :class:`~newsprism.storage.memory.MemoryStore` (state made
    in ``__new__`` so MemoryStore's session snapshots include it)."""

    _keys: dict[str, tuple[tuple[str, bool], ...]]
    _aliases: dict[str, dict[str, dict[str, Any]]]
    has_article: Callable[[str], bool]
    get_article: Callable[[str], Article]
    iter_articles: Callable[..., Iterator[Article]]

    def __new__(cls, *args: Any, **kwargs: Any) -> Any:
        obj = super().__new__(cls)
        obj._keys = {}
        obj._aliases = {}
        return obj

    def stored_as(self, article: Article) -> str | None:
        """The id of the stored article that ``article`` is, or None."""
        if self.has_article(article.id):
            return article.id
        for stored_id, has_source in self._keys.get(content_key(article), ()):
            if article.source is None or not has_source:
                return stored_id
        return None

    def _record_key(self, article: Article) -> None:
        """Keep a newly stored article's content key."""
        # New containers, never changed in place: session snapshots are shallow copies.
        key = content_key(article)
        self._keys[key] = (*self._keys.get(key, ()), (article.id, article.source is not None))

    def add_alias(self, stored_id: str, article: Article) -> None:
        """Remember that the input ``article`` came from is the stored article ``stored_id``."""
        stored = self.get_article(stored_id)
        if (stored.input_ref, stored.external_id) == (article.input_ref, article.external_id):
            return
        _, ref, external, source, _ = _alias_row(stored_id, article)
        self._aliases[stored_id] = {**self._aliases.get(stored_id, {}), ref: {
            "input_ref": ref, "external_id": external, "source": source}}

    def aliases(self, stored_id: str) -> list[dict[str, Any]]:
        """The other inputs that are this article."""
        return list(self._aliases.get(stored_id, {}).values())

    def articles_by_external_id(self, external_id: str) -> list[Article]:
        """Stored articles that an input with this external id became."""
        ids = {a.id for a in self.iter_articles() if a.external_id == external_id}
        ids |= {k for k, refs in self._aliases.items()
                if any(r["external_id"] == external_id for r in refs.values())}
        return [self.get_article(i) for i in sorted(ids)]
