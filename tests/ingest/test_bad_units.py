"""One bad unit (file name, JSON line, folder file) is rejected or skipped alone, with its reason
and line number; the good data around it goes in."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from newsprism.ingest import read_inputs
from newsprism.ingest.folders import display_path, skip_reason
from newsprism.model import RawDocument, Rejected, Skipped
from newsprism.pipeline import ingest
from newsprism.storage import SQLiteStore

TEXT = "Dock workers at the port of Kestrel Bay walked out on Monday over a pay offer."


def _line(n: int) -> str:
    return json.dumps({"id": f"x{n}", "title": f"Story {n}", "text": f"{TEXT} Item {n}."})


def _items(path: Path) -> list[RawDocument | Rejected | Skipped]:
    return list(read_inputs([path]))


def test_jsonl_deep_line_is_rejected_alone(tmp_path: Path) -> None:
    deep = '{"text": ' + "[" * 100_000 + "]" * 100_000 + "}"
    path = tmp_path / "a.jsonl"
    path.write_text("\n".join([_line(1), deep, _line(3)]) + "\n")
    items = _items(path)
    assert [type(i).__name__ for i in items] == ["RawDocument", "Rejected", "RawDocument"]
    bad = items[1]
    assert isinstance(bad, Rejected)
    assert (bad.ref, bad.reason) == (f"{path}:2", "too_deep")
    assert "line 2" in bad.detail


def test_jsonl_nul_line_is_rejected_alone(tmp_path: Path) -> None:
    path = tmp_path / "a.jsonl"
    path.write_bytes(b"\n".join([_line(1).encode(), b'{"text": "a\x00b"}', _line(3).encode()]))
    items = _items(path)
    assert [i.ref for i in items if isinstance(i, RawDocument)] == [f"{path}:1", f"{path}:3"]
    [bad] = [i for i in items if isinstance(i, Rejected)]
    assert (bad.ref, bad.reason) == (f"{path}:2", "binary") and "line 2" in bad.detail


def test_jsonl_binary_file_is_rejected_whole(tmp_path: Path) -> None:
    path = tmp_path / "blob.jsonl"
    path.write_bytes(b"\x00\x01\x02garbage\n" * 500)
    items = _items(path)
    assert len(items) == 20 and items[-1].reason == "binary"  # gives up, does not flood


def test_jsonl_lone_surrogate_becomes_replacement_and_stores(tmp_path: Path) -> None:
    path = tmp_path / "a.jsonl"
    path.write_text('{"title": "Odd \\ud800 title", "text": "' + TEXT + '", "tag": "\\udfff"}\n')
    with SQLiteStore(tmp_path / "s.db") as store:
        report = ingest([path], store, progress=False)
        assert report.ingested == 1
        [article] = store.articles()
        assert article.title == "Odd \ufffd title"


def test_jsonl_nesting_within_the_limit_is_read(tmp_path: Path) -> None:
    path = tmp_path / "a.jsonl"
    nested = {"text": TEXT, "meta": {"a": [{"b": [[1, 2], {"c": "d"}]}]}}
    path.write_text(json.dumps(nested) + "\n")
    [item] = _items(path)
    assert isinstance(item, RawDocument)


@pytest.mark.skipif(os.name != "posix", reason="needs a file system that keeps raw bytes")
def test_ingest_non_utf8_file_name_does_not_stop_the_run(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    odd = os.path.join(os.fsencode(folder), b"caf\xe9.txt")
    with open(odd, "wb") as f:
        f.write(f"Cafe story\n\n{TEXT}\n".encode())
    (folder / "good.txt").write_text(f"Good story\n\n{TEXT} Again.\n")
    with SQLiteStore(tmp_path / "s.db") as store:
        report = ingest([folder], store, progress=False)
        assert report.ingested == 2 and not report.rejected
        refs = sorted(a.input_ref or "" for a in store.articles())
        assert refs == [str(folder / "caf\\xe9.txt"), str(folder / "good.txt")]
    # A name the OS gives with undecodable bytes, named on the command line too.
    assert display_path(os.fsdecode(odd)).endswith("caf\\xe9.txt")


def test_ingest_folder_skips_what_is_not_an_article(tmp_path: Path) -> None:
    folder = tmp_path / "corpus"
    (folder / "annotations").mkdir(parents=True)
    (folder / "README.md").write_text("# Corpus\n\nHow this corpus was made, in detail.\n")
    (folder / "LICENSE.txt").write_text("Permission is granted to copy this corpus freely.\n")
    (folder / "COPYING-CC.TXT").write_text("Creative Commons licence text goes here for all.\n")
    (folder / "annotation_changes.txt").write_text("1. Fixed the label of item 3 in file 7.\n")
    (folder / "photo.jpg").write_bytes(b"\xff\xd8\xff\xe0" + bytes(200))
    (folder / "annotations" / "a_ann.json").write_text(json.dumps({"stance": "left"}))
    (folder / "articles.json").write_text(json.dumps([{"title": "T", "text": TEXT}]))
    (folder / "story.txt").write_text(f"Story\n\n{TEXT}\n")
    items = _items(folder)
    skipped = {Path(i.ref).name for i in items if isinstance(i, Skipped)}
    assert skipped == {"README.md", "LICENSE.txt", "COPYING-CC.TXT", "annotation_changes.txt",
                       "photo.jpg", "a_ann.json"}
    read = {Path(i.ref.split("#")[0]).name for i in items if isinstance(i, RawDocument)}
    assert read == {"articles.json", "story.txt"}
    assert not [i for i in items if isinstance(i, Rejected)]
    # Named directly, a file is read whatever its name.
    assert isinstance(_items(folder / "README.md")[0], RawDocument)
    assert isinstance(_items(folder / "annotations" / "a_ann.json")[0], Rejected)


@pytest.mark.parametrize(("name", "skipped"), [
    ("README", True), ("readme.txt", True), ("LICENCE", True), ("MANIFEST.json", True),
    ("CHANGES.md", True), ("img.PNG", True), ("data.csv", True), ("x.tar.gz", True),
    ("crawl.warc.gz", False), ("story.txt", False), ("index.html", False), ("feed.xml", False),
    ("docs.jsonl", False), ("licensing-row-erupts.txt", False),
])
def test_folders_skip_reason_by_name(name: str, skipped: bool) -> None:
    assert (skip_reason(name) is not None) is skipped
