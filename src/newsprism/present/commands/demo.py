"""``newsprism demo``: ingest the bundled sample corpus and show what newsprism found."""

from __future__ import annotations

import argparse
import os
from typing import Any

from newsprism import api
from newsprism.present.output import emit, shorten
from newsprism.storage import open_store


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    """Add the demo command."""
    p = sub.add_parser("demo", parents=[common], help="ingest the bundled sample and show the result")
    p.add_argument("--serve", action="store_true", help="then serve the web page on the sample")
    p.add_argument("--host", default="127.0.0.1", help="with --serve: listen address")
    p.add_argument("--port", type=int, default=8000, help="with --serve: listen port")
    p.set_defaults(func=cmd_demo)


def cmd_demo(args: argparse.Namespace) -> int:
    """``newsprism demo``."""
    with open_store(args.db) as store:
        result = api.demo(store, progress=False if args.json else None)
    emit(args, result, lambda: format_demo(result))
    if args.serve:
        from newsprism.present.commands.serve import TOKEN_ENV, serve

        stories = result.get("stories") or []
        path = f"/stories/{stories[0]['id']}" if stories else "/"
        token = os.environ.get(TOKEN_ENV) or None
        serve(args.db, host=args.host, port=args.port, token=token, open_browser=True,
              open_path=path)
    return 0


def format_demo(result: dict[str, Any]) -> str:
    """The text form of the demo's findings."""
    ing = result["ingest"]
    out = [
        f"newsprism demo: read the bundled sample ({result['inputs']} files) into {result['db']}",
        f"  ingested {ing['ingested']}, already stored {ing['duplicates']}, rejected {ing['rejected']}",
        "",
        f"{result['articles']} articles from {len(result['outlets'])} outlets:",
    ]
    out += [f"  {name:28} {count} articles" for name, count in result["outlets"]]
    stories = result.get("stories") or []
    if stories:
        out += ["", f"{len(stories)} stories (largest first):"]
        for s in stories:
            out.append(f"  [{s['id']}] {shorten(s['title'], 70)}")
            out.append(f"      {s['article_count']} articles from {', '.join(s['sources'])}")
    example = result.get("example")
    if example:
        out += ["", f"cleaning, on \"{shorten(example['title'], 60)}\" ({example['source']}):"]
        out += [f"  removed [{r['reason']}] {shorten(r['text'], 70)}" for r in example["removed"]]
        out += [f"  caption: {shorten(c, 75)}" for c in example["captions"]]
        out.append(f"  body starts: {shorten(example['lead'], 75)}")
    out += ["", "next: newsprism articles | newsprism stories | newsprism show ID | newsprism search TEXT"]
    return "\n".join(out)
