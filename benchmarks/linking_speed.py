"""Linking speed, measured honestly: a hard generated stream through the ``newsprism ingest`` path.

What it does (issue 10, item 5):

1. Generates a seeded stream of ``--n`` articles (``benchmarks/_streamgen.py``): many same-kind
   events (shootings, fires, council votes, court cases ...) in a few dozen towns, sharing
   vocabulary, places and outlets and told apart only by names, streets, dates, figures and
   details; several outlets per event, each in its own words; wire stories republished by other
   outlets; one promo/newsletter line repeated under every article of an outlet; dated over ~100
   days, in publication order. Background words follow ECB+ word frequencies when
   ``../shared/data/ecbplus`` is present, else a Zipf vocabulary of made-up words.
2. Writes it as JSONL files in a temporary folder and ingests them with
   ``newsprism.api.ingest_and_link`` (what ``newsprism ingest --no-analyze`` calls: read, parse,
   normalize, link, store) into a SQLite store on disk. The differences from the CLI: the link
   settings (``--fade-days``, below), the instruments listed next (all outside the library), and
   ``IngestOptions.max_batch_wait_ms`` (``--max-batch-wait-ms``, default 20): a batch is written
   when it is full (200) or when its oldest article has waited 20 ms. Full batches alone cannot
   meet the latency floor: at 1,000 articles/s a batch takes 200 ms to fill, and the pipeline
   writes it one batch behind. ``--max-batch-wait-ms 0`` runs the CLI's full batches; speed and
   latency always come from the same run, so one setting has to meet both floors.
3. Reports, from that one run:
   - **quality**: BCubed P/R/F1 of the stored stories against the generator's gold events, and on
     a ``--slice`` of the first articles the same figure beside scikit-learn TF-IDF + average link
     at distance threshold 0.8 (the plain baseline of ``linking_eval.py``), and at the threshold
     best on the slice itself (an oracle: it flatters the baseline);
   - **speed**: articles/s end to end, wall clock, from the first read to the last commit (the
     link worker process starts inside it, as in a real ingest);
   - **latency**: per article, from its arrival (the moment the reader yields it: the benchmark
     wraps the reader that ``pipeline.ingest`` iterates) to the commit of the transaction that
     stores it with its story (the benchmark wraps the store's ``session``); p50 and p99;
   - **memory**: by default the fade window (400 days) is longer than the stream (100 days), so no
     story retires and every article stays active in the linker, as in a bulk ingest: resident
     memory growth over the stream divided by the articles held is the cost per active article;
     1M articles all active = this process before the stream + the link worker's peak + 1M x
     that cost. ``--fade-days 60`` runs LinkConfig's default window instead.

Floors (exit 1 below any): >= 1,000 articles/s end to end without analysis, p99 <= 50 ms,
1M active articles < 2 GB. Analysis is timed apart (``--analysis``, 200 articles, its model
loading included) and has no floor here. Prints the load average: on a shared machine every
speed and latency figure moves with it.

Run: ``.venv/bin/python benchmarks/linking_speed.py [--n 100000 | --quick] [--json]``
(``--quick``: 10,000 articles, ~2 minutes; the 100,000-article run took 27 minutes on the shared
2-core machine at load ~6, where it streamed 66 articles/s.)
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _data import bcubed
from _streamgen import Stream, WordModel

import newsprism.api as api
import newsprism.pipeline as pipeline
from newsprism.config import IngestOptions
from newsprism.link import LinkConfig, make_link_hook
from newsprism.model import Article
from newsprism.storage import SQLiteStore

FLOOR_RATE = 1000.0
FLOOR_P99_MS = 50.0
FLOOR_1M_GB = 2.0
PAGE_MB = os.sysconf("SC_PAGE_SIZE") / 2**20


def rss_mb() -> float:
    """Resident memory of this process now, in MB."""
    return int(Path("/proc/self/statm").read_text().split()[1]) * PAGE_MB


def process_cpu_s(pid: int | None) -> float:
    """CPU seconds (user + system) used so far by another process; 0 when none runs."""
    if pid is None:
        return 0.0
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def process_peak_mb(pid: int | None) -> float:
    """Peak resident memory of another process (the link worker), in MB; 0 when none runs."""
    if pid is None:
        return 0.0
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024.0
    except OSError:
        pass
    return 0.0


class Clock:
    """Arrival and commit times per stream position, and what the link hook saw, for one run.

    Times live in arrays allocated before the stream, so the instruments add nothing to the
    memory growth measured over it."""

    def __init__(self, n: int) -> None:
        self.arrived = np.full(n, np.nan)
        self.committed = np.full(n, np.nan)
        self.pending: list[int] = []  # positions linked in the open transaction
        self.most_active = 0
        self.peak_rss = 0.0
        self.worker_mb = 0.0
        self.worker_cpu_s = 0.0
        self.cpu_s = 0.0
        self.started = self.ended = 0.0

    def reader(self, real: Any) -> Any:
        """``pipeline.read_inputs`` wrapped: each item's arrival is the moment it is yielded."""

        def read_inputs(*args: Any, **kwargs: Any) -> Iterator[Any]:
            for item in real(*args, **kwargs):
                at = Stream.position(getattr(item, "ref", ""))
                if at is not None:
                    self.arrived[at] = time.perf_counter()
                yield item

        return read_inputs

    def linked(self, articles: list[Article]) -> None:
        """``articles`` were linked in the open transaction."""
        for article in articles:
            at = Stream.position(article.input_ref or "")
            if at is not None:
                self.pending.append(at)

    def commit(self) -> None:
        """The outermost transaction committed: every article linked in it is stored with its story."""
        now = time.perf_counter()
        self.committed[self.pending] = now
        self.pending.clear()
        self.ended = now


