"""Tests of the ``newsprism similarity`` command (in process, real model)."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from newsprism.compare.base import DIMENSIONS
from newsprism.present.cli import main

from .conftest import CHESS, STORM_A, STORM_B


def test_similarity_cli_two_files_prints_scores_and_reasons(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text(STORM_A, encoding="utf-8")
    b.write_text(STORM_B, encoding="utf-8")
    assert main(["similarity", str(a), str(b), "--align"]) == 0
    out = capsys.readouterr().out
    for dim in DIMENSIONS:
        assert dim in out
    assert "Clara Voss" in out
    assert "shared sentence" in out


def test_similarity_cli_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["similarity", STORM_A, CHESS, "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert list(data["scores"]) == list(DIMENSIONS)
    assert data["scores"]["overall"] > 3.0
    assert set(data["reasons"]) == set(DIMENSIONS)


def test_similarity_cli_pairs_csv(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src, out = tmp_path / "in.csv", tmp_path / "out.csv"
    with src.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows([["pair_id", "text1", "text2"], ["p1", STORM_A, STORM_B]])
    assert main(["similarity", "--pairs", str(src), "--out", str(out)]) == 0
    assert "wrote 1 pair" in capsys.readouterr().out
    with out.open(encoding="utf-8") as handle:
        assert next(csv.reader(handle)) == ["pair_id", *DIMENSIONS]


def test_similarity_cli_bad_input_is_a_clear_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["similarity", STORM_A, "   "]) == 2
    assert "empty" in capsys.readouterr().err
    assert main(["similarity", STORM_A]) == 2
    assert "two TEXT_OR_FILE" in capsys.readouterr().err
    assert main(["similarity", "--pairs", "in.csv"]) == 2
    assert "--out" in capsys.readouterr().err


def test_similarity_cli_takes_stored_ids_and_refuses_unknown_ones(tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    from newsprism.present.cli import main
    from newsprism.storage import SQLiteStore
    from newsprism.testing import make_article

    db = tmp_path / "s.db"
    a = make_article("Dock strike halts port", ["Dock workers at Kestrel Bay walked out over pay on Monday."])
    b = make_article("Port strike enters day two", ["The Kestrel Bay dock strike over pay went into a second day."],
                     source="Other Paper")
    with SQLiteStore(db) as store, store.session():
        store.add_article(a)
        store.add_article(b)
    assert main(["similarity", a.id[:8], b.id[:8], "--db", str(db), "--json"]) == 0
    scored = capsys.readouterr().out
    assert '"overall"' in scored
    # An id-like word that names no stored article is an error, not a text to score.
    assert main(["similarity", "deadbeef00", b.id[:8], "--db", str(db)]) == 2
    assert "neither a file nor a stored article id" in capsys.readouterr().err
