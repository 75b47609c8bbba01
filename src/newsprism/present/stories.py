"""Story data shaped for the API and the pages (lists, detail, highlights) from the stages.

The linking stage gives stories; comparison and report stages (when installed) give the
highlights, summary, timeline and conflicts. Anything a stage does not provide comes back empty,
and the page shows a marked placeholder for it.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from newsprism.model import Article
from newsprism.present.highlights import Highlight
from newsprism.present.jobs import JobState
from newsprism.present.services import Services, Unavailable
from newsprism.present.sidebyside import comparison_highlights

logger = logging.getLogger(__name__)


def story_summary(story: Any) -> dict[str, Any]:
    """The list form of a story as plain JSON (``id, title, article_count, sources, ...``)."""
    story = getattr(story, "story", story)  # a link.StoryView carries its Story record
    data: dict[str, Any] = dict(story.to_dict()) if hasattr(story, "to_dict") else {}
    data.setdefault("id", getattr(story, "id", None))
    data.setdefault("title", getattr(story, "title", ""))
    ids = list(getattr(story, "article_ids", ()) or ())
    data.setdefault("article_count", getattr(story, "article_count", None) or len(ids))
    data.setdefault("sources", list(getattr(story, "sources", ()) or ()))
    data["source_count"] = len(data["sources"])
    for key in ("first_published", "last_published"):
        value = data.get(key, getattr(story, key, None))
        data[key] = value.isoformat() if isinstance(value, datetime) else value
    return data


def story_page(
    services: Services,
    *,
    since: datetime | None = None,
    until: datetime | None = None,
    source: str | None = None,
    q: str | None = None,
    sort: str = "newest",
    limit: int = 50,
    offset: int = 0,
) -> dict[str, Any]:
    """One page of stories; every word of ``q`` must occur in the title or an outlet's name.

    Raises:
        Unavailable: this build has no linking stage.
    """
    page = {"limit": limit, "offset": offset}
    if until is None and not (q and q.strip()) and sort == "newest":
        window = services.stories_window(since=since, source=source, limit=limit, offset=offset)
        if window is not None:
            return {"items": [story_summary(s) for s in window[0]], "total": window[1], **page}
    found = services.stories(since=since, until=until, source=source, sort=sort)
    if q and q.strip():
        words = q.casefold().split()
        found = [s for s in found if all(w in _haystack(s) for w in words)]
    items = [story_summary(s) for s in found[offset : offset + limit]]
    return {"items": items, "total": len(found), **page}


def _haystack(story: Any) -> str:
    """What a story search looks in: the title and the outlet names."""
    story = getattr(story, "story", story)
    sources = getattr(story, "sources", ()) or ()
    return " ".join([str(getattr(story, "title", "") or ""), *map(str, sources)]).casefold()


def story_detail(services: Services, story_id: str) -> dict[str, Any]:
    """A story with its article summaries (oldest first).

    Raises:
        Unavailable: no linking stage.
        NotFound: unknown story id.
    """
    story = services.story(story_id)
    articles = services.story_articles(story)
    data = story_summary(story)
    data["articles"] = [{**a.summary(), "words": a.word_count} for a in articles]
    return data


def story_report(services: Services, story: Any, comparison: Any = None) -> dict[str, Any] | None:
    """The report of a story, or None when this build has no report stage (or it failed).

    Built from the story's finished ``comparison`` when given; remembered until the store
    changes (or the comparison finishes).
    """
    if not services.has("report"):
        return None
    record = getattr(story, "story", story)
    key = (getattr(record, "id", None), comparison is not None)
    try:
        return services.memo(  # type: ignore[no-any-return]
            "report", key, lambda: services.report(story, comparison)
        )
    except Unavailable:
        return None
    except Exception:  # a page must still show the articles when the report fails
        logger.exception("report of story %s failed", getattr(story, "id", "?"))
        return None


def story_comparison(
    services: Services, story: Any, articles: Sequence[Article]
) -> JobState | None:
    """The story's comparison state (started in the background if needed); None when there is
    nothing to compare (one article) or no comparison stage."""
    if len(articles) < 2 or not services.has("compare_story"):
        return None
    return services.story_comparison(story, articles)


def story_highlights(
    services: Services, story: Any, articles: Sequence[Article], comparison: Any = None
) -> dict[str, list[Highlight]]:
    """Article id -> highlighted spans (reused, paraphrase, unique, conflict) for the columns.

    In order of preference: the ``highlights`` stage (``fn(store, story, articles)`` returning
    article id -> :class:`Highlight` or ``{"start", "end", "kind", "pair", "note"}`` dicts); the
    story ``comparison`` when it is ready; reused passages found pairwise with the comparison
    stage's ``find_passages`` (fast, while the full comparison is computed); nothing. Results
    are cached per set of articles. A failing stage leaves the texts plain.
    """
    key = (comparison is not None, tuple(a.id for a in articles))
    cached = services.cache_get("highlights", key)
    if cached is not None:
        return cached  # type: ignore[no-any-return]
    try:
        fn = services.stages.get("highlights")
        if fn is not None:
            found = fn(services.store, story, list(articles))
            result = {aid: [_as_highlight(h) for h in spans] for aid, spans in dict(found).items()}
        elif comparison is not None:
            result = comparison_highlights(comparison, articles)
        elif services.has("reuse"):
            result = _reuse_highlights(services.stages["reuse"], articles)
        else:
            result = {}
    except Exception:
        logger.exception("highlights of story %s failed", getattr(story, "id", "?"))
        result = {}
    services.cache_put("highlights", key, result)
    return result


def _reuse_highlights(
    find_passages: Any, articles: Sequence[Article]
) -> dict[str, list[Highlight]]:
    """Reused passages of every pair of articles, each pair of spans sharing one pair id."""
    out: dict[str, list[Highlight]] = {a.id: [] for a in articles}
    for i, a in enumerate(articles):
        for j, b in enumerate(articles[i + 1 :], start=i + 1):
            for n, p in enumerate(find_passages(a.body, b.body)):
                pair = f"r{i}-{j}-{n}"
                out[a.id].append(
                    Highlight(
                        p.start_a,
                        p.end_a,
                        "reused",
                        pair,
                        f"also in {b.source or 'another article'}",
                    )
                )
                out[b.id].append(
                    Highlight(
                        p.start_b,
                        p.end_b,
                        "reused",
                        pair,
                        f"also in {a.source or 'another article'}",
                    )
                )
    return out


def _as_highlight(value: Any) -> Highlight:
    if isinstance(value, Highlight):
        return value
    return Highlight(
        int(value["start"]),
        int(value["end"]),
        str(value["kind"]),
        value.get("pair"),
        str(value.get("note") or ""),
    )
