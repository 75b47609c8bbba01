"""Structured record (JSON line, feed entry) -> :class:`~newsprism.normalize.base.Extracted`.

A record already says its title, date, outlet, URL and id; its text is either HTML (feeds carry
markup, some JSON dumps too) or plain text. We parse the date here, then hand the text to the
HTML or the plain-text extractor, and the record's own fields win over anything those find.
"""

from __future__ import annotations

import html as html_lib
import logging
import re
from collections.abc import Mapping
from dataclasses import replace
from datetime import UTC, date, datetime
from email.utils import parsedate_to_datetime
from typing import Any

from newsprism.errors import ExtractionError
from newsprism.model import RawDocument
from newsprism.normalize.base import Extracted
from newsprism.normalize.dates import date_parser, fixed_offset

logger = logging.getLogger(__name__)

_MARKUP = re.compile(
    r"<(?:p|div|br|span|a|h[1-6]|ul|ol|li|img|figure|figcaption|table|em|strong|b|i|html|body"
    r"|article|section|blockquote)\b[^>]*>",
    re.IGNORECASE,
)
_EPOCH = re.compile(r"^\d{9,13}(?:\.\d+)?$")
# email.utils reads almost anything ("March 14, 2024 8:30 AM EST" -> naive 08:30, zone dropped),
# so only strings shaped like RFC 2822 ("Thu, 09 May 2024 07:15:00 +0200") go to it.
_RFC2822 = re.compile(r"^(?:[A-Za-z]{3},\s*)?\d{1,2}\s+[A-Za-z]{3}\s+\d{4}\s+\d{1,2}:\d{2}")
_BLOCK_END = re.compile(r"<br\s*/?>|</(?:p|div|li|h[1-6]|blockquote|figcaption|tr)\s*>", re.IGNORECASE)
_TAG = re.compile(r"<[^>]+>")
# Epoch values above this are milliseconds (1e11 s is the year 5138).
_MILLIS_THRESHOLD = 1e11
# Overrides the record's fields impose on whatever the text extractor found.
_OVERRIDES = {"title": "title", "subtitle": "subtitle", "published": "published",
              "byline": "byline", "source": "source", "url": "url", "id": "external_id"}


def looks_like_markup(text: str) -> bool:
    """True when the text holds HTML tags (checked in the first 5000 characters)."""
    return _MARKUP.search(text[:5000]) is not None


def _from_epoch(value: float) -> datetime | None:
    """Epoch seconds (or milliseconds) as an aware UTC datetime."""
    if value > _MILLIS_THRESHOLD:
        value /= 1000
    try:
        return datetime.fromtimestamp(value, UTC)
    except (OverflowError, OSError, ValueError):
        return None


def parse_date(value: Any) -> datetime | None:
    """Read a record's date: ISO 8601, RFC 2822, epoch seconds (or ms), or English free text.

    A date without a time is naive midnight; a time without a zone stays naive; epoch values
    are UTC. Returns ``None`` for anything it cannot read, never a guess.
    """
    if isinstance(value, datetime):
        return value
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day)
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float):
        return _from_epoch(float(value))
    text = str(value).strip()
    if not text:
        return None
    if _EPOCH.match(text):
        return _from_epoch(float(text))
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        pass
    if _RFC2822.match(text):
        try:
            return parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            pass
    try:
        parsed = date_parser().get_date_data(text).date_obj
    except (ValueError, TypeError, OverflowError) as exc:  # dateparser's failures on junk
        logger.debug("dateparser failed on %r: %s", text, exc)
        return None
    return None if parsed is None else fixed_offset(parsed)


def _markup_to_text(markup: str) -> str:
    """Plain text from an HTML fragment: block ends become paragraph breaks, tags go."""
    text = _BLOCK_END.sub("\n\n", markup)
    return html_lib.unescape(_TAG.sub("", text))


def _prepare(raw: RawDocument) -> tuple[RawDocument, dict[str, Any]]:
    """The record with its date parsed, and the metadata it carries."""
    fields = dict(raw.fields)
    metadata = dict(fields.get("metadata") or {})
    if "published" in fields:
        published = parse_date(fields["published"])
        if published is None:
            metadata["unparsed_date"] = str(fields["published"])
            del fields["published"]
        else:
            fields["published"] = published
    fields["metadata"] = metadata
    return replace(raw, fields=fields), metadata


def _apply_fields(
    ex: Extracted, fields: Mapping[str, Any], metadata: dict[str, Any]
) -> Extracted:
    """The extraction with the record's own fields put back over what the text suggested."""
    changes: dict[str, Any] = {}
    for key, attr in _OVERRIDES.items():
        value = fields.get(key)
        if value is not None and value != "":
            changes[attr] = value if key == "published" else str(value)
    return replace(ex, **changes, metadata={**dict(ex.metadata), **metadata})


def extract_record(raw: RawDocument) -> Extracted:
    """Extract the article from a structured record.

    Args:
        raw: ``kind="record"``; ``raw.text`` is the article (HTML or plain text) and
            ``raw.fields`` the record's title/subtitle/published/source/url/id/byline/metadata.

    Returns:
        The extraction, with the record's fields in place of what the text suggested. An
        unreadable date gives ``published=None`` and ``metadata["unparsed_date"]``.

    Raises:
        ExtractionError: ``no_article`` when the text holds no article.
    """
    prepared, metadata = _prepare(raw)
    if looks_like_markup(raw.text):
        from newsprism.normalize.html import extract_html

        try:
            return _apply_fields(extract_html(prepared), prepared.fields, metadata)
        except ExtractionError as exc:
            # Short fragments (a feed summary of one sentence) are too small for trafilatura.
            logger.debug("%s: HTML extraction failed (%s); reading the markup as text",
                         raw.ref, exc.reason)
            prepared = replace(prepared, text=_markup_to_text(raw.text))
    from newsprism.normalize.plaintext import extract_plaintext

    return _apply_fields(extract_plaintext(prepared), prepared.fields, metadata)
