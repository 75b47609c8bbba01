"""Average-link clustering of a batch of articles among themselves (before they meet the stories).

Linking article by article makes early decisions on little evidence: the first two reports of a
story may differ more than either differs from later ones. Grouping the articles that arrive
together first (average link over the link model's pair probabilities, duplicates always together) and
then linking each group as a whole removed most of that order effect on ECB+ (see
:class:`~newsprism.link.config.LinkConfig`). Batches are cut into windows of ``window``
articles so the dense similarity matrix stays small.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import scipy.sparse as sp
from scipy.cluster.hierarchy import fcluster, linkage
from scipy.spatial.distance import squareform

from newsprism.link.config import LinkConfig
from newsprism.link.model import NAME_BIT, LinkModel, feature_columns
from newsprism.represent.base import ArticleFeatures


def group_batch(
    batch: Sequence[ArticleFeatures],
    must_link: Sequence[tuple[int, int]],
    config: LinkConfig,
    model: LinkModel,
    window: int = 400,
) -> tuple[list[list[int]], np.ndarray]:
    """Group a batch's articles; return the groups (indices, in batch order) and each article's
    mean same-story probability with the rest of its group (0 for a group of one).

    Args:
        batch: the articles' features.
        must_link: index pairs that must share a group (duplicates).
        config: ``group_threshold``, fade window.
        model: the link model (pair probabilities).
        window: most articles clustered together (larger batches are cut in windows).
    """
    groups: list[list[int]] = []
    cohesion = np.zeros(len(batch))
    for start in range(0, len(batch), window):
        idx = list(range(start, min(len(batch), start + window)))
        pairs = [(a - start, b - start) for a, b in must_link if start <= a < idx[-1] + 1 and start <= b <= idx[-1]]
        labels, sims = _cluster([batch[i] for i in idx], pairs, config, model)
        found: dict[int, list[int]] = {}
        for i, label in zip(idx, labels, strict=True):
            found.setdefault(int(label), []).append(i)
        for members in found.values():
            groups.append(members)
            if len(members) > 1:
                local = [i - start for i in members]
                sub = sims[np.ix_(local, local)]
                cohesion[members] = (sub.sum(axis=1) - np.diag(sub)) / (len(members) - 1)
    groups.sort(key=lambda g: g[0])
    return groups, cohesion


def _cluster(
    feats: list[ArticleFeatures], pairs: list[tuple[int, int]], config: LinkConfig, model: LinkModel
) -> tuple[np.ndarray, np.ndarray]:
    n = len(feats)
    if n == 1:
        return np.ones(1, dtype=int), np.zeros((1, 1))
    sims = pair_probabilities(feats, config, model)
    dist = 1.0 - sims
    for a, b in pairs:
        dist[a, b] = dist[b, a] = 0.0
    empty = [i for i, f in enumerate(feats) if len(f.vector) == 0]
    for i in empty:  # nothing to compare: only duplicates join it
        keep = dist[i, :] == 0.0
        dist[i, :] = np.where(keep, 0.0, 2.0)
        dist[:, i] = dist[i, :]
    np.fill_diagonal(dist, 0.0)
    dist = np.clip(dist, 0.0, None)
    tree = linkage(squareform(dist, checks=False), method="average")
    return fcluster(tree, 1.0 - config.group_threshold, criterion="distance"), sims


def cluster_articles(
    feats: Sequence[ArticleFeatures], must_link: Sequence[tuple[int, int]], config: LinkConfig, model: LinkModel
) -> np.ndarray:
    """Average-link cluster labels of articles over their pair probabilities, cut at
    ``group_threshold``; ``must_link`` pairs (duplicates) always together."""
    return _cluster(list(feats), list(must_link), config, model)[0]


def pair_probabilities(feats: Sequence[ArticleFeatures], config: LinkConfig, model: LinkModel) -> np.ndarray:
    """The link model's same-story probability of every pair of articles (-1 for two dated
    articles further apart than the fade window)."""
    n = len(feats)
    lengths = [len(f.vector) for f in feats]
    rows = np.repeat(np.arange(n), lengths)
    cols = np.concatenate([f.vector.ids for f in feats]) if n else np.zeros(0, np.int64)
    vals = np.concatenate([f.vector.weights for f in feats]) if n else np.zeros(0, np.float32)
    is_name = cols >= NAME_BIT
    word = _gram(rows[~is_name], cols[~is_name], vals[~is_name], n)
    name = _gram(rows[is_name], cols[is_name], vals[is_name], n)
    word_norm, name_norm = np.sqrt(np.diag(word)), np.sqrt(np.diag(name))
    times = np.fromiter((f.time for f in feats), np.float64, n)
    gaps = np.abs(times[:, None] - times[None, :])
    dated = np.fromiter((f.dated for f in feats), bool, n)
    both = dated[:, None] & dated[None, :]
    columns = feature_columns(
        word, name, (word_norm[:, None], name_norm[:, None]), (word_norm[None, :], name_norm[None, :]), 1.0, 1.0
    )
    probs = 1.0 / (1.0 + np.exp(-model.log_odds_of(columns, gaps, both)))
    has_text = np.fromiter((len(f.vector) > 0 for f in feats), bool, n)
    probs = np.where(has_text[:, None] & has_text[None, :], probs, 0.0)
    # Two dated articles further apart than the fade window are never one story (distance 2).
    # An undated article's ingest time only bounds its real date from above: the prior alone.
    return np.where((gaps > config.fade_seconds) & both, -1.0, probs)


def _gram(rows: np.ndarray, cols: np.ndarray, vals: np.ndarray, n: int) -> np.ndarray:
    """Dense ``n x n`` dot products of the sparse rows given as (row, column, value) triples."""
    if len(cols) == 0:
        return np.zeros((n, n))
    uniq, inverse = np.unique(cols, return_inverse=True)
    if n * n * len(uniq) <= 20_000_000:  # small (a revisited neighbourhood): dense is faster
        dense = np.zeros((n, len(uniq)), np.float64)
        dense[rows, inverse] = vals
        return dense @ dense.T
    matrix = sp.csr_matrix((vals, (rows, inverse)), shape=(n, len(uniq)))
    return np.asarray((matrix @ matrix.T).toarray(), np.float64)
