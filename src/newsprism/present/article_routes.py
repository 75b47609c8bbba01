"""API routes over articles: health, ingest (JSON, raw text/HTML, batches), list/search, detail,
rejected inputs."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import BackgroundTasks, Body, Depends, FastAPI, Query, Request
from fastapi.responses import JSONResponse, Response
from pydantic import Field
from starlette.concurrency import run_in_threadpool

from newsprism import __version__
from newsprism.config import IngestOptions
from newsprism.link import boilerplate
from newsprism.storage.base import analysis_store
from newsprism.model import Article, IngestReport
from newsprism.present import security
from newsprism.present.schemas import (
    DEFAULT_LIMIT,
    MAX_BATCH,
    SEARCH_CAP,
    ArticleIn,
    IngestOut,
    Instant,
    Limit,
    Offset,
    Page,
    errors,
)
from newsprism.present.services import Services, normalize_raw, normalize_record

_RAW_KINDS = {"text/plain": "text", "text/html": "html", "application/xhtml+xml": "html"}
#: A raw article: text with something besides white space (a blank body is a 422). No "type":
#: whatever is sent is read as text, so a body can never be of the wrong type.
_RAW_SCHEMA = {"minLength": 1, "pattern": r"\S", "description": "the article as text or HTML"}


def _invalid(loc: tuple[str, ...], message: str) -> JSONResponse:
    """A ``422`` in the same shape as FastAPI's validation answers."""
    issue = {"type": "value_error", "loc": list(loc), "msg": message}
    return JSONResponse({"detail": message, "errors": [issue]}, status_code=422)


def _stamp() -> str:
    return datetime.now(UTC).strftime("%Y%m%dT%H%M%S.%fZ")


def _write_answer(report: IngestReport) -> JSONResponse:
    """``201`` when something was stored; else ``200`` (nothing new: duplicates, or inputs
    that were refused and recorded, each with its reason). ``422`` is kept for requests that
    break the schema, so a request the schema allows is never answered with it."""
    data = report.to_dict()
    if report.ingested:
        return JSONResponse(data, status_code=201)
    if report.rejected:
        first = report.rejected[0]
        return JSONResponse({"detail": f"{first.reason}: {first.detail}", **data}, status_code=200)
    return JSONResponse(data, status_code=200)


def article_page(
    services: Services,
    *,
    source: str | None = None,
    q: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    limit: int = DEFAULT_LIMIT,
    offset: int = 0,
    newest_first: bool = False,
) -> dict[str, Any]:
    """One page of article summaries in ingest order (or newest first), or search hits, best first.

    ``newest_first`` costs a scan of the skipped rows (the store pages oldest first): about
    20 ms at 10,000 articles, so the API keeps the store's order and the web list reverses it.

    Returns:
        ``{"items", "total", "limit", "offset"}`` (+ ``"total_exact"`` for searches).
    """
    store = services.store
    page: dict[str, Any] = {"limit": limit, "offset": offset}
    if q and q.strip() and callable(getattr(store, "search_page", None)):
        found = store.search_page(  # type: ignore[attr-defined]
            q, limit=limit, offset=offset, source=source, since=since, until=until
        )
        items = [{**summary, "score": round(score, 4)} for summary, score in found.hits]
        order = "relevance" if found.ranked else "newest"
        return {"items": items, "total": found.total, "total_exact": found.exact,
                "order": order, **page}
    if q and q.strip():
        hits = store.search(q, limit=SEARCH_CAP)
        kept = [(a, s) for a, s in hits if _keep(a, source, since, until)]
        items = [{**_summary(a), "score": round(s, 4)} for a, s in kept[offset : offset + limit]]
        return {"items": items, "total": len(kept), "total_exact": len(hits) < SEARCH_CAP, **page}
    if since is not None or until is not None:
        every = store.articles(source=source, since=since, until=until)
        every = every[::-1] if newest_first else every
        return {
            "items": [_summary(a) for a in every[offset : offset + limit]],
            "total": len(every),
            **page,
        }
    total = store.count_articles(source=source)
    if not newest_first:
        found = store.articles(source=source, limit=limit, offset=offset)
        return {"items": [_summary(a) for a in found], "total": total, **page}
    start = max(0, total - offset - limit)
    count = total - offset - start
    found = store.articles(source=source, limit=count, offset=start) if count > 0 else []
    return {"items": [_summary(a) for a in reversed(found)], "total": total, **page}


def _summary(article: Article) -> dict[str, Any]:
    return {**article.summary(), "words": article.word_count}


def _keep(a: Article, source: str | None, since: datetime | None, until: datetime | None) -> bool:
    from newsprism.storage.schema import timestamp

    if source is not None and (a.source or "").casefold() != source.casefold():
        return False
    ts = timestamp(a.published)
    if since is not None and (ts is None or ts < (timestamp(since) or 0.0)):
        return False
    return until is None or (ts is not None and ts < (timestamp(until) or 0.0))


