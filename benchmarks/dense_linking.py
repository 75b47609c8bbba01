"""Do dense sentence embeddings help story clustering? TF-IDF vs MiniLM vs mixtures on ECB+.

Every article of ECB+ is represented twice: with the linker's own hashed TF-IDF
(:class:`newsprism.represent.features.LinkRepresenter`, document frequencies from the whole
corpus) and with the project's embedder (:class:`newsprism.represent.embedding.Embedder`,
int8 MiniLM) over the title and the first ~512 characters. With ``--full`` a second embedding is
added: the mean of the embeddings of every sentence (up to ``MAX_SENTENCES``), which is about
4x slower.

Each variant (TF-IDF cosine, embedding cosine, ``alpha * tfidf + (1 - alpha) * embedding``) is
clustered exactly: scipy average-link on ``1 - similarity``, cut at a distance threshold taken
from a grid. Printed per variant: the best BCubed P/R/F1 and pairwise F1 over the grid with its
threshold (tuned on the test data: an upper bound), and the honest figures: the threshold chosen
on the even-numbered topics and scored on the odd ones (clustered on their own), and the
reverse. Then BASIL (held out: 100 events x 3 outlets) at each variant's ECB+ threshold. The
streaming linker's time penalty is left out (ECB+ has no dates), so these are content-only
figures, not the linker's. Also prints embedding and TF-IDF throughput on this machine.

Exits 0 (it is a measurement, with no floor); exits 0 with a message when the data is missing.

Run: ``.venv/bin/python benchmarks/dense_linking.py [--full]``
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
from scipy.cluster.hierarchy import fcluster, linkage
from scipy.sparse import csr_matrix
from scipy.spatial.distance import squareform

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _data import BASIL, ECBPLUS, basil_articles, bcubed, ecbplus_gold, pairwise

from newsprism.compare.text import split_sentences
from newsprism.model import Article
from newsprism.pipeline import ingest
from newsprism.represent.embedding import Embedder
from newsprism.represent.features import LinkRepresenter
from newsprism.storage import MemoryStore

#: Distance cuts tried (1 - similarity).
GRID = np.round(np.arange(0.02, 0.99, 0.01), 2)
ALPHAS = (0.9, 0.8, 0.7, 0.5)
#: Characters of title + body embedded for the "lead" embedding (~110 MiniLM tokens).
LEAD_CHARS = 512
#: Sentences per article for the ``--full`` sentence-mean embedding (covers ~90% of ECB+ whole).
MAX_SENTENCES = 40


@dataclass(slots=True)
class Corpus:
    """Articles, their gold labels and similarity matrices by variant name."""

    articles: list[Article]
    gold: list[str]
    sims: dict[str, np.ndarray]


def lead_text(article: Article, chars: int = LEAD_CHARS) -> str:
    """Title and the start of the body, cut at a word boundary near ``chars``.

    ECB+ has no headlines (the ingest takes the first sentence as title), so the title is not
    repeated when the body already starts with it."""
    body = article.body
    text = body if body.startswith(article.title) else f"{article.title}\n{body}"
    if len(text) <= chars:
        return text
    return text[:chars].rsplit(" ", 1)[0]


def tfidf_similarity(articles: Sequence[Article]) -> tuple[np.ndarray, float]:
    """Cosine matrix of the linker's TF-IDF vectors (IDF over ``articles``) and articles/s."""
    started = time.perf_counter()
    rep = LinkRepresenter()
    prepared = [rep.prepare(a.title, a.body) for a in articles]
    for p in prepared:
        if len(p.ids):
            rep.tfidf.observe(p.ids)
    now = datetime.now(UTC)
    vectors = [
        rep.finish(a, p, now=now, observe=False).vector
        for a, p in zip(articles, prepared, strict=True)
    ]
    rate = len(articles) / (time.perf_counter() - started)
    rows = np.repeat(np.arange(len(vectors)), [len(v.ids) for v in vectors])
    ids = np.concatenate([v.ids for v in vectors]) if vectors else np.zeros(0, dtype=np.int64)
    cols = np.unique(ids, return_inverse=True)[1]
    data = (
        np.concatenate([v.weights for v in vectors]).astype(np.float64) if vectors else np.zeros(0)
    )
    matrix = csr_matrix((data, (rows, cols)), shape=(len(vectors), int(cols.max(initial=-1)) + 1))
    return np.asarray((matrix @ matrix.T).todense()), rate


