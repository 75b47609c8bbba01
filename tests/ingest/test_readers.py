"""read_inputs: paths, directories, globs, stdin, format dispatch and every bad-input reason."""

from __future__ import annotations

import gzip
import io
import os
import random
from pathlib import Path

import pytest

from newsprism.config import IngestOptions
from newsprism.ingest import base as ingest_base
from newsprism.ingest import format_from_name, read_inputs, sniff_format
from newsprism.model import RawDocument, Rejected

DATA = Path(__file__).parent.parent / "data" / "ingest"
TEXT = "Tram line approved\n\nThe council voted nine to four on Wednesday to build the line.\n"
FRENCH = (
    "Le conseil municipal a approuvé mercredi la construction d'une ligne de tramway vers les "
    "quais de l'est. Après deux années de débats, les élus ont voté à une large majorité.\n"
)


def _read(*inputs: str | Path, **options: object) -> list[RawDocument | Rejected]:
    return list(read_inputs([str(i) for i in inputs], IngestOptions(**options)))  # type: ignore[arg-type]


def _only(items: list[RawDocument | Rejected]) -> RawDocument | Rejected:
    assert len(items) == 1, items
    return items[0]


def _reason(item: RawDocument | Rejected) -> str:
    assert isinstance(item, Rejected), item
    assert item.stage == "ingest" and item.detail
    return item.reason


def test_base_reads_text_file(tmp_path: Path) -> None:
    path = tmp_path / "story.txt"
    path.write_text(TEXT, encoding="utf-8")
    doc = _only(_read(path))
    assert isinstance(doc, RawDocument)
    assert (doc.kind, doc.ref, doc.text, doc.encoding) == ("text", str(path), TEXT, "utf-8")


def test_base_reads_fixture_directory_by_extension() -> None:
    kinds: dict[str, str | None] = {}
    for item in _read(DATA):
        name = Path(item.ref.split(":")[0].split("#")[0]).name
        kinds.setdefault(name, getattr(item, "kind", None))
    assert kinds["article.html"] == "html"
    assert kinds["article.txt"] == "text"
    assert kinds["feed.rss"] == "record" and kinds["feed.atom"] == "record"


def test_base_accepts_a_single_path_and_path_objects(tmp_path: Path) -> None:
    path = tmp_path / "story.md"
    path.write_text(TEXT, encoding="utf-8")
    assert [d.ref for d in read_inputs(path, IngestOptions())] == [str(path)]


def test_base_walks_directory_sorted_skipping_hidden(tmp_path: Path) -> None:
    for rel in ("b.txt", "a.txt", "sub/c.txt", "sub/.hidden.txt", ".git/config.txt", "0.txt"):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(TEXT, encoding="utf-8")
    refs = [i.ref for i in _read(tmp_path)]
    assert refs == [str(tmp_path / n) for n in ("0.txt", "a.txt", "b.txt", "sub/c.txt")]


def test_base_expands_recursive_glob(tmp_path: Path) -> None:
    for rel in ("x/one.txt", "x/y/two.txt", "x/y/skip.html"):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(TEXT, encoding="utf-8")
    refs = [i.ref for i in _read(f"{tmp_path}/**/*.txt")]
    assert refs == [str(tmp_path / "x/one.txt"), str(tmp_path / "x/y/two.txt")]


def test_base_glob_without_match_is_not_found(tmp_path: Path) -> None:
    item = _only(_read(f"{tmp_path}/*.nothing"))
    assert _reason(item) == "not_found"
    assert "pattern" in item.detail  # type: ignore[union-attr]


def test_base_missing_path_is_not_found(tmp_path: Path) -> None:
    assert _reason(_only(_read(tmp_path / "absent.txt"))) == "not_found"


def test_base_broken_symlink_is_not_found(tmp_path: Path) -> None:
    (tmp_path / "link.txt").symlink_to(tmp_path / "gone.txt")
    assert _reason(_only(_read(tmp_path / "link.txt"))) == "not_found"


def test_base_batch_goes_on_after_failures(tmp_path: Path) -> None:
    good = tmp_path / "good.txt"
    good.write_text(TEXT, encoding="utf-8")
    (tmp_path / "empty.txt").write_bytes(b"")
    items = _read(tmp_path / "absent.txt", tmp_path / "empty.txt", good)
    assert [type(i).__name__ for i in items] == ["Rejected", "Rejected", "RawDocument"]


def test_base_rejects_nul_bytes_as_binary(tmp_path: Path) -> None:
    path = tmp_path / "photo.txt"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4)
    item = _only(_read(path))
    assert _reason(item) == "binary"
    assert "8 KB" in item.detail  # type: ignore[union-attr]


def test_base_rejects_control_bytes_as_binary(tmp_path: Path) -> None:
    path = tmp_path / "blob"
    path.write_bytes(bytes([1, 2, 3, 4, 5, 6, 7, 65]) * 500)
    assert _reason(_only(_read(path))) == "binary"


