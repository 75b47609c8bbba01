"""Story linking measured so it cannot flatter us: leave-one-corpus-out, every order, a baseline.

For each labelled corpus (ECB+, BASIL: story corpora; SemEval-2022 Task 8 dev: same/different
story pairs; see benchmarks/_linking_corpora.py):

1. the link model is fitted on the *other* corpora only (``newsprism.link.training``);
2. a story corpus is streamed through the ingest path's linker (batches of 200, the CLI's default)
   in its file order, in date order where it has dates, and in 5 seeded shuffles; BCubed P/R/F1
   and pairwise F1 are printed for each, with the mean and the worst over orders, and the
   order-independent ``relink`` beside them (stream vs relink agreement);
3. beside it, in the same run, the baseline: scikit-learn TF-IDF + average-link clustering with the
   distance threshold chosen on the other story corpora;
4. the SemEval pairs give ROC-AUC of the model's same-story probability (fitted without SemEval)
   against the baseline's TF-IDF cosine.

Floors (out-of-corpus figures only): ECB+ worst order BCubed F1 >= 0.92, BASIL worst order >= 0.97.
Exit 1 below a floor; exit 0 with a message when ../shared/data is absent.

Run: ``.venv/bin/python benchmarks/linking_eval.py [--shuffles 5] [--json]``
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from datetime import UTC
from collections.abc import Sequence
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _data import bcubed, pairwise
from _linking_corpora import basil_corpus, ecbplus_corpus, semeval_corpus

from newsprism.link import LinkConfig, StreamingLinker, relink
from newsprism.link.model import LinkModel
from newsprism.link.training import PairCorpus, StoryCorpus, fit_link_model, pair_features, represent_corpus
from newsprism.model import Article
from newsprism.pipeline import ingest_articles
from newsprism.storage import MemoryStore

FLOORS = {"ECB+": 0.92, "BASIL": 0.97}
BATCH = 200  # IngestOptions.batch_size's default: what `newsprism ingest` links at a time
THRESHOLDS = np.round(np.arange(0.30, 0.97, 0.025), 3)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the protocol; exit 1 when an out-of-corpus figure is below its floor."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shuffles", type=int, default=5, help="seeded shuffled orders per corpus")
    parser.add_argument("--json", action="store_true", help="print the table as JSON")
    args = parser.parse_args(argv)
    loaded = [ecbplus_corpus(), basil_corpus(), semeval_corpus()]
    corpora = [c for c in loaded if c is not None]
    if not any(isinstance(c, StoryCorpus) for c in corpora):
        print("skipped: no story corpus under ../shared/data (the benchmark reads ECB+ and BASIL)")
        return 0
    stories = [c for c in corpora if isinstance(c, StoryCorpus)]
    results: dict[str, dict[str, object]] = {}
    failed = []
    for held in corpora:
        others = [c for c in corpora if c is not held]
        started = time.perf_counter()
        model = fit_link_model(others)
        fit_s = time.perf_counter() - started
        _say(args, f"\n== {held.name}: model fitted on {', '.join(c.name for c in others)} ({fit_s:.1f}s)")
        if isinstance(held, StoryCorpus):
            row = _story_corpus(held, model, [c for c in stories if c is not held], args)
            worst = float(row["worst_f1"])  # type: ignore[arg-type]
            floor = FLOORS.get(held.name)
            if floor is not None and worst < floor:
                failed.append(f"{held.name} worst-order BCubed F1 {worst:.3f} < {floor}")
        else:
            row = _pair_corpus(held, model, args)
        results[held.name] = row
    if args.json:
        print(json.dumps(results, indent=1))
    for line in failed:
        print("FAIL:", line)
    if not failed:
        print("ok: every out-of-corpus figure meets its floor")
    return 1 if failed else 0


def _story_corpus(corpus: StoryCorpus, model: LinkModel, others: list[StoryCorpus],
                  args: argparse.Namespace) -> dict[str, object]:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "link.json"
        model.save(path)
        config = LinkConfig(model_path=str(path))
        orders = _orders(corpus, args.shuffles)
        scores: dict[str, tuple[float, ...]] = {}
        relinked: tuple[float, ...] | None = None
        for name, order in orders.items():
            store, pred, gold, seconds = _stream(corpus, order, config)
            scores[name] = (*bcubed(pred, gold), pairwise(pred, gold)[2])
            _say(args, _line(f"stream, {name}", scores[name], len(set(pred)), len(set(gold)), seconds))
            if name == "file order":
                relink(store, config=config)
                pred = _labels(store, [corpus.articles[i].id for i in order])
                relinked = (*bcubed(pred, gold), pairwise(pred, gold)[2])
                _say(args, _line("relink (after file order)", relinked, len(set(pred)), len(set(gold)), 0))
    f1s = [s[2] for s in scores.values()]
    threshold = _baseline_threshold(others)
    base = _baseline(corpus, threshold)
    _say(args, _line(f"baseline TF-IDF avg-link @{threshold}", base, 0, 0, 0))
    mean, worst = float(np.mean(f1s)), float(min(f1s))
    agree = max(abs(relinked[2] - f) for f in f1s) if relinked else float("nan")
    _say(args, f"  {corpus.name}: stream BCubed F1 mean {mean:.3f} worst {worst:.3f} | relink {relinked[2] if relinked else float('nan'):.3f} "
         f"(largest |stream - relink| over the orders {agree:.3f}) | baseline {base[2]:.3f} "
         f"(threshold from {', '.join(o.name for o in others) or 'none'})")
    return {
        "orders": {k: dict(zip(("P", "R", "F1", "pairwise_F1"), v, strict=True)) for k, v in scores.items()},
        "mean_f1": mean, "worst_f1": worst, "largest_stream_relink_gap": agree,
        "relink": dict(zip(("P", "R", "F1", "pairwise_F1"), relinked or (), strict=False)),
        "baseline": {"threshold": threshold, **dict(zip(("P", "R", "F1", "pairwise_F1"), base, strict=True))},
        "trained_on": list(model.trained_on),
    }


def _pair_corpus(corpus: PairCorpus, model: LinkModel, args: argparse.Namespace) -> dict[str, object]:
    from sklearn.metrics import roc_auc_score

    unique: dict[str, Article] = {}
    for a, b in corpus.pairs:
        unique.setdefault(a.id, a)
        unique.setdefault(b.id, b)
    feats = dict(zip(unique, represent_corpus(list(unique.values())), strict=True))
    x = np.vstack([pair_features(feats[a.id], feats[b.id]) for a, b in corpus.pairs])
    probs = model.probability(x)
    cos = _tfidf_cosines(list(unique.values()), [(a.id, b.id) for a, b in corpus.pairs])
    y = np.asarray(corpus.labels)
    auc, base = float(roc_auc_score(y, probs)), float(roc_auc_score(y, cos))
    _say(args, f"  {corpus.name}: {len(y)} pairs ({int(y.sum())} same story): model ROC-AUC {auc:.3f} | "
         f"baseline TF-IDF cosine ROC-AUC {base:.3f}")
    return {"pairs": len(y), "same": int(y.sum()), "roc_auc": auc, "baseline_roc_auc": base,
            "trained_on": list(model.trained_on)}


def _orders(corpus: StoryCorpus, shuffles: int) -> dict[str, list[int]]:
    n = len(corpus.articles)
    out = {"file order": list(range(n))}
    if any(a.published for a in corpus.articles):
        out["date order"] = sorted(range(n), key=lambda i: (_ts(corpus.articles[i]), i))
    for seed in range(1, shuffles + 1):
        order = list(range(n))
        random.Random(seed).shuffle(order)
        out[f"shuffle {seed}"] = order
    return out


def _ts(article: Article) -> float:
    """Publication time in seconds (naive read as UTC; undated last)."""
    if article.published is None:
        return float("inf")
    published = article.published
    return (published if published.tzinfo else published.replace(tzinfo=UTC)).timestamp()


def _stream(corpus: StoryCorpus, order: list[int], config: LinkConfig) -> tuple[MemoryStore, list[str], list[str], float]:
    store = MemoryStore()
    linker = StreamingLinker(config, worker=False)
    articles = [corpus.articles[i] for i in order]
    started = time.perf_counter()
    ingest_articles(articles, store, hooks=[linker], batch_size=BATCH)
    seconds = time.perf_counter() - started
    return store, _labels(store, [a.id for a in articles]), [corpus.labels[i] for i in order], seconds


def _labels(store: MemoryStore, ids: list[str]) -> list[str]:
    return [store.story_article(a).story_id for a in ids]  # type: ignore[union-attr]


def _line(name: str, s: Sequence[float], n_pred: int, n_gold: int, seconds: float) -> str:
    tail = f" | {n_pred} stories (gold {n_gold}) {seconds:.1f}s" if n_pred else ""
    return f"  {name:<36} BCubed P {s[0]:.3f} R {s[1]:.3f} F1 {s[2]:.3f} | pairwise F1 {s[3]:.3f}{tail}"


def _texts(articles: Sequence[Article]) -> list[str]:
    return [f"{a.title}\n{a.body}" for a in articles]


def _baseline_tree(corpus: StoryCorpus) -> np.ndarray:
    """scikit-learn TF-IDF (fitted on the corpus itself: no labels) and the average-link tree of
    its cosine distances (cut at any threshold by :func:`_baseline`)."""
    from scipy.cluster.hierarchy import linkage
    from scipy.spatial.distance import squareform
    from sklearn.feature_extraction.text import TfidfVectorizer

    key = id(corpus)
    if key not in _TREES:
        matrix = TfidfVectorizer(sublinear_tf=True, stop_words="english").fit_transform(_texts(corpus.articles))
        dist = np.clip(1.0 - (matrix @ matrix.T).toarray(), 0.0, None)
        np.fill_diagonal(dist, 0.0)
        _TREES[key] = linkage(squareform(dist, checks=False), method="average")
    return _TREES[key]


_TREES: dict[int, np.ndarray] = {}


def _baseline(corpus: StoryCorpus, threshold: float) -> tuple[float, float, float, float]:
    from scipy.cluster.hierarchy import fcluster

    pred = list(fcluster(_baseline_tree(corpus), threshold, criterion="distance"))
    return (*bcubed(pred, corpus.labels), pairwise(pred, corpus.labels)[2])


def _baseline_threshold(others: list[StoryCorpus]) -> float:
    """The distance threshold with the best mean BCubed F1 on the other story corpora."""
    if not others:
        return 0.7
    best, best_f1 = float(THRESHOLDS[0]), -1.0
    for t in THRESHOLDS:
        f1 = float(np.mean([_baseline(c, float(t))[2] for c in others]))
        if f1 > best_f1:
            best, best_f1 = float(t), f1
    return best


def _tfidf_cosines(articles: list[Article], pairs: list[tuple[str, str]]) -> np.ndarray:
    from sklearn.feature_extraction.text import TfidfVectorizer

    pos = {a.id: i for i, a in enumerate(articles)}
    matrix = TfidfVectorizer(sublinear_tf=True).fit_transform(_texts(articles))
    return np.array([float(matrix[pos[a]].multiply(matrix[pos[b]]).sum()) for a, b in pairs])


def _say(args: argparse.Namespace, text: str) -> None:
    if not args.json:
        print(text, flush=True)


if __name__ == "__main__":
    sys.exit(main())
