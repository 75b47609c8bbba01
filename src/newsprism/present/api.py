"""The REST API (``/api/...``) and the app factory that also mounts the web pages.

Every route is a thin wrapper over a library function (:mod:`newsprism.present.services`). Lists
are paginated (``limit``/``offset``, answers carry ``total``); request bodies are capped
(``413``); writes need the bearer token when one is configured (:mod:`.security`). The schema is
at ``/openapi.json`` and a plain reading of it at ``/docs`` (served locally, no CDN).

Errors are JSON ``{"detail": ...}`` under ``/api/``: ``404`` unknown id, ``422`` malformed or
invalid input, ``401`` missing or wrong token, ``413`` body too large, ``501`` a stage that this
build lacks (stories, report, compare, similarity).
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any, Literal

from fastapi import BackgroundTasks, Body, Depends, FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, ConfigDict, Field
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException

from newsprism import __version__
from newsprism.config import IngestOptions
from newsprism.errors import ConfigError, InputError, NotFound
from newsprism.model import Article, IngestReport
from newsprism.present import security
from newsprism.present.services import Services, Unavailable, normalize_raw, normalize_record
from newsprism.storage.base import Store
from newsprism.storage.sqlite import SQLiteStore

logger = logging.getLogger(__name__)

DEFAULT_LIMIT = 50
#: Largest page; a page of 200 article summaries is ~60 KB of JSON.
MAX_LIMIT = 200
MAX_OFFSET = 10_000_000
#: Search results considered for one query (so ``total`` of a search is at most this).
SEARCH_CAP = 1000
MAX_BATCH = 1000
#: Default body limit: a batch of a few hundred long articles fits, a runaway upload does not.
DEFAULT_MAX_BODY = 10 * 1024 * 1024
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
_RAW_KINDS = {"text/plain": "text", "text/html": "html", "application/xhtml+xml": "html"}

Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT, description=f"page size, 1..{MAX_LIMIT}")]
Offset = Annotated[int, Query(ge=0, le=MAX_OFFSET, description="items to skip")]


class ArticleIn(BaseModel):
    """One article posted as JSON; other keys are kept in the article's metadata."""

    model_config = ConfigDict(extra="allow")

    text: str = Field(min_length=1, description="the article text (plain text or HTML)")
    title: str | None = Field(None, max_length=2000)
    source: str | None = Field(None, max_length=500, description="outlet name")
    date: str | int | float | None = Field(
        None, description="publication date (ISO 8601, RFC 822, epoch)"
    )
    url: str | None = Field(None, max_length=4000)
    id: str | None = Field(None, max_length=500, description="the publisher's id for the article")


class SimilarityIn(BaseModel):
    """Two texts to compare."""

    text1: str = Field(min_length=1, max_length=200_000)
    text2: str = Field(min_length=1, max_length=200_000)


class Page(BaseModel):
    """A page of a list."""

    items: list[dict[str, Any]]
    total: int
    limit: int
    offset: int


def create_app(
    store_or_path: Store | str | Path,
    *,
    token: str | None = None,
    max_body: int = DEFAULT_MAX_BODY,
    web: bool = True,
) -> FastAPI:
    """Build the ASGI app: the REST API under ``/api/`` and (``web=True``) the pages at ``/``.

    Args:
        store_or_path: an open store (the caller closes it) or a SQLite file path (the app opens
            it and closes it on shutdown).
        token: bearer token that write endpoints require; None means writes are accepted from
            loopback only (``newsprism serve`` then refuses to listen beyond loopback).
        max_body: largest request body in bytes (larger ones get ``413``).
        web: also serve the HTML pages and ``/docs``.

    Raises:
        ConfigError: a parameter is out of range.
    """
    if not isinstance(max_body, int) or not 1024 <= max_body <= 1024**3:
        raise ConfigError(
            f"max_body must be an integer number of bytes in [1024, 2**30], got {max_body!r}"
        )
    if token is not None and (len(token) < 8 or any(c.isspace() for c in token)):
        raise ConfigError(
            "token must be at least 8 characters without spaces (or None); got a shorter one"
        )
    owned = not isinstance(store_or_path, str | Path)
    store: Store = (
        SQLiteStore(store_or_path) if isinstance(store_or_path, str | Path) else store_or_path
    )
    services = Services.discover(store)
    guard = security.WriteGuard(token)
    logger.info(
        "write access: %s", "bearer token" if token else "loopback only (no NEWSPRISM_TOKEN)"
    )

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        services.close()
        if not owned:
            store.close()

    app = FastAPI(
        title="newsprism",
        version=__version__,
        description="One news story as told by many outlets, and how their coverage relates.",
        docs_url=None,
        redoc_url=None,
        openapi_url="/openapi.json",
        lifespan=lifespan,
    )
    app.state.services = services
    app.state.guard = guard
    app.add_middleware(security.BodyLimitMiddleware, max_body=max_body)
    app.add_middleware(security.SecurityHeadersMiddleware)
    _add_error_handlers(app)
    _article_routes(app, services, guard)
    _story_routes(app, services)
    if web:
        from newsprism.present import web as web_pages

        web_pages.mount(app, services)
    return app


