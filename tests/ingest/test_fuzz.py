"""Fuzzing as a test: generated malformed inputs thrown at every reader through the ingest
pipeline into a SQLite store. Each input must end stored, rejected with a reason, or skipped;
no exception may escape; the store must pass ``PRAGMA integrity_check`` and its full-text index
must match its articles. Bounded to a few seconds (``max_examples``, no deadline drift)."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsprism.config import IngestOptions
from newsprism.pipeline import ingest
from newsprism.storage import SQLiteStore

EXTENSIONS = [".txt", ".html", ".jsonl", ".json", ".xml", ".warc", ".warc.gz", ""]
ARTICLE = ("<html><head><title>Port strike</title></head><body><article><h1>Port strike</h1>"
           "<p>Dock workers walked out on Monday over pay, halting container traffic.</p>"
           "<p>The union said 1,200 members joined the strike.</p></article></body></html>")
FEED = ('<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title><item>'
        "<title>Port strike</title><description>Dock workers walked out.</description>"
        "</item></channel></rss>")
WARC = (b"WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: http://x/a\r\n"
        b"WARC-Date: 2024-01-01T00:00:00Z\r\nWARC-Record-ID: <urn:uuid:1>\r\n"
        b"Content-Type: application/http; msgtype=response\r\nContent-Length: %d\r\n\r\n")
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(
        st.sampled_from(["text", "title", "id", "date", "source", "url", "author", "x"]) | st.text(
            max_size=5), inner, max_size=5),
    max_leaves=12,
)


def _warc(body: bytes) -> bytes:
    http = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n" + body
    return WARC % len(http) + http + b"\r\n\r\n"


def _cut(data: bytes, fraction: float) -> bytes:
    return data[: int(len(data) * fraction)]


JSON_LINES = st.lists(
    st.one_of(
        JSON_VALUES.map(lambda v: json.dumps(v).encode()),
        st.builds(lambda d: ("[" * d + "]" * d).encode(), st.integers(60, 3000)),
        st.builds(lambda d: ('{"text":' * d + '"x"' + "}" * d).encode(), st.integers(60, 3000)),
        st.binary(max_size=60),
        st.just(b'{"text": "a\x00b", "title": "nul"}'),
        st.just(b'{"text": "lone \\ud800 surrogate", "title": "\\udfff"}'),
        st.just(b'{"text": "' + b"long " * 20_000 + b'"}'),
        st.just(json.dumps({"title": "Fine", "text": "A good line of article text."}).encode()),
    ),
    min_size=1, max_size=6,
).map(lambda lines: b"\n".join(lines))

PAYLOADS = st.one_of(
    st.binary(max_size=300),
    st.text(max_size=300).map(lambda t: t.encode("utf-8", "surrogatepass")),
    st.sampled_from(["utf-16", "cp1252", "latin-1", "shift_jis", "utf-8-sig"]).flatmap(
        lambda enc: st.text(max_size=200).map(lambda t: t.encode(enc, "replace"))),
    st.floats(0, 1).map(lambda f: _cut(ARTICLE.encode(), f)),
    st.floats(0, 1).map(lambda f: _cut(FEED.encode(), f)),
    st.floats(0, 1).map(lambda f: _cut(_warc(ARTICLE.encode()), f)),
    st.floats(0, 1).map(lambda f: gzip.compress(_cut(_warc(ARTICLE.encode()), f))),
    JSON_VALUES.map(lambda v: json.dumps(v).encode()),
    JSON_LINES,
    st.builds(lambda d: ("<div>" * d + "text" + "</div>" * d).encode(), st.integers(1, 5000)),
)


@settings(max_examples=60, deadline=None, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(files=st.lists(st.tuples(st.sampled_from(EXTENSIONS), PAYLOADS), min_size=1, max_size=4))
def test_fuzz_every_reader_stores_or_rejects_never_crashes(
        tmp_path_factory: object, files: list[tuple[str, bytes]]) -> None:
    folder = tmp_path_factory.mktemp("fuzz")  # type: ignore[attr-defined]
    paths = []
    for n, (ext, payload) in enumerate(files):
        path = folder / f"input{n}{ext}"
        path.write_bytes(payload)
        paths.append(path)
    with SQLiteStore(folder / "s.db") as store:
        report = ingest(paths, store, options=IngestOptions(max_bytes=200_000), progress=False)
        assert report.ingested + report.duplicates + len(report.rejected) + len(
            report.skipped) >= 1
        assert all(r.reason and r.detail for r in report.rejected)
        assert store.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        store.execute("INSERT INTO articles_fts(articles_fts) VALUES ('integrity-check')")
        fts = store.execute("SELECT count(*) FROM articles_fts").fetchone()[0]
        assert fts == store.count_articles() == report.ingested
        assert store.count_rejected() == len({(r.ref, r.stage, r.reason) for r in report.rejected})
        for path in paths:  # every input accounted for
            ref = str(path)
            assert any(
                i.startswith(ref) for i in [*(r.ref for r in report.rejected),
                                            *(a.input_ref or "" for a in store.articles())]
            ) or report.duplicates, ref


def test_fuzz_reports_figures_per_bad_class(tmp_path: Path) -> None:
    """One fixed input per bad class, for the closing figures: none may crash."""
    classes = {
        "random_bytes.bin.txt": bytes(range(256)) * 8,
        "truncated.html": _cut(ARTICLE.encode(), 0.4),
        "truncated.xml": _cut(FEED.encode(), 0.5),
        "truncated.warc": _cut(_warc(ARTICLE.encode()), 0.6),
        "truncated.json": b'[{"text": "abc", "title": ',
        "wrong_types.jsonl": b'[1,2]\n"text"\n{"text": 5}\n{"text": ["a", {"b": 1}]}\nnull\n',
        "deep.jsonl": b"[" * 100_000 + b"]" * 100_000 + b"\n",
        "huge_line.jsonl": b'{"text": "' + b"x" * 300_000 + b'"}\n',
        "nul_line.jsonl": b'{"text": "ok text here", "title": "a"}\n{"text": "a\x00b"}\n',
        "utf16.txt": "Port strike\n\nDock workers walked out on Monday.".encode("utf-16"),
        "cp1252.txt": "Caf\u00e9 strike\n\nDock workers walked out, na\u00efve.".encode("cp1252"),
    }
    for name, data in classes.items():
        (tmp_path / name).write_bytes(data)
    with SQLiteStore(tmp_path / "s.db") as store:
        report = ingest([tmp_path / n for n in classes], store,
                        options=IngestOptions(max_bytes=200_000), progress=False)
        assert store.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    rejected_refs = {r.ref.split(":")[0].split("#")[0] for r in report.rejected}
    assert str(tmp_path / "deep.jsonl") in rejected_refs
    assert report.ingested >= 4  # the good lines and the decodable texts
