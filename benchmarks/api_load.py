"""Web server load at 10,000 articles, driven by Debian's ``wrk`` on loopback.

Fills a SQLite store with generated articles (stories of 2-8 outlets, linked by the linking
stage), prepares the comparisons of a sample of stories the way a user does after an ingest
(``newsprism prepare``; the time per story is printed), starts ``newsprism serve`` in a
subprocess and drives it with ``wrk`` (a native load tool: a Python client on the same two cores
would mostly measure itself). Each kind of request is reported on its own:

* ``story page (cold)``: every story's page once, in a fresh server (nothing rendered yet; the
  stories not prepared show the "being compared" page and are queued in the background);
* ``story page (warm)``: the prepared stories' pages, again and again;
* ``story list``: ``/``, ``/?page=2``, ``/api/stories``;
* ``search (cold)``: distinct queries, each asked once; ``search (warm)``: 20 queries repeated.

Beside requests/s and latency (which other work on the machine skews), each kind reports the CPU
time the server process spent per request, read from /proc: the cost of a request whatever else
runs, and 1000 / that figure the requests/s one core could serve.

It prints requests/s, p50 and p99 per kind, the server's memory at the end, and the load average
(figures taken while other work runs are noisy: say so). It exits 1 when a kind falls below its
floor: 200 requests/s with p99 < 100 ms (issue 17) for warm pages, the list and search; cold
story pages and cold search must keep p99 < 250 ms.

Install ``wrk`` first (Debian / Ubuntu)::

    sudo apt-get install wrk

    python benchmarks/api_load.py [--articles 10000] [--seconds 10] [--threads 2]
        [--connections 16] [--prepare 24] [--db PATH] [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

#: Floors of issue 17 (requests/s, p99 ms) per kind; cold kinds are judged on latency only.
FLOORS: dict[str, tuple[float, float]] = {
    "story page (warm)": (200.0, 100.0),
    "story list": (200.0, 100.0),
    "search (warm)": (200.0, 100.0),
    "search (cold)": (0.0, 250.0),
    "story page (cold)": (0.0, 250.0),
}


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
_WORDS = _FILL + _VOCAB
_OUTLETS = [
    f"{a} {b}"
    for a in ("Harbour", "Valley", "Northgate", "Coastline", "Meridian", "Summit")
    for b in ("Ledger", "Courier", "Post", "Daily")
]


_SYLLABLES = _words("ka lo mer vin tas dor bel ru shan te gor lin ave pol dri sen mak ul fen zo")


def _name(rng: random.Random) -> str:
    """An invented word (place, person, thing) so that every story has its own vocabulary."""
    return "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize()


def _sentence(rng: random.Random, topic: list[str]) -> str:
    words = [
        rng.choice(topic) if rng.random() < 0.6 else rng.choice(_WORDS)
        for _ in range(rng.randint(12, 24))
    ]
    if rng.random() < 0.4:
        words.insert(rng.randrange(len(words)), f"{rng.randint(2, 5000):,}")
    return " ".join(words).capitalize() + "."


def generate(count: int, seed: int = 6) -> list[Any]:
    """``count`` articles in stories of 2-8 outlets that share sentences (wire copy, rewrites).

    Each story has its own invented names and a few topic words, and starts 90 minutes after
    the previous one, so linking finds roughly one story per generated story.
    """
    from newsprism.testing import make_article

    rng = random.Random(seed)
    start = datetime(2025, 1, 1, tzinfo=UTC)
    articles = []
    story = 0
    while len(articles) < count:
        story += 1
        names = [_name(rng) for _ in range(8)]
        topic = [*names, *rng.sample(_VOCAB, 4)]
        shared = [_sentence(rng, topic) for _ in range(8)]
        when = start + timedelta(minutes=story * 90)
        for outlet in rng.sample(_OUTLETS, rng.randint(2, 8)):
            own = rng.sample(shared, 5) + [_sentence(rng, topic) for _ in range(4)]
            rng.shuffle(own)
            paragraphs = [" ".join(own[i : i + 2]) for i in range(0, len(own), 2)]
            title = f"{names[0]} {topic[4]} {topic[5]} in {names[1]}: {outlet.split()[0]} report"
            published = when + timedelta(minutes=rng.randint(0, 600))
            articles.append(make_article(title, paragraphs, source=outlet, published=published))
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


def prepare(db: Path, count: int) -> dict[str, Any]:
    """``newsprism prepare --max-stories count`` (the newest stories), timed."""
    t0 = time.perf_counter()
    out = subprocess.run(
        [sys.executable, "-m", "newsprism", "prepare", "--db", str(db), "--json",
         "--max-stories", str(count)],
        capture_output=True, text=True, check=False,
    )
    seconds = time.perf_counter() - t0
    report = json.loads(out.stdout) if out.stdout.strip().startswith("{") else {"error": out.stderr[-500:]}
    report["wall_seconds"] = round(seconds, 1)
    return report


def start_server(db: Path, port: int) -> subprocess.Popen[bytes]:
    """``newsprism serve`` on loopback (no background preparation: what is measured is what was
    prepared before); returns once it answers."""
    import httpx

    env = {k: v for k, v in os.environ.items() if k != "NEWSPRISM_TOKEN"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "newsprism", "serve", "--db", str(db), "--port", str(port),
         "--no-prepare"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited: {proc.stderr.read().decode() if proc.stderr else ''}")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/health", timeout=1).status_code == 200:
                return proc
        except httpx.HTTPError:
            time.sleep(0.2)
    proc.kill()
    raise RuntimeError("server did not answer within 60 s")


_LUA = r"""
local paths, n = {}, 0
for line in io.lines("%(file)s") do n = n + 1; paths[n] = line end
local counter = 0
setup = function(thread)
  thread:set("first", counter); counter = counter + 1
