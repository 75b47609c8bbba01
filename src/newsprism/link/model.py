"""The learned link model: the probability that two sets of articles report the same story.

One model scores every decision the linker makes: an article (or a group of new articles) against
a candidate story, two new articles against each other (grouping a batch), and two stories
against each other (merging). Each side is a set of articles given by the sum of their unit
TF-IDF vectors (:mod:`newsprism.represent.tfidf`) and its size, so all three are the same
question. The features are the name and word parts of the average-link similarity (names hash
apart, see :func:`~newsprism.represent.tfidf.entity_bit`), the centroid cosine, the names'
share of it and the sets' sizes; a logistic regression turns them into a probability.

Coefficients ship as JSON (``newsprism/data/models/link.json``) with the script that refits them
(``benchmarks/fit_link_model.py``, which fits on every corpus; ``benchmarks/linking_eval.py``
refits leave-one-corpus-out for the figures it prints). Any path can be loaded instead.

Time is not learned: the only dated corpus here (BASIL) cannot both teach and test it. It enters
as a stated prior on the log-odds, see :class:`LinkModel`.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path
from typing import Any

import numpy as np

from newsprism.compare.linear import LinearModel, load_json
from newsprism.errors import ConfigError
from newsprism.represent.tfidf import DEFAULT_N_BITS, SparseVector, entity_bit

__all__ = ["FEATURES", "NAME_BIT", "LinkModel", "load_link_model", "part_norms", "set_features", "split_dot", "vector_features"]

KIND = "newsprism.link_model"
# Name features live in the upper half of the default hashed TF-IDF's buckets.
NAME_BIT = entity_bit(DEFAULT_N_BITS)
FEATURES = ("cosine", "word_cos", "name_cos", "both_named", "word_avg", "name_avg", "log_pairs")
_DAY = 86400.0


def set_features(
    dot_word: np.ndarray,
    dot_name: np.ndarray,
    norms_a: tuple[np.ndarray | float, np.ndarray | float],
    norms_b: tuple[np.ndarray | float, np.ndarray | float],
    size_a: np.ndarray | float,
    size_b: np.ndarray | float,
) -> np.ndarray:
    """Model features of set pairs, one row each (columns in :data:`FEATURES` order).

    Args:
        dot_word, dot_name: word and name parts of the dot product of the two vector sums.
        norms_a, norms_b: L2 norms of the word part and the name part of each sum.
        size_a, size_b: the sets' sizes (articles).

    The name cosine (names alone) is what tells two same-kind events apart (two rehab check-ins,
    two shootings in one city); ``both_named`` says whether it means anything (a side without
    names has a name cosine of 0 that is no evidence against).
    """
    columns = list(feature_columns(dot_word, dot_name, norms_a, norms_b, size_a, size_b))
    out = np.empty((np.broadcast(*columns).size, len(FEATURES)))
    for k, column in enumerate(columns):
        out[:, k] = np.ravel(np.broadcast_to(column, out.shape[:1]))
    return out


def feature_columns(
    dot_word: np.ndarray,
    dot_name: np.ndarray,
    norms_a: tuple[np.ndarray | float, np.ndarray | float],
    norms_b: tuple[np.ndarray | float, np.ndarray | float],
    size_a: np.ndarray | float,
    size_b: np.ndarray | float,
) -> Iterator[np.ndarray]:
    """The columns of :func:`set_features` one at a time, in the inputs' shape (a pair matrix
    stays a matrix: :meth:`LinkModel.log_odds_of` sums them without stacking)."""
    dot_word = np.asarray(dot_word, np.float64)
    dot_name = np.asarray(dot_name, np.float64)
    wa, na = (np.asarray(v, np.float64) for v in norms_a)
    wb, nb = (np.asarray(v, np.float64) for v in norms_b)
    pairs = np.maximum(1.0, np.asarray(size_a, np.float64) * np.asarray(size_b, np.float64))
    total = np.maximum(1e-9, np.sqrt(wa * wa + na * na) * np.sqrt(wb * wb + nb * nb))
    named = (na > 1e-9) & (nb > 1e-9)
    yield (dot_word + dot_name) / total
    yield dot_word / np.maximum(1e-9, wa * wb)
    yield np.where(named, dot_name / np.maximum(1e-9, na * nb), 0.0)
    yield named.astype(np.float64)
    yield dot_word / pairs
    yield dot_name / pairs
    yield np.log(pairs)


def vector_features(a: SparseVector, b: SparseVector, size_a: float = 1.0, size_b: float = 1.0) -> np.ndarray:
    """:func:`set_features` of two sets given as vector sums (one row)."""
    word, name = split_dot(a, b)
    return set_features(np.array([word]), np.array([name]), part_norms(a.ids, a.weights),
                        part_norms(b.ids, b.weights), size_a, size_b)


def split_dot(a: SparseVector, b: SparseVector) -> tuple[float, float]:
    """Word and name parts of the dot product of two sparse vectors."""
    common, ia, ib = np.intersect1d(a.ids, b.ids, assume_unique=True, return_indices=True)
    if len(common) == 0:
        return 0.0, 0.0
    prod = a.weights[ia].astype(np.float64) * b.weights[ib]
    is_name = common >= NAME_BIT
    return float(prod[~is_name].sum()), float(prod[is_name].sum())


def part_norms(ids: np.ndarray, weights: np.ndarray) -> tuple[float, float]:
    """L2 norms of the word part and the name part of a sparse vector."""
    sq = np.asarray(weights, np.float64) ** 2
    is_name = np.asarray(ids) >= NAME_BIT
    return float(np.sqrt(sq[~is_name].sum())), float(np.sqrt(sq[is_name].sum()))


@dataclass(frozen=True, slots=True)
class LinkModel:
    """A fitted link model and the time prior.

    Args:
        linear: the logistic regression over :data:`FEATURES`.
        time_weight: log-odds taken off for two dated sets ``time_scale_days`` or more apart,
            scaled by ``log1p(days) / log1p(time_scale_days)`` below that. A design choice, not a
            fit (no corpus here can both fit and test it): 2.0 divides the odds by ~7 at a year
            apart, by ~2 at a week (0.7) and leaves same-day reports alone; the hard fade window
            (:class:`~newsprism.link.config.LinkConfig`) still cuts beyond it.
        time_scale_days: see ``time_weight``.
        trained_on: what the coefficients were fitted on (provenance, shown by the fit script).
    """

    linear: LinearModel
    time_weight: float = 2.0
    time_scale_days: float = 365.0
    trained_on: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if tuple(self.linear.features) != FEATURES:
            raise ConfigError(
                f"link model: features {list(self.linear.features)} do not match {list(FEATURES)}"
            )
        if self.linear.link != "logistic":
            raise ConfigError(f"link model: expected a logistic model, got link {self.linear.link!r}")
        if not 0.0 <= self.time_weight <= 20.0 or self.time_scale_days <= 0:
            raise ConfigError(
                "link model: time_weight must be in [0, 20] and time_scale_days positive, got "
                f"{self.time_weight!r} and {self.time_scale_days!r}"
            )

    def log_odds(self, features: np.ndarray, gap_seconds: np.ndarray | float = 0.0,
                 dated: np.ndarray | bool = False) -> np.ndarray:
        """Log-odds of "same story" for feature rows, less the time prior where both are dated."""
        lin = self.linear
        z = (np.asarray(features, np.float64) - np.array(lin.mean)) / np.array(lin.scale)
        return np.asarray(z @ np.array(lin.coef) + lin.intercept - self._prior(gap_seconds, dated))

    def log_odds_of(self, columns: Iterable[np.ndarray], gap_seconds: np.ndarray | float = 0.0,
                    dated: np.ndarray | bool = False) -> np.ndarray:
        """:meth:`log_odds` from :func:`feature_columns`, summed column by column (a pair matrix
        needs one matrix of memory, not one per feature)."""
        lin = self.linear
        out: np.ndarray | float = lin.intercept
        for column, mean, scale, coef in zip(columns, lin.mean, lin.scale, lin.coef, strict=True):
            if coef:
                out = out + (column - mean) * (coef / scale)
        return np.asarray(out - self._prior(gap_seconds, dated))

    def _prior(self, gap_seconds: np.ndarray | float, dated: np.ndarray | bool) -> np.ndarray:
        """The time prior taken off the log-odds (zero where a side is undated)."""
        days = np.maximum(np.asarray(gap_seconds, np.float64), 0.0) / _DAY
        prior = self.time_weight * np.minimum(1.0, np.log1p(days) / np.log1p(self.time_scale_days))
        return np.where(dated, prior, 0.0)

    def probability(self, features: np.ndarray, gap_seconds: np.ndarray | float = 0.0,
                    dated: np.ndarray | bool = False) -> np.ndarray:
        """Probability of "same story" (see :meth:`log_odds`)."""
        return np.asarray(1.0 / (1.0 + np.exp(-self.log_odds(features, gap_seconds, dated))))

    def to_dict(self) -> dict[str, Any]:
        """Plain-JSON form."""
        return {
            "kind": KIND,
            "model": self.linear.to_dict(),
            "time_weight": self.time_weight,
            "time_scale_days": self.time_scale_days,
            "trained_on": list(self.trained_on),
        }

    def save(self, path: str | Path) -> None:
        """Write the model as JSON."""
        Path(path).write_text(json.dumps(self.to_dict(), indent=1) + "\n", encoding="utf-8")

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> LinkModel:
        """Inverse of :meth:`to_dict`; ConfigError on a malformed mapping."""
        if not isinstance(data.get("model"), dict):
            raise ConfigError("link model: no 'model' mapping")
        try:
            return cls(
                LinearModel.from_dict(data["model"]),
                float(data.get("time_weight", 2.0)),
                float(data.get("time_scale_days", 365.0)),
                tuple(str(x) for x in data.get("trained_on", ())),
            )
        except (TypeError, ValueError) as exc:
            raise ConfigError(f"link model: malformed ({exc})") from exc


def default_model_path() -> Path:
    """The shipped model file."""
    return Path(str(files("newsprism.data") / "models" / "link.json"))


def load_link_model(path: str | Path | None = None) -> LinkModel:
    """Load a link model from ``path`` (default: the shipped one).

    Raises:
        ConfigError: the file is missing, not JSON, or not a link model.
    """
    return LinkModel.from_dict(load_json(Path(path) if path else default_model_path(), KIND))
