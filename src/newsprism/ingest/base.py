"""Ingest: files, directories, glob patterns and stdin -> ``RawDocument | Rejected``.

:func:`read_inputs` is the one entry point. It streams: one file is opened at a time, directory
listings are walked lazily, and JSON Lines and WARC inputs are read record by record, so inputs
of any count (and containers of any size) pass with bounded memory.

Formats and how an input is recognised (the extension first, the first 8 KB otherwise)::

    text   .txt .text .md                   anything not recognised below
    html   .html .htm .xhtml                starts with <!doctype html / <html
    jsonl  .jsonl .ndjson                   starts with {
    json   .json (one object or an array)   starts with [
    feed   .xml .rss .atom .feed            <rss / <feed / <rdf:RDF near the start
    warc   .warc .warc.gz                   WARC/1.x, plain or gzipped

Every failure becomes a :class:`~newsprism.model.Rejected` (stage ``"ingest"``) with one of these
reasons, and the rest of the batch goes on: ``not_found``, ``unreadable``, ``empty``,
``too_large``, ``binary``, ``decode_error``, plus the per-format ones (``malformed_json``,
``missing_field``, ``too_deep``, ``malformed_feed``, ``broken_entry``, ``malformed_warc``).
The unit rejected is the smallest one that is bad: a JSON line (its number in the ref), a feed
entry, a WARC record, else the file.

Folder walks skip files that are not articles (:mod:`newsprism.ingest.folders`), yielding a
:class:`~newsprism.model.Skipped`; a file name that is not UTF-8 is read, its ref showing the
odd bytes as ``\\xNN``.
"""

from __future__ import annotations

import io
import logging
import os
import re
import stat
import sys
import zlib
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import BinaryIO

from newsprism.config import IngestOptions
from newsprism.errors import ConfigError, InputError
from newsprism.ingest.decode import (
    SNIFF_BYTES,
    bom_encoding,
    declared_html_charset,
    decode_bytes,
    looks_binary,
)
from newsprism.ingest.feed import read_feed
from newsprism.ingest.folders import display_path, skip_reason
from newsprism.ingest.jsonl import NOT_ARTICLES, read_json_document, read_jsonl
from newsprism.ingest.warc import read_warc
from newsprism.model import RawDocument, Rejected, Skipped

logger = logging.getLogger(__name__)

STAGE = "ingest"
STDIN_REF = "<stdin>"
Item = RawDocument | Rejected | Skipped

_EXTENSIONS = {
    ".txt": "text", ".text": "text", ".md": "text",
    ".html": "html", ".htm": "html", ".xhtml": "html",
    ".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "json",
    ".xml": "feed", ".rss": "feed", ".atom": "feed", ".feed": "feed",
    ".warc": "warc",
}
# Read record by record; max_bytes bounds one record, not the file (corpora are big).
_STREAMED = frozenset({"jsonl", "warc"})
_GLOB_MAGIC = re.compile(r"[*?[]")


def format_from_name(name: str) -> str | None:
    """The input format an extension names, or ``None`` when the content must be sniffed."""
    lower = name.lower()
    if lower.endswith((".warc.gz", ".warc")):
        return "warc"
    return _EXTENSIONS.get(os.path.splitext(lower)[1])


def sniff_format(head: bytes) -> str:
    """Guess the format of an input from its first bytes (see the module docstring)."""
    if head.startswith(b"\x1f\x8b"):
        try:
            inner = zlib.decompressobj(zlib.MAX_WBITS | 16).decompress(head, 16)
        except zlib.error:
            inner = b""
        return "warc" if inner.startswith(b"WARC/") else "text"
    if head.startswith(b"WARC/"):
        return "warc"
    sample = head.decode(bom_encoding(head) or "utf-8", errors="ignore")
    start = sample.lstrip("\ufeff \t\r\n")[:2048].lower()
    if start.startswith(("<!doctype html", "<html")):
        return "html"
    if "<rss" in start or "<feed" in start or "<rdf:rdf" in start:
        return "feed"
    if start.startswith("<") and ("<html" in start or "<body" in start):
        return "html"
    if start.startswith("{"):
        return "jsonl"
    if start.startswith("["):
        return "json"
    return "text"


