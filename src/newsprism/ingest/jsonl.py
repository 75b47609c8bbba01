"""JSON Lines (one article per line) and plain JSON (one object or an array of objects).

Every article becomes ``RawDocument(kind="record")`` whose ``fields`` use our names::

    id, title, published, source, url, subtitle, byline    (+ "metadata": every other key)

Common aliases are accepted (``body``/``content`` for the text, ``pubDate``/``published_at``/``date``
for the date, ``outlet``/``site`` for the source, ``link`` for the URL ...). Values are kept as
the file gives them (dates stay strings); :mod:`newsprism.normalize.record` interprets them.

JSON Lines files are streamed line by line, so a corpus of any size goes through with at most
``max_bytes`` of it in memory; a bad line (not JSON, binary, nested deeper than
:data:`MAX_DEPTH`, too long, no text) is rejected with its line number and the other lines go
in. Lone UTF-16 surrogates (``"\\ud800"`` escapes, which no store can hold) become U+FFFD.
"""

from __future__ import annotations

import io
import json
import logging
import re
from collections.abc import Iterator, Mapping
from typing import Any, BinaryIO

from newsprism.config import IngestOptions
from newsprism.errors import InputError
from newsprism.ingest.decode import decode_bytes, looks_binary
from newsprism.model import RawDocument, Rejected

logger = logging.getLogger(__name__)

STAGE = "ingest"
NOT_ARTICLES = "not_articles"
"""The reason :func:`read_json_document` gives, with ``articles_only``, for a document that
holds no article at all (a folder walk skips such files)."""

# Articles are flat records; real ones nest a few levels (metadata objects, author lists).
# Deeper values are refused before anything recurses into them (json, our field mapping and
# the store's JSON encoding all recurse, and Python's stack ends near 1,000 levels).
MAX_DEPTH = 64
# A file whose first lines are all binary is not JSON Lines at all: rejected whole after this
# many, instead of line by line to its end.
_BINARY_LINES_BEFORE_GIVING_UP = 20
_NESTING = re.compile(rb"[\[{]")
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")

