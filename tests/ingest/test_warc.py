"""WARC archives built in the test with warcio's WARCWriter."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from newsprism.config import IngestOptions
from newsprism.ingest import read_inputs
from newsprism.model import RawDocument, Rejected

PAGE = (
    "<!doctype html><html><head><title>{title}</title></head><body><article><h1>{title}</h1>"
    "<p>{body}</p></article></body></html>"
)
BODY = "The harbour authority opened a new ferry terminal on the north quay on Monday. " * 5
FRENCH = "Le conseil a approuvé la ligne de tramway après deux années de débats animés. " * 5


def _response(writer: WARCWriter, uri: str, body: bytes, ctype: str, status: str = "200 OK") -> None:
    headers = StatusAndHeaders(status, [("Content-Type", ctype)], protocol="HTTP/1.1")
    record = writer.create_warc_record(
        uri, "response", payload=io.BytesIO(body), length=len(body), http_headers=headers,
        warc_headers_dict={"WARC-Date": "2024-06-01T10:00:00Z"},
    )
    writer.write_record(record)


def _request(writer: WARCWriter, uri: str) -> None:
    headers = StatusAndHeaders("GET / HTTP/1.1", [("Host", "news.example.org")],
                               is_http_request=True)
    record = writer.create_warc_record(uri, "request", payload=io.BytesIO(b""), length=0,
                                       http_headers=headers)
    writer.write_record(record)


def build_warc(path: Path, gzip: bool) -> Path:
    """A small crawl: 3 HTML pages among a request, an image and a 404 page."""
    with path.open("wb") as fh:
        writer = WARCWriter(fh, gzip=gzip)
        _request(writer, "https://news.example.org/a")
        page_a = PAGE.format(title="Ferry terminal opens", body=BODY).encode()
        _response(writer, "https://news.example.org/a", page_a, "text/html; charset=utf-8")
        _response(writer, "https://news.example.org/logo.png", b"\x89PNG\r\n\x1a\n" * 20,
                  "image/png")
        _response(writer, "https://news.example.org/missing", b"<html>Not found</html>",
                  "text/html", status="404 Not Found")
        page_b = PAGE.format(title="Tramway approuvé", body=FRENCH).encode("latin-1")
        _response(writer, "https://news.example.org/b", page_b, "text/html; charset=ISO-8859-1")
        page_c = PAGE.format(title="Third page", body=BODY).encode()
        _response(writer, "https://news.example.org/c", page_c, "application/xhtml+xml")
    return path


@pytest.fixture(params=[False, True], ids=["plain", "gzip"])
def warc_path(request: pytest.FixtureRequest, tmp_path: Path) -> Path:
    name = "crawl.warc.gz" if request.param else "crawl.warc"
    return build_warc(tmp_path / name, gzip=request.param)


def _items(path: Path, **options: object) -> list[RawDocument | Rejected]:
    return list(read_inputs([str(path)], IngestOptions(**options)))  # type: ignore[arg-type]


def test_warc_yields_html_responses_only(warc_path: Path) -> None:
    items = _items(warc_path)
    assert all(isinstance(i, RawDocument) for i in items), items
    assert [i.fields["url"] for i in items] == [  # type: ignore[union-attr]
        "https://news.example.org/a", "https://news.example.org/b", "https://news.example.org/c",
    ]
    assert all(i.kind == "html" for i in items)  # type: ignore[union-attr]


def test_warc_refs_are_record_offsets(warc_path: Path) -> None:
    items = _items(warc_path)
    offsets = [int(i.ref.rsplit("#", 1)[1]) for i in items]
    assert offsets == sorted(offsets) and offsets[0] > 0  # the request record comes first
    assert all(i.ref.startswith(f"{warc_path}#") for i in items)


def test_warc_date_is_crawl_metadata_not_published(warc_path: Path) -> None:
    doc = _items(warc_path)[0]
    assert isinstance(doc, RawDocument)
    assert "published" not in doc.fields
    assert doc.fields["metadata"] == {"crawled": "2024-06-01T10:00:00Z"}


def test_warc_decodes_with_http_charset(warc_path: Path) -> None:
    french = _items(warc_path)[1]
    assert isinstance(french, RawDocument)
    assert "Tramway approuvé" in french.text and french.encoding == "cp1252"


@pytest.mark.parametrize("gzip", [False, True], ids=["plain", "gzip"])
def test_warc_truncated_keeps_records_read_before(tmp_path: Path, gzip: bool) -> None:
    full = build_warc(tmp_path / "full.warc", gzip=gzip).read_bytes()
    cut = tmp_path / ("cut.warc.gz" if gzip else "cut.warc")
    cut.write_bytes(full[: len(full) - 200])
    items = _items(cut)
    docs = [i for i in items if isinstance(i, RawDocument)]
    rejected = [i for i in items if isinstance(i, Rejected)]
    assert [d.fields["url"] for d in docs] == [
        "https://news.example.org/a", "https://news.example.org/b",
    ]
    assert [r.reason for r in rejected] == ["malformed_warc"]
    assert rejected[0].ref.startswith(f"{cut}#") and rejected[0].detail


def test_warc_trailing_garbage_is_malformed(warc_path: Path) -> None:
    with warc_path.open("ab") as fh:
        fh.write(b"this is not a record\r\n\r\n")
    items = _items(warc_path)
    assert sum(isinstance(i, RawDocument) for i in items) == 3
    assert isinstance(items[-1], Rejected) and items[-1].reason == "malformed_warc"


def test_warc_that_is_not_an_archive_is_malformed(tmp_path: Path) -> None:
    path = tmp_path / "fake.warc"
    path.write_text("hello, this is not a WARC file at all\n")
    [item] = _items(path)
    assert isinstance(item, Rejected)
    assert (item.reason, item.ref) == ("malformed_warc", str(path))


def test_warc_page_over_max_bytes_is_too_large(tmp_path: Path) -> None:
    path = build_warc(tmp_path / "crawl.warc", gzip=False)
    items = _items(path, max_bytes=300)
    assert [i.reason for i in items if isinstance(i, Rejected)] == ["too_large"] * 3


def test_warc_sniffed_without_extension(tmp_path: Path) -> None:
    path = build_warc(tmp_path / "crawl.warc.gz", gzip=True)
    renamed = path.rename(tmp_path / "download.bin")
    assert sum(isinstance(i, RawDocument) for i in _items(renamed)) == 3


@pytest.mark.parametrize("gzip", [False, True], ids=["plain", "gzip"])
def test_warc_every_cut_inside_a_record_is_reported(tmp_path: Path, gzip: bool) -> None:
    from warcio.archiveiterator import ArchiveIterator

    full = build_warc(tmp_path / "full.warc", gzip=gzip).read_bytes()
    with (tmp_path / "full.warc").open("rb") as fh:
        archive = ArchiveIterator(fh)
        bounds = [archive.get_record_offset() for _ in archive] + [len(full)]
    # Cuts in the last bytes of a record (the blank-line separator, the gzip trailer) lose no
    # data; every other cut must be reported.
    cuts = [c for c in range(1, len(full), 53) if all(not 0 <= b - c <= 16 for b in bounds)]
    path = tmp_path / "cut.warc"
    for cut in cuts:
        path.write_bytes(full[:cut])
        reasons = [i.reason for i in _items(path) if isinstance(i, Rejected)]
        assert reasons == ["malformed_warc"], (cut, reasons)


def test_warc_page_with_corrupt_content_encoding_is_rejected_alone(tmp_path: Path) -> None:
    path = tmp_path / "crawl.warc"
    with path.open("wb") as fh:
        writer = WARCWriter(fh, gzip=False)
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html"),
                                              ("Content-Encoding", "gzip")], protocol="HTTP/1.1")
        bad = b"\x1f\x8b\x08\x00 this is not really gzip data at all"
        writer.write_record(writer.create_warc_record(
            "https://news.example.org/bad", "response", payload=io.BytesIO(bad),
            length=len(bad), http_headers=headers))
        page = PAGE.format(title="Fine page", body=BODY).encode()
        _response(writer, "https://news.example.org/fine", page, "text/html")
    first, second = _items(path)
    # warcio hands back the raw bytes when Content-Encoding fails; they are not text.
    assert isinstance(first, Rejected) and first.reason == "decode_error"
    assert first.ref == f"{path}#0"
    assert isinstance(second, RawDocument) and second.fields["url"] == "https://news.example.org/fine"
