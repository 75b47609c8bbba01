"""Quality of newsprism.compare.paraphrase on the report part of the MRPC training file.

Scores the report part (25%, see _mrpc.py: no coefficient, threshold or model choice was made on
it) with the shipped model and threshold (benchmarks/fit_paraphrase.py: train part, choices on
the validation part) and prints accuracy, precision, recall and F1 beside the all-positive
baseline; exits 1 when F1 is below the floor, 0 with a message when the data is absent.

    .venv/bin/python benchmarks/paraphrase.py [--cache /tmp/mrpc-features.npz]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import _mrpc

from newsprism.compare.paraphrase import load_model

FLOOR_F1 = 0.86  # issue 14


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cache", type=Path, help="feature cache file (.npz), reused when it matches")
    args = parser.parse_args()
    pairs, labels = _mrpc.load_pairs()
    _, _, held_idx = _mrpc.split(len(pairs))
    x = _mrpc.features([pairs[i] for i in held_idx], None if args.cache is None else args.cache.with_suffix(".report.npz"))
    model, threshold = load_model()
    probs = model.predict(x)
    result = _mrpc.scores(probs >= threshold, labels[held_idx])
    majority = _mrpc.scores(probs >= -1.0, labels[held_idx])
    print(f"MRPC report split: {len(held_idx)} pairs, threshold {threshold:.2f}")
    print("  " + "  ".join(f"{k} {v:.3f}" for k, v in result.items()))
    print(f"  (all-positive baseline: accuracy {majority['accuracy']:.3f}, F1 {majority['f1']:.3f})")
    ok = result["f1"] >= FLOOR_F1
    print(f"report split F1 {result['f1']:.3f} (floor {FLOOR_F1}; all-positive baseline "
          f"{majority['f1']:.3f}): {'PASS' if ok else 'FAIL'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
