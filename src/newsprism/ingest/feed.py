"""RSS and Atom feeds (via feedparser): one ``RawDocument(kind="record")`` per entry.

The entry's text is its full content when the feed carries it, else its summary; both are often
HTML, which :mod:`newsprism.normalize.record` recognises and extracts.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator, Mapping
from datetime import UTC, datetime
from typing import Any

from newsprism.errors import InputError
from newsprism.model import RawDocument, Rejected

logger = logging.getLogger(__name__)

STAGE = "ingest"


def parsed_time_to_datetime(value: time.struct_time | None) -> datetime | None:
    """feedparser's parsed date (a ``struct_time`` already converted to UTC) as an aware datetime."""
    if value is None:
        return None
    try:
        return datetime(*value[:6], tzinfo=UTC)
    except (TypeError, ValueError):
        return None


def _entry_text(entry: Mapping[str, Any]) -> str:
    """The full content when the feed has it, else the summary."""
    for content in entry.get("content") or ():
        value = content.get("value")
        if value and value.strip():
            return str(value)
    return str(entry.get("summary") or "")


def _entry_byline(entry: Mapping[str, Any]) -> str | None:
    """The author's name (without the e-mail address RSS puts in front)."""
    detail = entry.get("author_detail") or {}
    return detail.get("name") or entry.get("author") or None


def _entry_fields(entry: Mapping[str, Any], feed_title: str | None) -> dict[str, Any]:
    """Our record fields for one entry; the feed title is the source."""
    fields: dict[str, Any] = {
        "title": entry.get("title"),
        "url": entry.get("link"),
        "id": entry.get("id"),
        "source": feed_title,
        "byline": _entry_byline(entry),
        "published": parsed_time_to_datetime(entry.get("published_parsed")),
    }
    metadata: dict[str, Any] = {}
    tags = [t.get("term") for t in entry.get("tags") or () if t.get("term")]
    if tags:
        metadata["tags"] = tags
    # dict.get, not entry.get: feedparser maps a missing "updated_parsed" to "published_parsed"
    # with a DeprecationWarning.
    updated = parsed_time_to_datetime(dict.get(entry, "updated_parsed"))  # type: ignore[call-overload]
    if updated is not None:
        # "updated" is when the entry last changed, not when it was published: kept apart.
        metadata["updated"] = updated.isoformat()
    if entry.get("published") and fields["published"] is None:
        metadata["unparsed_date"] = entry.get("published")
    if metadata:
        fields["metadata"] = metadata
    return {k: v for k, v in fields.items() if v not in (None, "")}


def read_feed(data: bytes, ref: str) -> Iterator[RawDocument | Rejected]:
    """Parse an RSS/Atom document and yield one record per entry.

    Args:
        data: the feed's bytes (feedparser finds the encoding itself).
        ref: the input's reference; entries get ``f"{ref}#{n}"`` (1-based).

    Yields:
        ``RawDocument(kind="record")`` per entry; ``Rejected("broken_entry")`` for an entry with
        neither title nor text.

    Raises:
        InputError: ``malformed_feed`` when nothing can be parsed, ``empty`` for a feed with no
        entries.
    """
    import feedparser

    # Bytes, never str: feedparser takes a str that looks like a URL or path and fetches it.
    parsed = feedparser.parse(bytes(data))
    if not parsed.entries:
        if parsed.bozo:
            raise InputError(
                "malformed_feed",
                f"{ref}: not a readable RSS/Atom feed: {parsed.get('bozo_exception')}",
            )
        raise InputError("empty", f"{ref}: the feed has no entries")
    if parsed.bozo:
        logger.info("%s: feed is not well-formed (%s); reading what feedparser recovered",
                    ref, parsed.get("bozo_exception"))
    feed_title = (parsed.feed.get("title") or "").strip() or None
    encoding = parsed.get("encoding")
    for n, entry in enumerate(parsed.entries, 1):
        item_ref = f"{ref}#{n}"
        text = _entry_text(entry)
        fields = _entry_fields(entry, feed_title)
        if not text.strip() and not str(fields.get("title") or "").strip():
            yield Rejected(item_ref, STAGE, "broken_entry",
                           f"feed entry {n} has neither a title nor any text")
            continue
        yield RawDocument(ref=item_ref, kind="record", text=text, fields=fields, encoding=encoding)
