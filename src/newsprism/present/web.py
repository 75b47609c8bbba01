"""The web pages: story list at ``/``, ``/stories/{id}``, ``/articles/{id}``, and ``/docs``.

Server-rendered Jinja2 templates with autoescaping on (article text is hostile input and is never
marked safe), one stylesheet and one script served from memory (no CDN, no inline script, so the
Content-Security-Policy can forbid everything else). Links taken from articles are kept only when
they are ``http``/``https``.

No request path reaches the file system: templates are looked up by fixed names, static files
are read once at start-up into a dictionary and served by exact name.
"""

from __future__ import annotations

import hashlib
import logging
import math
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from importlib import resources
from typing import Any
from urllib.parse import urlencode, urlsplit

import jinja2
from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response

from newsprism import __version__
from newsprism.errors import NotFound
from newsprism.link import boilerplate
from newsprism.storage.base import analysis_store
from newsprism.model import RemovalReason
from newsprism.present.charts import coverage_chart
from newsprism.present.highlights import KINDS, paragraph_segments
from newsprism.present.prepared import highlights_of
from newsprism.present.services import Services
from newsprism.present.stories import (
    story_comparison,
    story_highlights,
    story_report,
    story_summary,
)

logger = logging.getLogger(__name__)

PAGE_SIZE = 25
#: Articles shown side by side on a story page before the rest are listed below.
MAX_COLUMNS = 6
_MEDIA = {
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".svg": "image/svg+xml",
}

REASON_TEXT: dict[str, str] = {
    RemovalReason.SITE_TAGLINE.value: "the outlet's name or slogan, not part of the article",
    RemovalReason.REPEATED_TITLE.value: "the headline repeated in the text",
    RemovalReason.DEK.value: "the standfirst (kept as the subtitle)",
    RemovalReason.READ_TIME.value: "a reading-time note",
    RemovalReason.DATE_LINE.value: "the date line (kept as the publication date)",
    RemovalReason.BYLINE.value: "the byline (kept as the author)",
    RemovalReason.CAPTION.value: "a photo caption (listed under captions)",
    RemovalReason.READ_MORE.value: "a link to another article",
    RemovalReason.RELATED_HEADLINE.value: "a headline of a related article",
    RemovalReason.SHARE_PROMPT.value: "a share prompt",
    RemovalReason.FOLLOW_PROMPT.value: "a social-media follow prompt",
    RemovalReason.NEWSLETTER_PROMPT.value: "a newsletter sign-up prompt",
    RemovalReason.COPYRIGHT.value: "a copyright notice",
    RemovalReason.BOILERPLATE.value: "site boilerplate",
    RemovalReason.SITE_BOILERPLATE.value: "a line this outlet prints under many of its stories",
}


def safe_url(url: object) -> str | None:
    """``url`` when it is an absolute http(s) URL, else None (``javascript:`` never becomes a link)."""
    if not isinstance(url, str):
        return None
    url = url.strip()
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    if any(c in url for c in "\"'<>` \t\r\n"):
        return None
    return url


def _fmt_date(value: object, with_time: bool = True) -> str:
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            return str(value)
    if not isinstance(value, datetime):
        return "date unknown"
    return value.strftime(
        "%d %b %Y, %H:%M" if with_time and (value.hour or value.minute) else "%d %b %Y"
    )


def make_environment() -> jinja2.Environment:
    """The template environment: package templates, autoescape on for every template."""
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("newsprism.present", "templates"),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,
    )
    env.filters["safe_url"] = safe_url
    env.filters["date"] = _fmt_date
    env.globals["version"] = __version__
    env.globals["reason_text"] = REASON_TEXT
    env.globals["hl_kinds"] = KINDS
    return env


def _load_static() -> dict[str, tuple[bytes, str, str]]:
    """Name -> (bytes, media type, ETag) for every file shipped in ``present/static``."""
    out: dict[str, tuple[bytes, str, str]] = {}
    for entry in resources.files("newsprism.present").joinpath("static").iterdir():
        suffix = "." + entry.name.rpartition(".")[2]
        if entry.is_file() and suffix in _MEDIA:
            data = entry.read_bytes()
            out[entry.name] = (
                data,
                _MEDIA[suffix],
                '"' + hashlib.sha256(data).hexdigest()[:16] + '"',
            )
    return out


