"""CLI commands of the analyze stage: ``analyze FILE`` (no store) and ``reanalyze``.

``newsprism show ID --analysis`` (in :mod:`newsprism.present.commands.articles`) prints the
stored analysis through :func:`newsprism.analyze.analysis_for_show`; :func:`format_analysis`
is its text form.
"""

from __future__ import annotations

import argparse
from collections import Counter
from typing import Any

from newsprism.config import IngestOptions
from newsprism.present.output import emit, shorten


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    """Add ``analyze`` and ``reanalyze``."""
    p = sub.add_parser(
        "analyze", parents=[common],
        help="analyse article files without a store: entities, places, times, quotes, figures",
    )
    p.add_argument("paths", nargs="+", metavar="FILE", help="file, folder, glob, or - for stdin")
    p.add_argument("--source", metavar="NAME", help="outlet name where the input does not say it")
    p.set_defaults(func=cmd_analyze)

    p = sub.add_parser("reanalyze", parents=[common],
                       help="analyse stored articles again (after a model or rule upgrade)")
    p.add_argument("--missing", action="store_true",
                   help="only articles without a current analysis (what ingest does)")
    p.add_argument("--failed", action="store_true",
                   help="only articles whose analysis failed (newsprism rejected --failed)")
    p.add_argument("--workers", type=int, default=2, help="processes (default 2)")
    p.add_argument("--batch-size", type=int, default=32, help="articles per batch (default 32)")
    p.add_argument("--no-progress", action="store_true", help="no progress bar")
    p.add_argument("--engine", choices=("local", "dask"), default=None,
                   help="local processes (--workers; the default) or a Dask cluster (needs newsprism[dask])")
    p.add_argument("--scheduler", metavar="tcp://HOST:PORT",
                   help="a running Dask scheduler (implies --engine dask); without it dask starts 2 local workers")
    p.set_defaults(func=cmd_reanalyze)


def cmd_analyze(args: argparse.Namespace) -> int:
    """``newsprism analyze FILE``: read, clean and analyse inputs in memory; print the results."""
    from newsprism.analyze import analyze_articles, default_analyzer
    from newsprism.pipeline import ingest
    from newsprism.storage import MemoryStore

    store = MemoryStore()
    report = ingest(args.paths, store, options=IngestOptions(source=args.source), progress=False)
    articles = store.articles()
    analyses = analyze_articles(default_analyzer(), articles)
    data = [{**a.summary(), "body": a.body, "analysis": r.to_dict()}
            for a, r in zip(articles, analyses)]
    rejected = [f"rejected {r.ref}: {r.reason}: {r.detail}" for r in report.rejected]
    emit(args, data, lambda: "\n\n".join(
        [format_analysis(d["analysis"], d["body"], title=d["title"]) for d in data] + rejected
    ) or "no article found")
    return 0 if report.ok and articles else 1


def cmd_reanalyze(args: argparse.Namespace) -> int:
    """``newsprism reanalyze``: analyse every stored article again (or only the missing ones)."""
    from contextlib import nullcontext

    from newsprism.analyze import analyze_pending
    from newsprism.storage import open_store

    failed: list[Any] = []
    engine: Any = nullcontext()
    if args.engine == "dask" or args.scheduler:
        from newsprism.engine.base import open_engine

        engine = open_engine(args.engine or "dask", scheduler=args.scheduler)
    with open_store(args.db) as store, engine as spread:
        done = analyze_pending(
            store, workers=args.workers, batch_size=args.batch_size,
            force=not (args.missing or args.failed), failed=args.failed,
            progress=False if args.no_progress or args.json else None, on_failure=failed.append,
            engine=spread,
        )
        total = store.count_articles()
    emit(args, {"analysed": done, "articles": total, "failed": [f.to_dict() for f in failed]},
         lambda: "\n".join([f"analysed {done} of {total} articles, {len(failed)} failed"]
                           + [f"  failed {f.ref}: {f.reason}: {f.detail}" for f in failed]))
    return 1 if failed else 0


def format_analysis(analysis: dict[str, Any], body: str, *, title: str | None = None) -> str:
    """Readable text of one analysis (the JSON form of ``Analysis.to_dict``)."""
    out = [title] if title else []
    out.append(f"{len(analysis['sentences'])} sentences, language {analysis['language']}, "
               f"analyzer {analysis['version']}")
    out += [f"note: {n}" for n in analysis.get("notes", ())]
    out += _entities(analysis["entities"])
    out += _places(analysis["places"])
    out += _timeline(analysis["times"], analysis["sentences"])
    out += _attributions(analysis["attributions"])
    out += _figures(analysis["figures"])
    return "\n".join(out)


def _entities(items: list[dict[str, Any]]) -> list[str]:
    if not items:
        return []
    groups: dict[tuple[str, str], Counter[str]] = {}
    for e in items:
        groups.setdefault((e["label"], e["canonical"]), Counter())[e["text"]] += 1
    lines = ["entities:"]
    for (label, canonical), forms in sorted(groups.items(), key=lambda kv: -sum(kv[1].values())):
        variants = ", ".join(f for f in forms if f != canonical)
        lines.append(f"  {label:7} {canonical} x{sum(forms.values())}"
                     + (f"  ({variants})" if variants else ""))
    return lines


def _places(items: list[dict[str, Any]]) -> list[str]:
    if not items:
        return []
    seen: Counter[tuple[str, str, float, float]] = Counter(
        (p["name"], p["country"], p["latitude"], p["longitude"]) for p in items)
    return ["places:"] + [f"  {name} ({country}, {lat:.2f}, {lon:.2f}) x{n}"
                          for (name, country, lat, lon), n in seen.most_common()]


def _timeline(items: list[dict[str, Any]], sentences: list[dict[str, Any]]) -> list[str]:
    if not items:
        return []
    lines = ["timeline:"]
    for t in sorted(items, key=lambda t: (t["first_day"], t["last_day"])):
        sentence = sentences[t["sentence"]]["text"] if t["sentence"] < len(sentences) else ""
        lines.append(f"  {t['value']:23} {t['granularity']:5} {t['text']!r:28} "
                     f"{shorten(sentence, 60)}")
    return lines


def _attributions(items: list[dict[str, Any]]) -> list[str]:
    if not items:
        return []
    lines = ["attributions:"]
    for a in items:
        who = a["source_canonical"] or a["source"]
        via = f" -> {a['via_canonical'] or a['via']}" if a.get("via") else ""
        agency = f" [agency: {a['agency']}]" if a.get("agency") else ""
        quote = f" \u201c{shorten(a['quote'], 60)}\u201d" if a.get("quote") else ""
        lines.append(f"  {a['cue']:12} {who} ({a['source_kind']}){via}{agency}{quote}")
    return lines


def _figures(items: list[dict[str, Any]]) -> list[str]:
    if not items:
        return []
    lines = ["figures:"]
    for f in items:
        value = f"{f['value']:,.0f}" if float(f["value"]).is_integer() else f"{f['value']:,}"
        parts = [value, f["bound"], f.get("unit") or "", f.get("counted") or "",
                 f.get("event") or ""]
        lines.append(f"  {' '.join(p for p in parts if p):45} {f['text']!r}")
    return lines