class TimedStore(SQLiteStore):
    """The SQLite store, telling the clock when an outermost session commits."""

    def __init__(self, path: Path, clock: Clock) -> None:
        super().__init__(path)
        self._clock = clock
        self._open = 0

    @contextmanager
    def session(self) -> Iterator[SQLiteStore]:  # type: ignore[override]
        """The store's session; the clock hears of the commit."""
        self._open += 1
        try:
            with super().session() as store:
                yield store
        except BaseException:
            self._open -= 1
            if self._open == 0:
                self._clock.pending.clear()  # rolled back: nothing of it was committed
            raise
        self._open -= 1
        if self._open == 0:
            self._clock.commit()


class TimedHook:
    """The CLI's link hook (built with ``config``), noting which articles each transaction links."""

    def __init__(self, store: Any, config: LinkConfig, clock: Clock) -> None:
        self.linker = make_link_hook(store, config)
        self.clock = clock

    def prepare(self, articles: list[Article]) -> None:
        """Pass on: the linker's worker reads the batch ahead."""
        self.linker.prepare(articles)

    def __call__(self, store: Any, articles: list[Article]) -> None:
        """Link the batch; remember its refs and the memory held."""
        self.linker(store, articles)
        clock = self.clock
        clock.linked(articles)
        engine = getattr(self.linker, "engine", None)
        if engine is not None:
            clock.most_active = max(clock.most_active, engine.stories.active_articles)
        clock.peak_rss = max(clock.peak_rss, rss_mb())
        clock.worker_mb = max(clock.worker_mb, process_peak_mb(self.linker.worker_pid))
        clock.worker_cpu_s = max(clock.worker_cpu_s, process_cpu_s(self.linker.worker_pid))

    def close(self) -> None:
        """Stop the link worker (after noting its peak memory)."""
        self.clock.worker_mb = max(self.clock.worker_mb, process_peak_mb(self.linker.worker_pid))
        self.clock.worker_cpu_s = max(self.clock.worker_cpu_s, process_cpu_s(self.linker.worker_pid))
        self.linker.close()


def ingest_timed(stream: Stream, paths: list[Path], db: Path, config: LinkConfig,
                 options: IngestOptions) -> tuple[Clock, Any, dict[int, str]]:
    """Run ``api.ingest_and_link`` (analysis off) on ``paths`` with the instruments in place.

    Returns:
        The clock, the ingest report, and stream position -> story id, read from the store.
    """
    clock = Clock(stream.n)
    real_reader, real_hook = pipeline.read_inputs, api._link_hook
    pipeline.read_inputs = clock.reader(real_reader)  # type: ignore[assignment]
    api._link_hook = lambda store: TimedHook(store, config, clock)  # type: ignore[assignment,return-value]
    try:
        with TimedStore(db, clock) as store:
            clock.peak_rss = rss_mb()
            clock.started = time.perf_counter()
            cpu = time.process_time()
            report = api.ingest_and_link([str(p) for p in paths], store, options=options, analyze=False, progress=False)
            clock.cpu_s = time.process_time() - cpu
            stories = {}
            for article in store.iter_articles():
                at = Stream.position(article.input_ref or "")
                link = store.story_article(article.id)
                if at is not None:
                    stories[at] = link.story_id if link is not None else f"unlinked:{article.id}"
    finally:
        pipeline.read_inputs, api._link_hook = real_reader, real_hook  # type: ignore[assignment]
    return clock, report, stories


