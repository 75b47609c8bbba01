"""The ``newsprism`` command line: one thin wrapper per library function.

Each command module in ``newsprism.present.commands`` has ``register(subparsers, common)``; a
command sets ``func(args) -> int`` (the exit status). Exit status: 0 all went well, 1 some input
was rejected or something asked for was not found, 2 usage error.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import sys
from collections.abc import Sequence

from newsprism.errors import NewsprismError

COMMAND_MODULES = (
    "newsprism.present.commands.articles",
    "newsprism.present.commands.analysis",
    "newsprism.present.commands.compare",
    "newsprism.present.commands.demo",
    "newsprism.present.commands.serve",
    "newsprism.present.commands.similarity",
    "newsprism.present.commands.stories",
)


def build_parser() -> argparse.ArgumentParser:
    """The full argument parser (commands from every module in COMMAND_MODULES)."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--db", metavar="PATH", help="store file (else $NEWSPRISM_DB, else ./newsprism.db)")
    common.add_argument("--json", action="store_true", help="print JSON for programs instead of text")
    common.add_argument("-v", "--verbose", action="count", default=0, help="more log output")
    parser = argparse.ArgumentParser(
        prog="newsprism",
        description="Read one news story as told by many outlets and show how their coverage relates.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(sub, common)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``newsprism`` console script."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.verbose:
        logging.basicConfig(level=logging.INFO if args.verbose == 1 else logging.DEBUG)
    try:
        return int(args.func(args))
    except NewsprismError as exc:
        print(f"newsprism: error: {exc}", file=sys.stderr)
        return 1 if type(exc).__name__ == "NotFound" else 2
    except KeyboardInterrupt:
        print("newsprism: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
