"""Pipeline: batching, idempotent re-ingest, rejected inputs, crash consistency."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from newsprism.config import IngestOptions
from newsprism.model import Article
from newsprism.pipeline import ingest
from newsprism.storage import MemoryStore, SQLiteStore, Store

_WORDS = (
    "harbour council strike cargo ferry budget mayor storm flood bridge school hospital court "
    "minister treaty border market farmers drought rail union police river election recount"
).split()


def _write_corpus(folder: Path, n: int) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        words = [_WORDS[(i * 7 + k * 3) % len(_WORDS)] for k in range(60)]
        body = " ".join(words).capitalize() + f" Report number {i}."
        (folder / f"a{i:05d}.txt").write_text(
            f"Town {i} {words[0]} update\n\nMarch 3, 2025\n\n{body}\n\nSecond paragraph {i} here.\n",
            encoding="utf-8",
        )


def test_pipeline_ingest_counts_and_reingest_changes_nothing(tmp_path: Path) -> None:
    _write_corpus(tmp_path / "c", 30)
    (tmp_path / "c" / "empty.txt").write_bytes(b"")
    store = SQLiteStore(tmp_path / "s.db")
    first = ingest([tmp_path / "c"], store, options=IngestOptions(batch_size=7))
    assert (first.ingested, first.duplicates, len(first.rejected)) == (30, 0, 1)
    assert first.rejected[0].reason == "empty"
    again = ingest([tmp_path / "c"], store, options=IngestOptions(batch_size=7))
    assert (again.ingested, again.duplicates) == (0, 30)
    assert store.count_articles() == 30
    assert store.count_rejected() == 1


def test_pipeline_hooks_run_in_the_batch_transaction(tmp_path: Path) -> None:
    _write_corpus(tmp_path / "c", 5)
    seen: list[list[str]] = []

    def hook(store: Store, added: list[Article]) -> None:
        seen.append([a.id for a in added])
        if len(seen) == 2:
            raise RuntimeError("hook failed")

    store = MemoryStore()
    with pytest.raises(RuntimeError):
        ingest([tmp_path / "c"], store, options=IngestOptions(batch_size=3), hooks=[hook])
    # the first batch committed, the second rolled back with its hook
    assert store.count_articles() == 3
    assert [len(ids) for ids in seen] == [3, 2]


def test_pipeline_sigkill_mid_ingest_leaves_consistent_store_and_rerun_completes(
    tmp_path: Path,
) -> None:
    n = 2500
    _write_corpus(tmp_path / "c", n)
    db = tmp_path / "k.db"
    cmd = [sys.executable, "-m", "newsprism", "ingest", str(tmp_path / "c"), "--db", str(db),
           "--no-progress", "--no-analyze", "--json"]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    stored = 0
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.05)
        stored = _count(db)
        if stored >= 200:
            break
    if proc.poll() is not None:
        pytest.fail(f"ingest ended before it could be killed: {proc.stderr.read().decode()[-500:]}")
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    proc.stderr.close()
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        n_articles = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
        # Raises unless the full-text index holds exactly the committed articles' text.
        conn.execute("INSERT INTO articles_fts(articles_fts, rank) VALUES ('integrity-check', 1)")
    assert 0 < n_articles < n
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-500:]
    store = SQLiteStore(db)
    assert store.count_articles() == n
    assert len({a.id for a in store.iter_articles()}) == n


def _count(db: Path) -> int:
    if not db.exists():
        return 0
    try:
        with sqlite3.connect(db, timeout=0.5) as conn:
            return int(conn.execute("SELECT count(*) FROM articles").fetchone()[0])
    except sqlite3.Error:
        return 0


def test_pipeline_max_batch_wait_writes_a_batch_before_it_is_full(tmp_path: Path) -> None:
    _write_corpus(tmp_path / "c", 5)
    sizes: list[int] = []
    stored_before: list[int] = []

    def hook(store: Store, added: list[Article]) -> None:
        sizes.append(len(added))
        stored_before.append(store.count_articles())

    # Every article has waited 1 microsecond by the time it is batched: each is written alone,
    # at once (not one batch behind).
    ingest([tmp_path / "c"], MemoryStore(), options=IngestOptions(max_batch_wait_ms=0.001), hooks=[hook])
    assert sizes == [1, 1, 1, 1, 1]
    assert stored_before == [1, 2, 3, 4, 5]
    sizes.clear()
    ingest([tmp_path / "c"], MemoryStore(), options=IngestOptions(max_batch_wait_ms=60_000.0), hooks=[hook])
    assert sizes == [5]  # nothing waited a minute: one full-size batch as without the option


def test_pipeline_max_batch_wait_must_be_positive() -> None:
    from newsprism.errors import ConfigError

    for bad in (0, -5.0, "10"):
        with pytest.raises(ConfigError, match="max_batch_wait_ms"):
            IngestOptions(max_batch_wait_ms=bad)  # type: ignore[arg-type]
