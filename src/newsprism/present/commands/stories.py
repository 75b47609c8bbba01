"""CLI commands over stories: stories, story, relink, duplicates (thin wrappers over newsprism.link)."""

from __future__ import annotations

import argparse
from datetime import UTC, datetime
from typing import Any

from newsprism.errors import NotFound
from newsprism.present.output import emit, shorten
from newsprism.storage import open_store


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    """Add the story commands."""
    p = sub.add_parser("stories", parents=[common], help="stories: articles that tell the same story")
    p.add_argument("--since", metavar="DATE", type=_date, help="only stories active since (ISO date)")
    p.add_argument("--source", metavar="NAME", help="only stories this outlet told")
    p.add_argument("--limit", type=int, default=None, help="at most this many stories")
    p.set_defaults(func=cmd_stories)

    p = sub.add_parser("story", parents=[common], help="one story: its articles in time order")
    p.add_argument("id", help="story id (or a unique prefix); a merged id leads to the survivor")
    view = p.add_mutually_exclusive_group()
    view.add_argument(
        "--report", action="store_true",
        help="the story report: timeline, multi-source summary, coverage (reuse, conflicts, framing)",
    )
    view.add_argument(
        "--compare", action="store_true",
        help="all articles compared: shared and unique facts, conflicts, reuse, framing",
    )
    p.set_defaults(func=cmd_story)

    p = sub.add_parser("relink", parents=[common], help="re-cluster stored articles into stories")
    p.add_argument("--since", metavar="DATE", type=_date, help="only articles published since")
    p.add_argument("--until", metavar="DATE", type=_date, help="only articles published before")
    p.add_argument(
        "--engine", choices=("local", "dask"), default=None,
        help="where articles are represented: this process (local, the default) or a Dask cluster "
             "(dask; needs newsprism[dask]); the stories are the same",
    )
    p.add_argument(
        "--scheduler", metavar="tcp://HOST:PORT",
        help="a running Dask scheduler (implies --engine dask); without it dask starts 2 local workers",
    )
    p.set_defaults(func=cmd_relink)

    p = sub.add_parser("duplicates", parents=[common], help="copies, near-duplicates and wire rewrites")
    p.set_defaults(func=cmd_duplicates)


def cmd_stories(args: argparse.Namespace) -> int:
    """``newsprism stories``."""
    from newsprism.link import stories

    with open_store(args.db) as store:
        views = stories(store, since=args.since, source=args.source, limit=args.limit)
    data = [_listing(v.to_dict()) for v in views]
    emit(args, data, lambda: _story_table(data))
    return 0


def cmd_story(args: argparse.Namespace) -> int:
    """``newsprism story ID [--report | --compare]``."""
    from newsprism.link import get_story

    with open_store(args.db) as store:
        view = get_story(store, args.id)
        if getattr(args, "report", False):
            from newsprism.report import report
            from newsprism.report.format import format_report

            result = report(view, store=store)
            emit(args, result.to_dict(), lambda: format_report(result))
            return 0
        if getattr(args, "compare", False):
            from newsprism.compare.story import compare_story
            from newsprism.present.commands.compare import format_story_comparison

            compared = compare_story(view, store=store)
            emit(args, compared.to_dict(), lambda: format_story_comparison(compared))
            return 0
    data = view.to_dict()
    emit(args, data, lambda: _story_text(data))
    return 0


def cmd_relink(args: argparse.Namespace) -> int:
    """``newsprism relink [--engine dask] [--scheduler tcp://HOST:PORT]``."""
    from newsprism.engine.base import open_engine
    from newsprism.link import relink

    name = args.engine or ("dask" if args.scheduler else "local")
    with open_store(args.db) as store, open_engine(name, scheduler=args.scheduler) as engine:
        report = relink(store, since=args.since, until=args.until, engine=engine)
    data = report.to_dict()
    emit(
        args,
        data,
        lambda: (
            f"relinked {report.articles} articles into {report.stories} stories in "
            f"{report.seconds:.1f}s: {len(report.new_stories)} new, {len(report.merges)} merged, "
            f"{len(report.splits)} split"
        ),
    )
    return 0


def cmd_duplicates(args: argparse.Namespace) -> int:
    """``newsprism duplicates``."""
    from newsprism.link import duplicate_groups

    with open_store(args.db) as store:
        groups = duplicate_groups(store)
        titles = {m.article_id: _title(store, m.article_id) for g in groups for m in g.members}
    data = [g.to_dict() for g in groups]
    emit(args, data, lambda: _duplicates_text(groups, titles))
    return 0


def _date(text: str) -> datetime:
    try:
        value = datetime.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"expected an ISO date like 2024-05-01, got {text!r}") from exc
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _listing(data: dict[str, Any]) -> dict[str, Any]:
    """The ``stories --json`` object: the story and its articles' short form."""
    keep = ("id", "external_id", "source", "title")
    data["articles"] = [{k: a[k] for k in keep} for a in data["articles"]]
    data.pop("merges", None)
    return data


def _story_table(data: list[dict[str, Any]]) -> str:
    if not data:
        return "no stories (ingest articles first, or run `newsprism relink`)"
    lines = []
    for s in data:
        when = (s["first_published"] or "")[:10]
        lines.append(
            f"{s['id']:<16} {when:<10} {s['article_count']:>4}  {shorten(s['title'], 60)}"
            f"  [{', '.join(s['sources'][:4])}{', ...' if len(s['sources']) > 4 else ''}]"
        )
    return "\n".join(lines)


def _story_text(data: dict[str, Any]) -> str:
    lines = [f"{data['id']}  {data['title']}"]
    if data.get("requested_id"):
        lines.append(f"(merged: {data['requested_id']} is now part of this story)")
    lines.append(
        f"{data['article_count']} articles from {len(data['sources'])} outlets, "
        f"{(data['first_published'] or '')[:16]} .. {(data['last_published'] or '')[:16]}; "
        f"first reported by {data['first_reporter'] or 'unknown'}"
    )
    for a in data["articles"]:
        mark = f" [dup {a['duplicate_kind']} {a['duplicate_group'][:8]}]" if a["duplicate_group"] else ""
        note = "" if a["time_note"] == "published" else " (no date: ingest time)"
        lines.append(
            f"  {a['time'][:16]}{note}  {a['id'][:12]}  {(a['source'] or '-'):<18} "
            f"{shorten(a['title'], 60)}{mark}"
        )
    for m in data["merges"]:
        lines.append(f"  merged {m['merged']} into {m['survivor']} ({m['reason']}, {m['at'][:10]})")
    return "\n".join(lines)


def _duplicates_text(groups: list[Any], titles: dict[str, str]) -> str:
    if not groups:
        return "no duplicate groups"
    lines = []
    for g in groups:
        lines.append(f"group {g.id[:12]} ({len(g.members)} articles)")
        for m in g.members:
            lines.append(f"  {m.kind:<8} J={m.jaccard:.2f}  {m.article_id[:12]}  {shorten(titles[m.article_id], 60)}")
    return "\n".join(lines)


def _title(store: Any, article_id: str) -> str:
    try:
        return str(store.get_article(article_id).title)
    except NotFound:  # the group outlived its article: show the id only
        return ""
