"""JSON Lines and .json inputs: field aliases, metadata, and per-line rejections."""

from __future__ import annotations

import io
import json
from pathlib import Path

from newsprism.config import IngestOptions
from newsprism.ingest import read_inputs
from newsprism.ingest.jsonl import read_jsonl, record_fields
from newsprism.model import RawDocument, Rejected

DATA = Path(__file__).parent.parent / "data" / "ingest"
FIXTURE = DATA / "articles.jsonl"


def _items(path: Path, **options: object) -> list[RawDocument | Rejected]:
    return list(read_inputs([str(path)], IngestOptions(**options)))  # type: ignore[arg-type]


def _by_line() -> dict[int, RawDocument | Rejected]:
    return {int(i.ref.rsplit(":", 1)[1]): i for i in _items(FIXTURE)}


def test_jsonl_reads_one_record_per_line_with_line_refs() -> None:
    items = _by_line()
    assert sorted(items) == [1, 2, 4, 5, 6, 7, 8]  # line 3 is blank: skipped, numbering kept
    first = items[1]
    assert isinstance(first, RawDocument)
    assert (first.kind, first.ref) == ("record", f"{FIXTURE}:1")
    assert first.text.startswith("The central library in Millbrook reopened")
    assert first.fields["title"] == "Library reopens after roof repairs"
    assert first.fields["published"] == "2024-05-06T09:00:00Z"
    assert first.fields["source"] == "Millbrook Courier"
    assert first.fields["url"] == "https://courier.example.com/library"
    assert first.fields["id"] == "gl-001"


def test_jsonl_keeps_unknown_fields_as_metadata() -> None:
    first = _by_line()[1]
    assert isinstance(first, RawDocument)
    assert first.fields["metadata"] == {"section": "Local"}


def test_jsonl_maps_common_aliases() -> None:
    second = _by_line()[2]
    assert isinstance(second, RawDocument)
    assert second.text.startswith("The old river bridge")  # from "body"
    assert second.fields == {
        "id": "17",
        "title": "Bridge closed for inspection",
        "published": "Thu, 09 May 2024 07:15:00 +0200",
        "source": "Valley Post",
        "url": "https://post.example.net/bridge",
    }
    seventh = _by_line()[8]
    assert isinstance(seventh, RawDocument)
    assert seventh.fields["byline"] == "A. Writer, B. Editor"


def test_jsonl_malformed_line_is_rejected_and_the_rest_go_in() -> None:
    items = _by_line()
    bad = items[5]
    assert isinstance(bad, Rejected)
    assert (bad.reason, bad.stage, bad.ref) == ("malformed_json", "ingest", f"{FIXTURE}:5")
    assert "line 5" in bad.detail and "delimiter" in bad.detail
    assert isinstance(items[4], RawDocument) and isinstance(items[8], RawDocument)


def test_jsonl_non_object_line_is_missing_field() -> None:
    item = _by_line()[6]
    assert isinstance(item, Rejected) and item.reason == "missing_field"
    assert "list" in item.detail


def test_jsonl_line_without_text_is_missing_field() -> None:
    item = _by_line()[7]
    assert isinstance(item, Rejected) and item.reason == "missing_field"
    assert "line 7" in item.detail and "text" in item.detail


def test_jsonl_blank_text_is_missing_field(tmp_path: Path) -> None:
    path = tmp_path / "a.jsonl"
    path.write_text('{"title": "T", "text": "   "}\n', encoding="utf-8")
    [item] = _items(path)
    assert isinstance(item, Rejected) and item.reason == "missing_field"


def test_jsonl_whitespace_only_file_is_empty(tmp_path: Path) -> None:
    path = tmp_path / "a.jsonl"
    path.write_text("\n \n\t\n", encoding="utf-8")
    [item] = _items(path)
    assert isinstance(item, Rejected) and item.reason == "empty" and item.ref == str(path)


def test_jsonl_overlong_line_is_too_large_and_the_rest_go_in(tmp_path: Path) -> None:
    path = tmp_path / "a.jsonl"
    long_line = json.dumps({"title": "Long", "text": "word " * 500})
    path.write_text(long_line + "\n" + '{"text": "Short body."}\n', encoding="utf-8")
    first, second = _items(path, max_bytes=1000)
    assert isinstance(first, Rejected) and first.reason == "too_large" and first.ref.endswith(":1")
    assert isinstance(second, RawDocument) and second.ref.endswith(":2")


