"""`newsprism ingest` as a user meets it: exit statuses that mean one thing each, idempotence
whatever the flags, every external id answerable, analysis failures recorded not fatal."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from newsprism import api
from newsprism.analyze import pipeline as analysis
from newsprism.analyze.base import NullAnalyzer
from newsprism.analyze.model import Analysis
from newsprism.model import Article
from newsprism.present.cli import main
from newsprism.storage import SQLiteStore

TEXT = "Dock workers at the port of Kestrel Bay walked out on Monday over a pay offer."


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture
def lines(tmp_path: Path) -> Path:
    path = tmp_path / "wire.jsonl"
    rows = [{"id": f"w{n}", "title": f"Strike day {n}", "text": f"{TEXT} Day {n}."}
            for n in range(3)]
    rows.append({"id": "w-copy", "title": "Strike day 0", "text": f"{TEXT} Day 0."})
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    return path


def test_cli_ingest_exit_0_when_all_in(lines: Path, tmp_path: Path,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(capsys, "ingest", str(lines), "--db", str(tmp_path / "a.db"),
                        "--no-analyze", "--no-link")
    assert code == 0 and "ingested 3, duplicates 1, rejected 0" in out


def test_cli_ingest_exit_1_when_some_input_rejected(tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "a.jsonl"
    path.write_text(json.dumps({"title": "T", "text": TEXT}) + "\n{broken\n")
    code, out, _ = _run(capsys, "ingest", str(path), "--db", str(tmp_path / "a.db"),
                        "--no-analyze", "--no-link")
    assert code == 1 and f"rejected {path}:2: malformed_json" in out


@pytest.mark.parametrize("argv", [["--max-mb", "lots"], ["--source", " "], ["--bogus"]])
def test_cli_ingest_exit_2_on_usage_error(argv: list[str], lines: Path, tmp_path: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    try:
        code = main(["ingest", str(lines), "--db", str(tmp_path / "a.db"), *argv])
    except SystemExit as exc:  # argparse's own usage errors
        code = int(exc.code or 0)
    assert code == 2


def test_cli_ingest_exit_3_on_internal_error_one_line_traceback_with_v(
        lines: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("a bug")

    monkeypatch.setattr(api, "ingest_and_link", broken)
    code, _, err = _run(capsys, "ingest", str(lines), "--db", str(tmp_path / "a.db"))
    assert code == 3
    assert err.strip().splitlines() == [
        "newsprism: internal error: RuntimeError: a bug (run with -v for the traceback)"]
    code, _, err = _run(capsys, "ingest", str(lines), "--db", str(tmp_path / "a.db"), "-v")
    assert code == 3 and "Traceback (most recent call last)" in err and "a bug" in err


def test_cli_exit_3_when_the_store_cannot_open(lines: Path, tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = _run(capsys, "ingest", str(lines), "--db", str(tmp_path))  # a directory
    assert code == 3 and err.startswith("newsprism: internal error:")


def test_cli_ingest_idempotent_whatever_source_flag(lines: Path, tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    db = str(tmp_path / "a.db")
    flags = ("--db", db, "--no-analyze", "--json")
    first = json.loads(_run(capsys, "ingest", str(lines), "--source", "Reuters", *flags)[1])
    again = json.loads(_run(capsys, "ingest", str(lines), *flags)[1])
    assert (first["ingested"], again["ingested"], again["duplicates"]) == (3, 0, 4)
    db2 = str(tmp_path / "b.db")
    flags2 = ("--db", db2, "--no-analyze", "--json")
    first = json.loads(_run(capsys, "ingest", str(lines), *flags2)[1])
    again = json.loads(_run(capsys, "ingest", str(lines), "--source", "AP", *flags2)[1])
    assert (first["ingested"], again["ingested"]) == (3, 0)
    # Two outlets printing the same text stay two articles.
    third = json.loads(_run(capsys, "ingest", str(lines), "--source", "AP", "--db", db,
                            "--no-analyze", "--json")[1])
    assert third["ingested"] == 3


def test_cli_every_external_id_is_answerable(lines: Path, tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    db = str(tmp_path / "a.db")
    _run(capsys, "ingest", str(lines), "--db", db, "--no-analyze")
    for external in ["w0", "w1", "w2", "w-copy"]:
        code, out, _ = _run(capsys, "articles", "--external-id", external, "--db", db, "--json")
        assert code == 0 and len(json.loads(out)) == 1, external
    code, out, _ = _run(capsys, "articles", "--external-id", "w-copy", "--db", db, "--json")
    assert json.loads(out)[0]["external_id"] == "w0"  # the stored copy it became
    code, out, _ = _run(capsys, "articles", "--external-id", "nope", "--db", db, "--json")
    assert code == 1 and json.loads(out) == []


def test_cli_analysis_failure_is_recorded_and_retried(
        lines: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    class Flaky(NullAnalyzer):
        def analyze(self, article: Article) -> Analysis:
            if "Day 1" in article.body:
                raise ValueError("cannot read this one")
            return super().analyze(article)

        def analyze_many(self, articles: Any) -> list[Analysis]:
            return [self.analyze(a) for a in articles]

    monkeypatch.setattr(analysis, "default_analyzer", Flaky)
    db = str(tmp_path / "a.db")
    code, out, _ = _run(capsys, "ingest", str(lines), "--db", db, "--json")
    data = json.loads(out)
    assert code == 1 and data["ingested"] == 3 and data["analysed"] == 2
    [failed] = data["failed"]
    assert (failed["stage"], failed["reason"]) == ("analyze", "analyzer_error")
    code, out, _ = _run(capsys, "rejected", "--failed", "--db", db, "--json")
    assert [f["ref"] for f in json.loads(out)] == [failed["ref"]]
    code, out, _ = _run(capsys, "show", failed["ref"], "--db", db, "--json")
    assert json.loads(out)["failures"][0]["reason"] == "analyzer_error"
    with SQLiteStore(db) as store:  # stored and linked all the same
        assert store.count_articles() == 3
        assert store.execute("SELECT count(*) FROM story_articles").fetchone()[0] == 3
    monkeypatch.setattr(analysis, "default_analyzer", NullAnalyzer)
    code, out, _ = _run(capsys, "reanalyze", "--failed", "--db", db, "--json", "--workers", "1")
    assert code == 0 and json.loads(out)["analysed"] == 1
    code, out, _ = _run(capsys, "rejected", "--failed", "--db", db)
    assert "nothing failed" in out
