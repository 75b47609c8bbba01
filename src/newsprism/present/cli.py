"""The ``newsprism`` command line: one thin wrapper per library function.

Each command module in ``newsprism.present.commands`` has ``register(subparsers, common)``; a
command sets ``func(args) -> int`` (the exit status).

Exit statuses, one meaning each:

    0  all went well (every input in)
    1  some input was rejected, some stored article failed a later stage, or something asked
       for was not found (the command says which)
    2  usage error: a bad option, setting or argument (argparse's code too)
    3  internal error: a bug or a broken store; one line on stderr, the traceback with ``-v``
  130  interrupted
"""

from __future__ import annotations

import argparse
import importlib
import logging
import sys
import traceback
from collections.abc import Sequence

from newsprism.errors import ConfigError, InputError, MissingDependency, NewsprismError, NotFound

COMMAND_MODULES = (
    "newsprism.present.commands.articles",
    "newsprism.present.commands.analysis",
    "newsprism.present.commands.compare",
    "newsprism.present.commands.demo",
    "newsprism.present.commands.migrate",
    "newsprism.present.commands.prepare",
    "newsprism.present.commands.serve",
    "newsprism.present.commands.similarity",
    "newsprism.present.commands.stories",
)


def build_parser() -> argparse.ArgumentParser:
    """The full argument parser (commands from every module in COMMAND_MODULES)."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--db", metavar="PATH", help="store file or postgresql://USER@HOST/DB "
                        "(else $NEWSPRISM_DB, else ./newsprism.db)")
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
    except KeyboardInterrupt:
        print("newsprism: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except Exception as exc:  # every error ends as one line and a status that says its kind
        return _report_error(exc, args.verbose)


EXIT_OK, EXIT_REJECTED, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3


def exit_status(exc: BaseException) -> int:
    """The exit status an error ends the command with (see the module docstring)."""
    if isinstance(exc, NotFound):
        return EXIT_REJECTED
    if isinstance(exc, ConfigError | InputError | MissingDependency):
        return EXIT_USAGE  # a command's own argument is unusable (inputs in bulk are reported)
    return EXIT_INTERNAL


def _report_error(exc: Exception, verbose: int) -> int:
    """Print one line for ``exc`` (and its traceback with ``-v``); return its exit status."""
    status = exit_status(exc)
    if verbose:
        traceback.print_exception(exc, file=sys.stderr)
    if status == EXIT_INTERNAL:
        what = str(exc) if isinstance(exc, NewsprismError) else f"{type(exc).__name__}: {exc}"
        hint = "" if verbose else " (run with -v for the traceback)"
        print(f"newsprism: internal error: {what}{hint}", file=sys.stderr)
    else:
        print(f"newsprism: error: {exc}", file=sys.stderr)
    return status


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
