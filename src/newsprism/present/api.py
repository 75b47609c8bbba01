"""The REST API (``/api/...``) and the app factory that also mounts the web pages.

Every route is a thin wrapper over a library function (:mod:`newsprism.present.services`). Lists
are paginated (``limit``/``offset``, answers carry ``total``); request bodies are capped
(``413``); writes need the bearer token when one is configured (:mod:`.security`). The schema is
at ``/openapi.json`` and a plain reading of it at ``/docs`` (served locally, no CDN).

Errors are JSON ``{"detail": ...}`` under ``/api/`` (an HTML page elsewhere): ``404`` unknown
id, ``422`` malformed or invalid input, ``401`` missing or wrong token, ``403`` a write from
beyond loopback without a token, ``413`` body too large, ``415`` a raw body that is not text or
HTML, ``501`` a stage that this build lacks (stories, report, compare, similarity), ``503`` the
store failed, ``500`` a bug (logged).
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match

from newsprism import __version__
from newsprism.errors import ConfigError, InputError, NotFound, StorageError
from newsprism.present import article_routes, security, story_routes
from newsprism.present.article_routes import article_page
from newsprism.present.schemas import MAX_LIMIT
from newsprism.present.services import Services, Unavailable
from newsprism.storage import open_store
from newsprism.storage.base import Store

logger = logging.getLogger(__name__)

__all__ = ["DEFAULT_MAX_BODY", "MAX_LIMIT", "article_page", "create_app"]

#: Default body limit: a batch of a few hundred long articles fits, a runaway upload does not.
DEFAULT_MAX_BODY = 10 * 1024 * 1024


def create_app(
    store_or_path: Store | str | Path,
    *,
    token: str | None = None,
    max_body: int = DEFAULT_MAX_BODY,
    web: bool = True,
    prepare_ahead: bool = False,
) -> FastAPI:
    """Build the ASGI app: the REST API under ``/api/`` and (``web=True``) the pages at ``/``.

    Args:
        store_or_path: an open store (the caller closes it) or a SQLite file path (the app opens
            it and closes it on shutdown).
        token: bearer token that write endpoints require; None means writes are accepted from
            loopback only (``newsprism serve`` then refuses to listen beyond loopback).
        max_body: largest request body in bytes (larger ones get ``413``).
        web: also serve the HTML pages and ``/docs``.
        prepare_ahead: prepare stale story comparisons in the background after start-up and
            after every write (``newsprism serve`` does; tests and embedders usually not).

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
    ours = isinstance(store_or_path, str | Path)  # opened here, so closed here
    store: Store = (
        open_store(store_or_path) if isinstance(store_or_path, str | Path) else store_or_path
    )
    services = Services.discover(store)
    guard = security.WriteGuard(token)
    logger.info(
        "write access: %s", "bearer token" if token else "loopback only (no NEWSPRISM_TOKEN)"
    )

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        if prepare_ahead:
            services.ahead = True
            services.prepare_ahead()
        yield
        services.close()
        if ours:
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
    article_routes.register(app, services, guard)
    story_routes.register(app, services, security.ComputeGuard(token))
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
        if exc.status_code == 400 and exc.detail == "There was an error parsing the body":
            # FastAPI's answer to a JSON body that is not even text: the same 422 as bad JSON
            return _error(request, 422, "the request body is not valid JSON",
                          errors=[{"type": "json_invalid", "loc": ["body"], "msg": str(exc.detail)}])
        headers = getattr(exc, "headers", None)
        if exc.status_code == 405:
            headers = {**(headers or {}), "Allow": _allowed_methods(request)}
        return _error(request, exc.status_code, exc.detail, headers=headers)

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

    async def store_failed(request: Request, exc: Exception) -> Response:
        logger.error("store error on %s: %s", request.url.path, exc)
        return _error(request, 503, f"the store failed: {exc}")

    async def bug(request: Request, exc: Exception) -> Response:
        logger.error("unexpected error on %s", request.url.path, exc_info=exc)
        return _error(request, 500, "internal error (logged on the server)")

    app.add_exception_handler(NotFound, not_found)
    app.add_exception_handler(StorageError, store_failed)
    app.add_exception_handler(Exception, bug)
    app.add_exception_handler(Unavailable, unavailable)
    app.add_exception_handler(InputError, bad_input)
    app.add_exception_handler(ConfigError, bad_input)
    app.add_exception_handler(StarletteHTTPException, http_error)
    app.add_exception_handler(RequestValidationError, validation)


def _allowed_methods(request: Request) -> str:
    """Every method some route serves at this path (Starlette's 405 names only the first
    route's, so ``Allow`` on ``/api/articles`` said POST without GET)."""
    methods: set[str] = set()
    for route in request.app.router.routes:
        match, _ = route.matches(request.scope)
        if match != Match.NONE:
            methods |= set(getattr(route, "methods", None) or ())
    return ", ".join(sorted(methods))
