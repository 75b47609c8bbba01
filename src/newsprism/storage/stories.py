"""Persistence of stories, article links, merges and duplicate groups, for both backends.

Importing this module registers the ``stories`` schema of the SQLite store
(:mod:`newsprism.storage.schema`); the store classes inherit :class:`SQLiteStoryStore` / :class:`MemoryStoryStore`, which give both backends the same
story methods (one contract suite, ``tests/contract/test_story_store.py``, holds them to it).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import Any, Protocol, Self, runtime_checkable

from newsprism.errors import ConfigError, NotFound
from newsprism.model import DuplicateGroup, DuplicateMember, Story, StoryArticle, StoryMerge
from newsprism.storage.base import Store
from newsprism.storage.schema import register_migrations, timestamp

GENERATION_KEY = "link.generation"
"""Meta key bumped by every write of story links (a linker holding state compares it)."""
WATERMARK_KEY = "link.watermark"
"""Meta key: the stream's retire watermark (UTC seconds), see ``link_watermark``."""
DOCS_KEY = "link.df_docs"
"""Meta key: how many articles the stored document frequencies count."""

# Version 2: the streaming linker's document frequencies, so a new process weighs terms as the
# uninterrupted stream would (a restart must change no decision).
_LINK_DF = """
CREATE TABLE link_df (feature INTEGER PRIMARY KEY, n INTEGER NOT NULL);
"""

_SCHEMA = """
CREATE TABLE stories (
    id TEXT PRIMARY KEY,
    seq INTEGER NOT NULL,
    title TEXT NOT NULL,
    article_count INTEGER NOT NULL,
    sources TEXT NOT NULL,
    first_ts REAL,
    last_ts REAL,
    first_reporter TEXT,
    merged_into TEXT,
    updated_at TEXT NOT NULL
);
CREATE INDEX stories_last ON stories(last_ts);
CREATE INDEX stories_merged ON stories(merged_into);
CREATE TABLE story_articles (
    article_id TEXT PRIMARY KEY,
    story_id TEXT NOT NULL,
    ts REAL NOT NULL,
    time_note TEXT NOT NULL,
    reason TEXT NOT NULL,
    score REAL NOT NULL
);
CREATE INDEX story_articles_story ON story_articles(story_id, ts);
CREATE TABLE story_merges (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    survivor TEXT NOT NULL,
    merged TEXT NOT NULL,
    reason TEXT NOT NULL,
    at TEXT NOT NULL
);
CREATE INDEX story_merges_survivor ON story_merges(survivor);
CREATE INDEX story_merges_merged ON story_merges(merged);
CREATE TABLE duplicate_members (
    article_id TEXT PRIMARY KEY,
    group_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    jaccard REAL NOT NULL,
    matched TEXT
);
CREATE INDEX duplicate_members_group ON duplicate_members(group_id);
"""
register_migrations("stories", [_SCHEMA, _LINK_DF])


@runtime_checkable
class StoryStore(Store, Protocol):
    """A :class:`~newsprism.storage.base.Store` that also keeps stories (every backend does, via
    the mixins below). Methods are documented on :class:`SQLiteStoryStore`."""

    def save_stories(self, stories: Iterable[Story]) -> None: ...
    def get_story_record(self, story_id: str) -> Story: ...
    def has_story(self, story_id: str) -> bool: ...
    def list_stories(
        self, *, since: datetime | None = None, source: str | None = None,
        limit: int | None = None, offset: int = 0,
    ) -> list[Story]: ...
    def count_stories(self) -> int: ...
    def next_story_seq(self) -> int: ...
    def save_story_articles(self, links: Sequence[StoryArticle]) -> None: ...
    def story_articles(self, story_id: str) -> list[StoryArticle]: ...
    def story_article(self, article_id: str) -> StoryArticle | None: ...
    def move_story_articles(self, from_story: str, to_story: str) -> None: ...
    def delete_story_articles(self, article_ids: Sequence[str]) -> None: ...
    def unlinked_article_ids(self, limit: int | None = None) -> list[str]: ...
    def record_merge(self, merge: StoryMerge) -> None: ...
    def story_merges(self, story_id: str | None = None) -> list[StoryMerge]: ...
    def save_duplicate_members(self, group_id: str, members: Sequence[DuplicateMember]) -> None: ...
    def rename_duplicate_group(self, old: str, new: str) -> None: ...
    def duplicate_groups(self, article_ids: Sequence[str] | None = None) -> list[DuplicateGroup]: ...
    def delete_duplicate_members(self, article_ids: Sequence[str]) -> None: ...
    def link_generation(self) -> int: ...
    def bump_link_generation(self) -> int: ...
    def link_watermark(self) -> float | None: ...
    def stories_between(self, start: datetime, end: datetime) -> list[Story]: ...
    def count_site_lines(self, outlet: str, lines: Sequence[tuple[int, str]], limit: int) -> list[int]: ...
    def site_boilerplate(self, outlet: str) -> set[int]: ...
    def raise_link_watermark(self, value: float) -> None: ...
    def add_link_counts(self, features: Sequence[int], counts: Sequence[int], docs: int) -> None: ...
    def link_counts(self) -> tuple[list[int], list[int], int]: ...