@dataclass
class Filters:
    """The list filters of ``/``, parsed leniently (a bad date is reported, not a 422)."""

    q: str = ""
    source: str = ""
    since: date | None = None
    until: date | None = None
    page: int = 1
    view: str = ""
    sort: str = "newest"
    problems: tuple[str, ...] = ()

    @classmethod
    def parse(cls, params: Any) -> Filters:
        """Read ``q, source, since, until, page, view`` from query parameters."""
        problems: list[str] = []

        def day(name: str) -> date | None:
            raw = (params.get(name) or "").strip()
            if not raw:
                return None
            try:
                return date.fromisoformat(raw)
            except ValueError:
                problems.append(f"'{name}' is not a date (YYYY-MM-DD); ignored")
                return None

        page_raw = (params.get("page") or "1").strip()
        page = int(page_raw) if page_raw.isdigit() and 0 < int(page_raw) < 100_000 else 1
        sort = "biggest" if params.get("sort") == "biggest" else "newest"
        return cls(
            q=(params.get("q") or "").strip()[:500],
            source=(params.get("source") or "").strip()[:500],
            since=day("since"),
            until=day("until"),
            page=page,
            view=(params.get("view") or "").strip()[:20],
            sort=sort,
            problems=tuple(problems),
        )

    def bounds(self) -> tuple[datetime | None, datetime | None]:
        """``since`` at midnight UTC and the day after ``until`` (so ``until`` is inclusive)."""
        lo = datetime.combine(self.since, time(), tzinfo=UTC) if self.since else None
        hi = None
        if self.until:
            hi = datetime.combine(self.until, time(), tzinfo=UTC) + timedelta(days=1)
        return lo, hi

    def link(self, **change: Any) -> str:
        """The query string of these filters with some values changed."""
        values = {
            "q": self.q,
            "source": self.source,
            "since": self.since,
            "until": self.until,
            "view": self.view,
            "sort": self.sort,
            "page": self.page,
            **change,
        }
        defaults = {("page", 1), ("sort", "newest")}
        kept = {
            k: str(v) for k, v in values.items() if v not in (None, "") and (k, v) not in defaults
        }
        return "?" + urlencode(kept)


def mount(app: FastAPI, services: Services) -> None:
    """Add the pages, ``/docs`` and ``/static/*`` to ``app``."""
    env = make_environment()
    static = _load_static()

    def page(name: str, **context: Any) -> str:
        context.setdefault("features", services.features())
        return env.get_template(name).render(**context)

    def render(name: str, status: int = 200, **context: Any) -> HTMLResponse:
        return HTMLResponse(page(name, **context), status_code=status)

    def render_error(request: Request, status: int, detail: Any) -> HTMLResponse:
        message = detail if isinstance(detail, str) else "the request is not valid"
        return render("error.html", status=status, status_code=status, message=message)

    app.state.render_error = render_error

    @app.get("/static/{name}", include_in_schema=False)
    def static_file(name: str, request: Request) -> Response:
        if name not in static:
            raise NotFound(f"no static file {name!r}")
        data, media, etag = static[name]
        headers = {"ETag": etag, "Cache-Control": "public, max-age=3600"}
        if request.headers.get("if-none-match") == etag:
            return Response(status_code=304, headers=headers)
        return Response(data, media_type=media, headers=headers)

    @app.get("/articles", include_in_schema=False)
    def articles_page(request: Request) -> RedirectResponse:
        """The article list is the index's articles view (the nav's link): ``/articles`` leads
        there, with any query kept."""
        kept = [(k, v) for k, v in request.query_params.multi_items() if k != "view"]
        return RedirectResponse("/?" + urlencode([("view", "articles"), *kept]), status_code=307)

    @app.get("/", include_in_schema=False, response_class=HTMLResponse)
    def index(request: Request) -> HTMLResponse:
        filters = Filters.parse(request.query_params)

        def build() -> str:
            outlets = [name for name, _ in services.store.sources()]
            if services.features()["stories"] and filters.view != "articles":
                lists = _story_list(services, filters)
                return page("stories.html", **lists, filters=filters, outlets=outlets)
            lists = _article_list(services, filters)
            return page("articles.html", **lists, filters=filters, outlets=outlets)

        key = ("index", tuple(sorted(request.query_params.multi_items())))
        return HTMLResponse(services.memo("html", key, build))

    @app.get("/articles/{article_id}", include_in_schema=False, response_class=HTMLResponse)
    def article_view(article_id: str) -> HTMLResponse:
        def build() -> str:
            article = boilerplate.view(services.store, services.store.get_article(article_id))
            segments = paragraph_segments(article.paragraphs)
            failures = analysis_store(services.store).failures(article_id=article.id)
            return page("article.html", article=article, segments=segments,
                        story_id=services.story_of(article), failures=failures)

        return HTMLResponse(services.memo("html", ("article", article_id), build))

    @app.get("/stories/{story_id}", include_in_schema=False, response_class=HTMLResponse)
    def story_view(story_id: str) -> HTMLResponse:
        # The prepared comparison's version is part of the key: a pending page is served from
        # the cache until the comparison is stored, then the page is built once more.
        key = (services.version(), ("story", story_id, _prepared_version(services, story_id)))
        hit = services.cache_get("html", key)
        if hit is not None:
            return HTMLResponse(hit)
        context = _story_context(services, story_id)
        html = page("story.html", **context)
        state = context["comparison"]
        if state is None or state.status != "pending" or state.reason != "busy":
            services.cache_put("html", key, html)
        return HTMLResponse(html)

    @app.get("/stories/{story_id}/status", include_in_schema=False)
    def story_status(story_id: str, v: str = "") -> Response:
        """What the pending page polls: 202 while its comparison is being prepared, 200 once
        the stored one differs from ``v`` (ready, failed, or no longer queued: reload)."""
        running = services.jobs.running(lambda key: key[:2] == ("prepare", story_id))
        done = _prepared_version(services, story_id) != (v or None)
        status = 200 if done or not running else 202
        return JSONResponse({"status": "ready" if done else "pending"}, status_code=status)

    @app.get("/docs", include_in_schema=False, response_class=HTMLResponse)
    def docs() -> HTMLResponse:
        return render("docs.html", endpoints=_endpoints(app.openapi()))


