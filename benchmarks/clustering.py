"""Story clustering quality: ingest ECB+ into a fresh store (streaming linking) and score it.

Prints BCubed precision/recall/F1 and pairwise F1 against ECB+'s gold ``story`` labels, for the
stories the streaming linker made while ingesting ``docs.jsonl`` in file order (the real ingest
path: JSONL reader, normalizer, link hook), and for ``newsprism relink`` over the same store.
Also prints the held-out BASIL check (same event from Fox / NYT / HuffPost) and, with
``--shuffles N``, ECB+ in N shuffled orders (order robustness). Exits 1 when streaming ECB+
BCubed F1 is below the floor (0.93). Exits 0 with a message when ../shared/data is missing.

Run: ``.venv/bin/python benchmarks/clustering.py [--shuffles 3]``
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _data import BASIL, ECBPLUS, basil_articles, bcubed, ecbplus_gold, pairwise

from newsprism.link import LinkConfig, make_link_hook, relink
from newsprism.model import Article
from newsprism.pipeline import ingest, ingest_articles
from newsprism.storage import MemoryStore, SQLiteStore, Store

FLOOR_BCUBED_F1 = 0.93


def labels(store: Store, ids: list[str]) -> list[str]:
    """The story id of each article id."""
    return [store.story_article(a).story_id for a in ids]  # type: ignore[attr-defined]


def show(name: str, pred: list[str], gold: list[str]) -> float:
    """Print BCubed and pairwise scores; return BCubed F1."""
    p, r, f = bcubed(pred, gold)
    pp, pr, pf = pairwise(pred, gold)
    print(
        f"{name:<34} BCubed P {p:.3f} R {r:.3f} F1 {f:.3f} | pairwise P {pp:.3f} R {pr:.3f} "
        f"F1 {pf:.3f} | {len(set(pred))} stories (gold {len(set(gold))})"
    )
    return f


def ecbplus(config: LinkConfig) -> float:
    """Stream ECB+ through the real ingest path into a fresh SQLite store; score it and relink."""
    gold = ecbplus_gold()
    with tempfile.TemporaryDirectory() as tmp, SQLiteStore(Path(tmp) / "bench.db") as store:
        started = time.perf_counter()
        report = ingest([str(ECBPLUS)], store, hooks=[make_link_hook(store, config)], progress=False)
        seconds = time.perf_counter() - started
        articles = store.articles()
        print(f"ECB+: ingested {report.ingested} docs ({len(report.rejected)} rejected) in {seconds:.1f}s")
        ids = [a.id for a in articles]
        truth = [gold[a.external_id or ""] for a in articles]
        f1 = show("ECB+ streaming (file order)", labels(store, ids), truth)
        relink(store, config=config)
        show("ECB+ after relink", labels(store, ids), truth)
    return f1


def shuffled(config: LinkConfig, rounds: int) -> None:
    """ECB+ in shuffled orders (articles parsed once, then linked in another order)."""
    gold = ecbplus_gold()
    parsed = MemoryStore()
    ingest([str(ECBPLUS)], parsed, progress=False)
    articles = parsed.articles()
    for seed in range(1, rounds + 1):
        order = list(articles)
        random.Random(seed).shuffle(order)
        show(f"ECB+ streaming (shuffle {seed})", *_stream(order, config, {a.id: gold[a.external_id or ""] for a in order}))


def basil(config: LinkConfig) -> None:
    """Held-out check: BASIL's 100 events x 3 outlets, in publication order."""
    articles, gold = basil_articles()
    show("BASIL streaming (held out)", *_stream(articles, config, gold))


def _stream(articles: list[Article], config: LinkConfig, gold: dict[str, str]) -> tuple[list[str], list[str]]:
    store = MemoryStore()
    ingest_articles(articles, store, hooks=[make_link_hook(store, config)])
    ids = [a.id for a in articles]
    return labels(store, ids), [gold[a] for a in ids]


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark; exit status 1 below the floor."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shuffles", type=int, default=0, help="also score N shuffled ECB+ orders")
    args = parser.parse_args(argv)
    if not ECBPLUS.is_file():
        print(f"skipped: {ECBPLUS} not found (the benchmark reads ../shared/data)")
        return 0
    config = LinkConfig()
    f1 = ecbplus(config)
    if args.shuffles:
        shuffled(config, args.shuffles)
    if BASIL.is_dir():
        basil(config)
    else:
        print(f"BASIL check skipped: {BASIL} not found")
    if f1 < FLOOR_BCUBED_F1:
        print(f"FAIL: ECB+ streaming BCubed F1 {f1:.3f} is below the floor {FLOOR_BCUBED_F1}")
        return 1
    print(f"ok: ECB+ streaming BCubed F1 {f1:.3f} >= {FLOOR_BCUBED_F1}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