def story_store(store: Store) -> StoryStore:
    """``store`` as a :class:`StoryStore`.

    Raises:
        ConfigError: the store keeps no stories (not one of newsprism's backends).
    """
    if not isinstance(store, StoryStore):
        raise ConfigError(
            f"this needs a store that keeps stories (SQLiteStore, MemoryStore), got {type(store).__name__}"
        )
    return store


def _dt(ts: float | None) -> datetime | None:
    return None if ts is None else datetime.fromtimestamp(ts, UTC)


def _now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


class SQLiteStoryStore:
    """Story methods of :class:`~newsprism.storage.sqlite.SQLiteStore` (mixin)."""

    execute: Any
    executemany: Any
    session: Any
    get_meta: Any
    set_meta: Any

    def save_stories(self, stories: Iterable[Story]) -> None:
        """Insert or replace story summaries."""
        now = _now().isoformat()
        rows = [
            (s.id, s.seq, s.title, s.article_count, json.dumps(list(s.sources), ensure_ascii=False),
             timestamp(s.first_published), timestamp(s.last_published), s.first_reporter,
             s.merged_into, now)
            for s in stories
        ]
        if rows:
            self.executemany("INSERT OR REPLACE INTO stories VALUES (?,?,?,?,?,?,?,?,?,?)", rows)

    def get_story_record(self, story_id: str) -> Story:
        """The stored story with this id or unique id prefix (4+ characters), merged or not.

        Raises:
            NotFound: no such story, or the prefix is ambiguous.
        """
        row = self.execute("SELECT * FROM stories WHERE id = ?", (story_id,)).fetchone()
        if row is None and len(story_id) >= 4:
            rows = self.execute(
                "SELECT * FROM stories WHERE id LIKE ? || '%' LIMIT 2", (story_id,)
            ).fetchall()
            if len(rows) > 1:
                raise NotFound(f"story id prefix {story_id!r} is ambiguous; give more of it")
            row = rows[0] if rows else None
        if row is None:
            raise NotFound(f"no story with id {story_id!r}")
        return _story_from_row(row)

    def has_story(self, story_id: str) -> bool:
        """Whether a story (live or merged) has exactly this id."""
        return self.execute("SELECT 1 FROM stories WHERE id = ?", (story_id,)).fetchone() is not None

    def list_stories(
        self,
        *,
        since: datetime | None = None,
        source: str | None = None,
        limit: int | None = None,
        offset: int = 0,
    ) -> list[Story]:
        """Live (not merged) stories, latest activity first, optionally active since a time or
        told by an outlet."""
        clauses = ["merged_into IS NULL"]
        params: list[Any] = []
        if since is not None:
            clauses.append("last_ts >= ?")
            params.append(timestamp(since))
        if source is not None:
            clauses.append(
                "EXISTS (SELECT 1 FROM story_articles sa JOIN articles a ON a.id = sa.article_id "
                "WHERE sa.story_id = stories.id AND a.source = ? COLLATE NOCASE)"
            )
            params.append(source)
        sql = (
            f"SELECT * FROM stories WHERE {' AND '.join(clauses)} "
            "ORDER BY last_ts DESC, seq DESC LIMIT ? OFFSET ?"
        )
        rows = self.execute(sql, [*params, -1 if limit is None else limit, offset]).fetchall()
        return [_story_from_row(r) for r in rows]

    def count_stories(self) -> int:
        """How many live stories."""
        return int(self.execute("SELECT count(*) FROM stories WHERE merged_into IS NULL").fetchone()[0])

    def stories_between(self, start: datetime, end: datetime) -> list[Story]:
        """Live stories whose time span overlaps ``[start, end]``, latest activity first."""
        rows = self.execute(
            "SELECT * FROM stories WHERE merged_into IS NULL AND last_ts >= ? AND first_ts <= ? "
            "ORDER BY last_ts DESC, seq DESC",
            (timestamp(start), timestamp(end)),
        ).fetchall()
        return [_story_from_row(r) for r in rows]

    def next_story_seq(self) -> int:
        """The creation number the next new story gets (older stories have smaller ones)."""
        return int(self.execute("SELECT coalesce(max(seq), 0) + 1 FROM stories").fetchone()[0])

    def save_story_articles(self, links: Sequence[StoryArticle]) -> None:
        """Insert or replace article -> story links."""
        rows = [
            (x.article_id, x.story_id, x.time.timestamp(), x.time_note, x.reason, float(x.score))
            for x in links
        ]
        if rows:
            self.executemany("INSERT OR REPLACE INTO story_articles VALUES (?,?,?,?,?,?)", rows)

    def story_articles(self, story_id: str) -> list[StoryArticle]:
        """The links of one story's articles, in time order."""
        rows = self.execute(
            "SELECT * FROM story_articles WHERE story_id = ? ORDER BY ts, rowid", (story_id,)
        ).fetchall()
        return [_link_from_row(r) for r in rows]

    def story_article(self, article_id: str) -> StoryArticle | None:
        """The link of one article, or None when it was never linked."""
        row = self.execute("SELECT * FROM story_articles WHERE article_id = ?", (article_id,)).fetchone()
        return None if row is None else _link_from_row(row)

    def move_story_articles(self, from_story: str, to_story: str) -> None:
        """Relink every article of ``from_story`` to ``to_story`` (a merge)."""
        self.execute("UPDATE story_articles SET story_id = ? WHERE story_id = ?", (to_story, from_story))

    def delete_story_articles(self, article_ids: Sequence[str]) -> None:
        """Forget the links of these articles (before a relink writes new ones)."""
        self.executemany("DELETE FROM story_articles WHERE article_id = ?", [(a,) for a in article_ids])

    def unlinked_article_ids(self, limit: int | None = None) -> list[str]:
        """Stored articles without a story, in ingest order."""
        rows = self.execute(
            "SELECT a.id FROM articles a LEFT JOIN story_articles sa ON sa.article_id = a.id "
            "WHERE sa.article_id IS NULL ORDER BY a.seq LIMIT ?",
            (-1 if limit is None else limit,),
        ).fetchall()
        return [r[0] for r in rows]

    def record_merge(self, merge: StoryMerge) -> None:
        """Keep the history of a merge."""
        self.execute(
            "INSERT INTO story_merges (survivor, merged, reason, at) VALUES (?,?,?,?)",
            (merge.survivor, merge.merged, merge.reason, merge.at.isoformat()),
        )

    def story_merges(self, story_id: str | None = None) -> list[StoryMerge]:
        """Recorded merges (into or of ``story_id`` when given), oldest first."""
        sql = "SELECT survivor, merged, reason, at FROM story_merges"
        params: tuple[Any, ...] = ()
        if story_id is not None:
            sql += " WHERE survivor = ? OR merged = ?"
            params = (story_id, story_id)
        rows = self.execute(sql + " ORDER BY seq", params).fetchall()
        return [StoryMerge(r[0], r[1], r[2], datetime.fromisoformat(r[3])) for r in rows]

    def save_duplicate_members(self, group_id: str, members: Sequence[DuplicateMember]) -> None:
        """Put articles into duplicate group ``group_id`` (an article is in one group at most)."""
        rows = [(m.article_id, group_id, m.kind, float(m.jaccard), m.matched) for m in members]
        if rows:
            self.executemany("INSERT OR REPLACE INTO duplicate_members VALUES (?,?,?,?,?)", rows)

    def rename_duplicate_group(self, old: str, new: str) -> None:
        """Fold duplicate group ``old`` into ``new``."""
        self.execute("UPDATE duplicate_members SET group_id = ? WHERE group_id = ?", (new, old))

    def duplicate_groups(self, article_ids: Sequence[str] | None = None) -> list[DuplicateGroup]:
        """Duplicate groups (those holding one of ``article_ids`` when given), largest first."""
        if article_ids is None:
            rows = self.execute("SELECT * FROM duplicate_members ORDER BY group_id, rowid").fetchall()
        else:
            rows = []
            ids = list(article_ids)
            for i in range(0, len(ids), 500):
                chunk = ids[i : i + 500]
                marks = ",".join("?" * len(chunk))
                rows += self.execute(
                    "SELECT * FROM duplicate_members WHERE group_id IN (SELECT group_id FROM "
                    f"duplicate_members WHERE article_id IN ({marks})) ORDER BY group_id, rowid",
                    chunk,
                ).fetchall()
        return _groups([(r[1], DuplicateMember(r[0], r[2], r[3], r[4])) for r in rows])

    def delete_duplicate_members(self, article_ids: Sequence[str]) -> None:
        """Take these articles out of their duplicate groups."""
        self.executemany("DELETE FROM duplicate_members WHERE article_id = ?", [(a,) for a in article_ids])

    def link_generation(self) -> int:
        """Counter bumped on every write of story links (see :data:`GENERATION_KEY`)."""
        return int(self.get_meta(GENERATION_KEY, "0") or 0)

    def bump_link_generation(self) -> int:
        """Increase the link generation; return the new value."""
        value = self.link_generation() + 1
        self.set_meta(GENERATION_KEY, str(value))
        return value

    def link_watermark(self) -> float | None:
        """The streaming linker's retire watermark: the latest time it retired stories below
        (stories whose span ended a fade window before it are no longer active); None before."""
        value = self.get_meta(WATERMARK_KEY)
        return float(value) if value else None

    def raise_link_watermark(self, value: float) -> None:
        """Move the watermark to ``value`` if that is later (it never moves back)."""
        old = self.link_watermark()
        if old is None or value > old:
            self.set_meta(WATERMARK_KEY, repr(float(value)))

    def add_link_counts(self, features: Sequence[int], counts: Sequence[int], docs: int) -> None:
        """Add to the linker's document frequencies (feature ids, article counts) and to the
        number of articles they count."""
        self.executemany(
            "INSERT INTO link_df VALUES (?, ?) ON CONFLICT(feature) DO UPDATE SET n = n + excluded.n",
            zip(features, counts, strict=True),
        )
        self.set_meta(DOCS_KEY, str(int(self.get_meta(DOCS_KEY, "0") or 0) + docs))

    def link_counts(self) -> tuple[list[int], list[int], int]:
        """The linker's document frequencies: (feature ids, counts, articles counted)."""
        rows = self.execute("SELECT feature, n FROM link_df").fetchall()
        return [r[0] for r in rows], [r[1] for r in rows], int(self.get_meta(DOCS_KEY, "0") or 0)


