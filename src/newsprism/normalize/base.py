"""Normalize: RawDocument -> Article | Rejected (pure, per article).

Format-specific extractors (``plaintext``, ``html``, ``record``) turn a raw document into an
:class:`Extracted`; :func:`normalize` then applies the shared rules (outlet fallback, language,
minimum body, stable id) and maps every :class:`~newsprism.errors.InputError` to a ``Rejected``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from types import MappingProxyType
from typing import Any

from newsprism.config import IngestOptions
from newsprism.errors import ExtractionError, InputError
from newsprism.model import Article, RawDocument, Rejected, RemovedLine, article_id


@dataclass(frozen=True, slots=True)
class Extracted:
    """What an extractor found in one input, before the shared rules run."""

    title: str
    paragraphs: tuple[str, ...]
    subtitle: str | None = None
    published: datetime | None = None
    byline: str | None = None
    source: str | None = None
    url: str | None = None
    external_id: str | None = None
    language: str | None = None
    captions: tuple[str, ...] = ()
    removed: tuple[RemovedLine, ...] = ()
    metadata: Mapping[str, Any] = field(default_factory=dict)


def extract(raw: RawDocument) -> Extracted:
    """Run the extractor for ``raw.kind``.

    Raises:
        InputError: the input holds no article (``ExtractionError``) or is malformed.
    """
    if raw.kind == "text":
        from newsprism.normalize.plaintext import extract_plaintext

        return extract_plaintext(raw)
    if raw.kind == "html":
        from newsprism.normalize.html import extract_html

        return extract_html(raw)
    if raw.kind == "record":
        from newsprism.normalize.record import extract_record

        return extract_record(raw)
    raise InputError("unknown_kind", f"no extractor for input kind {raw.kind!r}")


def normalize(raw: RawDocument, options: IngestOptions | None = None) -> Article | Rejected:
    """Turn one raw document into a clean Article, or a Rejected record saying why not."""
    options = options or IngestOptions()
    try:
        return build_article(extract(raw), raw, options)
    except InputError as exc:
        return Rejected(raw.ref, "normalize", exc.reason, exc.message)


def build_article(ex: Extracted, raw: RawDocument, options: IngestOptions) -> Article:
    """Apply the shared rules to an extraction: outlet fallback, language, body check, id."""
    title = " ".join(ex.title.split())
    paragraphs = tuple(p for p in (" ".join(p.split()) for p in ex.paragraphs) if p)
    if not title and paragraphs:
        title = paragraphs[0][:120]
    words = sum(len(p.split()) for p in paragraphs)
    if not paragraphs or words < options.min_words:
        raise ExtractionError("no_article", "no article body found in the input")
    source = ex.source or options.source
    language = ex.language
    if language is None and options.detect_language:
        from newsprism.normalize.language import detect_language

        language = detect_language(title + "\n" + "\n".join(paragraphs[:6]))
    metadata = dict(ex.metadata)
    if raw.encoding and raw.encoding.lower() not in ("utf-8", "utf_8", "ascii"):
        metadata.setdefault("encoding", raw.encoding)
    return Article(
        id=article_id(source, title, "\n\n".join(paragraphs)),
        title=title,
        paragraphs=paragraphs,
        source=source,
        external_id=ex.external_id,
        url=ex.url,
        subtitle=ex.subtitle,
        published=ex.published,
        byline=ex.byline,
        language=language,
        captions=ex.captions,
        removed=ex.removed,
        input_ref=raw.ref,
        metadata=MappingProxyType(metadata),
    )
