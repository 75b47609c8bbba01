"""Throw malformed inputs of each bad class at ``newsprism ingest`` and count the outcomes.

Each input is ingested into its own SQLite store through the CLI's entry point; its outcome is
``stored`` (an article, or a duplicate of one), ``rejected`` (with a reason), ``skipped`` or
``crashed`` (an exit status of 2 or 3, or an exception escaping). Prints one row per class and
fails (exit 1) when anything crashed or the store's integrity check fails.

    .venv/bin/python benchmarks/ingest_robustness.py [--per-class 40] [--seed 7]
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import io
import json
import os
import random
import sys
import tempfile
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from newsprism.present.cli import main
from newsprism.storage import SQLiteStore

HTML = ("<html><head><title>Port strike</title></head><body><article><h1>Port strike</h1>"
        "<p>Dock workers walked out on Monday over pay, halting container traffic.</p>"
        "<p>The union said 1,200 members joined the strike.</p></article></body></html>")
FEED = ('<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title><item>'
        "<title>Port strike</title><description>Dock workers walked out.</description>"
        "</item></channel></rss>")
GOOD = json.dumps({"title": "Port strike", "text": "Dock workers walked out on Monday."})


def _warc(body: bytes) -> bytes:
    http = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n" + body
    head = (b"WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: http://x/a\r\n"
            b"WARC-Record-ID: <urn:uuid:1>\r\nContent-Length: %d\r\n\r\n" % len(http))
    return head + http + b"\r\n\r\n"


def _cut(r: random.Random, data: bytes) -> bytes:
    return data[: r.randrange(1, len(data))]


def _text(r: random.Random) -> str:
    return "".join(chr(r.choice([r.randrange(32, 127), r.randrange(160, 0x2FFF),
                                 r.randrange(0x1F300, 0x1F600)])) for _ in range(r.randrange(1, 300)))


def _value(r: random.Random, depth: int = 0) -> object:
    makers: list[Callable[[], object]] = [
        lambda: None, lambda: r.random() < 0.5, lambda: r.randrange(-2**70, 2**70),
        lambda: _text(r), lambda: r.random() * 1e308,
        lambda: [_value(r, depth + 1) for _ in range(r.randrange(4))],
        lambda: {r.choice(["text", "title", "date", "id", "source"]): _value(r, depth + 1)
                 for _ in range(r.randrange(4))},
    ]
    return makers[r.randrange(7 if depth < 3 else 5)]()


# Each class: (file extension, payload maker).
CLASSES: dict[str, tuple[str, Callable[[random.Random], bytes]]] = {
    "random bytes": ("", lambda r: r.randbytes(r.randrange(1, 5000))),
    "odd encodings": (".txt", lambda r: ("Port strike\n\n" + _text(r)).encode(
        r.choice(["utf-16", "utf-32", "cp1252", "latin-1", "shift_jis", "koi8-r", "utf-8-sig"]),
        "replace")),
    "truncated html": (".html", lambda r: _cut(r, HTML.encode())),
    "truncated feed xml": (".xml", lambda r: _cut(r, FEED.encode())),
    "truncated warc": (".warc", lambda r: _cut(r, _warc(HTML.encode()))),
    "truncated warc.gz": (".warc.gz", lambda r: _cut(r, gzip.compress(_warc(HTML.encode())))),
    "truncated json": (".json", lambda r: _cut(r, json.dumps([json.loads(GOOD)] * 3).encode())),
    "wrong json types": (".jsonl", lambda r: json.dumps(_value(r)).encode()),
    "huge lines": (".jsonl", lambda r: (GOOD + "\n" + '{"text": "' + "x" * r.randrange(
        2_000_000, 3_000_000) + '"}\n' + GOOD).encode()),
    "deep nesting": (".jsonl", lambda r: (GOOD + "\n" + "[" * (d := r.randrange(100, 100_000))
                                          + "]" * d + "\n").encode()),
    "nul byte lines": (".jsonl", lambda r: (GOOD + "\n").encode() + r.randbytes(40).replace(
        b"\n", b"") + b"\x00\n"),
    "lone surrogates": (".jsonl", lambda r: b'{"title": "\\ud800 x", "text": "y \\udfff z"}'),
    "deep html": (".html", lambda r: ("<div>" * r.randrange(1000, 20000) + "text").encode()),
}


def _outcome(folder: Path, name: str, payload: bytes) -> tuple[str, int]:
    """Ingest one input; return its outcome and the exit status."""
    raw_name = os.fsencode(folder) + b"/" + name.encode("utf-8", "surrogateescape")
    with open(raw_name, "wb") as f:
        f.write(payload)
    db = folder / "s.db"
    out = io.StringIO()
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
            code = main(["ingest", os.fsdecode(raw_name), "--db", str(db), "--json",
                         "--no-progress", "--no-analyze", "--max-mb", "1"])
    except BaseException:  # noqa: BLE001 - counting escapes is the point
        return "crashed", -1
    if code not in (0, 1):
        return "crashed", code
    with SQLiteStore(db) as store:
        if store.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
            return "crashed", code
    report = json.loads(out.getvalue())
    if report["ingested"] or report["duplicates"]:
        return "stored", code
    if report["skipped"] and not report["rejections"]:
        return "skipped", code
    return "rejected", code


def run(per_class: int, seed: int) -> int:
    """Run every class; print the table; return the number of crashes."""
    r = random.Random(seed)
    crashes = 0
    print(f"{'class':20} {'thrown':>6} {'stored':>6} {'rejected':>8} {'skipped':>7} {'crashed':>7}")
    classes = dict(CLASSES)
    classes["bad file names"] = (".txt", lambda r: b"Port strike\n\nDock workers walked out.")
    for label, (ext, make) in classes.items():
        counts: Counter[str] = Counter()
        for n in range(per_class):
            with tempfile.TemporaryDirectory() as tmp:
                name = f"in{n}{ext}"
                if label == "bad file names":
                    name = f"caf{chr(0xDC80 + r.randrange(0x80))}\udcff{n}{ext}"
                outcome, _ = _outcome(Path(tmp), name, make(r))
                counts[outcome] += 1
        crashes += counts["crashed"]
        print(f"{label:20} {per_class:6} {counts['stored']:6} {counts['rejected']:8} "
              f"{counts['skipped']:7} {counts['crashed']:7}")
    return crashes


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per-class", type=int, default=40)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    sys.exit(1 if run(args.per_class, args.seed) else 0)