end
init = function(args)
  step = %(threads)d; i = first - step
end
request = function()
  i = i + step
  if i >= n then i = i %% n end
  return wrk.format("GET", paths[i + 1])
end
done = function(summary, latency, requests)
  local bad = summary.errors.status + summary.errors.connect + summary.errors.read
            + summary.errors.write + summary.errors.timeout
  io.write(string.format("WRKJSON {\"requests\": %%d, \"seconds\": %%.3f, \"errors\": %%d, " ..
    "\"p50_ms\": %%.2f, \"p99_ms\": %%.2f, \"max_ms\": %%.2f}\n",
    summary.requests, summary.duration / 1e6, bad, latency:percentile(50) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000))
end
"""


def wrk(base: str, paths: list[str], args: argparse.Namespace, tmp: Path) -> dict[str, Any]:
    """Drive the server with wrk for ``args.seconds``, walking ``paths`` in order (the threads
    interleave, so no path is asked twice until all were asked once)."""
    listing, script = tmp / f"paths-{len(paths)}.txt", tmp / "drive.lua"
    listing.write_text("\n".join(paths) + "\n", encoding="utf-8")
    threads = args.threads
    script.write_text(_LUA % {"file": listing, "threads": threads}, encoding="utf-8")
    seconds = args.seconds
    out = subprocess.run(
        ["wrk", "-t", str(threads), "-c", str(args.connections), "-d", f"{seconds:.0f}s",
         "--timeout", "10s", "-s", str(script), base],
        capture_output=True, text=True, check=False, timeout=seconds + 60,
    )
    line = next((ln for ln in out.stdout.splitlines() if ln.startswith("WRKJSON ")), None)
    if line is None:
        raise RuntimeError(f"wrk failed: {out.stdout[-800:]} {out.stderr[-800:]}")
    found: dict[str, Any] = json.loads(line[len("WRKJSON "):])
    found["requests_per_s"] = round(found["requests"] / max(found["seconds"], 1e-9), 1)
    return found


def _queries(rng: random.Random, count: int) -> list[str]:
    """Distinct search queries of one to three words of the generated vocabulary (common
    words: hundreds to thousands of matches each), in random order."""
    words = _VOCAB + _FILL[:4]
    found: set[str] = set()
    while len(found) < count:
        found.add(" ".join(sorted(rng.sample(words, rng.choice((1, 2, 2, 3))))))
    out = sorted(found)
    rng.shuffle(out)
    return out


def _cpu_seconds(pid: int) -> float:
    """User + system CPU seconds the process has used (from /proc)."""
    with open(f"/proc/{pid}/stat", encoding="ascii") as fh:
        fields = fh.read().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _rss_mb(pid: int) -> float:
    with open(f"/proc/{pid}/status", encoding="ascii") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def measure(db: Path, args: argparse.Namespace, prepared: int, tmp: Path) -> dict[str, Any]:
    """Start the server, run every kind of load, stop it; figures per kind."""
    from urllib.parse import quote

    import httpx

    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    server = start_server(db, port)
    try:
        stories = _all_stories(base)
        ready = _prepared_ids(db)
        rng = random.Random(17)
        cold_queries = _queries(rng, 4000)
        warm_queries = cold_queries[-20:]
        rng.shuffle(stories)
        # Cold story pages go last: those not prepared queue their comparison in the server's
        # background worker, which would otherwise run during the other measurements.
        kinds: dict[str, tuple[list[str], bool]] = {
            "story page (warm)": ([f"/stories/{s}" for s in stories if s in ready], False),
            "story list": (["/", "/?page=2", "/api/stories?limit=50"], False),
            "search (warm)": ([f"/api/articles?q={quote(q)}" for q in warm_queries], False),
            "search (cold)": ([f"/api/articles?q={quote(q)}" for q in cold_queries[:-20]], True),
            "story page (cold)": ([f"/stories/{s}" for s in stories], True),
        }
        results = {}
        for kind, (paths, cold) in kinds.items():
            if not paths:
                continue
            if not cold:  # render each once first: warm means served from what is ready
                for p in paths:
                    httpx.get(base + p, timeout=60)
            cpu = _cpu_seconds(server.pid)
            results[kind] = wrk(base, paths, args, tmp)
            # CPU the server spent per request: what it costs, whatever else the machine runs
            spent = _cpu_seconds(server.pid) - cpu
            results[kind]["server_cpu_ms"] = round(1000 * spent / max(results[kind]["requests"], 1), 2)
            results[kind]["paths"] = len(paths)
            # more requests than paths: some were repeats, served warm
            results[kind]["repeats"] = max(0, results[kind]["requests"] - len(paths)) if cold else None
        memory = _rss_mb(server.pid)
    finally:
        server.terminate()
        server.wait(10)
    return {"kinds": results, "server_rss_mb": round(memory, 1), "stories": len(stories),
            "prepared_stories": prepared}


def _all_stories(base: str) -> list[str]:
    import httpx

    ids: list[str] = []
    while True:
        page = httpx.get(f"{base}/api/stories", params={"limit": 200, "offset": len(ids)},
                         timeout=60).json()
        ids += [s["id"] for s in page["items"] if s["article_count"] >= 2]
        if not page["items"] or len(ids) >= page["total"]:
            return ids


def _prepared_ids(db: Path) -> set[str]:
    import sqlite3

    with sqlite3.connect(db) as conn:
        try:
            rows = conn.execute("SELECT story_id FROM story_comparisons WHERE status = 'ready'")
            return {r[0] for r in rows}
        except sqlite3.Error:
            return set()


def judge(kinds: dict[str, dict[str, Any]]) -> list[str]:
    """The kinds below their floor (an empty list: all held)."""
    failed = []
    for kind, (rps, p99) in FLOORS.items():
        got = kinds.get(kind)
        if got is None:
            continue
        if got["requests_per_s"] < rps or got["p99_ms"] >= p99 or got["errors"]:
            failed.append(kind)
    return failed


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark; 0 when every kind holds its floor, 1 when one does not, 2 without wrk."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--seconds", type=float, default=10.0, help="length of a warm run")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--connections", type=int, default=16, help="wrk connections")
    parser.add_argument("--prepare", type=int, default=24, help="stories prepared ahead")
    parser.add_argument("--db", type=Path, help="reuse (or create) this store")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    if shutil.which("wrk") is None:
        print("api_load: needs wrk (Debian/Ubuntu: sudo apt-get install wrk)", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        db = args.db or Path(tmp) / "load.db"
        fill_s, linked = (0.0, None) if db.exists() else fill_store(db, args.articles)
        prep = prepare(db, args.prepare) if args.prepare > 0 else {"prepared": 0}
        result = measure(db, args, prep.get("prepared", 0) + prep.get("fresh", 0), Path(tmp))
    failed = judge(result["kinds"])
    result.update(articles=args.articles, linked=linked, fill_seconds=round(fill_s, 1),
                  prepare=prep, load_average=os.getloadavg(), below_floor=failed)
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        _print(result, args)
    return 1 if failed else 0


def _print(result: dict[str, Any], args: argparse.Namespace) -> None:
    prep = result["prepare"]
    how = {True: "linked into stories", False: "not linked", None: "reused"}[result["linked"]]
    print(f"store: {result['articles']} articles ({how}), filled in {result['fill_seconds']} s; "
          f"{result['stories']} stories of 2+ articles")
    per = prep.get("seconds", 0) / max(prep.get("prepared", 0), 1)
    print(f"prepared ahead: {prep.get('prepared', 0)} stories in {prep.get('seconds', 0)} s "
          f"({per:.1f} s per story; 'newsprism prepare' wall {prep.get('wall_seconds')} s)")
    print(f"wrk: {args.threads} threads, {args.connections} connections, warm runs {args.seconds:.0f} s")
    for kind, r in result["kinds"].items():
        rps, p99 = FLOORS.get(kind, (0.0, 0.0))
        floor = f"floor {rps:.0f}/s, p99 < {p99:.0f} ms" if rps else f"p99 < {p99:.0f} ms"
        mark = "BELOW FLOOR" if kind in result["below_floor"] else "ok"
        print(f"  {kind:18s} {r['requests_per_s']:8.1f} req/s  p50 {r['p50_ms']:7.1f} ms  "
              f"p99 {r['p99_ms']:7.1f} ms  max {r['max_ms']:7.1f} ms  errors {r['errors']}  "
              f"server CPU {r['server_cpu_ms']:.2f} ms/request  "
              f"({r['requests']} requests over {r['paths']} paths"
              f"{'; ' + str(r['repeats']) + ' repeats' if r.get('repeats') else ''}; {floor}) {mark}")
    print(f"server memory at the end: {result['server_rss_mb']} MB RSS")
    load = ", ".join(f"{x:.2f}" for x in result["load_average"])
    print(f"load average at the end: {load} (2 cores; other work on the machine makes figures noisy)")


if __name__ == "__main__":
    sys.exit(main())
