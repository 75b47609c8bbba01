"""Stories, analyses, identity and site lines of :class:`~newsprism.storage.postgres.PostgresStore`
(mixins): the SQLite mixins' methods in PostgreSQL's dialect, with the same row helpers.

Tables that the SQLite store reads in ``rowid`` order (story links, duplicate members, failures,
aliases) carry an ``n`` column from a sequence instead; a replaced row takes a new number, as a
replaced SQLite row takes a new rowid. Link-state writes and reads of the link generation hold
the store's write lock (:meth:`~newsprism.storage.postgres.PostgresStore.serialize_writes`).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from newsprism.errors import NotFound
from newsprism.model import (
    Analysis,
    Article,
    DuplicateGroup,
    DuplicateMember,
    Rejected,
    Story,
    StoryArticle,
    StoryMerge,
)
from newsprism.storage.analysis import _pick_names, entity_rows
from newsprism.storage.identity import _alias_row, content_key
from newsprism.storage.schema import now_text, register_migrations, timestamp
from newsprism.storage.sitelines import _grow
from newsprism.storage.stories import (
    DOCS_KEY,
    GENERATION_KEY,
    WATERMARK_KEY,
    _groups,
    _link_from_row,
    _now,
    _story_from_row,
)

register_migrations("stories", ["""
CREATE TABLE stories (
    id TEXT PRIMARY KEY, seq BIGINT NOT NULL, title TEXT NOT NULL, article_count INTEGER NOT NULL,
    sources TEXT NOT NULL, first_ts DOUBLE PRECISION, last_ts DOUBLE PRECISION,
    first_reporter TEXT, merged_into TEXT, updated_at TEXT NOT NULL
);
CREATE INDEX stories_last ON stories (last_ts);
CREATE INDEX stories_merged ON stories (merged_into);
CREATE INDEX stories_id_prefix ON stories (id text_pattern_ops);
CREATE SEQUENCE row_order;
CREATE TABLE story_articles (
    article_id TEXT PRIMARY KEY, story_id TEXT NOT NULL, ts DOUBLE PRECISION NOT NULL,
    time_note TEXT NOT NULL, reason TEXT NOT NULL, score DOUBLE PRECISION NOT NULL,
    n BIGINT NOT NULL DEFAULT nextval('row_order')
);
CREATE INDEX story_articles_story ON story_articles (story_id, ts);
CREATE TABLE story_merges (
    seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY, survivor TEXT NOT NULL,
    merged TEXT NOT NULL, reason TEXT NOT NULL, at TEXT NOT NULL
);
CREATE INDEX story_merges_survivor ON story_merges (survivor);
CREATE INDEX story_merges_merged ON story_merges (merged);
CREATE TABLE duplicate_members (
    article_id TEXT PRIMARY KEY, group_id TEXT NOT NULL, kind TEXT NOT NULL,
    jaccard DOUBLE PRECISION NOT NULL, matched TEXT,
    n BIGINT NOT NULL DEFAULT nextval('row_order')
);
CREATE INDEX duplicate_members_group ON duplicate_members (group_id);
CREATE TABLE link_df (feature BIGINT PRIMARY KEY, n BIGINT NOT NULL);
"""], backend="postgres")

register_migrations("analysis", ["""
CREATE TABLE analyses (
    article_id TEXT PRIMARY KEY, version TEXT NOT NULL, data TEXT NOT NULL,
    analyzed_at TEXT NOT NULL
);
CREATE TABLE analysis_entities (
    article_id TEXT NOT NULL, key TEXT NOT NULL, label TEXT NOT NULL, canonical TEXT NOT NULL,
    mentions INTEGER NOT NULL, PRIMARY KEY (article_id, key, canonical)
);
CREATE INDEX analysis_entities_key ON analysis_entities (key);
CREATE TABLE failures (
    article_id TEXT NOT NULL, stage TEXT NOT NULL, version TEXT NOT NULL, reason TEXT NOT NULL,
    detail TEXT NOT NULL, at TEXT NOT NULL, n BIGINT NOT NULL DEFAULT nextval('row_order'),
    PRIMARY KEY (article_id, stage)
);
"""], backend="postgres")

register_migrations("identity", ["""
CREATE TABLE article_keys (
    article_id TEXT PRIMARY KEY, content_key TEXT NOT NULL, has_source INTEGER NOT NULL
);
CREATE INDEX article_keys_content ON article_keys (content_key, has_source);
CREATE TABLE article_aliases (
    article_id TEXT NOT NULL, input_ref TEXT NOT NULL, external_id TEXT, source TEXT,
    at TEXT NOT NULL, n BIGINT NOT NULL DEFAULT nextval('row_order'),
    PRIMARY KEY (article_id, input_ref)
);
CREATE INDEX article_aliases_external ON article_aliases (external_id);
"""], backend="postgres")

register_migrations("site_lines", ["""
CREATE TABLE site_lines (
    outlet TEXT NOT NULL, line BIGINT NOT NULL, stories TEXT NOT NULL,
    boilerplate INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (outlet, line)
);
CREATE INDEX site_lines_boilerplate ON site_lines (outlet, boilerplate);
"""], backend="postgres")

_STORY_COLUMNS = ("id, seq, title, article_count, sources, first_ts, last_ts, first_reporter, "
                  "merged_into, updated_at")
_STORY_KEYS = tuple(c.strip() for c in _STORY_COLUMNS.split(","))
_LINK_COLUMNS = "article_id, story_id, ts, time_note, reason, score"


def _upsert(table: str, columns: str, key: str, renumber: bool = False) -> str:
    """INSERT ... ON CONFLICT (key) DO UPDATE every other column (``n`` renumbered if asked)."""
    names = [c.strip() for c in columns.split(",")]
    keys = {k.strip() for k in key.split(",")}
    sets = [f"{c} = excluded.{c}" for c in names if c not in keys]
    if renumber:
        sets.append("n = nextval('row_order')")
    marks = ",".join(["%s"] * len(names))
    return (f"INSERT INTO {table} ({columns}) VALUES ({marks}) ON CONFLICT ({key}) "
            f"DO UPDATE SET {', '.join(sets)}")


def _stories(rows: Iterable[Sequence[Any]]) -> list[Story]:
    return [_story_from_row(dict(zip(_STORY_KEYS, r, strict=True))) for r in rows]


def _links(rows: Iterable[Sequence[Any]]) -> list[StoryArticle]:
    keys = [c.strip() for c in _LINK_COLUMNS.split(",")]
    return [_link_from_row(dict(zip(keys, r, strict=True))) for r in rows]


class PgStories:
    """Story methods (see :class:`~newsprism.storage.stories.SQLiteStoryStore` for each)."""

    execute: Any
    executemany: Any
    session: Any
    serialize_writes: Any
    get_meta: Any
    set_meta: Any

    def save_stories(self, stories: Iterable[Story]) -> None:
        """Insert or replace story summaries."""
        now = _now().isoformat()
        rows = [(s.id, s.seq, s.title, s.article_count,
                 json.dumps(list(s.sources), ensure_ascii=False), timestamp(s.first_published),
                 timestamp(s.last_published), s.first_reporter, s.merged_into, now)
                for s in stories]
        self.serialize_writes()
        self.executemany(_upsert("stories", _STORY_COLUMNS, "id"), rows)

    def get_story_record(self, story_id: str) -> Story:
        """The stored story with this id or unique id prefix (4+ characters), merged or not.

        Raises:
            NotFound: no such story, or the prefix is ambiguous.
        """
        rows = self.execute(f"SELECT {_STORY_COLUMNS} FROM stories WHERE id = %s",
                            (story_id,)).fetchall()
        if not rows and len(story_id) >= 4:
            from newsprism.storage.postgres import _prefix_pattern

            rows = self.execute(f"SELECT {_STORY_COLUMNS} FROM stories WHERE id LIKE %s LIMIT 2",
                                (_prefix_pattern(story_id),)).fetchall()
            if len(rows) > 1:
                raise NotFound(f"story id prefix {story_id!r} is ambiguous; give more of it")
        if not rows:
            raise NotFound(f"no story with id {story_id!r}")
        return _stories(rows)[0]

    def has_story(self, story_id: str) -> bool:
        """Whether a story (live or merged) has exactly this id."""
        return self.execute("SELECT 1 FROM stories WHERE id = %s", (story_id,)).fetchone() is not None

    def list_stories(self, *, since: datetime | None = None, source: str | None = None,
                     limit: int | None = None, offset: int = 0) -> list[Story]:
        """Live stories, latest activity first, optionally active since a time or told by an
        outlet."""
        clauses: list[str] = ["merged_into IS NULL"]
        params: list[Any] = []
        if since is not None:
            clauses.append("last_ts >= %s")
            params.append(timestamp(since))
        if source is not None:
            clauses.append("EXISTS (SELECT 1 FROM story_articles sa JOIN articles a ON "
                           "a.id = sa.article_id WHERE sa.story_id = stories.id AND "
                           "lower(a.source) = lower(%s))")
            params.append(source)
        rows = self.execute(
            f"SELECT {_STORY_COLUMNS} FROM stories WHERE {' AND '.join(clauses)} "
            "ORDER BY last_ts DESC NULLS LAST, seq DESC LIMIT %s OFFSET %s",
            [*params, limit, offset]).fetchall()
        return _stories(rows)

    def count_stories(self) -> int:
        """How many live stories."""
        return int(self.execute("SELECT count(*) FROM stories WHERE merged_into IS NULL")
                   .fetchone()[0])

    def stories_between(self, start: datetime, end: datetime) -> list[Story]:
        """Live stories whose time span overlaps ``[start, end]``, latest activity first."""
        rows = self.execute(
            f"SELECT {_STORY_COLUMNS} FROM stories WHERE merged_into IS NULL AND last_ts >= %s "
            "AND first_ts <= %s ORDER BY last_ts DESC, seq DESC",
            (timestamp(start), timestamp(end))).fetchall()
        return _stories(rows)

    def next_story_seq(self) -> int:
        """The creation number the next new story gets."""
        return int(self.execute("SELECT coalesce(max(seq), 0) + 1 FROM stories").fetchone()[0])

    def save_story_articles(self, links: Sequence[StoryArticle]) -> None:
        """Insert or replace article -> story links."""
        rows = [(x.article_id, x.story_id, x.time.timestamp(), x.time_note, x.reason,
                 float(x.score)) for x in links]
        self.serialize_writes()
        self.executemany(_upsert("story_articles", _LINK_COLUMNS, "article_id", True), rows)

    def story_articles(self, story_id: str) -> list[StoryArticle]:
        """The links of one story's articles, in time order."""
        rows = self.execute(f"SELECT {_LINK_COLUMNS} FROM story_articles WHERE story_id = %s "
                            "ORDER BY ts, n", (story_id,)).fetchall()
        return _links(rows)

    def story_article(self, article_id: str) -> StoryArticle | None:
        """The link of one article, or None when it was never linked."""
        rows = self.execute(f"SELECT {_LINK_COLUMNS} FROM story_articles WHERE article_id = %s",
                            (article_id,)).fetchall()
        return _links(rows)[0] if rows else None

    def move_story_articles(self, from_story: str, to_story: str) -> None:
        """Relink every article of ``from_story`` to ``to_story`` (a merge)."""
        self.serialize_writes()
        self.execute("UPDATE story_articles SET story_id = %s WHERE story_id = %s",
                     (to_story, from_story))

    def delete_story_articles(self, article_ids: Sequence[str]) -> None:
        """Forget the links of these articles."""
        self.serialize_writes()
        self.execute("DELETE FROM story_articles WHERE article_id = ANY(%s)", (list(article_ids),))

    def unlinked_article_ids(self, limit: int | None = None) -> list[str]:
        """Stored articles without a story, in ingest order."""
        rows = self.execute(
            "SELECT a.id FROM articles a WHERE NOT EXISTS (SELECT 1 FROM story_articles sa "
            "WHERE sa.article_id = a.id) ORDER BY a.seq LIMIT %s", (limit,)).fetchall()
        return [r[0] for r in rows]

    def record_merge(self, merge: StoryMerge) -> None:
        """Keep the history of a merge."""
        self.serialize_writes()
        self.execute("INSERT INTO story_merges (survivor, merged, reason, at) VALUES (%s,%s,%s,%s)",
                     (merge.survivor, merge.merged, merge.reason, merge.at.isoformat()))

    def story_merges(self, story_id: str | None = None) -> list[StoryMerge]:
        """Recorded merges (into or of ``story_id`` when given), oldest first."""
        sql = "SELECT survivor, merged, reason, at FROM story_merges"
        params: tuple[Any, ...] = ()
        if story_id is not None:
            sql, params = sql + " WHERE survivor = %s OR merged = %s", (story_id, story_id)
        rows = self.execute(sql + " ORDER BY seq", params).fetchall()
        return [StoryMerge(r[0], r[1], r[2], datetime.fromisoformat(r[3])) for r in rows]

    def save_duplicate_members(self, group_id: str, members: Sequence[DuplicateMember]) -> None:
        """Put articles into duplicate group ``group_id``."""
        rows = [(m.article_id, group_id, m.kind, float(m.jaccard), m.matched) for m in members]
        self.serialize_writes()
        self.executemany(_upsert("duplicate_members", "article_id, group_id, kind, jaccard, "
                                 "matched", "article_id", True), rows)

    def rename_duplicate_group(self, old: str, new: str) -> None:
        """Fold duplicate group ``old`` into ``new``."""
        self.serialize_writes()
        self.execute("UPDATE duplicate_members SET group_id = %s WHERE group_id = %s", (new, old))

    def duplicate_groups(self, article_ids: Sequence[str] | None = None) -> list[DuplicateGroup]:
        """Duplicate groups (those holding one of ``article_ids`` when given), largest first."""
        sql = "SELECT article_id, group_id, kind, jaccard, matched FROM duplicate_members"
        params: tuple[Any, ...] = ()
        if article_ids is not None:
            sql += (" WHERE group_id IN (SELECT group_id FROM duplicate_members "
                    "WHERE article_id = ANY(%s))")
            params = (list(article_ids),)
        rows = self.execute(sql + " ORDER BY group_id, n", params).fetchall()
        return _groups([(r[1], DuplicateMember(r[0], r[2], r[3], r[4])) for r in rows])

    def delete_duplicate_members(self, article_ids: Sequence[str]) -> None:
        """Take these articles out of their duplicate groups."""
        self.serialize_writes()
        self.execute("DELETE FROM duplicate_members WHERE article_id = ANY(%s)",
                     (list(article_ids),))

    def link_generation(self) -> int:
        """Counter bumped on every write of story links. Read inside a transaction, it takes
        the write lock first: the linker trusts its memory from this read to its commit."""
        self.serialize_writes()
        return int(self.get_meta(GENERATION_KEY, "0") or 0)

    def bump_link_generation(self) -> int:
        """Increase the link generation; return the new value."""
        value = self.link_generation() + 1
        self.set_meta(GENERATION_KEY, str(value))
        return value

    def link_watermark(self) -> float | None:
        """The streaming linker's retire watermark (see the SQLite twin); None before."""
        value = self.get_meta(WATERMARK_KEY)
        return float(value) if value else None

    def raise_link_watermark(self, value: float) -> None:
        """Move the watermark to ``value`` if that is later (it never moves back)."""
        self.serialize_writes()
        old = self.link_watermark()
        if old is None or value > old:
            self.set_meta(WATERMARK_KEY, repr(float(value)))

    def add_link_counts(self, features: Sequence[int], counts: Sequence[int], docs: int) -> None:
        """Add to the linker's document frequencies and to the number of articles counted."""
        self.serialize_writes()
        with self.session():
            self.executemany("INSERT INTO link_df VALUES (%s, %s) ON CONFLICT (feature) DO UPDATE "
                             "SET n = link_df.n + excluded.n",
                             [(int(f), int(n)) for f, n in zip(features, counts, strict=True)])
            self.set_meta(DOCS_KEY, str(int(self.get_meta(DOCS_KEY, "0") or 0) + docs))

    def link_counts(self) -> tuple[list[int], list[int], int]:
        """The linker's document frequencies: (feature ids, counts, articles counted)."""
        rows = self.execute("SELECT feature, n FROM link_df").fetchall()
        return [r[0] for r in rows], [r[1] for r in rows], int(self.get_meta(DOCS_KEY, "0") or 0)


