"""CLI command ``prepare``: compare the stories whose stored comparison is missing or stale, so
that story pages open at once (a thin wrapper over newsprism.engine.comparisons)."""

from __future__ import annotations

import argparse
from typing import Any

from newsprism.present.output import emit
from newsprism.storage import open_store


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    """Add the prepare command."""
    p = sub.add_parser(
        "prepare",
        parents=[common],
        help="prepare story comparisons ahead of readers (run after ingest; resumable)",
    )
    p.add_argument("--max-stories", type=int, default=None, help="prepare at most this many")
    p.add_argument(
        "--budget", type=float, default=None, metavar="SECONDS",
        help="start no new story after this many seconds (the next run goes on)",
    )
    p.set_defaults(func=cmd_prepare)


def cmd_prepare(args: argparse.Namespace) -> int:
    """``newsprism prepare``: exit 0, or 1 when a story could not be compared."""
    from newsprism.engine.comparisons import prepare_comparisons

    with open_store(args.db) as store:
        report = prepare_comparisons(store, max_stories=args.max_stories, budget=args.budget)
    emit(args, report.to_dict(), lambda: _text(report))
    return 1 if report.failed else 0


def _text(report: Any) -> str:
    lines = [
        (f"prepared {report.prepared} story comparisons in {report.seconds:.1f} s; "
        f"{report.fresh} were up to date; {report.remaining} left for the next run")
    ]
    lines += [f"  failed: story {s}: {e}" for s, e in report.failed]
    return "\n".join(lines)
