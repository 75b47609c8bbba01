"""WARC archives (plain or gzip, via warcio): one ``RawDocument(kind="html")`` per HTML response.

Only ``response`` records with a 2xx status and an HTML content type become documents; requests,
metadata, images, redirects and the like are skipped silently, since a crawl is mostly those.
The file is streamed record by record, so archives of any size go through; ``max_bytes`` bounds
one page.

warcio does not raise on truncated archives: a record cut short just yields fewer bytes and a
cut gzip member is dropped. We detect both (the record's declared length not reached; bytes left
after the last complete record) and report them as ``malformed_warc``, keeping what was read.
"""

from __future__ import annotations

import logging
import zlib
from collections.abc import Iterator
from typing import Any, BinaryIO

from newsprism.config import IngestOptions
from newsprism.errors import InputError
from newsprism.ingest.decode import declared_html_charset, decode_bytes
from newsprism.model import RawDocument, Rejected

logger = logging.getLogger(__name__)

STAGE = "ingest"
_HTML_TYPES = ("text/html", "application/xhtml+xml")


class _CountingReader:
    """Counts the bytes warcio pulls from the underlying stream, to spot unread trailing data."""

    def __init__(self, stream: BinaryIO) -> None:
        self._stream = stream
        self.count = 0

    def read(self, size: int = -1) -> bytes:
        data = self._stream.read(size)
        self.count += len(data)
        return data

    def tell(self) -> int:
        return self.count


def _content_type(record: Any) -> tuple[str, str | None]:
    """``(media type, charset)`` from a response record's HTTP ``Content-Type`` header."""
    header = record.http_headers.get_header("Content-Type") or ""
    media, _, params = header.partition(";")
    charset = None
    for param in params.split(";"):
        key, _, value = param.partition("=")
        if key.strip().lower() == "charset":
            charset = value.strip().strip("\"'") or None
    return media.strip().lower(), charset


def _complete_header(record: Any) -> bool:
    """A WARC header cut short parses with no type or with an empty ``Content-Length``."""
    length = record.rec_headers.get_header("Content-Length") or ""
    return record.rec_type is not None and length.strip().isdigit()


def _is_html_response(record: Any) -> bool:
    """A 2xx HTTP response whose content type is HTML or XHTML."""
    if record.rec_type != "response" or record.http_headers is None:
        return False
    status = record.http_headers.get_statuscode() or ""
    return status.startswith("2") and _content_type(record)[0] in _HTML_TYPES


def read_warc(
    stream: BinaryIO, ref: str, options: IngestOptions
) -> Iterator[RawDocument | Rejected]:
    """Stream a WARC file and yield its HTML pages.

    Args:
        stream: the binary archive (gzip or not; warcio detects it).
        ref: the input's reference; pages get ``f"{ref}#{byte offset of the record}"``.
        options: ``max_bytes`` bounds one page.

    Yields:
        ``RawDocument(kind="html", fields={"url": target URI, "metadata": {"crawled": WARC-Date}})``
        per HTML response; ``Rejected`` with ``malformed_warc`` for what cannot be read (then
        stops), ``too_large``, ``empty`` or ``decode_error`` for a single bad page.

    Raises:
        InputError: ``malformed_warc`` when not even the first record can be read.
    """
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed
    from warcio.statusandheaders import StatusAndHeadersParserException

    counter = _CountingReader(stream)
    archive = ArchiveIterator(counter)
    read = 0
    try:
        for record in archive:
            if record.format != "warc" or record.rec_headers is None:
                # warcio reads any line of five words as an old ARC record: not ours.
                raise ArchiveLoadFailed("no WARC record header (WARC/1.0 or WARC/1.1) found")
            if not _complete_header(record):
                raise ArchiveLoadFailed("a record header is cut short (truncated archive?)")
            read += 1
            item = _read_record(record, archive, ref, options)
            if item is not None:
                yield item
    except (ArchiveLoadFailed, StatusAndHeadersParserException, ValueError, EOFError,
            zlib.error, AttributeError, TypeError) as exc:
        # warcio fails with AttributeError/TypeError on a record cut inside its headers.
        yield _malformed(ref, archive, read, str(exc).strip())
        return
    if counter.count > archive.offset:
        yield _malformed(
            ref, archive, read,
            f"{counter.count - archive.offset} bytes after the last complete record are not a "
            "readable record (truncated archive?)",
        )


def _malformed(ref: str, archive: Any, read: int, cause: str) -> Rejected:
    """A ``malformed_warc`` rejection for the unreadable rest; raised when nothing was read."""
    offset = getattr(archive, "offset", 0)
    if read == 0 and offset == 0:
        raise InputError("malformed_warc", f"{ref}: not a readable WARC file: {cause}")
    return Rejected(
        f"{ref}#{offset}", STAGE, "malformed_warc",
        f"cannot read the archive from byte {offset} on ({read} records read before): {cause}",
    )


def _read_record(
    record: Any, archive: Any, ref: str, options: IngestOptions
) -> RawDocument | Rejected | None:
    """One record as a page, a rejection, or ``None`` when it is not an HTML response."""
    from warcio.bufferedreaders import ChunkedDataException

    body: bytes | None = None
    body_error: Exception | None = None
    if _is_html_response(record):
        try:
            body = record.content_stream().read(options.max_bytes + 1)
        except (zlib.error, ValueError, EOFError, ChunkedDataException) as exc:
            body_error = exc  # a bad Content-Encoding/chunking spoils this page, not the archive
    offset = archive.get_record_offset()  # drains the rest of the record
    item_ref = f"{ref}#{offset}"
    missing = getattr(record.raw_stream, "limit", 0)
    if missing > 0:
        return Rejected(item_ref, STAGE, "malformed_warc",
                        f"the record is cut short: {missing} bytes missing (truncated archive?)")
    if body_error is not None:
        return Rejected(item_ref, STAGE, "malformed_warc",
                        f"the page body cannot be decoded: {body_error}")
    if body is None:
        return None
    if len(body) > options.max_bytes:
        return Rejected(item_ref, STAGE, "too_large",
                        f"the page is larger than max_bytes={options.max_bytes}")
    if not body.strip():
        return Rejected(item_ref, STAGE, "empty", "the HTML response has an empty body")
    return _document(record, body, item_ref)


def _document(record: Any, body: bytes, item_ref: str) -> RawDocument | Rejected:
    """The decoded page with the record's URL and crawl date."""
    _, charset = _content_type(record)
    try:
        text, encoding = decode_bytes(body, item_ref, charset or declared_html_charset(body))
    except InputError as exc:
        return Rejected(item_ref, STAGE, exc.reason, exc.message)
    fields: dict[str, Any] = {}
    url = record.rec_headers.get_header("WARC-Target-URI")
    if url:
        fields["url"] = url
    crawled = record.rec_headers.get_header("WARC-Date")
    if crawled:
        # When the page was fetched, not when it was published: metadata only.
        fields["metadata"] = {"crawled": crawled}
    return RawDocument(ref=item_ref, kind="html", text=text, fields=fields, encoding=encoding)