def lead_embeddings(embedder: Embedder, articles: Sequence[Article]) -> tuple[np.ndarray, float]:
    """Embeddings of :func:`lead_text` and articles/s."""
    started = time.perf_counter()
    vectors = embedder.encode([lead_text(a) for a in articles])
    return vectors, len(articles) / (time.perf_counter() - started)


def sentence_mean_embeddings(
    embedder: Embedder, articles: Sequence[Article]
) -> tuple[np.ndarray, float]:
    """Mean of the sentence embeddings of each article (title + up to MAX_SENTENCES), unit length."""
    started = time.perf_counter()
    owners: list[int] = []
    sentences: list[str] = []
    for i, a in enumerate(articles):
        parts = split_sentences(a.body)[:MAX_SENTENCES]
        if a.title and (not parts or parts[0] != a.title):
            parts = [a.title, *parts]
        parts = parts or [""]
        sentences.extend(parts)
        owners.extend([i] * len(parts))
    rows = embedder.encode(sentences)
    sums = np.zeros((len(articles), rows.shape[1]), dtype=np.float64)
    np.add.at(sums, np.asarray(owners), rows)
    sums /= np.clip(np.linalg.norm(sums, axis=1, keepdims=True), 1e-12, None)
    return sums.astype(np.float32), len(articles) / (time.perf_counter() - started)


def add_mixtures(sims: dict[str, np.ndarray], embedding: str) -> None:
    """Add ``alpha * tfidf + (1 - alpha) * embedding`` for each alpha in ALPHAS."""
    for alpha in ALPHAS:
        sims[f"mix {alpha:.1f} tfidf+{embedding}"] = (
            alpha * sims["tfidf"] + (1 - alpha) * sims[embedding]
        )


def average_link(sim: np.ndarray) -> np.ndarray:
    """Average-link merge tree on ``1 - sim``."""
    distance = np.clip(1.0 - (sim + sim.T) / 2, 0.0, 2.0)
    np.fill_diagonal(distance, 0.0)
    return linkage(squareform(distance, checks=False), method="average")


def sweep(sim: np.ndarray, gold: Sequence[str]) -> list[tuple[float, np.ndarray, float]]:
    """(threshold, labels, BCubed F1) for every cut in GRID."""
    tree = average_link(sim)
    out = []
    for t in GRID:
        labels = fcluster(tree, t, criterion="distance")
        out.append((float(t), labels, bcubed(list(labels), gold)[2]))
    return out


def best(points: list[tuple[float, np.ndarray, float]]) -> tuple[float, np.ndarray, float]:
    """The cut with the highest F1 (the lowest threshold among ties)."""
    return max(points, key=lambda p: (p[2], -p[0]))


def at(points: list[tuple[float, np.ndarray, float]], threshold: float) -> float:
    """F1 at the grid cut nearest ``threshold``."""
    return min(points, key=lambda p: abs(p[0] - threshold))[2]


def topic_of(story: str) -> int:
    """ECB+ topic number from a story label such as ``12ecbplus``."""
    match = re.match(r"\d+", story)
    if match is None:
        raise ValueError(f"story label {story!r} does not start with a topic number")
    return int(match.group())


def split_scores(sim: np.ndarray, gold: list[str]) -> tuple[float, float, float, float]:
    """Threshold chosen on even topics with F1 on odd ones, and the reverse: (t_even, F1_odd,
    t_odd, F1_even). Each half is clustered on its own."""
    halves = []
    for parity in (0, 1):
        idx = np.array([i for i, g in enumerate(gold) if topic_of(g) % 2 == parity])
        halves.append(sweep(sim[np.ix_(idx, idx)], [gold[i] for i in idx]))
    t_even, t_odd = best(halves[0])[0], best(halves[1])[0]
    return t_even, at(halves[1], t_even), t_odd, at(halves[0], t_odd)


def load_ecbplus() -> tuple[list[Article], list[str]]:
    """ECB+ articles (through the real ingest path) and their gold stories."""
    store = MemoryStore()
    ingest([str(ECBPLUS)], store, progress=False)
    gold = ecbplus_gold()
    articles = store.articles()
    return articles, [gold[a.external_id or ""] for a in articles]


