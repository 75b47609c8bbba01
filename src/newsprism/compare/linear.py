"""Small linear models stored as JSON (never pickle): standardise, dot, add.

The compare stage ships its fitted models as plain coefficients in ``newsprism/data/models/``;
this module reads and writes them and, for the fit scripts and benchmarks, fits them with
scikit-learn (ridge regression for the similarity scores, logistic regression for paraphrases).
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from newsprism.errors import ConfigError


@dataclass(frozen=True, slots=True)
class LinearModel:
    """``intercept + sum(coef * (x - mean) / scale)`` over named features.

    Attributes:
        features: feature names, in the order of the other arrays.
        mean, scale: standardisation learned at fit time.
        coef: weights of the standardised features.
        intercept: the constant.
        link: ``"identity"`` (regression) or ``"logistic"`` (a probability).
    """

    features: tuple[str, ...]
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    coef: tuple[float, ...]
    intercept: float
    link: str = "identity"

    def __post_init__(self) -> None:
        n = len(self.features)
        if not (len(self.mean) == len(self.scale) == len(self.coef) == n):
            raise ConfigError(f"linear model: {n} features but arrays of other lengths")
        if self.link not in ("identity", "logistic"):
            raise ConfigError(f"link: expected 'identity' or 'logistic', got {self.link!r}")

    def predict(self, rows: np.ndarray) -> np.ndarray:
        """Predict for a ``(n, len(features))`` array (columns in :attr:`features` order)."""
        z = (np.asarray(rows, dtype=np.float64) - np.array(self.mean)) / np.array(self.scale)
        out = z @ np.array(self.coef) + self.intercept
        if self.link == "logistic":
            out = 1.0 / (1.0 + np.exp(-out))
        return np.asarray(out)

    def predict_one(self, values: Mapping[str, float]) -> float:
        """Predict for one ``{feature: value}`` mapping (missing features raise KeyError)."""
        return float(self.predict(np.array([[values[f] for f in self.features]]))[0])

    def to_dict(self) -> dict[str, Any]:
        """Plain-JSON form (floats rounded to 8 significant digits)."""

        def r(xs: Sequence[float]) -> list[float]:
            return [float(f"{x:.8g}") for x in xs]

        return {
            "features": list(self.features),
            "mean": r(self.mean),
            "scale": r(self.scale),
            "coef": r(self.coef),
            "intercept": float(f"{self.intercept:.8g}"),
            "link": self.link,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> LinearModel:
        """Inverse of :meth:`to_dict`; raises ConfigError on a malformed mapping."""
        try:
            return cls(
                features=tuple(str(f) for f in data["features"]),
                mean=tuple(float(x) for x in data["mean"]),
                scale=tuple(float(x) for x in data["scale"]),
                coef=tuple(float(x) for x in data["coef"]),
                intercept=float(data["intercept"]),
                link=str(data.get("link", "identity")),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise ConfigError(f"linear model: malformed coefficients ({exc})") from exc


def _standardise(x: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    mean = x.mean(axis=0)
    scale = x.std(axis=0)
    scale[scale < 1e-12] = 1.0  # a constant feature: leave it unscaled (its weight ends up ~0)
    return (x - mean) / scale, mean, scale


def fit_ridge(
    x: np.ndarray,
    y: np.ndarray,
    names: Sequence[str],
    alpha: float,
    *,
    nonpositive: Sequence[str] = (),
) -> LinearModel:
    """Ridge regression on standardised features, optionally with sign constraints.

    Solved as bounded least squares (``scipy.optimize.lsq_linear``) on the centred data stacked
    over ``sqrt(alpha) * I``, which is ridge exactly when no bound is active.

    Args:
        x, y: training features ``(n, len(names))`` and targets ``(n,)``.
        names: feature names.
        alpha: ridge penalty (> 0).
        nonpositive: features whose weight must be <= 0 (for a dissimilarity target: features
            where a higher value means more alike).
    """
    from scipy.optimize import lsq_linear

    if alpha <= 0:
        raise ConfigError(f"alpha: expected a positive number, got {alpha!r}")
    unknown = set(nonpositive) - set(names)
    if unknown:
        raise ConfigError(f"nonpositive: unknown feature(s) {sorted(unknown)}")
    z, mean, scale = _standardise(np.asarray(x, dtype=np.float64))
    y = np.asarray(y, dtype=np.float64)
    z_mean, y_mean = z.mean(axis=0), float(y.mean())
    k = z.shape[1]
    design = np.vstack([z - z_mean, math.sqrt(alpha) * np.eye(k)])
    target = np.concatenate([y - y_mean, np.zeros(k)])
    upper = np.array([0.0 if n in nonpositive else np.inf for n in names])
    coef = lsq_linear(design, target, bounds=(np.full(k, -np.inf), upper)).x
    intercept = y_mean - float(z_mean @ coef)
    return LinearModel(tuple(names), tuple(mean), tuple(scale), tuple(coef), intercept)


def fit_logistic(x: np.ndarray, y: np.ndarray, names: Sequence[str], c: float) -> LinearModel:
    """L2 logistic regression on standardised features (scikit-learn ``LogisticRegression``)."""
    from sklearn.linear_model import LogisticRegression

    z, mean, scale = _standardise(np.asarray(x, dtype=np.float64))
    model = LogisticRegression(C=c, max_iter=1000).fit(z, y)
    return LinearModel(
        tuple(names), tuple(mean), tuple(scale), tuple(model.coef_[0]), float(model.intercept_[0]), "logistic"
    )


def load_json(path: Path, kind: str) -> dict[str, Any]:
    """Read a shipped model file and check its ``kind``; ConfigError names the file on failure."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ConfigError(f"model_path: {path} does not exist") from exc
    except (OSError, ValueError) as exc:
        raise ConfigError(f"model_path: {path} is not a readable JSON model: {exc}") from exc
    if not isinstance(data, dict) or data.get("kind") != kind:
        got = data.get("kind") if isinstance(data, dict) else type(data).__name__
        raise ConfigError(f"model_path: {path} holds kind {got!r}, expected {kind!r}")
    return data


def finite(value: float) -> float:
    """``value`` if finite, else 0.0 (features of degenerate inputs)."""
    return value if math.isfinite(value) else 0.0
