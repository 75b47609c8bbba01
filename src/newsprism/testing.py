"""Test kit shipped with the library: article factories and store contract helpers."""

from __future__ import annotations

from datetime import datetime
from types import MappingProxyType
from typing import Any

from newsprism.model import Article, article_id
from newsprism.storage.memory import MemoryStore

__all__ = ["MemoryStore", "make_article"]


def make_article(
    title: str = "Harbour cranes stop as dock workers strike",
    paragraphs: tuple[str, ...] | list[str] = (
        "Dock workers at the port of Kestrel Bay walked out on Monday over a pay offer.",
        "The union said 1,200 members joined the strike, which halted all container traffic.",
    ),
    *,
    source: str | None = "Test Gazette",
    published: datetime | None = None,
    **fields: Any,
) -> Article:
    """An Article with a correct content-hash id; any other field can be given by keyword."""
    paragraphs = tuple(paragraphs)
    metadata = MappingProxyType(dict(fields.pop("metadata", {})))
    return Article(
        id=fields.pop("id", None) or article_id(source, title, "\n\n".join(paragraphs)),
        title=title,
        paragraphs=paragraphs,
        source=source,
        published=published,
        metadata=metadata,
        **fields,
    )
