"""Shared by benchmarks/paraphrase.py and benchmarks/fit_paraphrase.py: the MRPC training file,
its fixed seeded split into train / validation / report, and the pair features (cached).

The split (issue 14): the earlier seeded 25% "held-out" part is where the features, C and the
rules were chosen, so it is now the **validation** part (model choices, threshold); a quarter of
the earlier 75% fitting part, drawn with a second seed, is the **report** part, used by nothing
but benchmarks/paraphrase.py; the rest is **train** (coefficients).
"""

from __future__ import annotations

import csv
import hashlib
import sys
from pathlib import Path

import numpy as np

from newsprism.compare.paraphrase import FEATURE_NAMES, feature_rows
from newsprism.represent.embedding import Embedder

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "mrpc" / "msr_paraphrase_train.txt"
HELD_OUT = 0.25
SEED = 20220


def load_pairs(path: Path = DATA) -> tuple[list[tuple[str, str]], np.ndarray]:
    """``(pairs, labels)`` of the MRPC file (exit 0 with a message when the data is absent)."""
    if not path.is_file():
        print(f"skip: {path} not found (MRPC is not shipped)")
        sys.exit(0)
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))
    body = [r for r in rows[1:] if len(r) == 5]
    return [(r[3], r[4]) for r in body], np.array([int(r[0]) for r in body])


REPORT_SEED = 14


def split(n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Fixed seeded split: ``(train, validation, report)`` indices (50% / 25% / 25%)."""
    order = np.random.default_rng(SEED).permutation(n)
    cut = round(n * (1 - HELD_OUT))
    fit_part, validation = order[:cut], order[cut:]
    fit_part = np.random.default_rng(REPORT_SEED).permutation(fit_part)
    report_cut = round(n * HELD_OUT)
    return np.sort(fit_part[report_cut:]), np.sort(validation), np.sort(fit_part[:report_cut])


def features(pairs: list[tuple[str, str]], cache: Path | None) -> np.ndarray:
    """Feature rows of every pair, from ``cache`` when it matches the data and feature set."""
    key = hashlib.sha256(("|".join(FEATURE_NAMES) + str(len(pairs)) + pairs[0][0]).encode()).hexdigest()[:16]
    if cache is not None and cache.is_file():
        stored = np.load(cache)
        if str(stored["key"]) == key:
            print(f"features from cache {cache}")
            return np.asarray(stored["x"])
    vecs = Embedder().encode([s for pair in pairs for s in pair])
    cosines = np.sum(vecs[0::2] * vecs[1::2], axis=1)
    out = feature_rows(pairs, cosines.tolist())
    if cache is not None:
        np.savez(cache, x=out, key=key)
    return out


def scores(pred: np.ndarray, labels: np.ndarray) -> dict[str, float]:
    """Accuracy, precision, recall and F1 of the positive class."""
    tp = float(np.sum(pred & (labels == 1)))
    precision = tp / max(pred.sum(), 1)
    recall = tp / max(labels.sum(), 1)
    return {
        "accuracy": float(np.mean(pred == (labels == 1))),
        "precision": precision,
        "recall": recall,
        "f1": 2 * precision * recall / (precision + recall) if precision + recall else 0.0,
    }