def register(app: FastAPI, services: Services, guard: security.WriteGuard) -> None:
    """Add the article, ingest, rejected and health routes."""
    store = services.store
    write = [Depends(guard)]

    @app.get(
        "/api/health",
        tags=["meta"],
        summary="Server state and write-access mode",
        responses=errors(),
    )
    def health() -> dict[str, Any]:
        local = guard.mode == "loopback-only"
        return {
            "status": "ok",
            "version": __version__,
            "articles": store.count_articles(),
            "write_access": guard.mode,
            "loopback_only": local,
            "note": "no NEWSPRISM_TOKEN is configured: the server listens on loopback only"
            if local
            else "write endpoints need 'Authorization: Bearer <NEWSPRISM_TOKEN>'",
            "features": services.features(),
        }

    @app.post(
        "/api/articles",
        tags=["ingest"],
        dependencies=write,
        status_code=201,
        summary="Store one article or a batch (a JSON list) of articles",
        response_model=IngestOut,
        responses={
            200: {"model": IngestOut, "description": "nothing new stored (duplicates, refusals)"},
            **errors(400, 401, 403, 413, 422),
        },
    )
    def post_articles(
        background: BackgroundTasks,
        body: Annotated[
            ArticleIn | Annotated[list[ArticleIn], Field(min_length=1, max_length=MAX_BATCH)],
            Body(),
        ],
    ) -> Response:
        posted = body if isinstance(body, list) else [body]
        stamp, options = _stamp(), IngestOptions()
        items = [
            normalize_record(p.model_dump(exclude_none=True), f"api:{stamp}#{n}", options)
            for n, p in enumerate(posted, 1)
        ]
        report = services.store_items(items)
        if report.ingested:
            background.add_task(services.analyze_new)
        return _write_answer(report)

    @app.post(
        "/api/ingest/raw",
        tags=["ingest"],
        dependencies=write,
        status_code=201,
        summary="Store one article sent as text/plain or text/html",
        response_model=IngestOut,
        responses={
            200: {"model": IngestOut, "description": "nothing new stored (duplicate, refused)"},
            **errors(400, 401, 403, 413, 415, 422),
        },
        openapi_extra={
            "requestBody": {
                "required": True,
                "content": {
                    "text/plain": {"schema": _RAW_SCHEMA},
                    "text/html": {"schema": _RAW_SCHEMA},
                },
            }
        },
    )
    async def post_raw(
        request: Request,
        background: BackgroundTasks,
        source: Annotated[str | None, Query(min_length=1, max_length=500)] = None,
        url: Annotated[str | None, Query(max_length=4000)] = None,
    ) -> Response:
        media, _, params = request.headers.get("content-type", "").partition(";")
        kind = _RAW_KINDS.get(media.strip().lower())
        if kind is None:
            return JSONResponse(
                {"detail": "send the article as text/plain or text/html"}, status_code=415
            )
        data = await request.body()
        return await run_in_threadpool(
            _ingest_raw, services, data, kind, params, source, url, background
        )

    @app.get(
        "/api/articles",
        tags=["articles"],
        response_model=Page,
        summary="List articles (in ingest order) or search them (?q=, best first)",
        responses=errors(422),
    )
    def list_articles(
        limit: Limit = DEFAULT_LIMIT,
        offset: Offset = 0,
        source: Annotated[str | None, Query(max_length=500, description="only this outlet")] = None,
        q: Annotated[str | None, Query(max_length=500, description="full-text search")] = None,
        since: Annotated[Instant | None, Query(description="published at or after")] = None,
        until: Annotated[Instant | None, Query(description="published before")] = None,
    ) -> Response:
        def build() -> dict[str, Any]:
            return article_page(
                services,
                source=source or None,
                q=q,
                since=since,
                until=until,
                limit=limit,
                offset=offset,
            )

        # remembered until the store changes: a repeated search or page costs a lookup
        key = ("articles", source or None, q, since, until, limit, offset)
        return JSONResponse(services.memo("json", key, build))

    @app.get(
        "/api/articles/{article_id}",
        tags=["articles"],
        summary="One clean article with its metadata, captions and removed lines",
        responses=errors(404, 422),
    )
    def get_article(
        article_id: str, analysis: Annotated[bool, Query(description="add the analysis")] = False
    ) -> Response:
        article = boilerplate.view(store, store.get_article(article_id))
        data = article.to_dict()
        data["words"] = article.word_count
        data["story_id"] = services.story_of(article)
        data["failures"] = [f.to_dict() for f in analysis_store(store).failures(article_id=article.id)]
        if analysis:
            data["analysis"] = services.analysis(article)
        return JSONResponse(data)

    @app.get(
        "/api/rejected",
        tags=["articles"],
        response_model=Page,
        summary="Inputs that were refused, newest first, with the reason",
        responses=errors(422),
    )
    def list_rejected(limit: Limit = DEFAULT_LIMIT, offset: Offset = 0) -> Response:
        items = [r.to_dict() for r in store.rejected(limit=limit, offset=offset)]
        return JSONResponse(
            {"items": items, "total": store.count_rejected(), "limit": limit, "offset": offset}
        )


def _ingest_raw(
    services: Services,
    data: bytes,
    kind: str,
    params: str,
    source: str | None,
    url: str | None,
    background: BackgroundTasks,
) -> Response:
    from newsprism.ingest.decode import decode_bytes

    if not data.strip():
        return _invalid(("body",), "the request body is empty or blank")
    ref = f"api:{_stamp()}"
    charset = params.partition("charset=")[2].strip().strip('"') or None
    text, _encoding = decode_bytes(data, ref, declared=charset)
    item = normalize_raw(text, kind, ref, IngestOptions(source=source), url)
    report = services.store_items([item])
    if report.ingested:
        background.add_task(services.analyze_new)
    return _write_answer(report)