def _prepared_version(services: Services, story_id: str) -> str | None:
    """The stored comparison's inputs' version for this story id (None: none, or no stage)."""
    if not services.has("compare_story"):
        return None
    return services.prepared().pending_version(story_id)  # type: ignore[no-any-return]


def _article_list(services: Services, filters: Filters) -> dict[str, Any]:
    from newsprism.present.article_routes import article_page

    since, until = filters.bounds()
    page = article_page(
        services,
        source=filters.source or None,
        q=filters.q or None,
        since=since,
        until=until,
        limit=PAGE_SIZE,
        offset=(filters.page - 1) * PAGE_SIZE,
        newest_first=True,
    )
    return {"page": page, "pages": max(1, math.ceil(page["total"] / PAGE_SIZE))}


def _story_list(services: Services, filters: Filters) -> dict[str, Any]:
    from newsprism.present.stories import story_page

    since, until = filters.bounds()
    page = story_page(
        services,
        since=since,
        until=until,
        source=filters.source or None,
        q=filters.q or None,
        sort=filters.sort,
        limit=PAGE_SIZE,
        offset=(filters.page - 1) * PAGE_SIZE,
    )
    return {"page": page, "pages": max(1, math.ceil(page["total"] / PAGE_SIZE))}


def _story_context(services: Services, story_id: str) -> dict[str, Any]:
    """Everything the story page shows. Nothing is compared here: the prepared comparison is
    read (or queued in the background, and the page says it is coming)."""
    story = services.story(story_id)
    articles = services.story_articles(story)
    state = story_comparison(services, story, articles)
    record = state.value if state is not None and state.status == "ready" else None
    products: dict[str, Any] = record.data if record is not None else {}
    if record is not None:
        by_id = {a.id: a for a in articles}
        shown = [by_id[i] for i in record.compared if i in by_id][:MAX_COLUMNS]
        spans = highlights_of(products)
    else:
        shown = articles[:MAX_COLUMNS]
        spans = story_highlights(services, story, shown) if services.has("highlights") else {}
    on_page = {a.id for a in shown}
    columns = [(a, paragraph_segments(a.paragraphs, spans.get(a.id, ()))) for a in shown]
    if record is not None:
        report = products.get("report")
    else:  # without a comparison stage (or one article), the report has nothing to wait for
        report = story_report(services, story) if state is None else None
    return {
        "story": story_summary(story),
        "articles": articles,
        "columns": columns,
        "more": [a for a in articles if a.id not in on_page],
        "has_highlights": any(spans.values()),
        "report": report,
        "chart": coverage_chart(articles),
        "comparison": state,
        "selection_note": record.note if record is not None else "",
        # what the pending page's poll compares against: the record stored now (maybe stale)
        "prepared_version": _prepared_version(services, story_id) or "",
        "conflicts": products.get("conflicts"),
        "key_facts": products.get("key_facts"),
        "timeline": products.get("timeline"),
        "unique": products.get("unique") or {},
    }


def _endpoints(schema: dict[str, Any]) -> list[dict[str, Any]]:
    """The OpenAPI paths as rows for the ``/docs`` page."""
    rows = []
    for path, methods in schema.get("paths", {}).items():
        for method, op in methods.items():
            params = [
                {
                    "name": p.get("name"),
                    "where": p.get("in"),
                    "required": p.get("required", False),
                    "about": p.get("description") or p.get("schema", {}).get("type", ""),
                }
                for p in op.get("parameters", [])
            ]
            body = list((op.get("requestBody") or {}).get("content", {}))
            rows.append(
                {
                    "method": method.upper(),
                    "path": path,
                    "summary": op.get("summary", ""),
                    "params": params,
                    "body": body,
                    "tag": (op.get("tags") or ["api"])[0],
                }
            )
    return rows