class PgSiteLines:
    """Site-line methods (see :class:`~newsprism.storage.sitelines.SQLiteSiteLines`)."""

    execute: Any
    executemany: Any
    serialize_writes: Any

    def count_site_lines(self, outlet: str, lines: Sequence[tuple[int, str]], limit: int) -> list[int]:
        """Count ``(line key, story id)`` sightings of an outlet; return the keys that just
        became boilerplate (seen under ``limit`` different stories)."""
        self.serialize_writes()
        keys = sorted({int(k) for k, _ in lines})
        known = {line: (stories.split("\x1f") if stories else []) for line, stories in self.execute(
            "SELECT line, stories FROM site_lines WHERE outlet = %s AND line = ANY(%s)",
            (outlet, keys)).fetchall()}
        changed: dict[int, list[str]] = {}
        for key, story in lines:
            grown = _grow(changed.get(key, known.get(key, [])), story, limit)
            if grown is not None:
                changed[key] = grown
        self.executemany(_upsert("site_lines", "outlet, line, stories, boilerplate", "outlet, line"),
                         [(outlet, k, "\x1f".join(v), int(len(v) >= limit))
                          for k, v in changed.items()])
        return [k for k, v in changed.items() if len(v) >= limit]

    def site_boilerplate(self, outlet: str) -> set[int]:
        """The line keys that are this outlet's boilerplate."""
        rows = self.execute("SELECT line FROM site_lines WHERE outlet = %s AND boilerplate = 1",
                            (outlet,)).fetchall()
        return {r[0] for r in rows}