def _story_from_row(row: Any) -> Story:
    return Story(
        id=row["id"],
        title=row["title"],
        article_count=row["article_count"],
        sources=tuple(json.loads(row["sources"])),
        first_published=_dt(row["first_ts"]),
        last_published=_dt(row["last_ts"]),
        first_reporter=row["first_reporter"],
        seq=row["seq"],
        merged_into=row["merged_into"],
    )


def _link_from_row(row: Any) -> StoryArticle:
    return StoryArticle(
        article_id=row["article_id"],
        story_id=row["story_id"],
        time=datetime.fromtimestamp(row["ts"], UTC),
        time_note=row["time_note"],
        reason=row["reason"],
        score=row["score"],
    )


def _groups(rows: Iterable[tuple[str, DuplicateMember]]) -> list[DuplicateGroup]:
    by_group: dict[str, list[DuplicateMember]] = {}
    for group_id, member in rows:
        by_group.setdefault(group_id, []).append(member)
    groups = [DuplicateGroup(g, tuple(_originals_first(m))) for g, m in by_group.items()]
    return sorted(groups, key=lambda g: (-len(g.members), g.id))


def _originals_first(members: list[DuplicateMember]) -> list[DuplicateMember]:
    return sorted(members, key=lambda m: m.kind != "original")