def test_base_rejects_gzip_that_is_not_warc_as_binary(tmp_path: Path) -> None:
    path = tmp_path / "notes.gz"
    path.write_bytes(gzip.compress(TEXT.encode() * 50))
    assert _reason(_only(_read(path))) == "binary"


def test_base_rejects_zero_byte_file_as_empty(tmp_path: Path) -> None:
    path = tmp_path / "nothing.html"
    path.write_bytes(b"")
    assert _reason(_only(_read(path))) == "empty"


def test_base_rejects_whitespace_only_as_empty(tmp_path: Path) -> None:
    path = tmp_path / "blank.txt"
    path.write_bytes(b" \n\t\r\n   \n")
    item = _only(_read(path))
    assert _reason(item) == "empty"
    assert "whitespace" in item.detail  # type: ignore[union-attr]


def test_base_checks_size_with_stat_before_reading(tmp_path: Path) -> None:
    # A sparse file of NUL bytes: reading it would say "binary"; stat says too_large first.
    path = tmp_path / "huge.txt"
    with path.open("wb") as fh:
        fh.truncate(50 * 1024 * 1024)
    item = _only(_read(path))
    assert _reason(item) == "too_large"
    assert "max_bytes" in item.detail  # type: ignore[union-attr]


def test_base_too_large_honours_max_bytes_option(tmp_path: Path) -> None:
    path = tmp_path / "story.txt"
    path.write_text(TEXT * 10, encoding="utf-8")
    assert _reason(_only(_read(path, max_bytes=100))) == "too_large"
    assert isinstance(_only(_read(path, max_bytes=10_000)), RawDocument)


def test_base_rejects_fifo_as_unreadable_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    item = _only(_read(fifo))
    assert _reason(item) == "unreadable"
    assert "FIFO" in item.detail  # type: ignore[union-attr]


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their mode")
def test_base_rejects_permission_denied_as_unreadable(tmp_path: Path) -> None:
    path = tmp_path / "secret.txt"
    path.write_text(TEXT, encoding="utf-8")
    path.chmod(0)
    try:
        assert _reason(_only(_read(path))) == "unreadable"
    finally:
        path.chmod(0o644)


def test_base_symlinked_directory_is_not_followed(tmp_path: Path) -> None:
    (tmp_path / "real").mkdir()
    (tmp_path / "real" / "a.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "top").mkdir()
    (tmp_path / "top" / "loop").symlink_to(tmp_path / "top")
    assert _reason(_only(_read(tmp_path / "top"))) == "unreadable"


def test_base_decodes_latin1_and_records_encoding(tmp_path: Path) -> None:
    path = tmp_path / "article.txt"
    path.write_bytes(FRENCH.encode("latin-1"))
    doc = _only(_read(path))
    assert isinstance(doc, RawDocument)
    assert doc.text == FRENCH
    assert doc.encoding is not None and doc.encoding.replace("_", "-") != "utf-8"


def test_base_html_uses_declared_charset(tmp_path: Path) -> None:
    page = f'<html><head><meta charset="iso-8859-1"></head><body><p>{FRENCH}</p></body></html>'
    path = tmp_path / "page.html"
    path.write_bytes(page.encode("cp1252"))
    doc = _only(_read(path))
    assert isinstance(doc, RawDocument)
    assert FRENCH in doc.text and doc.encoding == "cp1252"


def test_base_decodes_utf16_with_bom(tmp_path: Path) -> None:
    path = tmp_path / "wide.txt"
    path.write_bytes(FRENCH.encode("utf-16"))
    doc = _only(_read(path))
    assert isinstance(doc, RawDocument) and doc.text == FRENCH and doc.encoding == "utf-16"


def test_base_strips_utf8_bom(tmp_path: Path) -> None:
    path = tmp_path / "bom.txt"
    path.write_bytes(b"\xef\xbb\xbf" + TEXT.encode())
    doc = _only(_read(path))
    assert isinstance(doc, RawDocument) and doc.text == TEXT and doc.encoding == "utf-8"


def test_base_rejects_undecodable_bytes(tmp_path: Path) -> None:
    rng = random.Random(1)
    path = tmp_path / "noise.txt"
    path.write_bytes(bytes(rng.randrange(0x80, 0x100) for _ in range(3000)))
    item = _only(_read(path))
    assert _reason(item) == "decode_error"
    assert "UTF-8" in item.detail  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("content", "kind"),
    [
        (b"<!DOCTYPE html><html><body><p>Hi there, reader.</p></body></html>", "html"),
        (b"  \n<HTML><body><p>Hi there, reader.</p></body></HTML>", "html"),
        (b'{"title": "T", "text": "Body text here."}\n', "record"),
        (b"Just a plain article line.\nAnother line.\n", "text"),
    ],
)
def test_base_sniffs_unknown_extension(tmp_path: Path, content: bytes, kind: str) -> None:
    path = tmp_path / "download.dat"
    path.write_bytes(content)
    doc = _only(_read(path))
    assert isinstance(doc, RawDocument) and doc.kind == kind


