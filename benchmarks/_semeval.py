"""Shared by benchmarks/similarity.py and benchmarks/fit_similarity.py: the SemEval-2022 Task 8
dev pairs, their features (cached, since embedding 917 pairs takes minutes on 2 cores) and the
cross-validation both scripts report.
"""

from __future__ import annotations

import csv
import hashlib
import inspect
import random
import sys
import time
from pathlib import Path

import numpy as np

from newsprism.compare import features as features_module
from newsprism.compare import text as text_module
from newsprism.compare.base import DIMENSIONS
from newsprism.compare.features import FEATURE_NAMES
from newsprism.compare.similarity import fit, predict
from newsprism.compare.text import view
from newsprism.represent.embedding import Embedder

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "semeval2022t8" / "pairs_dev.csv"
GOLD_COLUMNS = {d: d.capitalize() for d in DIMENSIONS}
FOLDS = 5
SEEDS = (0, 1, 2)
ANCHORS = 60
ANCHOR_SEED = 7
NOISE_WORD_JACCARD = 0.8


def load_pairs(path: Path = DATA) -> list[dict[str, str]]:
    """Rows of pairs_dev.csv (exit 0 with a message when the data is absent)."""
    if not path.is_file():
        print(f"skip: {path} not found (SemEval-2022 Task 8 data is not shipped)")
        sys.exit(0)
    csv.field_size_limit(2**31 - 1)
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def targets(rows: list[dict[str, str]]) -> np.ndarray:
    """``(n, 7)`` gold scores in DIMENSIONS order."""
    return np.array([[float(r[GOLD_COLUMNS[d]]) for d in DIMENSIONS] for r in rows])


def language_pairs(rows: list[dict[str, str]]) -> np.ndarray:
    """``"en-en"`` style labels."""
    return np.array([f"{r['lang1']}-{r['lang2']}" for r in rows])


def _embedding_key() -> str:
    """Changes when the data or the code behind the embedding features changes."""
    parts = [DATA.stat().st_size, features_module.MAX_SENTENCES, text_module.MAX_CHARS]
    code = [text_module.split_sentences, text_module._split_title, features_module.embedding_features]
    blob = "|".join(map(str, parts)) + "".join(inspect.getsource(f) for f in code)
    return hashlib.sha256(blob.encode()).hexdigest()[:16]


def features(rows: list[dict[str, str]], cache: Path | None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Features of every pair, and of the self-pair anchors (see :func:`training_part`).

    Only the embedding features are cached (they take minutes); the lexical ones are recomputed.

    Returns:
        ``(x, anchor_x, anchor_rows)``, columns in FEATURE_NAMES order.
    """
    anchor_rows = np.array(sorted(random.Random(ANCHOR_SEED).sample(range(len(rows)), ANCHORS)))
    pairs = [(r["text1"], r["text2"]) for r in rows] + [(rows[i]["text1"],) * 2 for i in anchor_rows]
    views = [(view(a), view(b)) for a, b in pairs]
    key = _embedding_key()
    emb: list[dict[str, float]] | None = None
    if cache is not None and cache.is_file():
        stored = np.load(cache, allow_pickle=False)
        if str(stored["key"]) == key:
            print(f"embedding features from cache {cache}")
            names = [str(n) for n in stored["names"]]
            emb = [dict(zip(names, map(float, r), strict=True)) for r in stored["x"]]
    if emb is None:
        embedder, emb, start = Embedder(), [], time.perf_counter()
        for i, (va, vb) in enumerate(views):
            emb.append(features_module.embedding_features(va, vb, embedder))
            if i % 100 == 99:
                print(f"  embedded {i + 1}/{len(views)} pairs ({time.perf_counter() - start:.0f} s)", flush=True)
        if cache is not None:
            names = sorted(emb[0])
            np.savez(cache, x=np.array([[e[n] for n in names] for e in emb]), names=np.array(names), key=key)
    x = np.array(
        [[{**e, **features_module.lexical_features(va, vb)}[n] for n in FEATURE_NAMES] for e, (va, vb) in zip(emb, views, strict=True)]
    )
    return x[: len(rows)], x[len(rows) :], anchor_rows


def training_part(
    x: np.ndarray, y: np.ndarray, anchor_x: np.ndarray, anchor_rows: np.ndarray, rows: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """The training set made of ``rows``: noisy pairs dropped, self-pair anchors added.

    Dropped: pairs whose texts share >= 80% of their words. In this data they are scraping
    accidents (both texts are the same IP-block or cookie page) whose gold scores describe the
    real articles (Overall 3-4), which would teach the model that identical text means
    "dissimilar". Added: texts of the training rows paired with themselves, scored 1 on every
    dimension (the scale's definition), so the model sees the top of the feature range.
    """
    keep = rows[x[rows, FEATURE_NAMES.index("tok_jaccard")] < NOISE_WORD_JACCARD]
    own = np.isin(anchor_rows, rows)
    features = np.vstack([x[keep], anchor_x[own]])
    targets = np.vstack([y[keep], np.ones((int(own.sum()), y.shape[1]))])
    return features, targets


def cross_validate(x: np.ndarray, y: np.ndarray, anchor_x: np.ndarray, anchor_rows: np.ndarray) -> np.ndarray:
    """Out-of-fold predictions ``(len(SEEDS), n, 7)``: 5-fold, refit on each training part.

    Every real pair of a test fold is predicted, the noisy ones included.
    """
    from sklearn.model_selection import KFold

    preds = np.zeros((len(SEEDS), len(x), len(DIMENSIONS)))
    for s, seed in enumerate(SEEDS):
        for train, test in KFold(FOLDS, shuffle=True, random_state=seed).split(x):
            preds[s, test] = predict(fit(*training_part(x, y, anchor_x, anchor_rows, train)), x[test])
    return preds


def pearson_table(preds: np.ndarray, y: np.ndarray, mask: np.ndarray) -> dict[str, float]:
    """Mean over seeds of the Pearson r of each dimension on the rows in ``mask``."""
    from scipy.stats import pearsonr

    return {
        d: float(np.mean([pearsonr(p[mask, k], y[mask, k])[0] for p in preds]))
        for k, d in enumerate(DIMENSIONS)
    }
