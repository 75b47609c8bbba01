"""Scoring analyses against hand-made gold annotations (precision and recall per kind).

The gold format is described in ``tests/data/analysis/README.md``; the test suite and
``benchmarks/analysis.py`` both score with :func:`score`.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from newsprism.analyze.model import Analysis
from newsprism.analyze.places import fold

KINDS = ("entities", "canonical", "places", "times", "attributions", "figures")
_GROUP = {"PERSON": "person", "ORG": "org", "GPE": "place", "LOC": "place", "FAC": "place",
          "NORP": "norp", "ACTOR": "actor"}


@dataclass(frozen=True, slots=True)
class Score:
    """Counts for one kind: matched items, system items, gold items."""

    matched: int = 0
    predicted: int = 0
    gold: int = 0

    @property
    def precision(self) -> float:
        """Matched / predicted (1.0 when nothing was predicted)."""
        return self.matched / self.predicted if self.predicted else 1.0

    @property
    def recall(self) -> float:
        """Matched / gold (1.0 when there is no gold item)."""
        return self.matched / self.gold if self.gold else 1.0

    def __add__(self, other: Score) -> Score:
        return Score(self.matched + other.matched, self.predicted + other.predicted,
                     self.gold + other.gold)


def score(gold: Mapping[str, Any], analysis: Analysis) -> dict[str, Score]:
    """Score one article's analysis against its gold annotations, per kind."""
    return {
        "entities": _entities(gold.get("entities", []), analysis),
        "canonical": _canonical(gold.get("entities", []), analysis),
        "places": _match(gold.get("places", []), [p.to_dict() for p in analysis.places],
                         _same_place),
        "times": _match(gold.get("times", []), [t.to_dict() for t in analysis.times], _same_time),
        "attributions": _match(gold.get("attributions", []),
                               [a.to_dict() for a in analysis.attributions], _same_attribution),
        "figures": _match(gold.get("figures", []), [f.to_dict() for f in analysis.figures],
                          _same_figure),
    }


def total(scores: Iterable[Mapping[str, Score]]) -> dict[str, Score]:
    """Sum of per-article scores."""
    out = {k: Score() for k in KINDS}
    for s in scores:
        for k in KINDS:
            out[k] = out[k] + s[k]
    return out


def _entities(gold: list[dict[str, Any]], analysis: Analysis) -> Score:
    want = {(fold(g["canonical"]), _GROUP[g["label"]]) for g in gold}
    got = {(fold(e.canonical), _GROUP.get(e.label, e.label)) for e in analysis.entities}
    return Score(len(want & got), len(got), len(want))


def _canonical(gold: list[dict[str, Any]], analysis: Analysis) -> Score:
    """Each gold surface form found as an entity must carry the gold canonical name.

    Precision is over the gold forms the system found at all; recall over all gold forms.
    """
    found: dict[str, set[str]] = {}
    for e in analysis.entities:
        found.setdefault(fold(e.text), set()).add(fold(e.canonical))
    pairs = {(fold(m), fold(g["canonical"])) for g in gold for m in g["mentions"]}
    predicted = [p for p in pairs if p[0] in found]
    matched = [p for p in predicted if p[1] in found[p[0]]]
    return Score(len(matched), len(predicted), len(pairs))


def _match(gold: list[dict[str, Any]], got: list[dict[str, Any]],
           same: Callable[[dict[str, Any], dict[str, Any]], bool]) -> Score:
    free = list(got)
    matched = 0
    for g in gold:
        hit = next((x for x in free if same(g, x)), None)
        if hit is not None:
            free.remove(hit)
            matched += 1
    return Score(matched, len(got), len(gold))


def _overlap(a: str | None, b: str | None) -> bool:
    fa, fb = fold(a or ""), fold(b or "")
    return bool(fa and fb) and (fa in fb or fb in fa)


def _same_place(g: dict[str, Any], x: dict[str, Any]) -> bool:
    return _overlap(g["text"], x["text"]) and g["country"] == x["country"]


def _same_time(g: dict[str, Any], x: dict[str, Any]) -> bool:
    return (g["value"] == x["value"] and g["granularity"] == x["granularity"]
            and _overlap(g["text"], x["text"]))


def _same_attribution(g: dict[str, Any], x: dict[str, Any]) -> bool:
    if g["cue"] != x["cue"] or not _overlap(g["source"], x["source"]):
        return False
    if "via" in g and not _overlap(g["via"], x.get("via")):
        return False
    if "agency" in g and g["agency"] != x.get("agency"):
        return False
    return "quote" not in g or fold(x.get("quote") or "").startswith(fold(g["quote"]))


def _same_figure(g: dict[str, Any], x: dict[str, Any]) -> bool:
    if not math.isclose(float(g["value"]), float(x["value"]), rel_tol=1e-9):
        return False
    if g["bound"] != x["bound"] or not _overlap(g["text"], x["text"]):
        return False
    return all(g[k] == x.get(k) for k in ("counted", "event", "unit") if k in g)