def test_base_sniffs_feed_without_extension(tmp_path: Path) -> None:
    path = tmp_path / "latest"
    path.write_bytes((DATA / "feed.rss").read_bytes())
    items = _read(path)
    assert [i.ref for i in items] == [f"{path}#1", f"{path}#2", f"{path}#3"]


@pytest.mark.parametrize(
    ("name", "fmt"),
    [
        ("a.txt", "text"), ("a.TEXT", "text"), ("a.md", "text"), ("a.html", "html"),
        ("a.HTM", "html"), ("a.jsonl", "jsonl"), ("a.ndjson", "jsonl"), ("a.json", "json"),
        ("a.xml", "feed"), ("a.rss", "feed"), ("a.atom", "feed"), ("a.feed", "feed"),
        ("a.warc", "warc"), ("crawl.warc.gz", "warc"), ("a.gz", None), ("README", None),
    ],
)
def test_base_format_from_name(name: str, fmt: str | None) -> None:
    assert format_from_name(name) == fmt


@pytest.mark.parametrize(
    ("head", "fmt"),
    [
        (b"WARC/1.0\r\nWARC-Type: warcinfo\r\n", "warc"),
        (gzip.compress(b"WARC/1.1\r\nWARC-Type: response\r\n"), "warc"),
        (b'<?xml version="1.0"?>\n<rss version="2.0"><channel>', "feed"),
        (b'<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom">', "feed"),
        (b"\xef\xbb\xbf<!doctype html><html>", "html"),
        (b'<?xml version="1.0"?><html xmlns="http://www.w3.org/1999/xhtml">', "html"),
        (b'\n{"a": 1}\n{"a": 2}\n', "jsonl"),
        (b'[{"a": 1}]', "json"),
        (b"Plain words.", "text"),
    ],
)
def test_base_sniff_format(head: bytes, fmt: str) -> None:
    assert sniff_format(head) == fmt


def test_base_reads_stdin_dash_as_jsonl() -> None:
    data = b'{"title": "One", "text": "First body."}\n{"title": "Two", "text": "Second body."}\n'
    items = list(read_inputs(["-"], IngestOptions(), stdin=io.BytesIO(data)))
    assert [(i.ref, i.kind) for i in items] == [("<stdin>:1", "record"), ("<stdin>:2", "record")]


def test_base_reads_stdin_longer_than_sniff_window() -> None:
    page = "<!doctype html><html><body>" + "<p>Line of text.</p>" * 2000 + "</body></html>"
    doc = _only(list(read_inputs(["-"], IngestOptions(), stdin=io.BytesIO(page.encode()))))
    assert isinstance(doc, RawDocument) and doc.kind == "html" and doc.text == page


def test_base_reads_text_stdin_stream() -> None:
    doc = _only(list(read_inputs(["-"], IngestOptions(), stdin=io.StringIO(TEXT))))  # type: ignore[arg-type]
    assert isinstance(doc, RawDocument) and doc.text == TEXT and doc.ref == "<stdin>"


def test_base_rejects_empty_stdin() -> None:
    item = _only(list(read_inputs(["-"], IngestOptions(), stdin=io.BytesIO(b""))))
    assert _reason(item) == "empty" and item.ref == "<stdin>"


def test_base_rejects_too_large_stdin() -> None:
    stdin = io.BytesIO(TEXT.encode() * 100)
    item = _only(list(read_inputs(["-"], IngestOptions(max_bytes=500), stdin=stdin)))
    assert _reason(item) == "too_large"


def test_base_rejects_binary_stdin() -> None:
    item = _only(list(read_inputs(["-"], IngestOptions(), stdin=io.BytesIO(b"\x00\x01" * 99))))
    assert _reason(item) == "binary"


def test_base_streams_lazily(tmp_path: Path) -> None:
    for name in ("a.txt", "b.txt", "c.txt"):
        (tmp_path / name).write_text(TEXT, encoding="utf-8")
    items = read_inputs([str(tmp_path)], IngestOptions())
    first = next(items)
    (tmp_path / "c.txt").unlink()  # removed after the walk started: proves files are read late
    rest = list(items)
    assert first.ref.endswith("a.txt")
    assert isinstance(rest[0], RawDocument) and _reason(rest[1]) == "not_found"


def test_base_unexpected_reader_error_does_not_stop_the_batch(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def explode(data: bytes, ref: str) -> list[RawDocument]:
        raise RuntimeError("parser bug")

    monkeypatch.setattr(ingest_base, "read_feed", explode)
    feed, text = tmp_path / "a.rss", tmp_path / "b.txt"
    feed.write_bytes((DATA / "feed.rss").read_bytes())
    text.write_text(TEXT, encoding="utf-8")
    items = _read(feed, text)
    assert _reason(items[0]) == "reader_error" and "parser bug" in items[0].detail  # type: ignore[union-attr]
    assert isinstance(items[1], RawDocument)


def test_base_rejects_non_path_inputs_with_config_error() -> None:
    from newsprism.errors import ConfigError

    with pytest.raises(ConfigError, match="inputs must hold"):
        list(read_inputs([42], IngestOptions()))  # type: ignore[list-item]
