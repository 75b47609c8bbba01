"""Streaming linking speed: 100,000 generated articles through ingest + the link hook.

Articles come from a word model of real text (word frequencies of ../shared/data/ecbplus when
present, else a Zipf vocabulary of made-up words): stories have their own topic words, names and
numbers, last a few days, and get 1..12 articles from different outlets, with some syndicated
copies. They are generated first, then stream through ``ingest_articles`` into a SQLite store on
disk (batches of 200, the ingest default) with the streaming link hook, so the figures are end
to end after parsing: store writes (with the FTS index) plus linking, including the link worker
process that reads each batch's texts while this process writes and links the one before.

Prints articles/s (wall clock; the main process's CPU rate beside it), p50/p99 per-article link
latency (its own representation time, in the worker and here, plus its share of its batch's
grouping and scoring), and memory. By default the fade window (400 days) is longer than the
generated stream (100 days), so no story retires and every streamed article stays in the linker's
memory, as in a bulk ingest of undated articles: the growth of resident memory over the stream
divided by the articles held is the cost per active article, and the 1M projection is this
process before the stream, plus the link worker's peak (it keeps no per-article state), plus 1M
times that cost. ``--fade-days 60`` runs LinkConfig's default window (stories retire; memory
then follows the window, not the stream). Floors: >= 1,000 articles/s end to end, p99 <= 20 ms,
projected 1M articles < 2 GB; exit 1 below one.

Run: ``.venv/bin/python benchmarks/linking_speed.py [--n 100000] [--batch-size 200] [--fade-days D]``
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import re
import resource
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _data import ECBPLUS

from newsprism.link import LinkConfig, StreamingLinker
from newsprism.model import Article
from newsprism.pipeline import ingest_articles
from newsprism.storage import SQLiteStore
from newsprism.testing import make_article

FLOOR_RATE = 1000.0
FLOOR_P99_MS = 20.0
FLOOR_1M_GB = 2.0
OUTLETS = [f"Outlet {i:02d}" for i in range(40)]


def vocabulary(size: int = 30_000) -> tuple[list[str], np.ndarray]:
    """Words and their probabilities: ECB+ word frequencies when present, else Zipf over made-up words."""
    if ECBPLUS.is_file():
        counts: Counter[str] = Counter()
        with ECBPLUS.open(encoding="utf-8") as fh:
            for line in fh:
                counts.update(re.findall(r"[a-z]+", json.loads(line)["text"].lower()))
        words = [w for w, _ in counts.most_common(size)]
        freq = np.array([counts[w] for w in words], dtype=np.float64)
    else:
        rng = np.random.default_rng(7)
        letters = np.array(list("etaoinshrdlucmfwypvbgkjqxz"))
        words = ["".join(rng.choice(letters, rng.integers(2, 10))) for _ in range(size)]
        freq = 1.0 / np.arange(1, size + 1)
    return words, freq / freq.sum()


class Generator:
    """Stories of articles drawn from a word model (seeded, so runs are repeatable)."""

    def __init__(self, n: int, seed: int = 1) -> None:
        self.n = n
        self.rng = np.random.default_rng(seed)
        self.words, self.prob = vocabulary()
        self.words_arr = np.array(self.words)
        self.cdf = np.cumsum(self.prob)
        self.start = datetime(2025, 1, 1, tzinfo=UTC)
        self.per_day = 1000  # 100,000 articles span 100 days
        self.seconds = 0.0
        self.cpu_seconds = 0.0

    def __iter__(self) -> Iterator[Article]:
        made = 0
        while made < self.n:
            started, cpu_started = time.perf_counter(), time.process_time()
            batch = self._story(made)
            self.seconds += time.perf_counter() - started
            self.cpu_seconds += time.process_time() - cpu_started
            yield from batch[: self.n - made]
            made += len(batch)

    def _story(self, made: int) -> list[Article]:
        rng = self.rng
        mid = rng.integers(300, len(self.words), 40)
        topic = self.words_arr[mid]
        names = [w.capitalize() + " " + rng.choice(self.words_arr[1000:]).capitalize() for w in rng.choice(self.words_arr[2000:], 4)]
        numbers = [str(x) for x in rng.integers(2, 5000, 3)]
        day = self.start + timedelta(seconds=made / self.per_day * 86400)
        count = int(min(12, rng.geometric(0.3)))
        out: list[Article] = []
        for k in range(count):
            when = day + timedelta(hours=float(rng.uniform(0, 72)))
            if out and rng.random() < 0.08:  # a syndicated copy with a new headline
                base = out[int(rng.integers(0, len(out)))]
                paras = list(base.paragraphs[:-1]) + ["Photo: agency picture desk"]
                out.append(make_article("UPDATE: " + base.title, paras, source=OUTLETS[k % 40], published=when))
                continue
            paras = [self._sentences(topic, names, numbers, int(rng.integers(3, 7))) for _ in range(int(rng.integers(4, 9)))]
            title = f"{names[0]} {' '.join(rng.choice(topic, 5))} {numbers[0]}"
            out.append(make_article(title, paras, source=OUTLETS[int(rng.integers(0, 40))], published=when))
        return out

    def _sentences(self, topic: np.ndarray, names: list[str], numbers: list[str], count: int) -> str:
        """A paragraph of ``count`` sentences: background words from the word model, a quarter
        of each sentence from the story's topic words, one name, sometimes a number."""
        rng = self.rng
        lengths = rng.integers(12, 26, count)
        picks = np.minimum(np.searchsorted(self.cdf, rng.random(int(lengths.sum()))), len(self.words) - 1)
        words = self.words_arr[picks].tolist()
        topic_words = topic.tolist()
        out = []
        start = 0
        for length in lengths.tolist():
            sentence = words[start : start + length]
            start += length
            for pos in rng.integers(0, length, max(1, length // 4)).tolist():
                sentence[pos] = topic_words[int(rng.integers(0, len(topic_words)))]
            sentence[int(rng.integers(0, length))] = names[int(rng.integers(0, len(names)))]
            if rng.random() < 0.3:
                sentence[int(rng.integers(0, length))] = numbers[int(rng.integers(0, len(numbers)))]
            sentence[0] = sentence[0].capitalize()  # names keep their capitals (entity features)
            out.append(" ".join(sentence) + ".")
        return " ".join(out)


def rss_mb() -> float:
    """Peak resident memory of this process so far, in MB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def process_peak_mb(pid: int | None) -> float:
    """Peak resident memory of another process (the link worker), in MB; 0 when none runs."""
    if pid is None:
        return 0.0
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0.0
    found = re.search(r"VmHWM:\s+(\d+) kB", status)
    return int(found.group(1)) / 1024.0 if found else 0.0


def run(n: int, batch_size: int, config: LinkConfig | None = None) -> dict[str, float]:
    """Stream ``n`` generated articles; return the measured figures."""
    warm = list(Generator(300, seed=99))
    with tempfile.TemporaryDirectory() as tmp, SQLiteStore(Path(tmp) / "speed.db") as store:
        linker = StreamingLinker(config, record_latency=True)
        ingest_articles(warm, store, hooks=[linker], batch_size=batch_size)  # imports, caches
        del linker.latencies[:]
        process_mb = rss_mb()
        # Generated up front, so no generation overlaps the stream (parsing would, in a real ingest).
        generator = Generator(n)
        articles = list(generator)
        base = rss_mb()
        hook_seconds = 0.0
        most_active = 0

        class Timed:
            """The linker as a hook, timing its main-process share (prepare + link)."""

            def prepare(self, batch: list[Article]) -> None:
                nonlocal hook_seconds
                started = time.perf_counter()
                linker.prepare(batch)
                hook_seconds += time.perf_counter() - started

            def __call__(self, store_: SQLiteStore, batch: list[Article]) -> None:
                nonlocal hook_seconds, most_active
                started = time.perf_counter()
                linker(store_, batch)
                hook_seconds += time.perf_counter() - started
                if linker.engine is not None:
                    most_active = max(most_active, linker.engine.stories.active_articles)

        started = time.perf_counter()
        cpu_started = time.process_time()
        report = ingest_articles(articles, store, hooks=[Timed()], batch_size=batch_size)
        total = time.perf_counter() - started
        cpu = time.process_time() - cpu_started
        peak = rss_mb()
        worker_mb = process_peak_mb(linker.worker_pid)
        linker.close()
        engine = linker.engine
        latencies = np.array(linker.latencies) * 1000.0
        stories = store.count_stories()
    return {
        "articles": report.ingested,
        "stories": stories,
        "rate": report.ingested / total,
        "link_rate": report.ingested / hook_seconds,
        "p50_ms": float(np.percentile(latencies, 50)),
        "p99_ms": float(np.percentile(latencies, 99)),
        "process_mb": process_mb,
        "worker_mb": worker_mb,
        "base_mb": base,
        "peak_mb": peak,
        "cpu_rate": report.ingested / cpu,
        "per_active_kb": (peak - base) * 1024.0 / max(1, most_active),
        "most_active": most_active,
        "active_stories": len(engine.stories) if engine else 0,
        "active_articles": engine.stories.active_articles if engine else 0,
        "generate_s": generator.seconds,
        "total_s": total,
    }


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark; exit 1 below a floor."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000, help="articles to stream")
    parser.add_argument("--batch-size", type=int, default=200, help="articles per ingest batch")
    parser.add_argument("--fade-days", type=float, default=400.0,
                        help="story fade window in days (default 400: longer than the generated "
                             "stream, so every article stays active: the 1M-article memory case; "
                             "60 is LinkConfig's default)")
    args = parser.parse_args(argv)
    config = dataclasses.replace(LinkConfig(), fade_after=timedelta(days=args.fade_days),
                                 max_active_articles=max(LinkConfig().max_active_articles, args.n + 1000))
    r = run(args.n, args.batch_size, config)
    # Every article of a 1M stream held at once (as if nothing faded): the per-article cost
    # measured here times 1M, on top of the process before the stream.
    projected_gb = (r["process_mb"] + r["worker_mb"] + r["per_active_kb"] * 1_000_000 / 1024.0) / 1024.0
    print(f"streamed {r['articles']:.0f} articles into {r['stories']:.0f} stories in {r['total_s']:.1f}s "
          f"(generated beforehand in {r['generate_s']:.1f}s, not counted)")
    print(f"end to end (store writes + linking): {r['rate']:.0f} articles/s wall clock "
          f"(main process CPU time: {r['cpu_rate']:.0f} articles/s; the link worker process reads "
          f"texts beside it); linking's share of the main process: {r['link_rate']:.0f} articles/s")
    print(f"per-article link latency: p50 {r['p50_ms']:.2f} ms, p99 {r['p99_ms']:.2f} ms")
    print(f"memory: {r['process_mb']:.0f} MB process before the stream, +{r['peak_mb'] - r['base_mb']:.0f} MB "
          f"at peak with at most {r['most_active']:.0f} articles active ({r['per_active_kb']:.2f} KB each, "
          f"RSS); at the end {r['active_stories']:.0f} stories / {r['active_articles']:.0f} articles in memory")
    print(f"link worker process: peak {r['worker_mb']:.0f} MB (no per-article state; its token memos "
          f"are capped at 300,000 entries each)")
    print(f"1M articles all active at once (this process + the worker): ~{projected_gb:.2f} GB")
    failed = []
    if r["rate"] < FLOOR_RATE:
        failed.append(f"rate {r['rate']:.0f}/s < {FLOOR_RATE:.0f}/s")
    if r["p99_ms"] > FLOOR_P99_MS:
        failed.append(f"p99 {r['p99_ms']:.1f} ms > {FLOOR_P99_MS} ms")
    if projected_gb >= FLOOR_1M_GB:
        failed.append(f"projected 1M memory {projected_gb:.2f} GB >= {FLOOR_1M_GB} GB")
    if failed:
        print("FAIL: " + "; ".join(failed))
        return 1
    print("ok: all floors met")
    return 0


if __name__ == "__main__":
    sys.exit(main())