# -- errors -------------------------------------------------------------------------------------


def _error(request: Request, status: int, detail: Any, **extra: Any) -> Response:
    if not request.url.path.startswith("/api/") and hasattr(request.app.state, "render_error"):
        return request.app.state.render_error(request, status, detail)  # type: ignore[no-any-return]
    headers = extra.pop("headers", None)
    return JSONResponse({"detail": detail, **extra}, status_code=status, headers=headers)


def _add_error_handlers(app: FastAPI) -> None:
    async def not_found(request: Request, exc: Exception) -> Response:
        return _error(request, 404, str(exc))

    async def unavailable(request: Request, exc: Exception) -> Response:
        return _error(request, 501, str(exc))

    async def bad_input(request: Request, exc: Exception) -> Response:
        reason = getattr(exc, "reason", "invalid")
        return _error(request, 422, str(getattr(exc, "message", exc)), reason=reason)

    async def http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, StarletteHTTPException)
        return _error(request, exc.status_code, exc.detail, headers=getattr(exc, "headers", None))

    async def validation(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, RequestValidationError)
        # Drop "input"/"ctx": they can echo a whole posted body back.
        errors = [{k: e.get(k) for k in ("type", "loc", "msg")} for e in exc.errors()]
        first = errors[0] if errors else {"loc": (), "msg": "invalid request"}
        where = ".".join(str(p) for p in first.get("loc") or ())
        message = f"{where}: {first.get('msg')}" if where else str(first.get("msg"))
        if any(e["type"] == "json_invalid" for e in errors):
            message = "the request body is not valid JSON"
        return _error(request, 422, message, errors=errors)

    app.add_exception_handler(NotFound, not_found)
    app.add_exception_handler(Unavailable, unavailable)
    app.add_exception_handler(InputError, bad_input)
    app.add_exception_handler(ConfigError, bad_input)
    app.add_exception_handler(StarletteHTTPException, http_error)
    app.add_exception_handler(RequestValidationError, validation)


# -- articles -----------------------------------------------------------------------------------


def _stamp() -> str:
    return datetime.now(UTC).strftime("%Y%m%dT%H%M%S.%fZ")


def _write_answer(report: IngestReport) -> JSONResponse:
    data = report.to_dict()
    if report.ingested:
        return JSONResponse(data, status_code=201)
    if report.rejected and not report.duplicates:
        first = report.rejected[0]
        return JSONResponse({"detail": f"{first.reason}: {first.detail}", **data}, status_code=422)
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
    from newsprism.storage.sqlite import timestamp

    if source is not None and (a.source or "").casefold() != source.casefold():
        return False
    ts = timestamp(a.published)
    if since is not None and (ts is None or ts < (timestamp(since) or 0.0)):
        return False
    return until is None or (ts is not None and ts < (timestamp(until) or 0.0))


