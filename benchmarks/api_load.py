"""Web server load: story pages and the story list over a store of 10,000 articles.

Fills a SQLite store with generated articles (stories of 2-8 outlets each, linked when this
build has the linking stage), serves it with ``newsprism serve`` in a subprocess on loopback, and
drives it with a concurrent client (httpx, asyncio) from this process. Prints requests/s and
p50/p99 latency per page kind and overall; exits 1 below the floor of issue 6: 200 requests/s
with p99 < 100 ms on the 2-core reference machine. Without stories (no linking stage) it loads
the article list and article pages instead.

    python benchmarks/api_load.py [--articles 10000] [--seconds 15] [--concurrency 8] [--json]

Client and server share the machine's two cores, so the figures are a lower bound for the
server alone.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import socket
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

RPS_FLOOR = 200.0
P99_CEILING_MS = 100.0


def _words(text: str) -> list[str]:
    return text.split()


_VOCAB = _words(
    "officials said government city council port workers strike union talks minister police "
    "court election recount ballots river flood storm residents hospital school bridge budget "
    "market prices farmers drought wildfire crews evacuated village province army ceasefire "
    "agreement deal hundreds thousands injured displaced aid groups spokesman statement "
    "reported local sources agency week month morning evening transport rail tunnel airport "
    "harbour ferry"
)
_FILL = _words("the a of to in and for on with as by at from after before while")
_PLACES = _words("Kestrel Dunmore Pinecrest Harlow Mereton Ashford Calder Brisk Varno Oslen Tarrow")
_WORDS = _FILL + _VOCAB
_OUTLETS = [
    f"{a} {b}"
    for a in ("Harbour", "Valley", "Northgate", "Coastline", "Meridian", "Summit")
    for b in ("Ledger", "Courier", "Post", "Daily")
]


def _sentence(rng: random.Random, topic: list[str]) -> str:
    words = [
        rng.choice(topic) if rng.random() < 0.5 else rng.choice(_WORDS)
        for _ in range(rng.randint(12, 24))
    ]
    if rng.random() < 0.4:
        words.insert(rng.randrange(len(words)), f"{rng.randint(2, 5000):,}")
    return " ".join(words).capitalize() + "."


def generate(count: int, seed: int = 6) -> list[Any]:
    """``count`` articles in stories of 2-8 outlets that share sentences (wire copy, rewrites)."""
    from newsprism.testing import make_article

    rng = random.Random(seed)
    start = datetime(2025, 1, 1, tzinfo=UTC)
    articles = []
    story = 0
    while len(articles) < count:
        story += 1
        place = rng.choice(_PLACES)
        topic = [place, f"{place}{story}", *rng.sample(_VOCAB, 6)]
        shared = [_sentence(rng, topic) for _ in range(8)]
        when = start + timedelta(hours=story * 3)
        for outlet in rng.sample(_OUTLETS, rng.randint(2, 8)):
            own = rng.sample(shared, 5) + [_sentence(rng, topic) for _ in range(4)]
            rng.shuffle(own)
            paragraphs = [" ".join(own[i : i + 2]) for i in range(0, len(own), 2)]
            title = f"{place} {topic[2]} {topic[3]}: {outlet.split()[0]} report {story}"
            articles.append(
                make_article(
                    title,
                    paragraphs,
                    source=outlet,
                    published=when + timedelta(minutes=rng.randint(0, 600)),
                )
            )
    return articles[:count]


def fill_store(db: Path, count: int) -> tuple[float, bool]:
    """Write ``count`` generated articles (linked into stories when possible); (seconds, linked)."""
    from newsprism.pipeline import ingest_articles
    from newsprism.storage import SQLiteStore

    articles = generate(count)
    t0 = time.perf_counter()
    store = SQLiteStore(db)
    hooks = []
    try:
        from newsprism.link import make_link_hook

        hooks.append(make_link_hook(store))
    except ImportError:
        pass
    ingest_articles(articles, store, hooks=hooks, batch_size=500)
    store.close()
    return time.perf_counter() - t0, bool(hooks)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(db: Path, port: int) -> subprocess.Popen[bytes]:
    """``newsprism serve`` on loopback in a subprocess; returns once it answers."""
    import httpx

    env = {k: v for k, v in os.environ.items() if k != "NEWSPRISM_TOKEN"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "newsprism", "serve", "--db", str(db), "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(
                f"server exited: {proc.stderr.read().decode() if proc.stderr else ''}"
            )
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/health", timeout=1).status_code == 200:
                return proc
        except httpx.HTTPError:
            time.sleep(0.2)
    proc.kill()
    raise RuntimeError("server did not answer within 60 s")


def targets(base: str) -> dict[str, list[str]]:
    """Page kind -> URLs to request (story pages and list, or article pages and list)."""
    import httpx

    health = httpx.get(f"{base}/api/health").json()
    if health["features"]["stories"]:
        items = httpx.get(f"{base}/api/stories", params={"limit": 200}).json()["items"]
        return {
            "story page": [f"/stories/{s['id']}" for s in items],
            "story list": ["/", "/?page=2", "/api/stories?limit=50"],
        }
    items = httpx.get(f"{base}/api/articles", params={"limit": 200}).json()["items"]
    return {
        "article page": [f"/articles/{a['id']}" for a in items],
        "article list": ["/", "/?page=2", "/api/articles?limit=50"],
    }


async def drive(
    base: str, urls: dict[str, list[str]], seconds: float, concurrency: int
) -> dict[str, list[float]]:
    """Requests from ``concurrency`` workers for ``seconds``; kind -> latencies (ms)."""
    import httpx

    rng = random.Random(1)
    kinds = list(urls)
    out: dict[str, list[float]] = {k: [] for k in kinds}
    errors = 0
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=10) as client:
        stop = time.perf_counter() + seconds

        async def worker() -> None:
            nonlocal errors
            while time.perf_counter() < stop:
                kind = rng.choice(kinds)  # half story pages, half the list
                t0 = time.perf_counter()
                answer = await client.get(rng.choice(urls[kind]))
                elapsed = (time.perf_counter() - t0) * 1000
                if answer.status_code != 200:
                    errors += 1
                out[kind].append(elapsed)

        await asyncio.gather(*(worker() for _ in range(concurrency)))
    if errors:
        raise RuntimeError(f"{errors} requests failed")
    return out


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark; 0 when the floor holds, 1 when not."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--seconds", type=float, default=15.0)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument(
        "--db", type=Path, help="reuse (or create) this store instead of a temporary one"
    )
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        db = args.db or Path(tmp) / "load.db"
        fill_s, linked = (0.0, None) if db.exists() else fill_store(db, args.articles)
        port = _free_port()
        server = start_server(db, port)
        base = f"http://127.0.0.1:{port}"
        try:
            urls = targets(base)
            asyncio.run(drive(base, urls, 2.0, args.concurrency))  # warm up
            t0 = time.perf_counter()
            lat = asyncio.run(drive(base, urls, args.seconds, args.concurrency))
            wall = time.perf_counter() - t0
        finally:
            server.terminate()
            server.wait(10)
    every = [v for vs in lat.values() for v in vs]
    result = {
        "articles": args.articles,
        "linked": linked,
        "fill_seconds": round(fill_s, 1),
        "concurrency": args.concurrency,
        "requests": len(every),
        "requests_per_s": round(len(every) / wall, 1),
        "p50_ms": round(_pct(every, 0.50), 1),
        "p99_ms": round(_pct(every, 0.99), 1),
        "kinds": {
            k: {
                "requests": len(v),
                "p50_ms": round(_pct(v, 0.5), 1),
                "p99_ms": round(_pct(v, 0.99), 1),
            }
            for k, v in lat.items()
        },
    }
    ok = result["requests_per_s"] >= RPS_FLOOR and result["p99_ms"] < P99_CEILING_MS
    result["ok"] = ok
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        print(
            f"store: {args.articles} articles "
            f"({'linked into stories' if linked else 'not linked'}), "
            f"filled in {fill_s:.1f} s; concurrency {args.concurrency}, {args.seconds:.0f} s"
        )
        for kind, v in result["kinds"].items():
            print(
                f"  {kind:14} {v['requests']:6} requests  "
                f"p50 {v['p50_ms']:6.1f} ms  p99 {v['p99_ms']:6.1f} ms"
            )
        print(
            f"overall: {result['requests_per_s']} requests/s, p50 {result['p50_ms']} ms, "
            f"p99 {result['p99_ms']} ms "
            f"(floor {RPS_FLOOR:.0f} req/s, p99 < {P99_CEILING_MS:.0f} ms): "
            f"{'OK' if ok else 'BELOW FLOOR'}"
        )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
