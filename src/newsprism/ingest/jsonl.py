"""JSON Lines (one article per line) and plain JSON (one object or an array of objects).

Every article becomes ``RawDocument(kind="record")`` whose ``fields`` use our names::

    id, title, published, source, url, subtitle, byline    (+ "metadata": every other key)

Common aliases are accepted (``body``/``content`` for the text, ``pubDate``/``published_at``/``date``
for the date, ``outlet``/``site`` for the source, ``link`` for the URL ...). Values are kept as
the file gives them (dates stay strings); :mod:`newsprism.normalize.record` interprets them.

JSON Lines files are streamed line by line, so a corpus of any size goes through with at most
``max_bytes`` of it in memory; a bad line is rejected and the other lines go in.
"""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator, Mapping
from typing import Any, BinaryIO

from newsprism.config import IngestOptions
from newsprism.errors import InputError
from newsprism.ingest.decode import decode_bytes
from newsprism.model import RawDocument, Rejected

logger = logging.getLogger(__name__)

STAGE = "ingest"

#: Our field name -> accepted keys, in order of preference (compared case-insensitively).
FIELD_ALIASES: dict[str, tuple[str, ...]] = {
    "text": ("text", "body", "content", "article", "maintext", "full_text"),
    "title": ("title", "headline"),
    "id": ("id", "article_id", "doc_id", "guid", "uuid"),
    "published": (
        "published", "date", "pubdate", "published_at", "publish_date", "date_published",
        "datepublished", "date_publish", "publishedat", "pub_date",
    ),
    "source": ("source", "outlet", "site", "sitename", "site_name", "publisher", "source_name"),
    "url": ("url", "link", "uri", "canonical_url"),
    "subtitle": ("subtitle", "dek", "description", "standfirst"),
    "byline": ("byline", "author", "authors"),
}
_ALIAS_TO_FIELD = {alias: name for name, aliases in FIELD_ALIASES.items() for alias in aliases}


def _as_text(value: Any) -> str | None:
    """A field value as a string: lists are joined, ``{"name": ...}`` objects give their name."""
    if value is None:
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, Mapping):
        return _as_text(value.get("name") or value.get("title"))
    if isinstance(value, list | tuple):
        parts = [t for t in (_as_text(v) for v in value) if t and t.strip()]
        return ", ".join(parts) if parts else None
    return str(value)


def record_fields(obj: Mapping[str, Any]) -> tuple[str | None, dict[str, Any]]:
    """Map one JSON object to ``(text, fields)`` using :data:`FIELD_ALIASES`.

    The first alias present wins; every other key (including losing aliases) goes into
    ``fields["metadata"]`` so nothing the file says is lost. A ``text`` given as a list of
    strings is taken as paragraphs and joined with blank lines.
    """
    fields: dict[str, Any] = {}
    metadata: dict[str, Any] = {}
    for key, value in sorted(obj.items(), key=lambda kv: _rank(kv[0])):
        if value is None or value == "" or value == [] or value == {}:
            continue
        name = _ALIAS_TO_FIELD.get(key.lower()) if isinstance(key, str) else None
        converted = _field_value(name, value) if name is not None and name not in fields else None
        if name is not None and converted is not None:
            fields[name] = converted
        elif key == "metadata" and isinstance(value, Mapping):
            metadata.update(value)
        else:
            metadata[key] = value
    text = fields.pop("text", None)
    if metadata:
        fields["metadata"] = metadata
    return text, fields


def _field_value(name: str, value: Any) -> Any:
    """A value in the type our field takes (dates stay as given); None when it has none."""
    if name == "published" and not isinstance(value, Mapping | list):
        return value
    if name == "text" and isinstance(value, list):
        return "\n\n".join(t for t in (_as_text(v) for v in value) if t)
    return _as_text(value)


def _rank(key: Any) -> tuple[int, int]:
    """Sort key: known aliases first, in their order of preference; other keys keep order."""
    name = _ALIAS_TO_FIELD.get(key.lower()) if isinstance(key, str) else None
    if name is None:
        return (1, 0)
    return (0, FIELD_ALIASES[name].index(key.lower()))