def _article_routes(app: FastAPI, services: Services, guard: security.WriteGuard) -> None:
    store = services.store
    write = [Depends(guard)]

    @app.get("/api/health", tags=["meta"], summary="Server state and write-access mode")
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
        openapi_extra={
            "requestBody": {
                "required": True,
                "content": {
                    "text/plain": {"schema": {"type": "string"}},
                    "text/html": {"schema": {"type": "string"}},
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
    )
    def list_articles(
        limit: Limit = DEFAULT_LIMIT,
        offset: Offset = 0,
        source: Annotated[str | None, Query(max_length=500, description="only this outlet")] = None,
        q: Annotated[str | None, Query(max_length=500, description="full-text search")] = None,
        since: Annotated[datetime | None, Query(description="published at or after")] = None,
        until: Annotated[datetime | None, Query(description="published before")] = None,
    ) -> Response:
        page = article_page(
            services,
            source=source or None,
            q=q,
            since=since,
            until=until,
            limit=limit,
            offset=offset,
        )
        return JSONResponse(page)

    @app.get(
        "/api/articles/{article_id}",
        tags=["articles"],
        summary="One clean article with its metadata, captions and removed lines",
    )
    def get_article(
        article_id: str, analysis: Annotated[bool, Query(description="add the analysis")] = False
    ) -> Response:
        article = store.get_article(article_id)
        data = article.to_dict()
        data["words"] = article.word_count
        data["story_id"] = services.story_of(article)
        if analysis:
            data["analysis"] = services.analysis(article)
        return JSONResponse(data)

    @app.get(
        "/api/rejected",
        tags=["articles"],
        response_model=Page,
        summary="Inputs that were refused, newest first, with the reason",
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
        return JSONResponse({"detail": "the request body is empty"}, status_code=422)
    ref = f"api:{_stamp()}"
    charset = params.partition("charset=")[2].strip().strip('"') or None
    text, _encoding = decode_bytes(data, ref, declared=charset)
    item = normalize_raw(text, kind, ref, IngestOptions(source=source), url)
    report = services.store_items([item])
    if report.ingested:
        background.add_task(services.analyze_new)
    return _write_answer(report)


# -- stories, report, compare, similarity (optional stages) ------------------------------------


def _story_routes(app: FastAPI, services: Services) -> None:
    from newsprism.present.stories import story_detail, story_page

    @app.get(
        "/api/stories",
        tags=["stories"],
        response_model=Page,
        summary="Stories, newest and biggest first, filtered by date and outlet",
    )
    def list_stories(
        limit: Limit = DEFAULT_LIMIT,
        offset: Offset = 0,
        since: Annotated[datetime | None, Query(description="with an article at or after")] = None,
        until: Annotated[datetime | None, Query(description="starting before")] = None,
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
        return JSONResponse(
            story_page(
                services,
                since=since,
                until=until,
                source=source or None,
                q=q,
                sort=sort,
                limit=limit,
                offset=offset,
            )
        )

    @app.get("/api/stories/{story_id}", tags=["stories"], summary="One story and its articles")
    def get_story(story_id: str) -> Response:
        return JSONResponse(story_detail(services, story_id))

    @app.get(
        "/api/stories/{story_id}/report",
        tags=["stories"],
        summary="Timeline, multi-source summary, coverage and conflicts of a story",
    )
    def get_report(story_id: str) -> Response:
        return JSONResponse(services.report(services.story(story_id)))

    @app.get(
        "/api/stories/{story_id}/comparison",
        tags=["stories"],
        summary="All articles of a story compared: facts, conflicts, reuse, framing",
        responses={202: {"description": "still computing; ask again"}},
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
        return JSONResponse({"status": "ready", **state.value.to_dict()})

    @app.get("/api/compare", tags=["compare"], summary="Compare two stored articles")
    def compare(
        a: Annotated[str, Query(min_length=1, max_length=64, description="article id")],
        b: Annotated[str, Query(min_length=1, max_length=64, description="article id")],
    ) -> Response:
        store = services.store
        return JSONResponse(services.compare(store.get_article(a), store.get_article(b)))

    @app.post("/api/similarity", tags=["compare"], summary="How similar two texts are")
    def similarity(body: SimilarityIn) -> Response:
        return JSONResponse(services.similarity(body.text1, body.text2))