class PgAnalysis:
    """Analysis and failure methods (see :class:`~newsprism.storage.analysis.AnalysisSQLiteMixin`)."""

    execute: Any
    executemany: Any
    session: Any
    has_article: Any

    def save_analysis(self, analysis: Analysis) -> None:
        """Store (or replace) the analysis of a stored article.

        Raises:
            NotFound: the article is not in the store.
        """
        if not self.has_article(analysis.article_id):
            raise NotFound(f"no article with id {analysis.article_id!r} to attach an analysis to")
        aid = analysis.article_id
        with self.session():
            self.execute(_upsert("analyses", "article_id, version, data, analyzed_at", "article_id"),
                         (aid, analysis.version, json.dumps(analysis.to_dict(), ensure_ascii=False),
                          now_text()))
            self.execute("DELETE FROM analysis_entities WHERE article_id = %s", (aid,))
            self.executemany("INSERT INTO analysis_entities VALUES (%s,%s,%s,%s,%s)",
                             [(aid, *row) for row in entity_rows(analysis)])
            self.execute("DELETE FROM failures WHERE article_id = %s AND stage = 'analyze'", (aid,))

    def record_failure(self, article_id: str, stage: str, version: str, reason: str,
                       detail: str) -> None:
        """Record that ``stage`` (at ``version``) failed on a stored article, and why."""
        self.execute(_upsert("failures", "article_id, stage, version, reason, detail, at",
                             "article_id, stage", True),
                     (article_id, stage, version, reason, detail, now_text()))

    def failures(self, *, stage: str | None = None, article_id: str | None = None,
                 limit: int | None = None, offset: int = 0) -> list[Rejected]:
        """Recorded stage failures, newest first; optionally of one stage or one article."""
        where, params = _failure_filter(stage, article_id)
        rows = self.execute(f"SELECT article_id, stage, reason, detail FROM failures {where} "
                            "ORDER BY at DESC, n DESC LIMIT %s OFFSET %s",
                            [*params, limit, offset]).fetchall()
        return [Rejected(r[0], r[1], r[2], r[3]) for r in rows]

    def count_failures(self, *, stage: str | None = None) -> int:
        """How many stage failures are recorded (of one stage)."""
        where, params = _failure_filter(stage, None)
        return int(self.execute(f"SELECT count(*) FROM failures {where}", params).fetchone()[0])

    def get_analysis(self, article_id: str) -> Analysis | None:
        """The stored analysis of an article (exact id), or None."""
        row = self.execute("SELECT data FROM analyses WHERE article_id = %s",
                           (article_id,)).fetchone()
        return None if row is None else Analysis.from_dict(json.loads(row[0]))

    def ids_needing_analysis(self, version: str | None, *, limit: int | None = None,
                             failed: bool = False) -> list[str]:
        """Ids of articles (ingest order) with no analysis or one of another version (see the
        SQLite twin for ``failed``)."""
        if version is None:
            rows = self.execute("SELECT id FROM articles ORDER BY seq LIMIT %s", (limit,))
        else:
            rows = self.execute(
                "SELECT a.id FROM articles a LEFT JOIN analyses n ON n.article_id = a.id "
                "LEFT JOIN failures f ON f.article_id = a.id AND f.stage = 'analyze' "
                "AND f.version = %s WHERE (n.article_id IS NULL OR n.version != %s) "
                "AND (f.article_id IS NULL OR %s) ORDER BY a.seq LIMIT %s",
                (version, version, failed, limit))
        return [r[0] for r in rows.fetchall()]

    def ids_failed(self, stage: str = "analyze") -> list[str]:
        """Ids of articles (ingest order) with a recorded failure of ``stage``."""
        rows = self.execute("SELECT a.id FROM articles a JOIN failures f ON f.article_id = a.id "
                            "WHERE f.stage = %s ORDER BY a.seq", (stage,)).fetchall()
        return [r[0] for r in rows]

    def count_analyses(self, *, version: str | None = None) -> int:
        """How many analyses are stored (of one version)."""
        if version is None:
            return int(self.execute("SELECT count(*) FROM analyses").fetchone()[0])
        return int(self.execute("SELECT count(*) FROM analyses WHERE version = %s",
                                (version,)).fetchone()[0])

    def articles_with_entity(self, key: str) -> list[str]:
        """Ids of analysed articles that mention the entity ``key``."""
        rows = self.execute("SELECT DISTINCT article_id FROM analysis_entities WHERE key = %s "
                            "ORDER BY article_id", (key,)).fetchall()
        return [r[0] for r in rows]

    def entity_names(self, keys: Sequence[str] | None = None) -> dict[str, str]:
        """Store-wide canonical name of entity keys: the most-mentioned name across articles."""
        sql = "SELECT key, canonical, sum(mentions) FROM analysis_entities"
        params: tuple[Any, ...] = ()
        if keys is not None:
            sql, params = sql + " WHERE key = ANY(%s)", (list(keys),)
        rows = self.execute(sql + " GROUP BY key, canonical", params).fetchall()
        return _pick_names([(r[0], r[1], int(r[2])) for r in rows])


