"""The CLI end to end: each command, its --json twin, exit statuses."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from newsprism.present.cli import main

ARTICLE = """Independent reporting since 1998

Dock strike halts cargo at Kestrel Bay

2 min read

March 3, 2025 at 9:00 am

Cranes stand idle at the container terminal [Photo – Harbour Wire]

Dock workers at the port of Kestrel Bay walked out on Monday after talks over pay collapsed, halting all container traffic.

The union said 1,200 members joined the strike, the first at the port in eleven years.

Read more: Ferry fares rise for a second year

Port managers said they would meet union leaders on Wednesday.

Follow us on Facebook, Twitter and Instagram to stay connected
"""


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    code = main(list(argv))
    return code, capsys.readouterr().out


@pytest.fixture()
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "strike.txt").write_text(ARTICLE, encoding="utf-8")
    (folder / "empty.txt").write_bytes(b"")
    (folder / "blob").write_bytes(bytes(range(256)) * 40)  # sniffed: rejected as binary
    (folder / "blob.bin").write_bytes(bytes(range(256)) * 40)  # skipped by its extension
    (folder / "README.md").write_text("# About this folder\n\nArticles for tests.\n")
    return folder


def test_cli_ingest_reports_counts_and_exit_status(
    corpus: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(tmp_path / "n.db")
    code, out = _run(capsys, "ingest", str(corpus), "--db", db, "--json", "--no-analyze")
    data = json.loads(out)
    assert code == 1
    assert (data["ingested"], data["duplicates"], data["rejected"]) == (1, 0, 2)
    assert {r["reason"] for r in data["rejections"]} == {"empty", "binary"}
    assert sorted(Path(s["ref"]).name for s in data["skipped"]) == ["README.md", "blob.bin"]
    code, out = _run(capsys, "ingest", str(corpus / "strike.txt"), "--db", db, "--no-analyze")
    assert code == 0
    assert "ingested 0, duplicates 1, rejected 0" in out


def test_cli_articles_show_search_rejected(
    corpus: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(tmp_path / "n.db")
    _run(capsys, "ingest", str(corpus), "--db", db, "--no-analyze")
    code, out = _run(capsys, "articles", "--db", db, "--json")
    listing = json.loads(out)
    assert code == 0 and len(listing) == 1
    assert set(listing[0]) == {"id", "external_id", "title", "source", "published", "language", "url"}
    assert listing[0]["title"] == "Dock strike halts cargo at Kestrel Bay"
    assert listing[0]["published"].startswith("2025-03-03T09:00")
    art_id = listing[0]["id"]

    code, out = _run(capsys, "show", art_id[:8], "--db", db, "--json")
    shown = json.loads(out)
    reasons = {r["reason"] for r in shown["removed"]}
    assert {"site_tagline", "read_time", "read_more", "follow_prompt"} <= reasons
    assert shown["captions"] == ["Cranes stand idle at the container terminal [Photo – Harbour Wire]"]
    assert shown["paragraphs"][0].startswith("Dock workers at the port")
    code, out = _run(capsys, "show", art_id, "--db", db)
    assert "removed:" in out and "[read_time] 2 min read" in out

    code, out = _run(capsys, "search", "union", "strike", "--db", db, "--json")
    assert [h["id"] for h in json.loads(out)] == [art_id]
    code, out = _run(capsys, "rejected", "--db", db, "--json")
    assert {r["reason"] for r in json.loads(out)} == {"empty", "binary"}


def test_cli_show_unknown_id_exits_1(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["show", "deadbeefdeadbeef", "--db", str(tmp_path / "e.db")])
    assert code == 1
    assert "no article with id" in capsys.readouterr().err


def test_cli_db_from_environment(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("NEWSPRISM_DB", str(tmp_path / "env.db"))
    _run(capsys, "ingest", str(corpus / "strike.txt"), "--no-analyze")
    assert (tmp_path / "env.db").exists()


def test_cli_usage_error_exits_2() -> None:
    done = subprocess.run([sys.executable, "-m", "newsprism", "ingest"], capture_output=True, text=True)
    assert done.returncode == 2
    assert "usage:" in done.stderr


def test_cli_every_bad_input_is_rejected_with_its_reason_and_the_rest_goes_in(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "bad"
    folder.mkdir()
    (folder / "good.txt").write_text(ARTICLE, encoding="utf-8")
    (folder / "latin1.txt").write_bytes(
        ARTICLE.replace("Dock strike", "Café strike").replace("–", "-").encode("latin-1")
    )
    (folder / "empty.txt").write_bytes(b"")
    (folder / "blob.txt").write_bytes(b"\x00\x01\x02\xff" * 500)
    (folder / "huge.txt").write_text("word " * 300_000, encoding="utf-8")
    (folder / "lines.jsonl").write_text(
        '{"id": "j1", "title": "Ferry fares rise", "text": "Fares on the island ferry rise by '
        'five per cent from May, the operator said on Tuesday.", "source": "Isle Post"}\n'
        '{"id": "j2", "title": "broken", "text": \n',
        encoding="utf-8",
    )
    (folder / "nav.html").write_text(
        "<html><head><title>Home</title></head><body><nav><a href='/'>Home</a></nav></body></html>",
        encoding="utf-8",
    )
    (folder / "feed.xml").write_text(
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Isle Post</title>'
        "<item><title>Harbour wall repaired</title><description>Workers finished repairs to the "
        "harbour wall on Friday after winter storms damaged it.</description></item>"
        "<item></item></channel></rss>",
        encoding="utf-8",
    )
    db = str(tmp_path / "b.db")
    code, out = _run(capsys, "ingest", str(folder), str(tmp_path / "missing.txt"), "--db", db,
                     "--max-mb", "1", "--json", "--no-analyze")
    data = json.loads(out)
    reasons = {r["ref"].rsplit("/", 1)[-1]: r["reason"] for r in data["rejections"]}
    assert code == 1
    assert reasons == {
        "empty.txt": "empty",
        "blob.txt": "binary",
        "huge.txt": "too_large",
        "lines.jsonl:2": "malformed_json",
        "nav.html": "no_article",
        "feed.xml#2": "broken_entry",
        "missing.txt": "not_found",
    }
    assert data["ingested"] == 4  # good.txt, latin1.txt, lines.jsonl:1, feed.xml#1
    _, out = _run(capsys, "rejected", "--db", db, "--json")
    assert len(json.loads(out)) == 7
    _, out = _run(capsys, "search", "Café", "--db", db, "--json")
    assert len(json.loads(out)) == 1


def test_cli_demo_ingests_the_sample_and_finds_its_stories(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out = _run(capsys, "demo", "--db", str(tmp_path / "demo.db"), "--json")
    data = json.loads(out)
    assert code == 0
    assert (data["ingest"]["ingested"], data["ingest"]["rejected"]) == (24, 0)
    assert len(data["outlets"]) == 7
    multi = [s for s in data["stories"] if len(s["sources"]) >= 3]
    assert len(multi) >= 6
    korvath = [s for s in multi if "Korvath" in s["title"]]
    assert len(korvath) == 1 and korvath[0]["article_count"] == 3
    assert {r["reason"] for r in data["example"]["removed"]} >= {"date_line", "caption"}
    code, out = _run(capsys, "demo", "--db", str(tmp_path / "demo.db"), "--json")
    assert json.loads(out)["ingest"]["duplicates"] == 24  # running it again adds nothing
