"""``newsprism analyze FILE`` and ``newsprism reanalyze``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from newsprism.analyze.model import Analysis
from newsprism.model import Article
from newsprism.present.cli import main
from newsprism.present.commands.analysis import format_analysis
from newsprism.storage import SQLiteStore

TEXT = """Port strike enters third day

16 March 2023

ROTTERDAM (Reuters) - Dock workers at the Port of Rotterdam extended their strike on Thursday, \
leaving more than 40 ships waiting, port officials said.

"We will stay out until the employers come back with a serious offer," said Pieter Vermeulen, \
a union organiser.
"""


def test_cli_analyze_file_prints_json_with_offsets(tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "strike.txt"
    path.write_text(TEXT, encoding="utf-8")
    assert main(["analyze", str(path), "--json"]) == 0
    (item,) = json.loads(capsys.readouterr().out)
    analysis, body = item["analysis"], item["body"]
    assert {"sentences", "entities", "places", "times", "attributions", "figures"} <= set(analysis)
    for kind in ("sentences", "entities", "places", "times", "figures"):
        for x in analysis[kind]:
            assert body[x["start"]:x["end"]] == x["text"]
    assert "Rotterdam" in {p["name"] for p in analysis["places"]}
    assert analysis["agencies"] == ["Reuters"]
    assert any(a["quote"] and a["source"] == "Pieter Vermeulen" for a in analysis["attributions"])


def test_cli_analyze_file_prints_text(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "strike.txt"
    path.write_text(TEXT, encoding="utf-8")
    assert main(["analyze", str(path)]) == 0
    out = capsys.readouterr().out
    assert "Port strike enters third day" in out and "timeline:" in out and "Reuters" in out


def test_cli_reanalyze_redoes_every_stored_article(tmp_path: Path, gold_articles: list[Article],
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "n.db"
    with SQLiteStore(db) as store:
        for a in gold_articles[:2]:
            store.add_article(a)
    assert main(["reanalyze", "--db", str(db), "--missing", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == {"analysed": 2, "articles": 2, "failed": []}
    assert main(["reanalyze", "--db", str(db), "--missing", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["analysed"] == 0
    assert main(["reanalyze", "--db", str(db), "--workers", "1", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["analysed"] == 2


def test_cli_format_analysis_lists_each_kind(gold_articles: list[Article]) -> None:
    from newsprism.analyze import default_analyzer

    result: Analysis = default_analyzer().analyze(gold_articles[3])
    text = format_analysis(result.to_dict(), gold_articles[3].body, title="Sudan")
    for heading in ("entities:", "places:", "timeline:", "attributions:", "figures:"):
        assert heading in text
    assert "Anadolu Agency" in text and "2022-01-14" in text
