"""Conflicts between sentences that restate one statement in other words, scored by a fitted model.

Outlets rarely copy each other's sentences: "288 candidates run for 125 parliamentary seats" and
"Almost all of the 288 candidates running for 168 seats came from the sole party" tell one fact,
though the paraphrase aligner scores them low and few words are shared. The aligned-pair rules
of :mod:`newsprism.compare.values` stay silent on such pairs; this module reads every pair of
sentences of two articles at least :data:`CANDIDATE_COSINE` alike (MiniLM) whose values of one
kind differ (a *candidate*: figures of one unit that cannot both hold, dates apart, towns apart,
a person of one sentence unknown to the other article) and scores it with a logistic model over
how alike the rest of the two sentences is (:data:`FEATURE_NAMES`).

The model and its threshold ship in ``data/models/conflicts.json``; ``benchmarks/fit_conflicts.py``
fits them on the dev split of ``benchmarks/conflicts.py`` (conflicts planted in ECB+ topics
1-25 and BASIL's first 50 events; unchanged pairs as negatives), choosing the threshold that
keeps dev false conflicts under :data:`FALSE_BUDGET` per pair; the report split scores it.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from newsprism.analyze.model import Entity
from newsprism.compare import quantities, values
from newsprism.compare.lexicon import fold_words, stem
from newsprism.compare.linear import LinearModel, load_json

if TYPE_CHECKING:
    from newsprism.compare.facts import Claim

MODEL_PATH = Path(__file__).resolve().parent.parent / "data" / "models" / "conflicts.json"
MODEL_KIND = "newsprism.conflicts"
#: Sentence cosine from which two sentences may restate one statement (a recall net: the
#: model decides). Sentences of one story on other topics mostly sit under 0.5 (MiniLM).
CANDIDATE_COSINE = 0.5
#: Fewest words of a sentence that states something (a dateline or headline does not).
MIN_WORDS = 6
#: Largest ratio between two versions of one figure considered at all.
MAX_RATIO = values.MAX_VERSION_RATIO
#: False conflicts per unchanged same-event pair the fitted threshold may add on the dev split.
FALSE_BUDGET = 0.02
KINDS = ("quantity", "date", "place", "actor")
FEATURE_NAMES: tuple[str, ...] = (
    "cosine",
    "overlap",
    "shared_log",
    "values_a_log",
    "values_b_log",
    "anchor",
    "slot",
    "same_subject",
    *(f"kind_{k}" for k in KINDS),
)


@dataclass(frozen=True, slots=True)
class Candidate:
    """Two sentences whose values of one kind differ, with the features the model reads."""

    a: Claim
    b: Claim
    cosine: float
    kind: str
    what: str
    value_a: str
    value_b: str
    features: tuple[float, ...]


def _surname(e: Entity) -> str:
    words = fold_words(e.text) or fold_words(e.canonical or "")
    return stem(words[-1]) if words else ""


def _people(claim: Claim) -> list[Entity]:
    return [e for e in (*claim.actors, *claim.speakers) if e.label == "PERSON"]


def _figure_pair(a: Claim, b: Claim) -> tuple[float, str, str, str] | None:
    """(slot, what, value_a, value_b) for the likeliest two versions of one figure."""
    fa = [f for f in quantities.whole_figures(a) if not f.vague]
    fb = [g for g in quantities.whole_figures(b) if not g.vague]
    best: tuple[float, str, str, str] | None = None
    for f in fa:
        if any(quantities.figures_agree(f, g) for g in fb):
            continue
        for g in fb:
            if f.unit != g.unit or any(quantities.figures_agree(g, h) for h in fa):
                continue
            low, high = sorted((abs(f.value), abs(g.value)))
            if low <= 0 or high > low * MAX_RATIO:
                continue
            slot = 1.0 if quantities.same_thing(f, g) or values.same_quantity(f, g) else 0.0
            if best is None or slot > best[0]:
                best = (slot, values._what(f, g), f.text, g.text)
    return best


def _anchor(a: Claim, b: Claim) -> float:
    """Whether the sentences share a value (a figure, a town, a person, a day)."""
    if any(quantities.figures_agree(f, g) for f in a.figures for g in b.figures if not f.vague):
        return 1.0
    if {p.name for p in a.places} & {p.name for p in b.places}:
        return 1.0
    if {_surname(e) for e in _people(a)} & {_surname(e) for e in _people(b)}:
        return 1.0
    return float(any(values._same_time(x, y) for x in a.times for y in b.times))


def _differences(
    a: Claim, b: Claim, words_a: set[str], words_b: set[str]
) -> list[tuple[str, float, str, str, str, int, int]]:
    """``(kind, slot, what, value_a, value_b, n_a, n_b)`` for each kind whose values differ."""
    out = []
    pair = _figure_pair(a, b)
    if pair is not None:
        out.append(("quantity", pair[0], pair[1], pair[2], pair[3], len(a.figures), len(b.figures)))
    if values.dates_conflict(a, b):
        da, db = values._dated(a.times, a), values._dated(b.times, b)
        slot = float(any(x.granularity == y.granularity for x in da for y in db))
        out.append(("date", slot, "date", values._join(t.text for t in da),
                    values._join(t.text for t in db), len(da), len(db)))
    if values.places_conflict(a.places, b.places):
        pa, pb = values._local(a.places), values._local(b.places)
        slot = float(len(pa) == 1 and len(pb) == 1)
        out.append(("place", slot, "place", values._join(p.text for p in pa),
                    values._join(p.text for p in pb), len(pa), len(pb)))
    in_a = {_surname(e) for e in _people(a)}
    new_a = [e for e in _people(a) if _surname(e) and _surname(e) not in words_b]
    new_b = [e for e in _people(b) if _surname(e) and _surname(e) not in in_a]
    if new_a and new_b:
        slot = float(all(_surname(e) in words_a for e in new_b))  # A knows B's person: a swap
        out.append(("actor", slot, "actor", new_a[0].text, new_b[0].text, len(_people(a)),
                    len(_people(b))))
    return out


def candidates(
    a: Claim, b: Claim, cosine: float, words_a: set[str], words_b: set[str]
) -> list[Candidate]:
    """Every kind of value two sentences state differently, with its features."""
    if len(a.text.split()) < MIN_WORDS or len(b.text.split()) < MIN_WORDS:
        return []
    found = _differences(a, b, words_a, words_b)
    if not found:
        return []
    wa, wb = values.residual_words(a), values.residual_words(b)
    shared = len(wa & wb)
    overlap = shared / min(len(wa), len(wb)) if wa and wb else 0.0
    anchor = _anchor(a, b)
    same_subject = float(values.different_subjects(a, b) is None)
    out = []
    for kind, slot, what, va, vb, na, nb in found:
        feats = (cosine, overlap, math.log1p(shared), math.log1p(na), math.log1p(nb), anchor,
                 slot, same_subject, *(float(kind == k) for k in KINDS))
        out.append(Candidate(a, b, cosine, kind, what, va, vb, feats))
    return out


def sentence_pairs(
    claims: Sequence[Sequence[Claim]], vectors: Sequence[np.ndarray] | None,
    words: Sequence[set[str]], seen: set[tuple[int, int, int, int]],
) -> list[Candidate]:
    """Candidates between sentences of every two articles (pairs in ``seen`` skipped)."""
    if vectors is None:
        return []
    out: list[Candidate] = []
    for i in range(len(claims)):
        for j in range(i + 1, len(claims)):
            if i >= len(vectors) or j >= len(vectors):
                continue
            va, vb = vectors[i], vectors[j]
            if not len(va) or not len(vb) or va.shape[1] == 0:
                continue
            cos = va @ vb.T
            for si, sj in zip(*np.nonzero(cos >= CANDIDATE_COSINE)):
                si, sj = int(si), int(sj)
                if si >= len(claims[i]) or sj >= len(claims[j]) or (i, si, j, sj) in seen:
                    continue
                out += candidates(claims[i][si], claims[j][sj], float(cos[si, sj]), words[i], words[j])
    return out


@functools.lru_cache(maxsize=2)
def load_model(path: Path | None = None) -> tuple[LinearModel, float] | None:
    """The ``(model, threshold)`` at ``path`` (default :data:`MODEL_PATH`); None when there is
    no model file (no extra conflicts)."""
    path = MODEL_PATH if path is None else path
    if not path.is_file():
        return None
    data = load_json(path, MODEL_KIND)
    return LinearModel.from_dict(data["model"]), float(data["threshold"])


def restated_conflicts(
    claims: Sequence[Sequence[Claim]], vectors: Sequence[np.ndarray] | None,
    words: Sequence[set[str]], seen: set[tuple[int, int, int, int]],
) -> list[Candidate]:
    """Candidates the shipped model scores at or above its threshold, one per sentence pair
    and kind, most probable first."""
    loaded = load_model()
    found = sentence_pairs(claims, vectors, words, seen)
    if loaded is None or not found:
        return []
    model, threshold = loaded
    probs = model.predict(np.array([c.features for c in found]))
    return [c for p, c in sorted(zip(probs, found), key=lambda x: -x[0]) if p >= threshold]