def baseline_bcubed(records: list[dict[str, str]], gold: list[int]) -> dict[str, Any]:
    """scikit-learn TF-IDF + average link (as in linking_eval.py): BCubed cut at cosine distance
    0.8, and at the threshold best on these very articles (an oracle that flatters it)."""
    from scipy.cluster.hierarchy import fcluster, linkage
    from scipy.spatial.distance import squareform
    from sklearn.feature_extraction.text import TfidfVectorizer

    texts = [r["title"] + "\n\n" + r["text"] for r in records]
    matrix = TfidfVectorizer(sublinear_tf=True, stop_words="english").fit_transform(texts)
    dist = np.clip(1.0 - (matrix @ matrix.T).toarray(), 0.0, None)
    np.fill_diagonal(dist, 0.0)
    tree = linkage(squareform(dist, checks=False), method="average")
    scores = {t: bcubed(list(fcluster(tree, t, criterion="distance")), gold) for t in np.arange(0.3, 0.96, 0.05).round(2)}
    best = max(scores, key=lambda t: scores[t][2])
    return {"at_0.8": bcubed(list(fcluster(tree, 0.8, criterion="distance")), gold),
            "best_threshold": float(best), "at_best": scores[best]}


def analysis_rate(paths: list[Path], db: Path, count: int) -> tuple[int, float]:
    """Analysis alone, as ``newsprism ingest`` runs it after linking: the first ``count``
    articles of the stream stored (not timed), then ``analyze_pending`` timed. Returns
    (articles analysed, seconds)."""
    lines = paths[0].read_text(encoding="utf-8").splitlines()[:count]
    sample = db.parent / "analysis-sample.jsonl"
    sample.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with SQLiteStore(db) as store:
        api.ingest_and_link([str(sample)], store, analyze=False, progress=False)
        started = time.perf_counter()
        done = api._analyze_pending(store, False)
        return done, time.perf_counter() - started


def run(args: argparse.Namespace) -> dict[str, Any]:
    """Generate, ingest, score; return every figure."""
    words = WordModel()
    started = time.perf_counter()
    stream = Stream(args.n, seed=args.seed, words=words)
    warm = Stream(300, seed=args.seed + 1000, words=words)
    config = dataclasses.replace(LinkConfig(), fade_after=timedelta(days=args.fade_days),
                                 max_active_articles=max(LinkConfig().max_active_articles, args.n + 1000))
    options = IngestOptions(**({"batch_size": args.batch_size} if args.batch_size else {}),
                            max_batch_wait_ms=args.max_batch_wait_ms or None)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / "warm").mkdir()
        (folder / "stream").mkdir()
        paths = stream.write(folder / "stream")
        generate_s = time.perf_counter() - started
        ingest_timed(warm, warm.write(folder / "warm"), folder / "warm.db", config, options)  # imports, caches
        base_mb = rss_mb()
        clock, report, stories = ingest_timed(stream, paths, folder / "speed.db", config, options)
        slice_records = [r for _, r in zip(range(args.slice), stream.records(), strict=False)]
        analysed, analysis_s = analysis_rate(paths, folder / "analysis.db", args.analysis) if args.analysis else (0, 0.0)
    total = clock.ended - clock.started
    order = sorted(stories)
    pred = [stories[at] for at in order]
    gold = [stream.gold[at] for at in order]
    in_slice = [i for i, at in enumerate(order) if at < args.slice]
    latency = (clock.committed - clock.arrived)[~np.isnan(clock.committed)] * 1000.0
    per_active_kb = (clock.peak_rss - base_mb) * 1024.0 / max(1, clock.most_active)
    return {
        "n": args.n, "seed": args.seed, "word_model": words.source, "fade_days": args.fade_days,
        "batch_size": options.batch_size, "max_batch_wait_ms": options.max_batch_wait_ms,
        "articles": report.ingested, "duplicates": report.duplicates, "rejected": len(report.rejected),
        "events": len(set(gold)), "stories": len(set(pred)), "scored": len(order), "generate_s": generate_s,
        "bcubed": bcubed(pred, gold),
        "slice": len(in_slice),
        "slice_bcubed": bcubed([pred[i] for i in in_slice], [gold[i] for i in in_slice]),
        "baseline_bcubed": baseline_bcubed(slice_records, stream.gold[: len(slice_records)]),
        "total_s": total, "rate": report.ingested / total,
        "cpu_s": clock.cpu_s, "worker_cpu_s": clock.worker_cpu_s, "cpu_rate": report.ingested / max(1e-9, clock.cpu_s),
        "p50_ms": float(np.percentile(latency, 50)), "p99_ms": float(np.percentile(latency, 99)),
        "max_ms": float(latency.max()), "latency_count": int(latency.size),
        "base_mb": base_mb, "peak_mb": clock.peak_rss, "worker_mb": clock.worker_mb,
        "most_active": clock.most_active, "per_active_kb": per_active_kb,
        "projected_1m_gb": (base_mb + clock.worker_mb + per_active_kb * 1_000_000 / 1024.0) / 1024.0,
        "analysed": analysed, "analysis_s": analysis_s,
        "analysis_rate": analysed / analysis_s if analysis_s else None,
        "load_average": os.getloadavg(),
    }