def _record(obj: Any, ref: str, where: str, encoding: str | None) -> RawDocument | Rejected:
    """One parsed JSON value as a record, or ``missing_field`` when it holds no article text."""
    if not isinstance(obj, Mapping):
        return Rejected(
            ref, STAGE, "missing_field",
            f"{where} is a JSON {type(obj).__name__}, not an object with a 'text' field",
        )
    text, fields = record_fields(obj)
    if not text or not text.strip():
        return Rejected(
            ref, STAGE, "missing_field",
            f"{where} has no article text (expected one of: {', '.join(FIELD_ALIASES['text'])})",
        )
    return RawDocument(ref=ref, kind="record", text=text, fields=fields, encoding=encoding)


def _read_line(stream: BinaryIO, limit: int) -> tuple[bytes, bool]:
    """One line of at most ``limit`` bytes; the rest of a longer line is skipped unread."""
    line = stream.readline(limit + 1)
    if len(line) <= limit or line.endswith(b"\n"):
        return line, False
    while True:
        chunk = stream.readline(1 << 20)
        if not chunk or chunk.endswith(b"\n"):
            return line, True


def read_jsonl(
    stream: BinaryIO, ref: str, options: IngestOptions
) -> Iterator[RawDocument | Rejected]:
    """Stream a JSON Lines input: one article per non-blank line.

    Args:
        stream: the binary input, read line by line.
        ref: the input's reference; items get ``f"{ref}:{lineno}"``.
        options: ``max_bytes`` bounds a single line.

    Yields:
        ``RawDocument(kind="record")`` per good line; ``Rejected`` with ``malformed_json``,
        ``missing_field``, ``too_large`` or ``decode_error`` per bad one.

    Raises:
        InputError: ``empty`` when the input holds no non-blank line.
    """
    lineno = 0
    seen = False
    # A file is in one encoding: once a line needed detection, later lines try that one first.
    encoding: str | None = None
    while True:
        line, truncated = _read_line(stream, options.max_bytes)
        if not line:
            break
        lineno += 1
        item_ref = f"{ref}:{lineno}"
        if truncated:
            seen = True
            yield Rejected(item_ref, STAGE, "too_large",
                           f"line {lineno} is longer than max_bytes={options.max_bytes}")
            continue
        if not line.strip():
            continue
        seen = True
        item = _parse_line(line, item_ref, lineno, encoding)
        if isinstance(item, RawDocument) and item.encoding != "utf-8":
            encoding = item.encoding
        yield item
    if not seen:
        raise InputError("empty", f"{ref}: no JSON lines in the input (only blank lines)")


def _parse_line(
    line: bytes, item_ref: str, lineno: int, declared: str | None
) -> RawDocument | Rejected:
    """One non-blank line as a record or a rejection naming the line."""
    try:
        text, encoding = decode_bytes(line, item_ref, declared)
    except InputError as exc:
        return Rejected(item_ref, STAGE, exc.reason, exc.message)
    try:
        obj = json.loads(text)
    except json.JSONDecodeError as exc:
        return Rejected(
            item_ref, STAGE, "malformed_json",
            f"line {lineno}: invalid JSON: {exc.msg} (column {exc.colno})",
        )
    return _record(obj, item_ref, f"line {lineno}", encoding)


def read_json_document(
    data: bytes, ref: str, options: IngestOptions
) -> Iterator[RawDocument | Rejected]:
    """Read a whole ``.json`` input: one object, an array of objects, or JSON Lines after all.

    Array items get ``f"{ref}#{n}"`` (1-based). Content that is not one JSON value is read as
    JSON Lines, since many ``.json`` files are.

    Raises:
        InputError: ``decode_error`` when the bytes are not text.
    """
    text, encoding = decode_bytes(data, ref)
    try:
        obj = json.loads(text)
    except json.JSONDecodeError:
        yield from read_jsonl(io.BytesIO(data), ref, options)
        return
    if isinstance(obj, list):
        if not obj:
            raise InputError("empty", f"{ref}: the JSON array is empty")
        for n, item in enumerate(obj, 1):
            yield _record(item, f"{ref}#{n}", f"array item {n}", encoding)
    else:
        yield _record(obj, ref, "the JSON document", encoding)
