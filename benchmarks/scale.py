"""Scale: ``newsprism relink`` of generated articles on the local engine and on Dask (issue 12 item 4).

What it does:

1. Generates ``--n`` articles (default 20,000) with ``benchmarks/_streamgen.py``'s ``Stream``
   (same-kind events, several outlets each, wire copies, site boilerplate, ~100 days) and stores
   them, unlinked, in a SQLite store on disk.
2. Relinks a copy of that store three times, each in a fresh process (so each peak-memory figure
   is its own): the local engine, Dask with 1 worker and Dask with 2 workers (a
   ``LocalCluster`` of worker processes, one thread each, as ``newsprism relink --engine dask``
   starts). The path is the CLI's: ``relink(store, engine=...)`` with the engine the CLI builds.
3. Reports for each: the relink's wall seconds and its ratio to local; the representation phase
   (what the engine spreads) and the rest (clustering, reconciling, the write: always local);
   the cluster's start-up apart; CPU seconds of the driver and of the workers; peak resident
   memory of the driver and of each worker. It checks that the three stores hold the same
   stories with the same ids, and measures per article: text bytes in, prepared-feature bytes
   out (what crosses the network), and one core's preparing time.

The relinks import newsprism from a copy of the package taken when the run starts, so an edit
to the checkout while it runs (it takes minutes) cannot give two engines two versions of the code.

Prints the load average before and after: the machine is shared and has 2 cores, so wall times
move with the load; CPU seconds move less. No floor: this measures, ``docs/scale.md`` projects.

Run: ``.venv/bin/python benchmarks/scale.py [--n 20000] [--partition-size 500] [--json]``
"""

from __future__ import annotations

import argparse
import json
import os
import pickle
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _streamgen import Stream

import newsprism
from newsprism.engine.base import peak_rss
from newsprism.link import relink
from newsprism.model import Article
from newsprism.pipeline import ingest_articles
from newsprism.represent.features import LinkRepresenter
from newsprism.storage import SQLiteStore
from newsprism.testing import make_article

CONFIGS = {"local": 0, "dask-1": 1, "dask-2": 2}


