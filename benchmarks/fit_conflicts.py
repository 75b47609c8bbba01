"""Fit src/newsprism/data/models/conflicts.json: the restated-statement conflict model.

On the **dev** split of benchmarks/conflicts.py (ECB+ topics 1-25, BASIL's first 50 events; the
report split is never read here), every candidate of :mod:`newsprism.compare.restated` is a row:
label 1 when it is a planted conflict the aligned-pair rules missed (A's changed sentence and a
B sentence that told the old value, same kind), label 0 when it comes from an unchanged pair.
An L2 logistic model is fitted on the rows (C chosen from a grid by 5-fold cross-validated log
loss), and the threshold is the lowest probability at which the model's false conflicts on the
unchanged dev pairs stay within ``restated.FALSE_BUDGET`` per pair. Only coefficients are written.

    .venv/bin/python benchmarks/fit_conflicts.py [--cache /tmp/conflicts-dev.pkl]
"""

from __future__ import annotations

import argparse
import copyreg
import json
import pickle
import sys
import types
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks import conflicts as bench

from newsprism.compare import restated
from newsprism.compare.facts import claims_of
from newsprism.compare.lexicon import stems
from newsprism.compare.linear import fit_logistic
from newsprism.compare.pair import Comparer

C_GRID = (0.1, 1.0, 10.0)


def _proxy(data: dict[str, Any]) -> types.MappingProxyType[str, Any]:
    """Rebuilds an article's read-only metadata when the item cache is read."""
    return types.MappingProxyType(data)


copyreg.pickle(types.MappingProxyType, lambda m: (_proxy, (dict(m),)))  # type: ignore[arg-type]


def _items(cache: Path | None, comparer: Comparer) -> list[bench.Item]:
    if cache is not None and cache.is_file():
        return pickle.loads(cache.read_bytes())
    out = list(bench.items("dev", 4, 14, comparer))
    if cache is not None:
        cache.write_bytes(pickle.dumps(out))
    return out


def rows(items: list[bench.Item], comparer: Comparer) -> tuple[np.ndarray, np.ndarray, int, int]:
    """``(features, labels, unchanged pairs, rule conflicts on them)`` with the rules alone."""
    x, y = [], []
    pairs = rule_false = 0
    for item in items:
        found = comparer.compare_prepared(item.a, item.b, similarity=False).conflicts
        seen = {(c.claim_a.doc, c.claim_a.sentence, c.claim_b.doc, c.claim_b.sentence) for c in found}
        claims = [claims_of(0, item.a.article, item.a.analysis), claims_of(1, item.b.article, item.b.analysis)]
        words = [set(stems(item.a.article.body)), set(stems(item.b.article.body))]
        cands = restated.sentence_pairs(claims, [item.a.vectors, item.b.vectors], words, seen)
        if item.plant is None:
            pairs += 1
            rule_false += len(found)
            x += [c.features for c in cands]
            y += [0] * len(cands)
            continue
        p = item.plant
        if bench.found_plant(found, p) is not None:
            continue
        for c in cands:
            if c.kind == p.kind and bench._same(c.a.text, p.sentence_a) and any(bench._same(c.b.text, s) for s in p.partners):
                x.append(c.features)
                y.append(1)
    return np.array(x), np.array(y), pairs, rule_false


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cache", type=Path, help="pickle of the prepared dev items (reused)")
    parser.add_argument("--out", type=Path, default=restated.MODEL_PATH)
    args = parser.parse_args()
    restated.MODEL_PATH = Path("/nonexistent/conflicts.json")  # the rules alone while fitting
    restated.load_model.cache_clear()
    comparer = Comparer()
    items = _items(args.cache, comparer)
    x, y, pairs, rule_false = rows(items, comparer)
    planted = sum(1 for i in items if i.plant is not None)
    print(f"dev: {pairs} unchanged pairs ({rule_false} rule conflicts), {planted} plants; "
          f"{int(y.sum())} positive and {int((y == 0).sum())} negative candidates")
    from sklearn.model_selection import StratifiedKFold

    best = None
    for c in C_GRID:
        loss = 0.0
        for tr, te in StratifiedKFold(5, shuffle=True, random_state=0).split(x, y):
            p = np.clip(fit_logistic(x[tr], y[tr], restated.FEATURE_NAMES, c).predict(x[te]), 1e-6, 1 - 1e-6)
            loss -= float(np.sum(y[te] * np.log(p) + (1 - y[te]) * np.log(1 - p)))
        print(f"  C={c:g}: 5-fold log loss {loss / len(y):.4f}")
        if best is None or loss < best[0]:
            best = (loss, c)
    assert best is not None
    model = fit_logistic(x, y, restated.FEATURE_NAMES, best[1])
    probs = model.predict(x)
    negatives = np.sort(probs[y == 0])[::-1]
    allowed = int(restated.FALSE_BUDGET * pairs)
    threshold = float(negatives[allowed] + 1e-6) if allowed < len(negatives) else 0.5
    recall = float(np.mean(probs[y == 1] >= threshold)) if y.sum() else 0.0
    print(f"threshold {threshold:.4f}: {allowed} of {len(negatives)} negatives above it; "
          f"{recall:.3f} of positive candidates ({int(y.sum())}) above it (in-sample)")
    data = {
        "kind": restated.MODEL_KIND,
        "version": 1,
        "model": model.to_dict(),
        "threshold": threshold,
        "fit": {
            "script": "benchmarks/fit_conflicts.py",
            "data": "dev split of benchmarks/conflicts.py: ECB+ topics 1-25 and BASIL's first 50 "
            f"events (seed 14); {pairs} unchanged pairs, {planted} planted conflicts",
            "model": f"L2 logistic regression, C={best[1]:g} by 5-fold log loss; threshold keeps "
            f"model conflicts on unchanged dev pairs <= {restated.FALSE_BUDGET} per pair",
        },
    }
    args.out.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
