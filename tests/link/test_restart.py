"""A restart changes no story: one ingest run, two runs and a killed-and-resumed run of the same
ordered input (dates out of file order, spanning far more than the fade window) give the same
stories. Real processes (``python -m newsprism ingest``), a real SQLite store."""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from newsprism.storage import SQLiteStore

TOPIC = ("storm", "flood", "river", "council", "rescue", "homes", "water", "residents", "damage",
         "roads", "emergency", "crews", "bridge", "power", "rain", "warning", "shelter")
NAMES = ("Alder", "Brisk", "Calder", "Dorn", "Elm", "Fenn", "Garr", "Hale", "Irvin", "Jost",
         "Kell", "Lorn", "Mave", "Nolt", "Orrin", "Pell", "Quarn", "Rusk", "Sable", "Tarn")


def _corpus(n_stories: int = 40, per_story: int = 10, seed: int = 3) -> list[dict[str, str]]:
    """Same-kind stories (one shared vocabulary), each with its own names and a few days of
    dates; stories spread over 400 days; the file order shuffled (dates out of order)."""
    rng = random.Random(seed)
    start = datetime(2024, 1, 1, tzinfo=UTC)
    rows = []
    for s in range(n_stories):
        town = f"{NAMES[s % 20]}{'ford' if s < 20 else 'mouth'}"
        people = [f"{rng.choice(NAMES)}son {NAMES[(s * 7 + k) % 20]}ley" for k in range(3)]
        day = start + timedelta(days=10 * s)
        for k in range(per_story):
            words = [rng.choice(TOPIC) for _ in range(60)]
            body = (f"{town} was hit on {day:%d %B}. {people[k % 3]} said the {' '.join(words[:30])}. "
                    f"Officials in {town} including {people[(k + 1) % 3]} warned {' '.join(words[30:])}.")
            rows.append({
                "id": f"s{s}-a{k}", "story": str(s), "title": f"{town} {' '.join(words[:4])}",
                "text": body, "source": f"Outlet {k % 4}",
                "published": (day + timedelta(hours=7 * k)).isoformat(),
            })
    rng.shuffle(rows)
    return rows


def _ingest(db: Path, path: Path, env: dict[str, str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "newsprism", "ingest", str(path), "--db", str(db), "--json", "--no-analyze"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env,
    )


def _partition(db: Path) -> dict[str, str]:
    with SQLiteStore(db) as store:
        return {a.external_id: store.story_article(a.id).story_id for a in store.articles()}  # type: ignore[union-attr,misc]


def _same_stories(a: dict[str, str], b: dict[str, str]) -> bool:
    """Whether two article -> story maps group the articles alike (ids may differ)."""
    groups_a: dict[str, set[str]] = {}
    groups_b: dict[str, set[str]] = {}
    for key, story in a.items():
        groups_a.setdefault(story, set()).add(key)
    for key, story in b.items():
        groups_b.setdefault(story, set()).add(key)
    return sorted(map(sorted, groups_a.values())) == sorted(map(sorted, groups_b.values()))


@pytest.mark.slow
def test_restart_two_runs_and_a_killed_run_link_as_one_run(tmp_path: Path) -> None:
    rows = _corpus()
    whole = tmp_path / "all.jsonl"
    whole.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    first, second = tmp_path / "first.jsonl", tmp_path / "second.jsonl"
    first.write_text("".join(json.dumps(r) + "\n" for r in rows[:200]), encoding="utf-8")
    second.write_text("".join(json.dumps(r) + "\n" for r in rows[200:]), encoding="utf-8")
    env = dict(os.environ)

    one = tmp_path / "one.db"
    assert _ingest(one, whole, env).wait(timeout=300) in (0, 1)
    two = tmp_path / "two.db"
    assert _ingest(two, first, env).wait(timeout=300) in (0, 1)
    assert _ingest(two, second, env).wait(timeout=300) in (0, 1)

    killed = tmp_path / "killed.db"
    proc = _ingest(killed, whole, env)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:
        if killed.exists() and _stored(killed) >= 200:
            proc.send_signal(signal.SIGKILL)
            break
        time.sleep(0.05)
    proc.wait(timeout=60)
    assert _ingest(killed, whole, env).wait(timeout=300) in (0, 1)

    expected = _partition(one)
    assert len(expected) == len(rows)
    assert len(set(expected.values())) < len(rows) // 2  # the stories did link
    assert _same_stories(_partition(two), expected)
    assert _same_stories(_partition(killed), expected)


def _stored(db: Path) -> int:
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=0.1) as con:
            return int(con.execute("SELECT count(*) FROM story_articles").fetchone()[0])
    except sqlite3.Error:
        return 0
