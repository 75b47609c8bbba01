"""HTML page -> :class:`~newsprism.normalize.base.Extracted`, with trafilatura.

trafilatura finds the article body and most metadata. We add what it gets wrong or leaves out:

* ``og:site_name`` wins over trafilatura's ``sitename``, which falls back to the domain or to an
  ``article:publisher`` URL when the tag is written ``name=`` instead of ``property=``;
* the full ``article:published_time`` timestamp when it agrees with trafilatura's date (which is
  a bare day);
* dates: htmldate's *extensive* search is off, because on a page without date metadata it turns
  the footer's "(c) 2024" into 2024-01-01; we never invent a date;
* the headline repeated as the first body line is set apart (``REPEATED_TITLE``), and figure
  captions are collected into ``captions``.

Fields the container already gives (``raw.fields``: a feed entry or JSON record wrapping the HTML,
the URL a WARC record was fetched from) win over what the page says.
"""

from __future__ import annotations

import html as html_lib
import logging
import re
from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from newsprism.errors import ExtractionError
from newsprism.model import RawDocument, RemovalReason, RemovedLine
from newsprism.normalize.base import Extracted

logger = logging.getLogger(__name__)

# fast=True skips trafilatura's readability/jusText fallback: about 2x the speed (STACK.md:
# 245 -> 505 pages/s) with the same body on our fixture pages; the ingest floor is 100 pages/s.
FAST = True
_HEAD_LIMIT = 65536
_META = re.compile(r"<meta\b[^>]*>", re.IGNORECASE)
_ATTR = re.compile(r"""([a-zA-Z:_-]+)\s*=\s*("[^"]*"|'[^']*'|[^\s"'>]+)""")
_FIGCAPTION = re.compile(r"<figcaption\b[^>]*>(.*?)</figcaption\s*>", re.IGNORECASE | re.DOTALL)
_TAG = re.compile(r"<[^>]+>")
_PUBLISHED_META = ("article:published_time", "og:article:published_time", "datepublished",
                   "pubdate", "publishdate", "date")


def _meta_tags(page: str) -> dict[str, str]:
    """``<meta>`` names/properties (lower case) -> content, from the page head; first one wins."""
    end = page.find("</head")
    head = page[: end if end != -1 else _HEAD_LIMIT]
    found: dict[str, str] = {}
    for tag in _META.finditer(head):
        attrs = {k.lower(): v.strip("\"'") for k, v in _ATTR.findall(tag.group(0))}
        key = attrs.get("property") or attrs.get("name") or attrs.get("itemprop")
        content = attrs.get("content")
        if key and content and content.strip():
            found.setdefault(key.lower(), html_lib.unescape(content.strip()))
    return found


def _captions(page: str) -> tuple[str, ...]:
    """The texts of the ``<figcaption>`` elements, in order, without repeats."""
    texts = (" ".join(html_lib.unescape(_TAG.sub(" ", m)).split()) for m in _FIGCAPTION.findall(page))
    return tuple(dict.fromkeys(t for t in texts if t))


def _published(day: str | None, meta: Mapping[str, str]) -> datetime | None:
    """trafilatura's day, refined by a meta timestamp of the same day; a bare day is naive midnight."""
    if not day:
        return None
    try:
        parsed_day = date.fromisoformat(day[:10])
    except ValueError:
        logger.debug("trafilatura returned an unreadable date %r", day)
        return None
    for key in _PUBLISHED_META:
        value = meta.get(key)
        if not value:
            continue
        try:
            stamp = datetime.fromisoformat(value.strip())
        except ValueError:
            continue
        if stamp.date() == parsed_day:
            return stamp
    return datetime(parsed_day.year, parsed_day.month, parsed_day.day)


def _sitename(found: str | None, meta: Mapping[str, str]) -> str | None:
    """The outlet's name: og:site_name first, never a URL."""
    own = meta.get("og:site_name")
    if own:
        return own
    if found and found.startswith(("http://", "https://")):
        return None  # an article:publisher profile URL, not a name
    return found or None