def _failure_filter(stage: str | None, article_id: str | None) -> tuple[str, list[Any]]:
    clauses = [c for c, v in (("stage = %s", stage), ("article_id = %s", article_id))
               if v is not None]
    params = [v for v in (stage, article_id) if v is not None]
    return ("WHERE " + " AND ".join(clauses)) if clauses else "", params


class PgIdentity:
    """Content keys and aliases (see :mod:`newsprism.storage.identity`)."""

    execute: Any
    get_article: Any

    def stored_as(self, article: Article) -> str | None:
        """The id of the stored article that ``article`` is, or None."""
        if self.execute("SELECT 1 FROM articles WHERE id = %s", (article.id,)).fetchone():
            return article.id
        known = "" if article.source is None else "AND k.has_source = 0 "
        row = self.execute(
            "SELECT k.article_id FROM article_keys k JOIN articles a ON a.id = k.article_id "
            f"WHERE k.content_key = %s {known}ORDER BY a.seq LIMIT 1",
            (content_key(article),)).fetchone()
        return None if row is None else str(row[0])

    def _record_key(self, article: Article) -> None:
        """Keep a newly stored article's content key."""
        self.execute(_upsert("article_keys", "article_id, content_key, has_source", "article_id"),
                     (article.id, content_key(article), int(article.source is not None)))

    def add_alias(self, stored_id: str, article: Article) -> None:
        """Remember that the input ``article`` came from is the stored article ``stored_id``."""
        stored = self.execute("SELECT data::json->>'input_ref', external_id FROM articles "
                              "WHERE id = %s", (stored_id,)).fetchone()
        if stored is not None and (stored[0], stored[1]) == (article.input_ref,
                                                             article.external_id):
            return
        self.execute(_upsert("article_aliases", "article_id, input_ref, external_id, source, at",
                             "article_id, input_ref", True), _alias_row(stored_id, article))

    def aliases(self, stored_id: str) -> list[dict[str, Any]]:
        """The other inputs that are this article: ``input_ref, external_id, source``."""
        rows = self.execute("SELECT input_ref, external_id, source FROM article_aliases "
                            "WHERE article_id = %s ORDER BY n", (stored_id,)).fetchall()
        return [{"input_ref": r[0], "external_id": r[1], "source": r[2]} for r in rows]

    def articles_by_external_id(self, external_id: str) -> list[Article]:
        """Stored articles that an input with this external id became (its own or an alias)."""
        rows = self.execute(
            "SELECT id FROM articles WHERE external_id = %s UNION "
            "SELECT article_id FROM article_aliases WHERE external_id = %s",
            (external_id, external_id)).fetchall()
        return [self.get_article(r[0]) for r in rows]