def test_jsonl_file_larger_than_max_bytes_still_streams(tmp_path: Path) -> None:
    path = tmp_path / "big.jsonl"
    line = json.dumps({"text": "A short article body."}) + "\n"
    path.write_text(line * 200, encoding="utf-8")
    items = _items(path, max_bytes=len(line) + 10)
    assert len(items) == 200 and all(isinstance(i, RawDocument) for i in items)


def test_jsonl_non_utf8_line_is_decoded(tmp_path: Path) -> None:
    path = tmp_path / "a.jsonl"
    text = "Le conseil municipal a approuvé la ligne de tramway après deux années de débats."
    path.write_bytes(json.dumps({"text": text}, ensure_ascii=False).encode("latin-1") + b"\n")
    [doc] = _items(path)
    assert isinstance(doc, RawDocument) and doc.text == text
    assert doc.encoding is not None and doc.encoding.replace("_", "-") != "utf-8"


def test_jsonl_bom_on_first_line_is_ignored() -> None:
    data = b'\xef\xbb\xbf{"text": "Body."}\n'
    [doc] = list(read_jsonl(io.BytesIO(data), "mem", IngestOptions()))
    assert isinstance(doc, RawDocument) and doc.text == "Body."


def test_jsonl_record_fields_handles_nested_and_list_values() -> None:
    text, fields = record_fields({
        "content": ["First paragraph.", "Second paragraph."],
        "source": {"id": "vp", "name": "Valley Post"},
        "metadata": {"lang_hint": "en"},
        "date": "2024-05-09",
        "published": "2024-05-08",
        "title": None,
    })
    assert text == "First paragraph.\n\nSecond paragraph."
    assert fields["source"] == "Valley Post"
    assert fields["published"] == "2024-05-08"  # "published" ranks before its alias "date"
    assert fields["metadata"] == {"lang_hint": "en", "date": "2024-05-09"}
    assert "title" not in fields


def test_json_array_gives_one_record_per_item(tmp_path: Path) -> None:
    path = tmp_path / "dump.json"
    path.write_text(json.dumps([{"title": "A", "text": "Body A."}, 5, {"title": "C"}]))
    first, second, third = _items(path)
    assert isinstance(first, RawDocument) and first.ref == f"{path}#1"
    assert isinstance(second, Rejected) and second.reason == "missing_field"
    assert isinstance(third, Rejected) and third.reason == "missing_field"


def test_json_single_pretty_printed_object(tmp_path: Path) -> None:
    path = tmp_path / "one.json"
    path.write_text(json.dumps({"title": "A", "text": "Body A."}, indent=2))
    [doc] = _items(path)
    assert isinstance(doc, RawDocument) and doc.ref == str(path) and doc.fields["title"] == "A"


def test_json_file_holding_json_lines(tmp_path: Path) -> None:
    path = tmp_path / "lines.json"
    path.write_text('{"text": "One."}\n{"text": "Two."}\n')
    assert [i.ref for i in _items(path)] == [f"{path}:1", f"{path}:2"]


def test_json_empty_array_is_empty(tmp_path: Path) -> None:
    path = tmp_path / "none.json"
    path.write_text("[]")
    [item] = _items(path)
    assert isinstance(item, Rejected) and item.reason == "empty"


def test_jsonl_field_without_usable_value_goes_to_metadata() -> None:
    text, fields = record_fields({"text": "Body.", "source": {"id": "vp"}})
    assert text == "Body." and "source" not in fields
    assert fields["metadata"] == {"source": {"id": "vp"}}


def test_jsonl_later_lines_reuse_the_detected_encoding(tmp_path: Path) -> None:
    path = tmp_path / "a.jsonl"
    lines = [
        {"text": "Le conseil municipal a approuvé la ligne de tramway après deux années de débats."},
        {"text": "Déjà vu"},
    ]
    path.write_bytes(b"".join(json.dumps(x, ensure_ascii=False).encode("cp1252") + b"\n"
                              for x in lines))
    first, second = _items(path)
    assert isinstance(first, RawDocument) and isinstance(second, RawDocument)
    assert second.text == "Déjà vu" and second.encoding == first.encoding