def _run_trafilatura(page: str, url: str | None) -> Any:
    """trafilatura's document (or None), its parse errors mapped to ``malformed_html``."""
    import trafilatura

    date_params = {
        "original_date": True,
        "extensive_search": False,
        "max_date": datetime.now().astimezone().strftime("%Y-%m-%d"),
    }
    try:
        return trafilatura.bare_extraction(
            page, url=url, fast=FAST, with_metadata=True, include_comments=False,
            include_tables=True, date_extraction_params=date_params,
        )
    except (ValueError, TypeError, LookupError) as exc:
        raise ExtractionError("malformed_html", f"the HTML page cannot be parsed: {exc}") from exc


def _set_apart(
    lines: list[str], title: str, captions: tuple[str, ...]
) -> tuple[tuple[str, ...], tuple[RemovedLine, ...]]:
    """Body lines without the repeated headline (among the first 3 lines) and the captions."""
    title_key = " ".join(title.split()).casefold()
    caption_keys = {c.casefold() for c in captions}
    kept: list[str] = []
    removed: list[RemovedLine] = []
    title_seen = False
    for i, line in enumerate(lines):
        key = " ".join(line.split()).casefold()
        if i < 3 and title_key and key == title_key and not title_seen:
            title_seen = True
            removed.append(RemovedLine(line, RemovalReason.REPEATED_TITLE, i))
        elif key in caption_keys:
            removed.append(RemovedLine(line, RemovalReason.CAPTION, i))
        else:
            kept.append(line)
    return tuple(kept), tuple(removed)


def extract_html(raw: RawDocument) -> Extracted:
    """Extract the article from an HTML page (or an HTML fragment in a record).

    Args:
        raw: ``raw.text`` is the markup. ``raw.fields`` (title, subtitle, published as a
            datetime, source, url, id, byline, metadata) override what the page says.

    Returns:
        The extraction: paragraphs are trafilatura's text lines.

    Raises:
        ExtractionError: ``no_article`` when no article text is found, ``malformed_html`` when
            the markup cannot be parsed.
    """
    fields = raw.fields
    doc = _run_trafilatura(raw.text, fields.get("url"))
    if doc is None or not (doc.text or "").strip():
        raise ExtractionError("no_article", "no article text found in the HTML page")
    meta = _meta_tags(raw.text)
    title = str(fields.get("title") or doc.title or "").strip()
    lines = [line.strip() for line in doc.text.splitlines() if line.strip()]
    captions = _captions(raw.text)
    paragraphs, removed = _set_apart(lines, title, captions)
    if paragraphs and {w for p in paragraphs for w in p.split()} <= _link_words(raw.text):
        # a page whose only text was a "Home" link was stored as an article
        raise ExtractionError("no_article", "the HTML page holds only link labels, no article")
    published = fields.get("published")
    return Extracted(
        title=title,
        paragraphs=paragraphs,
        subtitle=fields.get("subtitle") or doc.description or None,
        published=published if isinstance(published, datetime) else _published(doc.date, meta),
        byline=fields.get("byline") or doc.author or None,
        source=fields.get("source") or _sitename(doc.sitename, meta),
        url=fields.get("url") or doc.url or None,
        external_id=_text_or_none(fields.get("id")),
        captions=captions,
        removed=removed,
        metadata=_metadata(doc, fields),
    )


_LINK = re.compile(r"<a\b[^>]*>(.*?)</a\s*>", re.IGNORECASE | re.DOTALL)
_TAG = re.compile(r"<[^>]*>")


def _link_words(markup: str) -> set[str]:
    """The words of the page's link texts (tags dropped)."""
    return {w for m in _LINK.findall(markup) for w in html_lib.unescape(_TAG.sub(" ", m)).split()}


def _text_or_none(value: Any) -> str | None:
    """The value as a string, None when missing or empty."""
    return str(value) if value not in (None, "") else None


def _metadata(doc: Any, fields: Mapping[str, Any]) -> dict[str, Any]:
    """trafilatura's extra metadata, then the container's."""
    metadata: dict[str, Any] = {}
    for key in ("hostname", "categories", "tags", "license"):
        value = getattr(doc, key, None)
        if value:
            metadata[key] = value
    metadata.update(fields.get("metadata") or {})
    return metadata
