"""Shared parts of the API routes: page limits and the request/response models."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Query
from pydantic import BaseModel, ConfigDict, Field

DEFAULT_LIMIT = 50
#: Largest page; a page of 200 article summaries is ~60 KB of JSON.
MAX_LIMIT = 200
MAX_OFFSET = 10_000_000
#: Search results considered for one query (so ``total`` of a search is at most this).
SEARCH_CAP = 1000
MAX_BATCH = 1000

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
