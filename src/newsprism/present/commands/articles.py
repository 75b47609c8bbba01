"""CLI commands over articles: ingest, articles, show, search, rejected."""

from __future__ import annotations

import argparse
import textwrap
from typing import Any

from newsprism.link import boilerplate
from newsprism import api
from newsprism.config import IngestOptions
from newsprism.model import Article, IngestReport
from newsprism.present.output import emit, shorten
from newsprism.storage import open_store


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    """Add the article commands."""
    p = sub.add_parser(
        "ingest", parents=[common], help="read articles from files, folders, globs or -",
        description=INGEST_DESCRIPTION, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("paths", nargs="+", metavar="PATH", help="file, folder, glob, or - for stdin")
    p.add_argument("--source", metavar="NAME", help="outlet name where the input does not say it")
    p.add_argument("--max-mb", type=float, default=20.0, help="reject inputs larger than this (MB)")
    p.add_argument("--no-progress", action="store_true", help="no progress bar")
    p.add_argument("--no-link", action="store_true", help="do not link articles into stories")
    p.add_argument("--no-analyze", action="store_true", help="do not run the analysis stage")
    p.set_defaults(func=cmd_ingest)

    p = sub.add_parser("articles", parents=[common], help="list stored articles")
    p.add_argument("--source", metavar="NAME", help="only this outlet")
    p.add_argument("--external-id", metavar="ID",
                   help="the article(s) an input with this id became (also when it was a copy)")
    p.add_argument("--limit", type=int, default=None)
    p.add_argument("--offset", type=int, default=0)
    p.set_defaults(func=cmd_articles)

    p = sub.add_parser("show", parents=[common], help="one clean article and what was removed")
    p.add_argument("id", help="article id (or a unique prefix)")
    p.add_argument("--analysis", action="store_true", help="add sentences, entities, times ...")
    p.set_defaults(func=cmd_show)

    p = sub.add_parser("search", parents=[common], help="full-text search over titles and bodies")
    p.add_argument("query", nargs="+")
    p.add_argument("--limit", type=int, default=20)
    p.set_defaults(func=cmd_search)

    p = sub.add_parser(
        "rejected", parents=[common],
        help="inputs that were refused, and stored articles a later stage failed on, and why")
    p.add_argument("--limit", type=int, default=None)
    p.add_argument("--failed", action="store_true",
                   help="only stored articles that a later stage (analysis) failed on")
    p.set_defaults(func=cmd_rejected)


def cmd_ingest(args: argparse.Namespace) -> int:
    """``newsprism ingest``."""
    options = IngestOptions(source=args.source, max_bytes=int(args.max_mb * 1024 * 1024))
    with open_store(args.db) as store:
        report = api.ingest_and_link(
            args.paths,
            store,
            options=options,
            link=not args.no_link,
            analyze=not args.no_analyze,
            progress=False if args.no_progress or args.json else None,
        )
    emit(args, report.to_dict(), lambda: format_ingest_report(report))
    return 0 if report.ok else 1


def format_ingest_report(report: IngestReport) -> str:
    """The text summary of an ingest run."""
    lines = [
        f"ingested {report.ingested}, duplicates {report.duplicates}, rejected "
        f"{len(report.rejected)}, skipped {len(report.skipped)}, analysed {report.analysed}, "
        f"analysis failed {len(report.failed)}"
    ]
    lines += [f"  rejected {r.ref}: {r.reason}: {r.detail}" for r in report.rejected]
    lines += [f"  skipped {s.ref}: {s.detail}" for s in report.skipped]
    lines += [f"  failed {f.ref} ({f.stage}): {f.reason}: {f.detail}" for f in report.failed]
    if report.failed:
        lines.append("  (articles stay stored; retry with: newsprism reanalyze --failed)")
    return "\n".join(lines)


def cmd_articles(args: argparse.Namespace) -> int:
    """``newsprism articles``."""
    with open_store(args.db) as store:
        if args.external_id is not None:
            items = store.articles_by_external_id(args.external_id)
        else:
            items = store.articles(source=args.source, limit=args.limit, offset=args.offset)
    emit(args, [a.summary() for a in items], lambda: _article_table(items))
    return 1 if args.external_id is not None and not items else 0


def _article_table(items: list[Article]) -> str:
    if not items:
        return "no articles"
    rows = []
    for a in items:
        date = a.published.date().isoformat() if a.published else "----------"
        rows.append(f"{a.id}  {date}  {shorten(a.source or '-', 22):22}  {shorten(a.title, 70)}")
    return "\n".join(rows)


def cmd_show(args: argparse.Namespace) -> int:
    """``newsprism show ID``."""
    with open_store(args.db) as store:
        article = boilerplate.view(store, store.get_article(args.id))
        analysis = api.analysis_for_show(store, article) if args.analysis else None
        aliases = store.aliases(article.id)
        failures = store.failures(article_id=article.id)
    data = article.to_dict()
    data["also_from"] = aliases
    data["failures"] = [f.to_dict() for f in failures]
    if analysis is not None:
        data["analysis"] = analysis
    emit(args, data, lambda: "\n".join(
        [format_article(article, analysis)]
        + [f"also from: {a['input_ref']} (external id {a['external_id']})" for a in aliases]
        + [f"failed: {f.stage}/{f.reason}: {f.detail}" for f in failures]))
    return 0


def format_article(article: Article, analysis: dict[str, Any] | None = None) -> str:
    """The readable form of one article: metadata, body, captions, removed lines."""
    meta = [
        ("id", article.id),
        ("external id", article.external_id),
        ("outlet", article.source),
        ("published", article.published.isoformat() if article.published else "unknown"),
        ("byline", article.byline),
        ("language", article.language),
        ("url", article.url),
        ("input", article.input_ref),
    ]
    out = [article.title, "=" * min(len(article.title), 100)]
    if article.subtitle:
        out.append(article.subtitle)
    out += [f"{k:>12}: {v}" for k, v in meta if v]
    out.append("")
    out += [textwrap.fill(p, 100) + "\n" for p in article.paragraphs]
    if article.captions:
        out.append("captions:")
        out += [f"  - {c}" for c in article.captions]
    if article.removed:
        out.append("removed:")
        out += [f"  - [{r.reason.value}] {shorten(r.text, 90)}" for r in article.removed]
    if analysis:
        out.append("analysis:")
        for kind, items in analysis.items():
            if isinstance(items, list):
                out.append(f"  {kind}: {len(items)}")
    return "\n".join(out)


def cmd_search(args: argparse.Namespace) -> int:
    """``newsprism search QUERY``."""
    with open_store(args.db) as store:
        hits = store.search(" ".join(args.query), limit=args.limit)
    data = [{**a.summary(), "score": round(score, 4)} for a, score in hits]
    emit(args, data, lambda: _article_table([a for a, _ in hits]) if hits else "no match")
    return 0


def cmd_rejected(args: argparse.Namespace) -> int:
    """``newsprism rejected``."""
    with open_store(args.db) as store:
        items = [] if args.failed else store.rejected(limit=args.limit)
        failed = store.failures(limit=args.limit)
    text = "\n".join(f"{r.ref}\n    {r.stage}/{r.reason}: {r.detail}" for r in items)
    if failed:
        text += ("\n" if text else "") + "failed (stored articles; retry: newsprism reanalyze " \
            "--failed):\n" + "\n".join(f"{f.ref}\n    {f.stage}/{f.reason}: {f.detail}"
                                      for f in failed)
    data = [f.to_dict() for f in failed] if args.failed else [r.to_dict() for r in items] + [
        {**f.to_dict(), "failed": True} for f in failed]
    emit(args, data, lambda: text or ("nothing failed" if args.failed else "nothing rejected"))
    return 0


INGEST_DESCRIPTION = """\
Read articles into the store, link each into a story, and analyse what lacks analysis.

Inputs: files, folders (walked recursively; hidden entries skipped), glob patterns, or - (stdin).
Formats: plain text (.txt .text .md), HTML (.html .htm .xhtml), JSON Lines (.jsonl .ndjson), JSON
(.json: one article object or an array of them), RSS/Atom feeds (.xml .rss .atom .feed) and WARC
(.warc .warc.gz); a file without a known extension is recognised by its first bytes.

In a folder, files that are not articles are skipped with a reason (listed in the report, not
stored): README, LICENSE/COPYING, NOTICE, CHANGES and manifest files, images, audio, video, PDFs,
office documents, archives, code, data tables, databases, and .json files that hold no article.
Name a file directly to read it anyway.

Each input is stored once: the same text read again (with or without --source) is a duplicate;
its external id is kept (newsprism articles --external-id ID). A bad file or line is rejected
alone, with its reason and line number (newsprism rejected); an article the analysis fails on
stays stored (newsprism rejected --failed; retry with newsprism reanalyze --failed). Re-running
ingest finishes whatever an interrupted run left (storing, linking and analysis).

Exit status: 0 every input in; 1 some input rejected or some article's analysis failed;
2 usage error; 3 internal error (one line; the traceback with -v).
"""