def report_text(r: dict[str, Any]) -> str:
    """The human-readable summary."""
    if r["scored"] != r["articles"]:
        print(f"warning: {r['scored']:,} articles scored, {r['articles']:,} stored", file=sys.stderr)
    p, rec, f = r["bcubed"]
    sp, sr, sf = r["slice_bcubed"]
    bp, br, bf = r["baseline_bcubed"]["at_0.8"]
    op, orr, of = r["baseline_bcubed"]["at_best"]
    load = ", ".join(f"{x:.2f}" for x in r["load_average"])
    return "\n".join([
        f"stream: {r['n']:,} generated articles (seed {r['seed']}; {r['word_model']}), {r['events']:,} events "
        f"over ~100 days; generated and written as JSONL in {r['generate_s']:.1f}s (not counted)",
        f"ingest (newsprism ingest --no-analyze path, batches of {r['batch_size']} or "
        f"{r['max_batch_wait_ms'] or 'unbounded'} ms wait, fade {r['fade_days']:g} days): "
        f"{r['articles']:,} stored, {r['duplicates']} duplicates, {r['rejected']} rejected, {r['stories']:,} stories",
        f"quality, whole stream: BCubed P {p:.3f} R {rec:.3f} F1 {f:.3f}",
        f"quality, first {r['slice']:,} articles: linker BCubed P {sp:.3f} R {sr:.3f} F1 {sf:.3f}; "
        f"baseline TF-IDF + average link @0.8: P {bp:.3f} R {br:.3f} F1 {bf:.3f} (at {r['baseline_bcubed']['best_threshold']:.2f}, "
        f"the best threshold on these articles themselves: P {op:.3f} R {orr:.3f} F1 {of:.3f})",
        f"speed: {r['rate']:.0f} articles/s end to end, wall clock ({r['total_s']:.1f}s: read, parse, normalize, "
        f"link, store, commit); CPU: this process {r['cpu_s']:.1f}s ({r['cpu_rate']:.0f} articles per CPU second), "
        f"link worker {r['worker_cpu_s']:.1f}s",
        f"latency, arrival -> committed story: p50 {r['p50_ms']:.1f} ms, p99 {r['p99_ms']:.1f} ms, "
        f"max {r['max_ms']:.1f} ms ({r['latency_count']:,} articles)",
        f"memory: {r['base_mb']:.0f} MB before the stream, {r['peak_mb']:.0f} MB at peak with {r['most_active']:,} "
        f"articles active ({r['per_active_kb']:.2f} KB each); link worker peak {r['worker_mb']:.0f} MB; "
        f"1M articles active: ~{r['projected_1m_gb']:.2f} GB",
        (f"analysis (not in the figures above; analyze_pending on the first {r['analysed']} articles, stored "
         f"beforehand, model loading included): {r['analysis_rate']:.1f} articles/s" if r["analysed"] else "analysis: not measured (--analysis 0)"),
        f"load average while measured (1, 5, 15 min): {load}",
    ])


def floors(r: dict[str, Any]) -> list[str]:
    """The floors this run misses (empty: all met)."""
    failed = []
    if r["rate"] < FLOOR_RATE:
        failed.append(f"rate {r['rate']:.0f}/s < {FLOOR_RATE:.0f}/s")
    if r["p99_ms"] > FLOOR_P99_MS:
        failed.append(f"p99 {r['p99_ms']:.1f} ms > {FLOOR_P99_MS:.0f} ms")
    if r["projected_1m_gb"] >= FLOOR_1M_GB:
        failed.append(f"1M active {r['projected_1m_gb']:.2f} GB >= {FLOOR_1M_GB:.0f} GB")
    return failed


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark; exit 1 below a floor."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000, help="articles in the stream (default 100,000)")
    parser.add_argument("--quick", action="store_true", help="10,000 articles (overrides --n)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--slice", type=int, default=5000, help="articles scored beside the baseline (default 5,000)")
    parser.add_argument("--batch-size", type=int, default=None, help="ingest batch size (default: IngestOptions')")
    parser.add_argument("--max-batch-wait-ms", type=float, default=20.0,
                        help="IngestOptions.max_batch_wait_ms: write a batch once its oldest article "
                             "has waited this long (default 20; 0: only full batches, the CLI default)")
    parser.add_argument("--fade-days", type=float, default=400.0,
                        help="story fade window in days (default 400: longer than the stream, so every "
                             "article stays active; 60 is LinkConfig's default)")
    parser.add_argument("--analysis", type=int, default=200,
                        help="articles whose analysis is timed apart (default 200; 0: skip)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(argv)
    if args.quick:
        args.n = 10_000
    r = run(args)
    failed = floors(r)
    r["failed"] = failed
    print(json.dumps(r, indent=2) if args.json else report_text(r))
    if not args.json:
        print("FAIL: " + "; ".join(failed) if failed else "ok: all floors met")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
