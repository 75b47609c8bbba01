"""Ingest speed: plain-text articles and HTML pages into a fresh SQLite store.

Prints articles/s for each format and exits 1 below the floors of issue 2:
500 text articles/s and 100 HTML pages/s on the 2-core reference machine.

    python benchmarks/ingest.py [--text 3000] [--html 600] [--json]

The inputs are generated (seeded) in the shape of real articles: ~600 words, a site tagline, a
read-time line, a date line, a photo caption, "Read more" and follow prompts; HTML pages carry
navigation, a cookie banner, a footer and Open Graph metadata around an <article>.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from pathlib import Path

from newsprism.config import IngestOptions
from newsprism.pipeline import ingest
from newsprism.storage import SQLiteStore

TEXT_FLOOR = 500.0
HTML_FLOOR = 100.0

_VOCAB = (
    "the a of to in and for on with as by at from after before officials said government city "
    "council port workers strike union talks minister police court election recount ballots "
    "river flood storm residents hospital school bridge budget market prices farmers drought "
    "wildfire crews evacuated village province army forces ceasefire agreement talks deal "
    "hundreds thousands killed injured displaced aid groups spokesman statement reported local "
    "sources agency news week month Monday Tuesday Wednesday Thursday Friday morning evening"
).split()
_NAMES = "Kestrel Dunmore Pinecrest Harlow Mereton Ashford Calder Brisk Varno Oslen".split()


def _sentence(rng: random.Random) -> str:
    words = [rng.choice(_VOCAB) for _ in range(rng.randint(14, 26))]
    words[rng.randrange(len(words))] = rng.choice(_NAMES)
    if rng.random() < 0.4:
        words.insert(rng.randrange(len(words)), f"{rng.randint(2, 2000):,}")
    return " ".join(words).capitalize() + "."


def _body(rng: random.Random, words: int = 600) -> list[str]:
    paragraphs: list[str] = []
    count = 0
    while count < words:
        para = " ".join(_sentence(rng) for _ in range(rng.randint(1, 3)))
        paragraphs.append(para)
        count += len(para.split())
    return paragraphs


def _text_article(i: int, rng: random.Random) -> str:
    title = f"{rng.choice(_NAMES)} {rng.choice(_VOCAB)} {rng.choice(_VOCAB)} report {i}".capitalize()
    body = _body(rng)
    lines = ["Independent news since 1999", "", title, "", "3 min read", "",
             f"{rng.randint(1, 28):02d} March, 2025", "",
             f"Residents gather near the harbour in {rng.choice(_NAMES)} [Photo – Test Agency]", ""]
    lines += [p + "\n" for p in body[:4]]
    lines += [f"Read more: {rng.choice(_NAMES)} council approves budget", ""]
    lines += [p + "\n" for p in body[4:]]
    lines += ["Follow us on Facebook, Twitter and Instagram to stay connected"]
    return "\n".join(lines)


def _html_page(i: int, rng: random.Random) -> str:
    title = f"{rng.choice(_NAMES)} {rng.choice(_VOCAB)} update {i}".capitalize()
    paras = "\n".join(f"<p>{p}</p>" for p in _body(rng))
    return f"""<!doctype html><html><head><title>{title} | Bench Post</title>
<meta property="og:site_name" content="Bench Post"><meta property="og:title" content="{title}">
<meta name="author" content="Staff Writer"></head><body>
<nav><a href="/">Home</a> <a href="/world">World</a> <a href="/sport">Sport</a></nav>
<div class="cookie">We use cookies to improve your experience. Accept all cookies.</div>
<article><h1>{title}</h1><time datetime="2025-03-0{i % 9 + 1}T08:00:00Z">March 2025</time>
{paras}</article>
<aside>Sign up for our newsletter</aside><footer>© 2025 Bench Post. All rights reserved.</footer>
</body></html>"""


def _measure(folder: Path, db: Path) -> tuple[float, int, int]:
    store = SQLiteStore(db)
    start = time.perf_counter()
    report = ingest([folder], store, options=IngestOptions(), progress=False)
    elapsed = time.perf_counter() - start
    store.close()
    return elapsed, report.ingested, len(report.rejected)


def run(n_text: int, n_html: int) -> dict[str, float]:
    """Generate the inputs, ingest each format into its own fresh store, return the rates."""
    rng = random.Random(7)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "text").mkdir()
        (root / "html").mkdir()
        for i in range(n_text):
            (root / "text" / f"{i:06d}.txt").write_text(_text_article(i, rng), encoding="utf-8")
        for i in range(n_html):
            (root / "html" / f"{i:06d}.html").write_text(_html_page(i, rng), encoding="utf-8")
        t_text, ok_text, bad_text = _measure(root / "text", root / "text.db")
        t_html, ok_html, bad_html = _measure(root / "html", root / "html.db")
    if bad_text or bad_html or ok_text != n_text or ok_html != n_html:
        raise SystemExit(f"inputs were rejected: text {bad_text}, html {bad_html}")
    return {"text_articles_per_s": n_text / t_text, "html_pages_per_s": n_html / t_html,
            "text_articles": n_text, "html_pages": n_html}


def main() -> int:
    """Run the benchmark and check the floors."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--text", type=int, default=3000)
    parser.add_argument("--html", type=int, default=600)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    figures = run(args.text, args.html)
    ok = figures["text_articles_per_s"] >= TEXT_FLOOR and figures["html_pages_per_s"] >= HTML_FLOOR
    if args.json:
        print(json.dumps({**figures, "ok": ok}))
    else:
        print(f"plain text: {figures['text_articles_per_s']:8.1f} articles/s "
              f"({args.text} articles, floor {TEXT_FLOOR:.0f})")
        print(f"html:       {figures['html_pages_per_s']:8.1f} pages/s    "
              f"({args.html} pages, floor {HTML_FLOOR:.0f})")
        print("PASS" if ok else "FAIL: below floor")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