def cpu_s() -> float:
    """CPU seconds (user + system) of this process so far."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def package() -> str:
    """Where this process imported newsprism from."""
    return str(Path(newsprism.__file__).parent)


def articles_of(stream: Stream) -> list[Article]:
    """The stream's records as articles (ids kept), without the normalizer's cost."""
    return [
        make_article(r["title"], r["text"].split("\n\n"), source=r["source"],
                     published=datetime.fromisoformat(r["published"]), id=r["id"])
        for r in stream.records()
    ]


class Timed:
    """An engine wrapped to time its ``map_partitions`` (the representation phase)."""

    def __init__(self, engine: Any) -> None:
        self.engine = engine
        self.seconds = 0.0
        self.cpu = 0.0

    def map_partitions(self, fn: Callable[[list[Any]], list[Any]], items: Sequence[Any]) -> list[Any]:
        started, cpu = time.perf_counter(), cpu_s()
        try:
            return self.engine.map_partitions(fn, items)
        finally:
            self.seconds += time.perf_counter() - started
            self.cpu += cpu_s() - cpu


def run_one(config: str, db: Path, partition_size: int) -> dict[str, Any]:
    """One relink in this process (the child's side)."""
    workers = CONFIGS[config]
    load = os.getloadavg()[0]
    started = time.perf_counter()
    if workers:
        from newsprism.engine.dask import DaskEngine

        engine: Any = DaskEngine(n_workers=workers, partition_size=partition_size)
        assert engine.workers == workers
    else:
        from newsprism.engine.local import LocalEngine

        engine = LocalEngine()
    startup = time.perf_counter() - started
    timed = Timed(engine)
    cpu0 = cpu_s()
    with SQLiteStore(db) as store:
        report = relink(store, engine=timed)
    out = {
        "config": config, "startup_s": startup, "relink_s": report.seconds,
        "prepare_s": timed.seconds, "rest_s": report.seconds - timed.seconds,
        "driver_cpu_s": cpu_s() - cpu0, "prepare_cpu_s": timed.cpu,
        "articles": report.articles, "stories": report.stories, "driver_peak_mb": peak_rss() / 2**20,
        "code": [package()], "load_1min": (load, os.getloadavg()[0]),
    }
    if workers:
        from distributed import Client

        with Client(engine.address) as client:
            out["worker_cpu_s"] = sorted(client.run(cpu_s).values())
            out["code"] += sorted(set(client.run(package).values()))
        out["worker_peak_mb"] = sorted(v / 2**20 for v in engine.peak_memory().values())
        engine.close()
    return out


def per_article(articles: list[Article], sample: int = 400) -> dict[str, float]:
    """Bytes in and out and one core's preparing time per article, on an even sample."""
    step = max(1, len(articles) // sample)
    chosen = articles[::step][:sample]
    representer = LinkRepresenter()
    started, cpu = time.perf_counter(), cpu_s()
    prepared = [representer.prepare(a.title, a.body) for a in chosen]
    seconds, cpu = time.perf_counter() - started, cpu_s() - cpu
    return {
        "text_bytes": sum(len(a.title.encode()) + len(a.body.encode()) for a in chosen) / len(chosen),
        "stored_bytes": sum(len(json.dumps(a.to_dict()).encode()) for a in chosen) / len(chosen),
        "prepared_bytes": sum(len(pickle.dumps(p, pickle.HIGHEST_PROTOCOL)) for p in prepared) / len(chosen),
        "prepare_ms": 1000 * seconds / len(chosen),
        "prepare_cpu_ms": 1000 * cpu / len(chosen),
    }


def links(db: Path) -> dict[str, str]:
    """Article id -> story id."""
    with SQLiteStore(db) as store:
        return {a.id: link.story_id for a in store.iter_articles()
                if (link := store.story_article(a.id)) is not None}  # type: ignore[attr-defined]


def run(n: int, partition_size: int, seed: int) -> dict[str, Any]:
    """Generate, store, relink three ways in child processes, compare."""
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="newsprism-scale-") as tmp:
        folder = Path(tmp)
        code = folder / "code"
        shutil.copytree(Path(newsprism.__file__).parent, code / "newsprism",
                        ignore=shutil.ignore_patterns("__pycache__"))
        env = dict(os.environ, PYTHONPATH=os.pathsep.join(
            p for p in (str(code), os.environ.get("PYTHONPATH")) if p))
        started = time.perf_counter()
        articles = articles_of(Stream(n, seed=seed))
        generated = time.perf_counter() - started
        started = time.perf_counter()
        with SQLiteStore(folder / "base.db") as store:
            ingest_articles(articles, store, batch_size=1000)
        stored = time.perf_counter() - started
        sizes = per_article(articles)
        runs = []
        for config in CONFIGS:
            db = folder / f"{config}.db"
            shutil.copy(folder / "base.db", db)
            child = subprocess.run(
                [sys.executable, __file__, "--run", config, "--db", str(db),
                 "--partition-size", str(partition_size)],
                capture_output=True, text=True, check=False, env=env,
            )
            if child.returncode != 0:
                raise SystemExit(f"{config} failed:\n{child.stderr[-4000:]}")
            runs.append(json.loads(child.stdout.strip().splitlines()[-1]))
            if any(not path.startswith(str(code)) for path in runs[-1]["code"]):
                raise SystemExit(f"{config} did not run the copied package: {runs[-1]['code']}")
        stories = [links(folder / f"{config}.db") for config in CONFIGS]
    local = runs[0]["relink_s"]
    for r in runs:
        r["ratio"] = r["relink_s"] / local
    return {
        "n": n, "partition_size": partition_size, "generate_s": generated, "store_s": stored,
        "per_article": sizes, "runs": runs, "same_stories": all(s == stories[0] for s in stories),
        "cores": os.cpu_count(), "load_before": load_before, "load_after": os.getloadavg(),
    }


def show(r: dict[str, Any]) -> str:
    """The report as text."""
    pa = r["per_article"]
    lines = [
        (f"{r['n']} generated articles (stored unlinked in {r['store_s']:.1f}s), partitions of "
         f"{r['partition_size']}, {r['cores']} cores"),
        (f"per article: text {pa['text_bytes'] / 1024:.1f} KB, stored row {pa['stored_bytes'] / 1024:.1f} KB, "
         f"prepared features {pa['prepared_bytes'] / 1024:.1f} KB, preparing {pa['prepare_ms']:.2f} ms "
         f"({pa['prepare_cpu_ms']:.2f} ms CPU) on one core"),
        (f"{'engine':8} {'start s':>8} {'relink s':>9} {'ratio':>6} {'prepare s':>10} {'rest s':>7} "
         f"{'driver cpu':>11} {'worker cpu':>14} {'driver MB':>10} {'worker peak MB':>16} {'load 1 min':>11}"),
    ]
    for x in r["runs"]:
        wcpu = "/".join(f"{v:.0f}" for v in x.get("worker_cpu_s", [])) or "-"
        wmb = "/".join(f"{v:.0f}" for v in x.get("worker_peak_mb", [])) or "-"
        lines.append(
            f"{x['config']:8} {x['startup_s']:8.1f} {x['relink_s']:9.1f} {x['ratio']:6.2f} "
            f"{x['prepare_s']:10.1f} {x['rest_s']:7.1f} {x['driver_cpu_s']:11.1f} {wcpu:>14} "
            f"{x['driver_peak_mb']:10.0f} {wmb:>16} {x['load_1min'][0]:5.1f}-{x['load_1min'][1]:<5.1f}"
        )
    lines.append(f"stories: {r['runs'][0]['stories']}; the same stories and ids on every engine: "
                 f"{'yes' if r['same_stories'] else 'NO'}")
    before, after = (", ".join(f"{x:.2f}" for x in r[k]) for k in ("load_before", "load_after"))
    lines.append(f"load average (1, 5, 15 min) before: {before}; after: {after}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Entry point."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--n", type=int, default=20_000, help="generated articles (default 20,000)")
    parser.add_argument("--partition-size", type=int, default=500, help="articles per Dask task")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json", action="store_true", help="print JSON")
    parser.add_argument("--run", choices=list(CONFIGS), help=argparse.SUPPRESS)
    parser.add_argument("--db", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.run:
        print(json.dumps(run_one(args.run, args.db, args.partition_size)))
        return 0
    result = run(args.n, args.partition_size, args.seed)
    print(json.dumps(result, indent=2) if args.json else show(result))
    return 0 if result["same_stories"] else 1


if __name__ == "__main__":
    sys.exit(main())
