"""API routes of the optional stages: stories (list, detail, report, comparison), compare, similarity.

Each answers ``501`` when this build lacks its stage.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import Depends, FastAPI, Query
from fastapi.responses import JSONResponse, Response

from newsprism.errors import InputError
from newsprism.present import security
from newsprism.present.schemas import (
    DEFAULT_LIMIT,
    Instant,
    Limit,
    Offset,
    Page,
    PendingOut,
    SimilarityIn,
    errors,
)
from newsprism.present.services import Services

#: Failure reasons of background jobs that are server faults (500), not bad input (422).
_BUG_REASONS = frozenset(
    {
        "cancelled",
        "RuntimeError",
        "KeyError",
        "TypeError",
        "ValueError",
        "AttributeError",
        "IndexError",
        "MemoryError",
    }
)


def register(app: FastAPI, services: Services, compute: security.ComputeGuard) -> None:
    """Add the story, comparison and similarity routes (the CPU-heavy ones behind ``compute``)."""
    from newsprism.present.stories import story_detail, story_page

    heavy = [Depends(compute)]

    @app.get(
        "/api/stories",
        tags=["stories"],
        response_model=Page,
        summary="Stories, newest and biggest first, filtered by date and outlet",
        responses=errors(422, 501),
    )
    def list_stories(
        limit: Limit = DEFAULT_LIMIT,
        offset: Offset = 0,
        since: Annotated[Instant | None, Query(description="with an article at or after")] = None,
        until: Annotated[Instant | None, Query(description="starting before")] = None,
        source: Annotated[
            str | None, Query(max_length=500, description="covered by this outlet")
        ] = None,
        q: Annotated[
            str | None, Query(max_length=500, description="words in the title or outlet names")
        ] = None,
        sort: Annotated[
            Literal["newest", "biggest"],
            Query(description="latest activity or most articles first"),
        ] = "newest",
    ) -> Response:
        key = ("stories", since, until, source or None, q, sort, limit, offset)

        def build() -> dict[str, Any]:
            return story_page(
                services,
                since=since,
                until=until,
                source=source or None,
                q=q,
                sort=sort,
                limit=limit,
                offset=offset,
            )

        return JSONResponse(services.memo("json", key, build))

    @app.get(
        "/api/stories/{story_id}",
        tags=["stories"],
        summary="One story and its articles",
        responses=errors(404, 422, 501),
    )
    def get_story(story_id: str) -> Response:
        key = ("story", story_id)
        return JSONResponse(services.memo("json", key, lambda: story_detail(services, story_id)))

    @app.get(
        "/api/stories/{story_id}/report",
        tags=["stories"],
        summary="Timeline, multi-source summary, coverage and conflicts of a story",
        dependencies=heavy,
        responses=errors(401, 404, 422, 501),
    )
    def get_report(story_id: str) -> Response:
        story = services.story(story_id)
        if services.has("compare_story"):
            articles = services.story_articles(story)
            if len(articles) >= 2:
                state = services.story_comparison(story, articles)
                prepared = state.value.data.get("report") if state.status == "ready" else None
                if prepared is not None:  # built with the prepared comparison: no work now
                    return JSONResponse(prepared)
        return JSONResponse(services.report(story))

    @app.get(
        "/api/stories/{story_id}/comparison",
        tags=["stories"],
        summary="All articles of a story compared: facts, conflicts, reuse, framing",
        dependencies=heavy,
        responses={
            202: {"model": PendingOut, "description": "still being prepared; ask again"},
            **errors(401, 404, 422, 501),
        },
    )
    def get_comparison(
        story_id: str,
        wait: Annotated[float, Query(ge=0, le=300, description="seconds to wait for it")] = 60,
    ) -> Response:
        story = services.story(story_id)
        articles = services.story_articles(story)
        if len(articles) < 2:
            raise InputError("too_few", f"story {story_id} has one article: nothing to compare")
        state = services.story_comparison(story, articles, wait=wait)
        if state.status == "pending":
            return JSONResponse({"status": "pending"}, status_code=202)
        if state.status == "failed":
            status = 500 if state.reason in _BUG_REASONS else 422
            return JSONResponse({"status": "failed", "detail": state.error}, status_code=status)
        record = state.value
        comparison = record.data.get("comparison")
        selection = {"compared": list(record.compared), "total": record.total, "note": record.note}
        body = comparison if isinstance(comparison, dict) else {"value": comparison}
        return JSONResponse({"status": "ready", **body, "selection": selection})

    @app.get(
        "/api/compare",
        tags=["compare"],
        summary="Compare two stored articles",
        dependencies=heavy,
        responses=errors(401, 404, 422, 501),
    )
    def compare(
        a: Annotated[str, Query(min_length=1, max_length=64, description="article id")],
        b: Annotated[str, Query(min_length=1, max_length=64, description="article id")],
    ) -> Response:
        store = services.store
        return JSONResponse(services.compare(store.get_article(a), store.get_article(b)))

    @app.post(
        "/api/similarity",
        tags=["compare"],
        summary="How similar two texts are",
        dependencies=heavy,
        responses=errors(400, 401, 413, 422, 501),
    )
    def similarity(body: SimilarityIn) -> Response:
        return JSONResponse(services.similarity(body.text1, body.text2))