class MemoryStoryStore:
    """Story methods of :class:`~newsprism.storage.memory.MemoryStore` (mixin).

    State lives in immutable values inside plain dicts and lists, so the memory store's session
    snapshot (a shallow copy of each attribute) rolls story writes back too.
    """

    _articles: dict[str, Any]
    _meta: dict[str, str]
    _lock: Any

    def __new__(cls, *args: Any, **kwargs: Any) -> Self:
        # Set up before the store's own __init__ (which does not call super().__init__).
        obj = super().__new__(cls)
        obj._stories = {}
        obj._story_links = {}
        obj._story_merges = []
        obj._duplicates = {}
        obj._link_df = {}
        return obj

    _stories: dict[str, Story]
    _story_links: dict[str, StoryArticle]
    _story_merges: list[StoryMerge]
    _duplicates: dict[str, tuple[str, DuplicateMember]]
    _link_df: dict[int, int]

    def save_stories(self, stories: Iterable[Story]) -> None:
        """Insert or replace story summaries."""
        with self._lock:
            for story in stories:
                self._stories[story.id] = story

    def get_story_record(self, story_id: str) -> Story:
        """The stored story with this id or unique id prefix (4+ characters), merged or not."""
        if story_id in self._stories:
            return self._stories[story_id]
        hits = [s for k, s in self._stories.items() if len(story_id) >= 4 and k.startswith(story_id)]
        if len(hits) > 1:
            raise NotFound(f"story id prefix {story_id!r} is ambiguous; give more of it")
        if not hits:
            raise NotFound(f"no story with id {story_id!r}")
        return hits[0]

    def has_story(self, story_id: str) -> bool:
        """Whether a story (live or merged) has exactly this id."""
        return story_id in self._stories

    def list_stories(
        self,
        *,
        since: datetime | None = None,
        source: str | None = None,
        limit: int | None = None,
        offset: int = 0,
    ) -> list[Story]:
        """Live stories, latest activity first (see the SQLite twin)."""
        live = [s for s in self._stories.values() if s.merged_into is None]
        if since is not None:
            low = timestamp(since) or 0.0
            live = [s for s in live if (timestamp(s.last_published) or 0.0) >= low]
        if source is not None:
            told = self._stories_told_by(source)
            live = [s for s in live if s.id in told]
        live.sort(key=lambda s: (-(timestamp(s.last_published) or 0.0), -s.seq))
        end = None if limit is None else offset + limit
        return live[offset:end]

    def _stories_told_by(self, source: str) -> set[str]:
        wanted = source.casefold()
        return {
            link.story_id
            for aid, link in self._story_links.items()
            if aid in self._articles and (self._articles[aid].source or "").casefold() == wanted
        }

    def count_stories(self) -> int:
        """How many live stories."""
        return sum(1 for s in self._stories.values() if s.merged_into is None)

    def stories_between(self, start: datetime, end: datetime) -> list[Story]:
        """See :meth:`SQLiteStoryStore.stories_between`."""
        lo, hi = timestamp(start), timestamp(end)
        found = [
            s for s in self._stories.values()
            if s.merged_into is None and s.first_published is not None and s.last_published is not None
            and (timestamp(s.last_published) or 0.0) >= (lo or 0.0) and (timestamp(s.first_published) or 0.0) <= (hi or 0.0)
        ]
        return sorted(found, key=lambda s: (timestamp(s.last_published) or 0.0, s.seq), reverse=True)

    def next_story_seq(self) -> int:
        """The creation number the next new story gets."""
        return max((s.seq for s in self._stories.values()), default=0) + 1

    def save_story_articles(self, links: Sequence[StoryArticle]) -> None:
        """Insert or replace article -> story links."""
        with self._lock:
            for link in links:
                self._story_links.pop(link.article_id, None)
                self._story_links[link.article_id] = link

    def story_articles(self, story_id: str) -> list[StoryArticle]:
        """The links of one story's articles, in time order."""
        links = [x for x in self._story_links.values() if x.story_id == story_id]
        return sorted(links, key=lambda x: x.time)

    def story_article(self, article_id: str) -> StoryArticle | None:
        """The link of one article, or None."""
        return self._story_links.get(article_id)

    def move_story_articles(self, from_story: str, to_story: str) -> None:
        """Relink every article of ``from_story`` to ``to_story``."""
        with self._lock:
            for aid, link in list(self._story_links.items()):
                if link.story_id == from_story:
                    self._story_links[aid] = _replace_story(link, to_story)

    def delete_story_articles(self, article_ids: Sequence[str]) -> None:
        """Forget the links of these articles."""
        with self._lock:
            for aid in article_ids:
                self._story_links.pop(aid, None)

    def unlinked_article_ids(self, limit: int | None = None) -> list[str]:
        """Stored articles without a story, in ingest order."""
        out = [aid for aid in self._articles if aid not in self._story_links]
        return out if limit is None else out[:limit]

    def record_merge(self, merge: StoryMerge) -> None:
        """Keep the history of a merge."""
        with self._lock:
            self._story_merges.append(merge)

    def story_merges(self, story_id: str | None = None) -> list[StoryMerge]:
        """Recorded merges (into or of ``story_id`` when given), oldest first."""
        return [m for m in self._story_merges if story_id is None or story_id in (m.survivor, m.merged)]

    def save_duplicate_members(self, group_id: str, members: Sequence[DuplicateMember]) -> None:
        """Put articles into duplicate group ``group_id``."""
        with self._lock:
            for m in members:
                self._duplicates.pop(m.article_id, None)
                self._duplicates[m.article_id] = (group_id, m)

    def rename_duplicate_group(self, old: str, new: str) -> None:
        """Fold duplicate group ``old`` into ``new``."""
        with self._lock:
            for aid, (group, member) in list(self._duplicates.items()):
                if group == old:
                    self._duplicates[aid] = (new, member)

    def duplicate_groups(self, article_ids: Sequence[str] | None = None) -> list[DuplicateGroup]:
        """Duplicate groups (those holding one of ``article_ids`` when given), largest first."""
        rows = list(self._duplicates.values())
        if article_ids is not None:
            wanted = {self._duplicates[a][0] for a in article_ids if a in self._duplicates}
            rows = [r for r in rows if r[0] in wanted]
        return _groups(rows)

    def delete_duplicate_members(self, article_ids: Sequence[str]) -> None:
        """Take these articles out of their duplicate groups."""
        with self._lock:
            for aid in article_ids:
                self._duplicates.pop(aid, None)

    def link_generation(self) -> int:
        """Counter bumped on every write of story links."""
        return int(self._meta.get(GENERATION_KEY, "0"))

    def bump_link_generation(self) -> int:
        """Increase the link generation; return the new value."""
        value = self.link_generation() + 1
        self._meta[GENERATION_KEY] = str(value)
        return value

    def link_watermark(self) -> float | None:
        """See :meth:`SQLiteStoryStore.link_watermark`."""
        value = self._meta.get(WATERMARK_KEY)
        return float(value) if value else None

    def raise_link_watermark(self, value: float) -> None:
        """Move the watermark to ``value`` if that is later."""
        old = self.link_watermark()
        if old is None or value > old:
            self._meta[WATERMARK_KEY] = repr(float(value))

    def add_link_counts(self, features: Sequence[int], counts: Sequence[int], docs: int) -> None:
        """See :meth:`SQLiteStoryStore.add_link_counts`."""
        with self._lock:
            table = self._link_df
            for f, n in zip(features, counts, strict=True):
                table[f] = table.get(f, 0) + n
            self._meta[DOCS_KEY] = str(int(self._meta.get(DOCS_KEY, "0")) + docs)

    def link_counts(self) -> tuple[list[int], list[int], int]:
        """See :meth:`SQLiteStoryStore.link_counts`."""
        return list(self._link_df), list(self._link_df.values()), int(self._meta.get(DOCS_KEY, "0"))


def _replace_story(link: StoryArticle, story_id: str) -> StoryArticle:
    return StoryArticle(link.article_id, story_id, link.time, link.time_note, link.reason, link.score)

