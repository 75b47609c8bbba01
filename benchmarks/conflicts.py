"""Conflict detection: recall on the sample's planted conflicts, false conflicts elsewhere.

Prints

(a) the planted conflicts found on the bundled sample (one per story: two articles stating one
    figure differently; found when a quantity conflict has both planted sentences as evidence),
(b) conflicts reported between the two sentences of each story's non-conflict pair (one fact
    written two ways, "last month" / "on 5 March"): must be 0,
(c) conflicts reported on BASIL's same-event article pairs (Fox / NYT / HuffPost on one event;
    ``../shared/data/basil``, skipped when absent), with the first few for inspection.

Exit status 1 when (a) < 5 or (b) > 0.

Usage::

    .venv/bin/python benchmarks/conflicts.py [--basil-events N] [--show K] [--no-basil]
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import defaultdict
from itertools import combinations
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks._data import BASIL, basil_articles

from newsprism.api import demo
from newsprism.compare.pair import Comparer
from newsprism.data import sample_manifest
from newsprism.model import Article
from newsprism.storage import MemoryStore

MIN_FOUND = 5


def _norm(text: str) -> str:
    return " ".join(text.split())


def _same_sentence(claim_text: str, gold: str) -> bool:
    a, b = _norm(claim_text), _norm(gold)
    return bool(a) and (a in b or b in a)


def sample_articles() -> dict[str, Article]:
    """The sample corpus ingested into memory, by manifest ref (file name, ``FILE:LINE``...)."""
    store = MemoryStore()
    demo(store, progress=False)
    return {a.input_ref.split("/")[-1]: a for a in store.iter_articles()}


def planted_pairs(manifest: dict[str, Any]) -> list[tuple[str, dict[str, Any], dict[str, Any]]]:
    """Per story, the first planted value and the first one that differs from it."""
    out = []
    for key, story in manifest["stories"].items():
        vals = story["conflict"]["values"]
        other = next(v for v in vals[1:] if v["value"] != vals[0]["value"])
        out.append((key, vals[0], other))
    return out


def _between(conflicts: Any, text_a: str, text_b: str) -> list[Any]:
    hits = []
    for c in conflicts:
        ta, tb = c.claim_a.text, c.claim_b.text
        if (_same_sentence(ta, text_a) and _same_sentence(tb, text_b)) or (
            _same_sentence(ta, text_b) and _same_sentence(tb, text_a)
        ):
            hits.append(c)
    return hits


def sample_figures(comparer: Comparer) -> tuple[int, int, int]:
    """Print (a) and (b); returns (found, stories, false conflicts on non-conflict pairs)."""
    manifest = sample_manifest()
    arts = sample_articles()
    found = 0
    pairs = planted_pairs(manifest)
    print("(a) planted conflicts on the sample")
    for key, va, vb in pairs:
        result = comparer.compare(arts[va["ref"]], arts[vb["ref"]])
        hits = [
            c for c in _between(result.conflicts, va["text"], vb["text"]) if c.kind == "quantity"
        ]
        found += bool(hits)
        shown = f"{hits[0].value_a!r} vs {hits[0].value_b!r}" if hits else "-"
        print(
            f"  {key:22s} {va['value']} vs {vb['value']}: {'FOUND' if hits else 'missed'} {shown}"
            f" ({len(result.conflicts)} conflict(s) in the pair)"
        )
        if hits:
            print(f"      A: {_norm(hits[0].claim_a.text)[:150]}")
            print(f"      B: {_norm(hits[0].claim_b.text)[:150]}")
    print(f"  found {found} of {len(pairs)}")
    false = 0
    print("(b) conflicts on the sample's non-conflict pairs")
    for key, story in manifest["stories"].items():
        a, b = story["non_conflict"]["items"][:2]
        result = comparer.compare(arts[a["ref"]], arts[b["ref"]])
        hits = _between(result.conflicts, a["text"], b["text"])
        false += len(hits)
        print(f"  {key:22s} {a['span']!r} / {b['span']!r}: {len(hits)}")
        for c in hits:
            print(f"      {c.kind}: {c.value_a!r} vs {c.value_b!r}")
    print(f"  false conflicts: {false}")
    return found, len(pairs), false


def basil_figures(comparer: Comparer, events: int, show: int) -> None:
    """Print (c): conflicts over BASIL same-event pairs (the first ``events`` events)."""
    if not BASIL.is_dir():
        print(f"(c) BASIL absent at {BASIL}: skipped")
        return
    articles, gold = basil_articles()
    by_event: dict[str, list[Article]] = defaultdict(list)
    for a in articles:
        by_event[gold[a.id]].append(a)
    chosen = sorted(by_event)[:events]
    start = time.perf_counter()
    found: list[Any] = []
    n_pairs = 0
    for event in chosen:
        for a, b in combinations(by_event[event], 2):
            n_pairs += 1
            found += comparer.compare(a, b).conflicts
    by_kind: dict[str, int] = defaultdict(int)
    for c in found:
        by_kind[c.kind] += 1
    print(
        f"(c) BASIL: {len(found)} conflict(s) over {n_pairs} same-event pairs of "
        f"{len(chosen)} events {dict(by_kind)} ({time.perf_counter() - start:.0f} s)"
    )
    for c in found[:show]:
        print(f"  {c.kind} {c.what!r}: {c.value_a!r} vs {c.value_b!r} (score {c.score:.2f})")
        print(f"      A: {_norm(c.claim_a.text)[:160]}")
        print(f"      B: {_norm(c.claim_b.text)[:160]}")


def main() -> int:
    """Run the three measures; exit status 1 when recall or precision on the sample fails."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--basil-events", type=int, default=100, help="BASIL events compared")
    parser.add_argument("--show", type=int, default=10, help="BASIL conflicts printed")
    parser.add_argument("--no-basil", action="store_true", help="skip BASIL")
    args = parser.parse_args()
    comparer = Comparer()
    found, total, false = sample_figures(comparer)
    if not args.no_basil:
        basil_figures(comparer, args.basil_events, args.show)
    ok = found >= MIN_FOUND and false == 0
    print(
        f"{'PASS' if ok else 'FAIL'}: planted {found}/{total} (need {MIN_FOUND}), "
        f"false on non-conflict pairs {false} (need 0)"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
