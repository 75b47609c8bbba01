"""Real processes on one SQLite store: a kill during analysis is finished by the next
``ingest``; two ``ingest`` runs and an API-style writer at once lose nothing, duplicate nothing,
and leave every article in exactly one story."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from newsprism.storage import SQLiteStore

# The CLI in a child process, with a do-nothing analyzer that sleeps per batch (the real one
# loads spaCy: seconds the test does not need). argv: seconds per batch, then the CLI's argv.
CLI = """
import sys, time
from newsprism.analyze import pipeline
from newsprism.analyze.base import NullAnalyzer

class Slow(NullAnalyzer):
    def analyze_many(self, articles):
        time.sleep(float(sys.argv[1]))
        return [self.analyze(a) for a in articles]

pipeline.default_analyzer = Slow
from newsprism.present.cli import main
sys.exit(main(sys.argv[2:]))
"""

# What the API's write path does: small batches through ingest_articles with the link hook.
API_WRITER = """
import sys
from newsprism.link import make_link_hook
from newsprism.pipeline import ingest_articles, read_articles
from newsprism.storage import SQLiteStore

store = SQLiteStore(sys.argv[1])
items = list(read_articles([sys.argv[2]]))
for i in range(0, len(items), 7):
    ingest_articles(items[i:i + 7], store, hooks=[make_link_hook(store)])
store.close()
"""

WORDS = ("harbour strike council budget flood river school election court ferry mine bridge "
         "vaccine wildfire drought tariff").split()


def _corpus(path: Path, start: int, count: int) -> Path:
    rows = []
    for n in range(start, start + count):
        a, b, c = WORDS[n % 16], WORDS[(n * 7) % 16], WORDS[(n * 5 + 3) % 16]
        rows.append({"id": f"e{n}", "title": f"The {a} {b} report number {n}",
                     "date": f"2024-03-{1 + n % 28:02d}",
                     "text": f"Officials discussed the {a} and the {b} on day {n}. "
                             f"Residents said the {c} mattered most in item {n}."})
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    return path


def _cli(tmp_path: Path, delay: float, *argv: str) -> subprocess.Popen[str]:
    script = tmp_path / "cli.py"
    script.write_text(CLI)
    return subprocess.Popen([sys.executable, str(script), str(delay), *argv],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _check_store(db: Path, expected: int) -> None:
    with SQLiteStore(db) as store:
        assert store.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert store.count_articles() == expected
        ids = {a.id for a in store.iter_articles()}
        linked = [r[0] for r in store.execute("SELECT article_id FROM story_articles")]
        assert len(linked) == len(set(linked)) and set(linked) == ids  # exactly one story each
        fts = store.execute("SELECT count(*) FROM articles_fts").fetchone()[0]
        assert fts == expected


@pytest.mark.slow
def test_ingest_processes_kill_during_analysis_is_finished_by_next_ingest(tmp_path: Path) -> None:
    data = _corpus(tmp_path / "in.jsonl", 0, 120)
    db = tmp_path / "s.db"
    proc = _cli(tmp_path, 0.4, "ingest", str(data), "--db", str(db), "--no-progress")
    deadline = time.monotonic() + 60
    analysed = 0
    while time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.1)
        if db.exists():
            with SQLiteStore(db) as store:
                analysed = store.count_analyses()
            if analysed >= 32:
                break
    assert proc.poll() is None, "the run ended before it could be killed"
    os.kill(proc.pid, signal.SIGKILL)
    proc.communicate(timeout=30)  # reaps it and closes its pipes
    with SQLiteStore(db) as store:
        assert store.count_articles() == 120
        assert 32 <= store.count_analyses() < 120
    again = _cli(tmp_path, 0.0, "ingest", str(data), "--db", str(db), "--json", "--no-progress")
    out, err = again.communicate(timeout=120)
    assert again.returncode == 0, err
    report = json.loads(out)
    assert report["ingested"] == 0 and report["duplicates"] == 120
    assert 0 < report["analysed"] <= 120 - analysed
    with SQLiteStore(db) as store:
        assert store.count_analyses() == 120
    _check_store(db, 120)


@pytest.mark.slow
def test_ingest_processes_two_writers_and_an_api_writer_at_once(tmp_path: Path) -> None:
    first = _corpus(tmp_path / "a.jsonl", 0, 260)
    second = _corpus(tmp_path / "b.jsonl", 200, 260)  # 60 texts in both files
    third = _corpus(tmp_path / "c.jsonl", 400, 120)  # 60 in b, 60 new
    db = tmp_path / "s.db"
    api_script = tmp_path / "api_writer.py"
    api_script.write_text(API_WRITER)
    procs = [
        _cli(tmp_path, 0.05, "ingest", str(first), "--db", str(db), "--json", "--no-progress"),
        _cli(tmp_path, 0.05, "ingest", str(second), "--db", str(db), "--json", "--no-progress"),
        subprocess.Popen([sys.executable, str(api_script), str(db), str(third)],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True),
    ]
    results = [p.communicate(timeout=240) for p in procs]
    for proc, (_, err) in zip(procs, results, strict=True):
        assert proc.returncode == 0, err
        assert "locked" not in err
    reports = [json.loads(out) for out, _ in results[:2]]
    assert all(r["rejected"] == 0 for r in reports)
    _check_store(db, 520)
    with SQLiteStore(db) as store:
        assert store.count_analyses() == store.count_articles() or store.count_analyses() >= 460
