"""Library functions behind the story commands: list stories, show one, list duplicate groups.

``newsprism stories``, ``story``, ``relink`` and ``duplicates`` are thin wrappers over
:func:`stories`, :func:`get_story`, :func:`~newsprism.link.batch.relink` and
:func:`duplicate_groups`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from newsprism.errors import NotFound
from newsprism.model import Article, DuplicateGroup, Story, StoryArticle, StoryMerge
from newsprism.storage.base import Store
from newsprism.storage.stories import StoryStore, story_store


@dataclass(frozen=True, slots=True)
class StoryEntry:
    """One article of a story, with why it is there and its duplicate group, if any."""

    article: Article
    link: StoryArticle
    duplicate_group: str | None = None
    duplicate_kind: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """Plain-JSON form (the article's short form plus the link)."""
        return {
            "id": self.article.id,
            "external_id": self.article.external_id,
            "source": self.article.source,
            "title": self.article.title,
            "published": self.article.published.isoformat() if self.article.published else None,
            "time": self.link.time.isoformat(),
            "time_note": self.link.time_note,
            "reason": self.link.reason,
            "score": round(self.link.score, 4),
            "duplicate_group": self.duplicate_group,
            "duplicate_kind": self.duplicate_kind,
        }


@dataclass(frozen=True, slots=True)
class StoryView:
    """A story with its articles in time order (and, from :func:`get_story`, its merges)."""

    story: Story
    articles: tuple[StoryEntry, ...]
    merges: tuple[StoryMerge, ...] = ()
    requested_id: str | None = None
    """The merged-away id that was asked for, when it led here."""

    def to_dict(self) -> dict[str, Any]:
        """Plain-JSON form: ``id, title, article_count, sources, first_published,
        last_published, first_reporter, articles: [...]`` (and ``merges``)."""
        data = self.story.to_dict()
        data.pop("merged_into", None)
        data["articles"] = [e.to_dict() for e in self.articles]
        data["merges"] = [m.to_dict() for m in self.merges]
        if self.requested_id:
            data["requested_id"] = self.requested_id
        return data


def stories(
    store: Store,
    since: datetime | None = None,
    source: str | None = None,
    *,
    limit: int | None = None,
) -> list[StoryView]:
    """Stories, latest activity first, with their articles in time order.

    Args:
        store: the store.
        since: only stories with an article at or after this time.
        source: only stories told (in part) by this outlet (case-insensitive).
        limit: at most this many stories.
    """
    keeper = story_store(store)
    found = keeper.list_stories(since=since, source=source, limit=limit)
    return [_view(keeper, story, with_duplicates=False) for story in found]


def get_story(store: Store, story_id: str) -> StoryView:
    """One story by id (or unique id prefix); a merged-away id leads to the surviving story.

    Raises:
        NotFound: no story with that id.
    """
    keeper = story_store(store)
    record = keeper.get_story_record(story_id)
    asked = record.id
    seen = {record.id}
    while record.merged_into is not None:
        record = keeper.get_story_record(record.merged_into)
        if record.id in seen:
            raise NotFound(f"story {story_id!r} is merged in a loop; run `newsprism relink`")
        seen.add(record.id)
    view = _view(keeper, record, with_duplicates=True)
    merges = tuple(keeper.story_merges(record.id))
    return StoryView(view.story, view.articles, merges, requested_id=asked if asked != record.id else None)


def duplicate_groups(store: Store) -> list[DuplicateGroup]:
    """Every duplicate group (exact copies, near-duplicates, wire rewrites), largest first."""
    return list(story_store(store).duplicate_groups())


def _view(store: StoryStore, story: Story, *, with_duplicates: bool) -> StoryView:
    links = store.story_articles(story.id)
    marks: dict[str, tuple[str, str]] = {}
    if with_duplicates and links:
        for dup in store.duplicate_groups([x.article_id for x in links]):
            for member in dup.members:
                marks[member.article_id] = (dup.id, member.kind)
    entries = []
    for link in links:
        try:
            article = store.get_article(link.article_id)
        except NotFound:
            continue
        mark = marks.get(link.article_id)
        entries.append(StoryEntry(article, link, mark[0] if mark else None, mark[1] if mark else None))
    return StoryView(story, tuple(entries))
