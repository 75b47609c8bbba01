"""Analysis benchmark: precision/recall per kind on the gold set, and articles/s on 600-word articles.

Usage::

    .venv/bin/python benchmarks/analysis.py [--n 120] [--skip-pool]

Quality: the gold set in ``tests/data/analysis`` (six fictional articles written for newsprism;
``gold-bribery-heldout`` was annotated before the analyzer first saw it and is also shown alone).

Speed: 600-word articles cut from BASIL (``../shared/data/basil``, news articles from three US
outlets) when present, else built from the gold-set paragraphs. Three figures:

* one process, warm models: articles per CPU-second and per wall-second;
* ``analyze_pending(workers=2)`` over an in-memory store, wall clock, worker start-up included;
* the 2-core rate: twice the one-process CPU rate (what two idle cores could sustain; shown for
  comparison on a loaded machine, where the pool's wall clock falls with the load).

The floor (20 articles/s) applies to the measured wall clock of ``analyze_pending(workers=2)``,
start-up included (or, with ``--skip-pool``, to the one-process wall clock). Use ``--n 600`` so
that the workers' start-up (~3.5 s each, loading spaCy) does not dominate.
Exit status 1 under the floor.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import resource
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

from newsprism.analyze.analyzer import Analyzer
from newsprism.analyze.evaluate import KINDS, score, total
from newsprism.analyze.pipeline import analyze_pending
from newsprism.model import Article
from newsprism.storage import MemoryStore
from newsprism.testing import make_article

ROOT = Path(__file__).resolve().parents[1]
GOLD = ROOT / "tests" / "data" / "analysis"
BASIL = ROOT.parent / "shared" / "data" / "basil" / "articles"
FLOOR = 20.0
WORDS = 600


def gold_set() -> tuple[list[Article], dict[str, dict]]:
    """The gold articles and their annotations."""
    entries = json.loads((GOLD / "articles.json").read_text(encoding="utf-8"))
    articles = [make_article(e["title"], e["paragraphs"], source=e["source"], id=e["id"],
                             published=datetime.fromisoformat(e["published"]),
                             language=e["language"]) for e in entries]
    return articles, json.loads((GOLD / "gold.json").read_text(encoding="utf-8"))


def quality(analyzer: Analyzer) -> None:
    """Print precision/recall per kind on the gold set (all, then the held-out article)."""
    articles, gold = gold_set()
    scores = {a.id: score(gold[a.id], r) for a, r in zip(articles, analyzer.analyze_many(articles))}
    for label, ids in (("gold set (6 articles)", list(scores)),
                       ("held-out article", [i for i in scores if "heldout" in i])):
        print(f"\n{label}")
        print(f"  {'kind':13} {'precision':>9} {'recall':>7}   matched/predicted/gold")
        summed = total(scores[i] for i in ids)
        for kind in KINDS:
            s = summed[kind]
            print(f"  {kind:13} {s.precision:9.3f} {s.recall:7.3f}   {s.matched}/{s.predicted}/{s.gold}")


def _trim(paragraphs: list[str]) -> list[str] | None:
    out, words = [], 0
    for p in paragraphs:
        out.append(p)
        words += len(p.split())
        if words >= WORDS:
            return out
    return None


def speed_articles(n: int) -> tuple[list[Article], str]:
    """``n`` articles of about 600 words, and where they came from."""
    bodies: list[list[str]] = []
    if BASIL.is_dir():
        for path in sorted(BASIL.glob("*/*.json")):
            data = json.loads(path.read_text(encoding="utf-8"))
            paragraphs = [" ".join(p) if isinstance(p, list) else p
                          for p in data.get("body-paragraphs", [])]
            trimmed = _trim([p for p in paragraphs if p.strip()])
            if trimmed:
                bodies.append(trimmed)
    source = f"BASIL ({len(bodies)} articles of 600+ words, reused cyclically)"
    if not bodies:
        pool = [p for a in gold_set()[0] for p in a.paragraphs]
        for start in range(len(pool)):
            trimmed = _trim(list(itertools.islice(itertools.cycle(pool), start, start + 200)))
            if trimmed:
                bodies.append(trimmed)
        source = "gold-set paragraphs (BASIL absent)"
    published = datetime(2019, 5, 2, tzinfo=UTC)
    articles = [make_article(f"Benchmark article {i}", body, published=published, language="en")
                for i, body in zip(range(n), itertools.cycle(bodies))]
    return articles, source


def one_process(analyzer: Analyzer, articles: list[Article]) -> tuple[float, float]:
    """Articles per CPU-second and per wall-second of one warm process."""
    analyzer.analyze_many(articles[:8])
    cpu, wall = time.process_time(), time.perf_counter()
    analyzer.analyze_many(articles)
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    return len(articles) / cpu, len(articles) / wall


def pool(articles: list[Article]) -> tuple[float, float]:
    """``analyze_pending(workers=2)``, worker start-up included: articles per wall-second, and
    CPU-seconds the two workers spent (start-up included)."""
    store = MemoryStore()
    for a in articles:
        store.add_article(a)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = analyze_pending(store, workers=2, progress=False)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    return done / wall, cpu


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark; exit status 1 under the speed floor."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=600, help="600-word articles to time")
    parser.add_argument("--skip-pool", action="store_true", help="skip the 2-worker wall run")
    args = parser.parse_args(argv)

    started = time.perf_counter()
    analyzer = Analyzer().load()
    print(f"analyzer {analyzer.version}, loaded in {time.perf_counter() - started:.1f} s")
    quality(analyzer)

    articles, source = speed_articles(args.n)
    words = sum(a.word_count for a in articles) / len(articles)
    print(f"\nspeed: {len(articles)} articles, {words:.0f} words on average, from {source}")
    print(f"  load average before: {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
    per_cpu, per_wall = one_process(analyzer, articles)
    print(f"  one process:        {per_cpu:6.1f} articles/CPU-second, {per_wall:6.1f} articles/s wall")
    measured = per_wall
    if not args.skip_pool:
        rate, cpu = pool(articles)
        measured = rate
        print(f"  analyze_pending(workers=2), start-up included: {rate:6.1f} articles/s wall "
              f"(load average {os.getloadavg()[0]:.2f}); workers used {cpu:.1f} CPU-s "
              f"= {len(articles) / cpu:.1f} articles/CPU-second")
    print(f"  2-core rate:        {2 * per_cpu:6.1f} articles/s (idle-core estimate, not gated)")
    verdict = "ok" if measured >= FLOOR else "BELOW FLOOR"
    print(f"  measured wall rate: {measured:6.1f} articles/s  (floor {FLOOR:.0f}: {verdict})")
    return 0 if measured >= FLOOR else 1


if __name__ == "__main__":
    sys.exit(main())
