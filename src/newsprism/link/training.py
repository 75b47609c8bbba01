"""Fitting the link model (:mod:`newsprism.link.model`) on labelled corpora.

Examples are made the way the linker meets them. A *story corpus* (articles with a gold story
each) is streamed in a seeded random order with the gold answer applied after each article
(teacher forcing): every candidate story the index proposes for the arriving article is one
example, labelled by whether it is the article's gold story. Some gold stories are kept in two
fragments, so that at the end each story against its candidates also gives story-vs-story
examples (what a merge decides). A *pair corpus* (two articles and a same-story label, such as
SemEval-2022 Task 8's rated pairs) gives one single-article example per pair.

Each corpus gets the same total weight, so the largest one does not set the decision alone.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

import numpy as np

from newsprism.compare.linear import LinearModel
from newsprism.link.config import LinkConfig
from newsprism.link.index import StoryIndex
from newsprism.link.model import FEATURES, LinkModel, vector_features
from newsprism.model import Article
from newsprism.represent.base import ArticleFeatures
from newsprism.represent.features import LinkRepresenter
from newsprism.represent.tfidf import SparseVector

__all__ = ["PairCorpus", "StoryCorpus", "fit_link_model", "pair_features", "represent_corpus"]


@dataclass(slots=True)
class StoryCorpus:
    """Articles with a gold story label each (``labels[i]`` is ``articles[i]``'s story)."""

    name: str
    articles: list[Article]
    labels: list[str]


@dataclass(slots=True)
class PairCorpus:
    """Article pairs with a same-story label (1 same, 0 different)."""

    name: str
    pairs: list[tuple[Article, Article]]
    labels: list[int] = field(default_factory=list)


def represent_corpus(articles: Sequence[Article]) -> list[ArticleFeatures]:
    """Features of a whole corpus with document frequencies counted over all of it first (as
    ``relink`` does); undated articles all get one fixed time."""
    representer = LinkRepresenter()
    now = datetime(2100, 1, 1, tzinfo=UTC)
    prepared = [representer.prepare(a.title, a.body) for a in articles]
    for text in prepared:
        if len(text.ids):
            representer.tfidf.observe(text.ids)
    return [representer.finish(a, t, now=now, observe=False) for a, t in zip(articles, prepared, strict=True)]


def pair_features(a: ArticleFeatures, b: ArticleFeatures) -> np.ndarray:
    """The model's features of two single articles (one row)."""
    return vector_features(a.vector, b.vector)


def story_examples(
    corpus: StoryCorpus, config: LinkConfig | None = None, *, seed: int = 0, split_share: float = 0.5
) -> tuple[np.ndarray, np.ndarray]:
    """Examples from streaming a story corpus with teacher forcing (see the module docstring).

    Args:
        corpus: the articles and their gold stories.
        config: candidate retrieval settings (default :class:`LinkConfig`).
        seed: the arrival order's and the fragments' random seed.
        split_share: share of gold stories kept in two fragments (story-vs-story examples).

    Returns:
        ``(X, y)``: feature rows (:data:`FEATURES`) and 0/1 labels.
    """
    config = config or LinkConfig()
    rng = random.Random(seed)
    order = list(range(len(corpus.articles)))
    rng.shuffle(order)
    # Document frequencies grow as the articles arrive, as in the stream: early articles'
    # vectors are weighed with little evidence, and the model learns from them as they are.
    representer = LinkRepresenter()
    now = datetime(2100, 1, 1, tzinfo=UTC)
    feats: dict[int, ArticleFeatures] = {i: representer.represent(corpus.articles[i], now=now) for i in order}
    split = {g for g in sorted(set(corpus.labels)) if rng.random() < split_share}
    index = StoryIndex(config, _placeholder())
    fragment_of: dict[tuple[str, int], str] = {}
    gold_of: dict[str, str] = {}
    rows: list[np.ndarray] = []
    labels: list[np.ndarray] = []
    for i in order:
        f, gold = feats[i], corpus.labels[i]
        if len(f.vector) == 0:
            continue
        slots = index.candidate_slots(f.vector, f.time, f.time, f.language, f.dated)
        picked, x, _ = index.features(f.vector, 1, f.time, f.time, slots)
        if picked:
            rows.append(x)
            labels.append(np.array([gold_of[s.id] == gold for s in picked], np.int8))
        key = (gold, rng.randrange(2) if gold in split else 0)
        sid = fragment_of.get(key)
        if sid is None:
            sid = fragment_of[key] = f"{gold}#{key[1]}"
            gold_of[sid] = gold
            index.create(sid, len(fragment_of), f)
        else:
            index.add(index.stories[sid], f)
    for story in list(index.stories.values()):
        if len(story.members) < 2:
            continue  # single-article stories were examples on arrival
        vec = SparseVector(story.ids, story.weights)
        slots = index.candidate_slots(vec, story.first, story.last, story.language, True, story.slot)
        picked, x, _ = index.features(vec, len(story.members), story.first, story.last, slots)
        if picked:
            rows.append(x)
            labels.append(np.array([gold_of[s.id] == gold_of[story.id] for s in picked], np.int8))
    if not rows:
        return np.zeros((0, len(FEATURES))), np.zeros(0, np.int8)
    return np.vstack(rows), np.concatenate(labels)


def pair_examples(corpus: PairCorpus) -> tuple[np.ndarray, np.ndarray]:
    """One example per labelled pair (document frequencies over the pairs' articles)."""
    unique: dict[str, Article] = {}
    for a, b in corpus.pairs:
        unique.setdefault(a.id, a)
        unique.setdefault(b.id, b)
    feats = dict(zip(unique, represent_corpus(list(unique.values())), strict=True))
    if not corpus.pairs:
        return np.zeros((0, len(FEATURES))), np.zeros(0, np.int8)
    x = np.vstack([pair_features(feats[a.id], feats[b.id]) for a, b in corpus.pairs])
    return x, np.asarray(corpus.labels, np.int8)


def fit_link_model(
    corpora: Sequence[StoryCorpus | PairCorpus],
    config: LinkConfig | None = None,
    *,
    seeds: Sequence[int] = (0, 1, 2),
    c: float = 1.0,
) -> LinkModel:
    """Fit the link model on labelled corpora (each weighed equally).

    Args:
        corpora: story corpora (streamed once per seed) and pair corpora.
        config: candidate retrieval settings.
        seeds: arrival orders per story corpus (more orders, more varied examples).
        c: inverse L2 penalty of the logistic regression on standardised features (1.0, the
            scikit-learn default: with five features the fit is far from overfitting).

    Returns:
        The fitted :class:`LinkModel` (``trained_on`` names the corpora).
    """
    xs, ys, ws = [], [], []
    for corpus in corpora:
        if isinstance(corpus, StoryCorpus):
            parts = [story_examples(corpus, config, seed=s) for s in seeds]
            x, y = np.vstack([p[0] for p in parts]), np.concatenate([p[1] for p in parts])
        else:
            x, y = pair_examples(corpus)
        if len(y) == 0:
            continue
        xs.append(x)
        ys.append(y)
        ws.append(np.full(len(y), 1.0 / len(y)))
    x, y, w = np.vstack(xs), np.concatenate(ys), np.concatenate(ws)
    w = w * len(y) / w.sum()
    mean = x.mean(axis=0)
    scale = x.std(axis=0)
    scale[scale < 1e-12] = 1.0
    coef, intercept = _monotone_logistic((x - mean) / scale, y, w, c)
    linear = LinearModel(
        FEATURES, tuple(mean.tolist()), tuple(scale.tolist()), tuple(coef.tolist()), intercept, "logistic"
    )
    return LinkModel(linear, trained_on=tuple(c.name for c in corpora))


# Features where more means more alike: their weights are kept >= 0, so more shared words or
# names never lower the probability of one story (a sign flip between collinear similarities
# fits the training corpora's quirks, not the task).
MONOTONE = frozenset({"cosine", "word_cos", "name_cos", "word_avg", "name_avg"})


def _monotone_logistic(z: np.ndarray, y: np.ndarray, w: np.ndarray, c: float) -> tuple[np.ndarray, float]:
    """Weighted L2 logistic regression (scikit-learn's objective: C times the summed log loss
    plus half the squared weights) with the :data:`MONOTONE` weights bounded at zero."""
    from scipy.optimize import minimize

    sign = 2.0 * y - 1.0

    def loss(theta: np.ndarray) -> tuple[float, np.ndarray]:
        margin = sign * (z @ theta[:-1] + theta[-1])
        value = c * float(np.sum(w * np.logaddexp(0.0, -margin))) + 0.5 * float(theta[:-1] @ theta[:-1])
        g = -c * w * sign / (1.0 + np.exp(margin))
        grad = np.concatenate([z.T @ g + theta[:-1], [g.sum()]])
        return value, grad

    bounds = [(0.0, None) if name in MONOTONE else (None, None) for name in FEATURES] + [(None, None)]
    result = minimize(loss, np.zeros(z.shape[1] + 1), jac=True, method="L-BFGS-B", bounds=bounds)
    return result.x[:-1], float(result.x[-1])


def _placeholder() -> LinkModel:
    """A model with no weights: the index only computes features while examples are made."""
    n = len(FEATURES)
    zeros = tuple([0.0] * n)
    return LinkModel(LinearModel(FEATURES, zeros, tuple([1.0] * n), zeros, 0.0, "logistic"))
