"""Shared parts of the API routes: page limits and the request/response models."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time
from typing import Annotated, Any

from fastapi import Query
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PlainValidator,
    StrictFloat,
    StrictInt,
    StrictStr,
    WithJsonSchema,
)

DEFAULT_LIMIT = 50
#: Largest page; a page of 200 article summaries is ~60 KB of JSON.
MAX_LIMIT = 200
MAX_OFFSET = 10_000_000
#: Search results considered for one query (so ``total`` of a search is at most this).
SEARCH_CAP = 1000
MAX_BATCH = 1000

Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT, description=f"page size, 1..{MAX_LIMIT}")]
Offset = Annotated[int, Query(ge=0, le=MAX_OFFSET, description="items to skip")]

_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
# RFC 3339 date-time, as the schema's "format: date-time" says (an offset is required).
_DATE_TIME = re.compile(
    r"\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)"
)


def parse_instant(value: object) -> datetime:
    """A query's date (``YYYY-MM-DD``, midnight UTC) or RFC 3339 date-time, as an aware datetime.

    Exactly what the schema documents is accepted (no epoch numbers, no offset-less times), so
    that a client can trust it.

    Raises:
        ValueError: anything else (FastAPI answers 422).
    """
    text = value if isinstance(value, str) else ""
    try:
        if _DAY.fullmatch(text):
            return datetime.combine(date.fromisoformat(text), time(), tzinfo=UTC)
        if _DATE_TIME.fullmatch(text):
            return datetime.fromisoformat(text.replace("z", "Z").replace("t", "T"))
    except ValueError:
        pass
    raise ValueError("expected a date (YYYY-MM-DD) or an RFC 3339 date-time with an offset")


#: A ``since`` / ``until`` query value.
Instant = Annotated[
    datetime,
    PlainValidator(parse_instant),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "string", "format": "date"},
                {"type": "string", "format": "date-time"},
            ]
        }
    ),
]


class ArticleIn(BaseModel):
    """One article posted as JSON; other keys are kept in the article's metadata."""

    model_config = ConfigDict(extra="allow")

    text: str = Field(
        min_length=1, pattern=r"\S", description="the article text (plain text or HTML)"
    )
    title: str | None = Field(None, max_length=2000)
    source: str | None = Field(None, max_length=500, description="outlet name")
    date: StrictStr | StrictInt | StrictFloat | None = Field(
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


# -- answers: what /openapi.json promises, so that a generated client can trust it ------------


class Issue(BaseModel):
    """One problem with a request (FastAPI's validation error without the echoed input)."""

    type: str
    loc: list[str | int]
    msg: str


class ErrorOut(BaseModel):
    """Every error answer under ``/api/``: a readable ``detail``; ``reason`` names a refused
    input's rule, ``errors`` lists each invalid part of a request."""

    detail: str
    reason: str | None = None
    errors: list[Issue] | None = None


class RejectionOut(BaseModel):
    """An input that was refused, with the stage and rule that refused it."""

    ref: str
    stage: str
    reason: str
    detail: str


class IngestOut(BaseModel):
    """What a write did: articles stored, duplicates skipped, inputs refused (with reasons)."""

    ingested: int
    duplicates: int
    rejected: int
    rejections: list[RejectionOut]
    article_ids: list[str]
    detail: str | None = Field(None, description="the first refusal, when nothing was stored")


class PendingOut(BaseModel):
    """A comparison that is still being prepared."""

    status: str = Field(description='"pending"')


_ERROR_TEXT = {
    400: "the request could not be read (e.g. a malformed Content-Length)",
    401: "the bearer token is missing or wrong (the server has a token)",
    403: "a write from beyond this machine, or cross-site, without a token",
    404: "no such id",
    413: "the request body is larger than the server's limit",
    415: "the body is neither text/plain nor text/html",
    422: "the request breaks this schema (``errors`` lists each problem)",
    500: "a bug (logged on the server)",
    501: "this build of newsprism lacks the stage",
    503: "the store failed",
}
#: Answers any route may give (the store or the code failing).
ALWAYS = (500, 503)


def errors(*codes: int) -> dict[int | str, dict[str, Any]]:
    """``responses=`` for a route: each status in ``codes`` (and :data:`ALWAYS`) as ErrorOut."""
    return {
        code: {"model": ErrorOut, "description": _ERROR_TEXT[code]}
        for code in sorted({*codes, *ALWAYS})
    }