def build(
    articles: list[Article], gold: list[str], embedder: Embedder, full: bool, name: str
) -> Corpus:
    """Similarity matrices of every variant for one corpus; prints throughput."""
    sims: dict[str, np.ndarray] = {}
    sims["tfidf"], rate = tfidf_similarity(articles)
    print(f"{name}: {len(articles)} articles; linker TF-IDF represent {rate:,.0f} articles/s")
    embedders: list[
        tuple[str, Callable[[Embedder, Sequence[Article]], tuple[np.ndarray, float]]]
    ] = [("emb-lead", lead_embeddings)]
    if full:
        embedders.append(("emb-sentmean", sentence_mean_embeddings))
    for key, fn in embedders:
        vectors, rate = fn(embedder, articles)
        print(f"{name}: {key} embedding {rate:.1f} articles/s ({1000 / rate:.0f} ms/article)")
        sims[key] = np.clip(vectors @ vectors.T, -1.0, 1.0).astype(np.float64)
    for key, _ in embedders:
        add_mixtures(sims, key)
    return Corpus(articles, gold, sims)


def report_ecbplus(corpus: Corpus) -> dict[str, float]:
    """Print the ECB+ table; return each variant's full-corpus best threshold."""
    print(
        f"\n{'ECB+ variant':<28} {'t*':>5} {'B3 P':>6} {'B3 R':>6} {'B3 F1':>6} {'pw F1':>6} | "
        f"{'t_even':>6} {'F1 odd':>6} {'t_odd':>6} {'F1 even':>7} {'held-out mean':>13}"
    )
    chosen: dict[str, float] = {}
    for name, sim in corpus.sims.items():
        t, labels, _ = best(sweep(sim, corpus.gold))
        p, r, f = bcubed(list(labels), corpus.gold)
        pf = pairwise(list(labels), corpus.gold)[2]
        t_even, f_odd, t_odd, f_even = split_scores(sim, corpus.gold)
        chosen[name] = t
        print(
            f"{name:<28} {t:>5.2f} {p:>6.3f} {r:>6.3f} {f:>6.3f} {pf:>6.3f} | "
            f"{t_even:>6.2f} {f_odd:>6.3f} {t_odd:>6.2f} {f_even:>7.3f} {(f_odd + f_even) / 2:>13.3f}"
        )
    return chosen


def report_basil(corpus: Corpus, chosen: dict[str, float]) -> None:
    """Print BASIL scores at each variant's ECB+ threshold (and BASIL's own best, for reference)."""
    print(
        f"\n{'BASIL variant (held out)':<28} {'t ECB+':>6} {'B3 P':>6} {'B3 R':>6} {'B3 F1':>6} {'pw F1':>6} | {'own best F1 (t)':>16}"
    )
    for name, sim in corpus.sims.items():
        points = sweep(sim, corpus.gold)
        t = chosen[name]
        labels = min(points, key=lambda q: abs(q[0] - t))[1]
        p, r, f = bcubed(list(labels), corpus.gold)
        pf = pairwise(list(labels), corpus.gold)[2]
        bt, _, bf = best(points)
        print(
            f"{name:<28} {t:>6.2f} {p:>6.3f} {r:>6.3f} {f:>6.3f} {pf:>6.3f} | {bf:>9.3f} ({bt:.2f})"
        )


def main(argv: list[str] | None = None) -> int:
    """Run the measurement; always exit 0."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--full", action="store_true", help="also the sentence-mean embedding (~4x slower)"
    )
    parser.add_argument("--threads", type=int, default=2, help="ONNX Runtime threads (default 2)")
    args = parser.parse_args(argv)
    if not ECBPLUS.is_file():
        print(f"skipped: {ECBPLUS} not found (the benchmark reads ../shared/data)")
        return 0
    started = time.perf_counter()
    embedder = Embedder(threads=args.threads)
    embedder.encode(["warm-up"])  # load the model outside the timed runs
    articles, gold = load_ecbplus()
    chosen = report_ecbplus(build(articles, gold, embedder, args.full, "ECB+"))
    if BASIL.is_dir():
        basil, basil_gold = basil_articles()
        print()
        report_basil(
            build(basil, [basil_gold[a.id] for a in basil], embedder, args.full, "BASIL"), chosen
        )
    else:
        print(f"BASIL check skipped: {BASIL} not found")
    print(f"\ntotal {time.perf_counter() - started:.0f}s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
