"""CLI command ``migrate``: copy a SQLite store whole into PostgreSQL (a thin wrapper over
:func:`newsprism.storage.transfer.migrate_store`)."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from newsprism.present.output import emit


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    """Add the migrate command."""
    p = sub.add_parser(
        "migrate",
        parents=[common],
        help="copy a SQLite store into a PostgreSQL database (resumable; counts checked)",
    )
    p.add_argument("--from", dest="source", required=True, metavar="sqlite:PATH",
                   help="the SQLite store to copy (stop its writers first)")
    p.add_argument("--to", dest="target", required=True, metavar="postgresql://USER@HOST/DB",
                   help="an empty PostgreSQL database, or one holding an unfinished copy")
    p.add_argument("--batch-size", type=int, default=2000, help="rows per transaction")
    p.add_argument("--no-progress", action="store_true", help="print no progress lines")
    p.set_defaults(func=cmd_migrate)


def cmd_migrate(args: argparse.Namespace) -> int:
    """``newsprism migrate --from sqlite:PATH --to postgresql://...``: exit 0 once the copy is
    whole (a StorageError, exit 3, says what differs)."""
    from newsprism.storage.transfer import migrate_store

    def progress(table: str, rows: int) -> None:
        print(f"\r{table}: {rows} rows", end="", file=sys.stderr, flush=True)

    quiet = args.no_progress or args.json or not sys.stderr.isatty()
    report = migrate_store(args.source, args.target, batch_size=args.batch_size,
                           progress=None if quiet else progress)
    if not quiet:
        print(file=sys.stderr)
    emit(args, report.to_dict(), lambda: _text(report))
    return 0


def _text(report: Any) -> str:
    copied = sum(report.copied.values())
    lines = [f"copied {copied} rows in {report.seconds:.1f} s; the target now holds:"]
    lines += [f"  {table}: {n}" for table, n in report.counts.items() if n]
    return "\n".join(lines)
