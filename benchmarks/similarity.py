"""Quality and speed of newsprism.compare.similarity on the SemEval-2022 Task 8 dev pairs.

Prints the 5-fold cross-validated (out-of-fold, refit on each training part) Pearson r of all
seven dimensions for the English pairs, all pairs and each language pair, and the time to compare
two 1,000-word articles. Exits 1 when English Overall is below the floor or the pair takes > 1 s.
Exits 0 with a message when the data is absent.

    .venv/bin/python benchmarks/similarity.py [--cache /tmp/semeval-features.npz]
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

import _semeval
import numpy as np

from newsprism.compare.base import DIMENSIONS
from newsprism.compare.similarity import Similarity

FLOOR_ENGLISH_OVERALL = 0.80
MAX_PAIR_SECONDS = 1.0
_WORDS = ["council", "minister", "river", "storm", "election", "vote", "court", "police", "market", "budget", "school", "hospital", "report", "city", "village", "farmers", "border", "talks", "ceasefire", "protest", "bank", "energy", "prices", "water"]


def _article(seed: int, words: int = 1000) -> str:
    """A synthetic 1,000-word article: sentences of 12-25 words from a small vocabulary."""
    rng = random.Random(seed)
    sentences, count = [], 0
    while count < words:
        n = rng.randint(12, 25)
        sentences.append(" ".join(rng.choice(_WORDS) for _ in range(n)).capitalize() + ".")
        count += n
    return "A headline about the story\n" + " ".join(sentences)


def time_pair(comparer: Similarity, repeats: int = 3) -> float:
    """Best of ``repeats`` timings of one comparison of two 1,000-word texts (model warm)."""
    a, b = _article(1), _article(2)
    comparer.compare("warm up\nthe model once.", "and the coefficients.")
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        comparer.compare(a, b)
        best = min(best, time.perf_counter() - start)
    return best


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cache", type=Path, help="feature cache file (.npz), reused when it matches")
    args = parser.parse_args()
    rows = _semeval.load_pairs()
    x, anchor_x, anchor_rows = _semeval.features(rows, args.cache)
    y = _semeval.targets(rows)
    langs = _semeval.language_pairs(rows)
    preds = _semeval.cross_validate(x, y, anchor_x, anchor_rows)
    print(f"{'pairs':10s} {'n':>4s} " + " ".join(f"{d[:9]:>9s}" for d in DIMENSIONS))
    groups = [("English", langs == "en-en"), ("all", np.ones(len(langs), dtype=bool))]
    groups += [(lp, langs == lp) for lp in sorted(set(langs)) if lp != "en-en"]
    for name, mask in groups:
        table = _semeval.pearson_table(preds, y, mask)
        print(f"{name:10s} {int(mask.sum()):4d} " + " ".join(f"{table[d]:9.3f}" for d in DIMENSIONS))
    english = _semeval.pearson_table(preds, y, langs == "en-en")["overall"]
    seconds = time_pair(Similarity())
    print(f"\nEnglish Overall Pearson (5-fold out-of-fold, mean of {len(_semeval.SEEDS)} seeds): "
          f"{english:.3f} (floor {FLOOR_ENGLISH_OVERALL})")
    print(f"two 1,000-word articles compared in {seconds:.2f} s (best of 3; limit {MAX_PAIR_SECONDS} s)")
    ok = english >= FLOOR_ENGLISH_OVERALL and seconds <= MAX_PAIR_SECONDS
    print("PASS" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