def read_inputs(
    inputs: Iterable[str | Path] | str | Path,
    options: IngestOptions | None = None,
    stdin: BinaryIO | None = None,
) -> Iterator[Item]:
    """Read every input and yield raw documents, or a rejection for each input that fails.

    Args:
        inputs: file paths, directories (walked recursively in name order, skipping hidden
            files and folders), glob patterns (``**`` allowed) and ``"-"`` for stdin. A single
            path is accepted too.
        options: ingest options (``max_bytes`` above all); defaults when ``None``.
        stdin: the binary stream ``"-"`` reads; ``sys.stdin.buffer`` when ``None``.

    Yields:
        ``RawDocument`` or ``Rejected`` items, lazily, in input order. Nothing raises for a bad
        input: the batch always goes on.

    Raises:
        ConfigError: an element of ``inputs`` is not a path or pattern (a programming error).
    """
    options = options or IngestOptions()
    if isinstance(inputs, str | Path):
        inputs = [inputs]
    for spec in inputs:
        if not isinstance(spec, str | os.PathLike):
            raise ConfigError(
                f"inputs must hold file paths, directories, glob patterns or '-', got {spec!r}"
            )
        if os.fspath(spec) == "-":
            yield from _guard(STDIN_REF, _read_stdin(stdin, options))
            continue
        for target in _expand(spec):
            if isinstance(target, Rejected | Skipped):
                yield target
            else:
                path, ref, walked = target
                yield from _guard(ref, _read_file(path, ref, options, walked), walked)


def _guard(ref: str, items: Iterator[Item], walked: bool = False) -> Iterator[Item]:
    """Run one input's reader, turning whatever stops it into a ``Rejected`` (a ``Skipped``
    for a folder's ``.json`` file that holds no article)."""
    try:
        yield from items
    except InputError as exc:
        if walked and exc.reason == NOT_ARTICLES:
            yield Skipped(ref, "not_an_article", exc.message)
            return
        yield Rejected(ref, STAGE, exc.reason, exc.message)
    except OSError as exc:
        yield Rejected(ref, STAGE, "unreadable", f"{ref}: cannot read: {exc.strerror or exc}")
    except Exception as exc:  # a library failing on odd input must not stop the batch
        logger.exception("unexpected error while reading %s", ref)
        yield Rejected(ref, STAGE, "reader_error", f"{ref}: {type(exc).__name__}: {exc}")


Target = tuple[Path, str, bool] | Rejected | Skipped
"""A file to read (path, printable ref, found by a folder walk), or why not."""


def _expand(spec: str | os.PathLike[str]) -> Iterator[Target]:
    """The files one input names: itself, a directory's files, or a pattern's matches."""
    raw = os.fspath(spec)
    ref = display_path(raw)
    path = Path(raw)
    try:
        is_dir, exists = path.is_dir(), os.path.lexists(raw)
    except (OSError, ValueError) as exc:  # a NUL in the name, a name too long ...
        yield Rejected(ref, STAGE, "unreadable", f"{ref}: not a usable path: {exc}")
        return
    if is_dir:
        yield from _walk(path)
    elif exists:
        yield path, ref, False
    elif _GLOB_MAGIC.search(raw):
        import glob

        matches = sorted(glob.glob(raw, recursive=True))
        if not matches:
            yield Rejected(ref, STAGE, "not_found", f"no file matches the pattern {ref!r}")
        for match in matches:
            if os.path.isdir(match):
                yield from _walk(Path(match))
            else:
                yield Path(match), display_path(match), False
    else:
        yield Rejected(ref, STAGE, "not_found", f"{ref}: no such file or directory")


def _walk(root: Path) -> Iterator[Target]:
    """Files under ``root`` in name order, recursively, skipping hidden entries and files that
    are not articles (:func:`~newsprism.ingest.folders.skip_reason`).

    Symlinked directories are not followed (no loops); they come out as inputs and are
    rejected as ``unreadable`` with a message saying so.
    """
    try:
        with os.scandir(root) as listing:
            entries = sorted(listing, key=lambda e: e.name)
    except OSError as exc:
        ref = display_path(str(root))
        yield Rejected(ref, STAGE, "unreadable", f"{ref}: cannot list directory: {exc.strerror}")
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        ref = display_path(entry.path)
        try:
            is_dir = entry.is_dir(follow_symlinks=False)
        except OSError as exc:
            yield Rejected(ref, STAGE, "unreadable", f"{ref}: cannot stat: {exc.strerror}")
            continue
        if is_dir:
            yield from _walk(Path(entry.path))
            continue
        reason = skip_reason(display_path(entry.name))
        if reason is not None:
            yield Skipped(ref, "not_an_article", reason)
        else:
            yield Path(entry.path), ref, True


def _file_kind(mode: int) -> str:
    """What a non-regular file is, for the ``unreadable`` message."""
    if stat.S_ISDIR(mode):
        return "directory reached through a symlink (not followed)"
    if stat.S_ISFIFO(mode):
        return "named pipe (FIFO)"
    if stat.S_ISSOCK(mode):
        return "socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "device"
    return "special file"