#: Our field name -> accepted keys, in order of preference (compared case-insensitively).
FIELD_ALIASES: dict[str, tuple[str, ...]] = {
    "text": ("text", "body", "content", "article", "maintext", "full_text", "paragraphs",
             "body-paragraphs", "body_paragraphs"),
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
        # Paragraphs; a paragraph given as a list holds its sentences (BASIL's body-paragraphs).
        paragraphs = (" ".join(t for t in map(_as_text, v) if t) if isinstance(v, list)
                      else _as_text(v) for v in value)
        return "\n\n".join(t for t in paragraphs if t)
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
    binary_run = 0  # binary lines since the start, while no good line was seen
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
        is_binary = isinstance(item, Rejected) and item.reason == "binary"
        binary_run = binary_run + 1 if binary_run >= 0 and is_binary else -1
        if binary_run >= _BINARY_LINES_BEFORE_GIVING_UP:
            raise InputError("binary", f"{ref}: not text: its first {binary_run} lines hold NUL "
                             "or control bytes (the rest is not read)")
        yield item
    if not seen:
        raise InputError("empty", f"{ref}: no JSON lines in the input (only blank lines)")


def _parse_line(
    line: bytes, item_ref: str, lineno: int, declared: str | None
) -> RawDocument | Rejected:
    """One non-blank line as a record or a rejection naming the line."""
    if looks_binary(line.rstrip(b"\r\n")[:8192]):
        return Rejected(item_ref, STAGE, "binary",
                        f"line {lineno}: not text (NUL or control bytes)")
    try:
        text, encoding = decode_bytes(line, item_ref, declared)
    except InputError as exc:
        return Rejected(item_ref, STAGE, exc.reason, f"line {lineno}: {exc.message}")
    try:
        obj = load_json(text, line)
    except InputError as exc:
        return Rejected(item_ref, STAGE, exc.reason, f"line {lineno}: {exc.message}")
    return _record(obj, item_ref, f"line {lineno}", encoding)


def load_json(text: str, data: bytes | None = None) -> Any:
    """Parse one JSON value, refusing what no article is: nesting deeper than
    :data:`MAX_DEPTH`; lone surrogate escapes become U+FFFD.

    Raises:
        InputError: ``malformed_json`` or ``too_deep``.
    """
    raw = data if data is not None else text.encode("utf-8", "surrogatepass")
    if len(_NESTING.findall(raw, 0, 1 << 20)) > MAX_DEPTH and _depth(raw) > MAX_DEPTH:
        raise InputError("too_deep", f"JSON nested deeper than {MAX_DEPTH} levels")
    try:
        obj = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError("malformed_json",
                         f"invalid JSON: {exc.msg} (column {exc.colno})") from exc
    except RecursionError as exc:  # nesting hidden from the byte count (an escape trick)
        raise InputError("too_deep", f"JSON nested deeper than {MAX_DEPTH} levels") from exc
    return _clean_surrogates(obj) if _SURROGATE_ESCAPE.search(text) else obj


def _depth(raw: bytes) -> int:
    """Deepest bracket nesting in ``raw``, ignoring brackets inside strings."""
    depth = deepest = 0
    in_string = escaped = False
    for byte in raw:
        if in_string:
            if escaped:
                escaped = False
            elif byte == 0x5C:  # backslash
                escaped = True
            elif byte == 0x22:
                in_string = False
        elif byte == 0x22:
            in_string = True
        elif byte in (0x5B, 0x7B):
            depth += 1
            deepest = max(deepest, depth)
            if deepest > MAX_DEPTH:
                return deepest
        elif byte in (0x5D, 0x7D):
            depth -= 1
    return deepest


def _clean_surrogates(value: Any) -> Any:
    """``value`` with lone surrogates in its strings (keys too) replaced by U+FFFD."""
    if isinstance(value, str):
        return value.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    if isinstance(value, list):
        return [_clean_surrogates(v) for v in value]
    if isinstance(value, dict):
        return {_clean_surrogates(k): _clean_surrogates(v) for k, v in value.items()}
    return value


def read_json_document(
    data: bytes, ref: str, options: IngestOptions, *, articles_only: bool = False
) -> Iterator[RawDocument | Rejected]:
    """Read a whole ``.json`` input: one object, an array of objects, or JSON Lines after all.

    Array items get ``f"{ref}#{n}"`` (1-based). Content that is not one JSON value is read as
    JSON Lines, since many ``.json`` files are.

    Args:
        articles_only: raise ``not_articles`` when no item of the document holds article text
            (a folder's annotation or config file), instead of rejecting each item.

    Raises:
        InputError: ``decode_error`` when the bytes are not text; ``too_deep``; ``empty``;
        ``not_articles`` (see ``articles_only``).
    """
    text, encoding = decode_bytes(data, ref)
    try:
        obj = load_json(text)
    except InputError as exc:
        if exc.reason != "malformed_json":
            raise InputError(exc.reason, f"{ref}: {exc.message}") from exc
        yield from read_jsonl(io.BytesIO(data), ref, options)
        return
    items = obj if isinstance(obj, list) else [obj]
    if isinstance(obj, list) and not obj:
        raise InputError("empty", f"{ref}: the JSON array is empty")
    records = [_record(item, f"{ref}#{n}" if isinstance(obj, list) else ref,
                       f"array item {n}" if isinstance(obj, list) else "the JSON document",
                       encoding) for n, item in enumerate(items, 1)]
    if articles_only and not any(isinstance(r, RawDocument) for r in records):
        raise InputError(NOT_ARTICLES, f"{ref} is JSON that holds no article (no object with "
                         f"one of: {', '.join(FIELD_ALIASES['text'])})")
    yield from records
