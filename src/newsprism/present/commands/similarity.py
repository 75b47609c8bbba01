"""CLI command ``similarity``: the seven SemEval-2022 Task 8 scores of a pair, or of a CSV of pairs."""

from __future__ import annotations

import argparse
import re
from pathlib import Path
from typing import Any

from newsprism.compare.base import PairSimilarity
from newsprism.compare.similarity import similarity, similarity_csv
from newsprism.errors import ConfigError, InputError, NotFound
from newsprism.model import Article
from newsprism.present.output import emit, shorten

# Labels of the task's 1-4 scale, read off at the nearest whole point.
_LABELS = {1: "very similar", 2: "somewhat similar", 3: "somewhat dissimilar", 4: "very dissimilar"}


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    """Add the ``similarity`` command."""
    p = sub.add_parser(
        "similarity",
        parents=[common],
        help="how alike two articles are (7 dimensions, 1 = very similar, 4 = very dissimilar)",
        description="Score two texts (or files) on the SemEval-2022 Task 8 dimensions, or every "
        "pair of a CSV file with columns pair_id,text1,text2.",
    )
    p.add_argument("texts", nargs="*", metavar="TEXT_FILE_OR_ID",
                   help="two texts, files (cleaned as ingest cleans them) or stored article ids")
    p.add_argument("--pairs", metavar="IN.csv", type=Path, help="CSV of pairs (pair_id,text1,text2)")
    p.add_argument("--out", metavar="OUT.csv", type=Path, help="where --pairs writes its scores")
    p.add_argument("--align", action="store_true", help="also list the sentences both texts share")
    p.set_defaults(func=cmd_similarity)


_ID = re.compile(r"^s?[0-9a-f]{4,64}$")


def _read(arg: str, db: str | None) -> Article | str:
    """What an argument names: a file (read and cleaned as ``ingest``/``compare`` would: no
    "Follow us" line becomes a place), else a stored article (id or unique id prefix), else the
    text itself. A word that looks like an id but names nothing is an error, not a text to score.
    """
    try:
        is_file = "\n" not in arg and len(arg) < 4096 and Path(arg).is_file()
    except OSError:  # not a usable path (too long, ...): it is text
        is_file = False
    if is_file:
        from newsprism.present.commands.compare import _from_file

        return _from_file(Path(arg), None)
    if _ID.match(arg.strip().lower()):
        from newsprism.storage import open_store

        try:
            with open_store(db) as store:
                return store.get_article(arg.strip())
        except NotFound as exc:
            raise InputError("not_found", f"{arg!r} is neither a file nor a stored article id") from exc
    return arg


def cmd_similarity(args: argparse.Namespace) -> int:
    """``newsprism similarity``."""
    if args.pairs is not None:
        if args.texts or args.out is None:
            raise ConfigError("similarity: --pairs IN.csv needs --out OUT.csv and no TEXT arguments")
        report = similarity_csv(args.pairs, args.out)
        emit(args, report.to_dict(), lambda: _csv_summary(report.written, report.failed, args.out))
        return 1 if report.failed else 0
    if len(args.texts) != 2:
        raise ConfigError(f"similarity: expected two TEXT_OR_FILE arguments (or --pairs), got {len(args.texts)}")
    a, b = (_read(t, args.db) for t in args.texts)
    result = similarity(a, b)
    data = result.to_dict()
    pairs = []
    if args.align:
        from newsprism.compare.paraphrase import align
        from newsprism.compare.text import view

        pairs = align(view(a).sentences, view(b).sentences)
        data["aligned"] = [p.to_dict() for p in pairs]
    emit(args, data, lambda: _table(result) + ("\n" + _aligned(pairs) if args.align else ""))
    return 0


def _table(result: PairSimilarity) -> str:
    lines = [f"{'dimension':10s} score  {'':19s} reason"]
    for d in result.dimensions:
        label = _LABELS[min(4, max(1, round(d.score)))]
        lines.append(f"{d.name:10s} {d.score:5.2f}  {label:19s} {d.reason}")
    lines.extend(f"note: {n}" for n in result.notes)
    return "\n".join(lines)


def _aligned(pairs: list[Any]) -> str:
    if not pairs:
        return "no sentence of A is restated in B"
    lines = [f"{len(pairs)} shared sentence(s):"]
    for p in pairs:
        lines.append(f"  A{p.index_a + 1} ~ B{p.index_b + 1} ({p.score:.2f}): {shorten(p.text_a, 60)} | {shorten(p.text_b, 60)}")
    return "\n".join(lines)


def _csv_summary(written: int, failed: tuple[tuple[str, str], ...], out: Path) -> str:
    lines = [f"wrote {written} pair(s) to {out}; {len(failed)} could not be scored"]
    lines.extend(f"  {pair_id}: {why}" for pair_id, why in failed)
    return "\n".join(lines)