def _too_large(ref: str, size: int | None, options: IngestOptions) -> InputError:
    """The ``too_large`` error, with the fix in the message."""
    amount = f"{size} bytes is" if size is not None else "the input is"
    return InputError(
        "too_large",
        f"{ref}: {amount} over max_bytes={options.max_bytes}; raise max_bytes to read it",
    )


def _read_file(path: Path, ref: str, options: IngestOptions, walked: bool = False
               ) -> Iterator[Item]:
    """Check one file with ``stat`` before reading it, then hand it to its format's reader."""
    try:
        info = path.stat()
    except FileNotFoundError as exc:
        raise InputError("not_found", f"{ref}: no such file (or a broken symlink)") from exc
    if not stat.S_ISREG(info.st_mode):
        # Never open these: opening a FIFO blocks until a writer appears.
        raise InputError("unreadable", f"{ref} is a {_file_kind(info.st_mode)}, not a file")
    if info.st_size == 0:
        raise InputError("empty", f"{ref}: the file is empty (0 bytes)")
    fmt = format_from_name(path.name)
    if fmt is not None and fmt not in _STREAMED and info.st_size > options.max_bytes:
        raise _too_large(ref, info.st_size, options)
    with path.open("rb") as stream:
        head = stream.read(SNIFF_BYTES)
        if fmt is None:
            fmt = sniff_format(head)
            if fmt not in _STREAMED and info.st_size > options.max_bytes:
                raise _too_large(ref, info.st_size, options)
        stream.seek(0)
        yield from _dispatch(fmt, stream, head, ref, options, walked)


class _PrefixedStream(io.RawIOBase):
    """A non-seekable stream that replays bytes already read (the sniffed head) first."""

    def __init__(self, head: bytes, rest: BinaryIO) -> None:
        super().__init__()
        self._head = head
        self._rest = rest

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        """Fill ``buffer`` from the replayed head first, then from the rest."""
        if self._head:
            n = min(len(buffer), len(self._head))
            buffer[:n] = self._head[:n]
            self._head = self._head[n:]
            return n
        data = self._rest.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)


def _binary_stdin(stdin: BinaryIO | None) -> BinaryIO:
    """The byte stream behind ``stdin`` (a text stream gives its buffer)."""
    stream = stdin if stdin is not None else sys.stdin.buffer
    if isinstance(stream, io.TextIOBase):
        buffer = getattr(stream, "buffer", None)
        return buffer if buffer is not None else io.BytesIO(stream.read().encode("utf-8"))
    return stream


def _read_stdin(stdin: BinaryIO | None, options: IngestOptions) -> Iterator[Item]:
    """Read ``-``: sniff the head, then stream the rest into the format's reader."""
    stream = _binary_stdin(stdin)
    head = b""
    while len(head) < SNIFF_BYTES:  # pipes return short reads
        chunk = stream.read(SNIFF_BYTES - len(head))
        if not chunk:
            break
        head += chunk
    if not head:
        raise InputError("empty", f"{STDIN_REF}: no input on stdin (0 bytes)")
    fmt = sniff_format(head)
    replay = io.BufferedReader(_PrefixedStream(head, stream))
    yield from _dispatch(fmt, replay, head, STDIN_REF, options)


def _dispatch(
    fmt: str, stream: BinaryIO, head: bytes, ref: str, options: IngestOptions,
    walked: bool = False,
) -> Iterator[Item]:
    """Hand an opened input to the reader for ``fmt`` after the shared content checks (JSON
    Lines are checked line by line, so one binary line costs only itself)."""
    if fmt not in ("warc", "jsonl") and looks_binary(head):
        raise InputError(
            "binary", f"{ref}: not text (NUL or control bytes in the first 8 KB); "
            "newsprism reads text, HTML, JSON Lines, RSS/Atom and WARC files",
        )
    if fmt == "warc":
        yield from read_warc(stream, ref, options)
        return
    if fmt == "jsonl":
        yield from read_jsonl(stream, ref, options)
        return
    data = stream.read(options.max_bytes + 1)
    if len(data) > options.max_bytes:
        raise _too_large(ref, None, options)
    if not data.strip():
        raise InputError("empty", f"{ref}: only whitespace, no text")
    if fmt == "feed":
        yield from read_feed(data, ref)
    elif fmt == "json":
        yield from read_json_document(data, ref, options, articles_only=walked)
    else:
        yield _document(fmt, data, ref)


def _document(fmt: str, data: bytes, ref: str) -> RawDocument:
    """A whole text or HTML file as one raw document."""
    declared = declared_html_charset(data) if fmt == "html" else None
    text, encoding = decode_bytes(data, ref, declared)
    if not text.strip():
        raise InputError("empty", f"{ref}: only whitespace, no text")
    return RawDocument(ref=ref, kind=fmt, text=text, fields={}, encoding=encoding)
