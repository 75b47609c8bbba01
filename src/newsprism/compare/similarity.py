"""Seven-dimension similarity of two news articles (SemEval-2022 Task 8 scale).

Each dimension (overall, geography, entities, time, narrative, style, tone) is scored from 1 (very
similar) to 4 (very dissimilar). Scores come from cheap features (MiniLM embedding cosines of the
texts, titles and sentences; word, character, entity, place, number and date overlaps) mapped by
ridge regressions whose coefficients ship in ``newsprism/data/models/similarity.json``.

How the shipped model was fit: ``benchmarks/fit_similarity.py`` on the 917 pairs of the
SemEval-2022 Task 8 dev set (all languages; the data itself is not shipped). Cross-validated
(5-fold, out-of-fold) Pearson of Overall on the 209 English pairs: see ``benchmarks/similarity.py``
and the ``cv`` block of the JSON file. MiniLM is English-only: other languages score lower.

Example::

    result = similarity(article_a, article_b)
    result.overall, result.dimensions[1].reason
"""

from __future__ import annotations

import csv
import functools
import logging
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

import numpy as np

from newsprism.compare import reasons
from newsprism.compare.base import DIMENSIONS, DimensionScore, PairSimilarity
from newsprism.compare.features import (
    ALIKE_FEATURES,
    FEATURE_NAMES,
    MAX_SENTENCES,
    embedding_features,
    lexical_features,
)
from newsprism.compare.linear import LinearModel, finite, fit_ridge, load_json
from newsprism.compare.text import MAX_CHARS, TextView, view
from newsprism.errors import ConfigError, InputError
from newsprism.model import Article
from newsprism.represent.embedding import Embedder, default_embedder

logger = logging.getLogger(__name__)

#: The shipped coefficients.
DEFAULT_MODEL_PATH = Path(__file__).resolve().parent.parent / "data" / "models" / "similarity.json"
MODEL_KIND = "newsprism.similarity"
#: Ridge penalty on standardised features; 10 was best of {0.3, 1, 3, 10, 30} on the English
#: Overall cross-validated Pearson (0.851 vs 0.846-0.853: flat), and 30 hurt the other languages.
RIDGE_ALPHA = 10.0
#: See :class:`DimensionModel`; chosen from {0, 0.1, 0.2, 0.3} (English Overall Pearson 0.837,
#: 0.840, 0.842, 0.842; self-comparison max 1.12, 1.22, 1.25, 1.30).
GUARD_MARGIN = 0.1
CSV_COLUMNS = ("pair_id", "text1", "text2")


@dataclass(frozen=True, slots=True)
class DimensionModel:
    """The fitted scorer of one dimension: the smaller of a free ridge regression and a
    sign-constrained (monotone) one plus ``margin``, clipped to [1, 4].

    Why two: the free model is the better ranker on real pairs (its collinear features trade off),
    but outside the training range (near-identical texts) it extrapolates wrongly, e.g. scoring a
    text against itself ~2.6 on Overall. The monotone model, whose weights on alike-features are
    all <= 0, cannot do that; taking the minimum keeps its guarantee within ``margin``. With
    margin 0.1 the English Overall cross-validated Pearson was 0.841 (free model alone 0.847,
    monotone alone 0.811), and a text against itself scored 1.04 on average (max 1.22).
    """

    free: LinearModel
    monotone: LinearModel
    margin: float

    def predict(self, features: np.ndarray) -> np.ndarray:
        """Scores in [1, 4] for a ``(n, len(FEATURE_NAMES))`` feature array."""
        raw = np.minimum(self.free.predict(features), self.monotone.predict(features) + self.margin)
        return np.asarray(np.clip(raw, 1.0, 4.0))

    def to_dict(self) -> dict[str, Any]:
        """Plain-JSON form."""
        return {"free": self.free.to_dict(), "monotone": self.monotone.to_dict(), "margin": self.margin}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> DimensionModel:
        """Inverse of :meth:`to_dict`."""
        return cls(LinearModel.from_dict(data["free"]), LinearModel.from_dict(data["monotone"]), float(data["margin"]))


def fit(
    features: np.ndarray, targets: np.ndarray, *, alpha: float = RIDGE_ALPHA, margin: float = GUARD_MARGIN
) -> dict[str, DimensionModel]:
    """Fit the free and monotone ridge regressions of every dimension.

    Args:
        features: ``(n, len(FEATURE_NAMES))`` array, columns in :data:`FEATURE_NAMES` order.
        targets: ``(n, 7)`` array of gold scores, columns in :data:`DIMENSIONS` order.
        alpha: ridge penalty.
        margin: how far the free model may exceed the monotone one.

    Returns:
        ``{dimension: DimensionModel}``.
    """
    if features.shape[1] != len(FEATURE_NAMES) or targets.shape[1] != len(DIMENSIONS):
        raise ConfigError(
            f"fit: expected {len(FEATURE_NAMES)} feature and {len(DIMENSIONS)} target columns, "
            f"got {features.shape[1]} and {targets.shape[1]}"
        )
    alike = sorted(ALIKE_FEATURES)
    return {
        dim: DimensionModel(
            fit_ridge(features, targets[:, k], FEATURE_NAMES, alpha),
            fit_ridge(features, targets[:, k], FEATURE_NAMES, alpha, nonpositive=alike),
            margin,
        )
        for k, dim in enumerate(DIMENSIONS)
    }


def predict(models: dict[str, DimensionModel], features: np.ndarray) -> np.ndarray:
    """``(n, 7)`` scores in [1, 4] for a ``(n, len(FEATURE_NAMES))`` feature array."""
    return np.column_stack([models[d].predict(features) for d in DIMENSIONS])


def load_models(path: str | Path = DEFAULT_MODEL_PATH) -> dict[str, DimensionModel]:
    """Read fitted coefficients; ConfigError when the file is missing, malformed or stale."""
    data = load_json(Path(path), MODEL_KIND)
    try:
        models = {d: DimensionModel.from_dict(data["dimensions"][d]) for d in DIMENSIONS}
    except (KeyError, TypeError, ValueError) as exc:
        raise ConfigError(f"model_path: {path} is malformed or lacks a dimension ({exc})") from exc
    for dim, model in models.items():
        if model.free.features != FEATURE_NAMES or model.monotone.features != FEATURE_NAMES:
            raise ConfigError(
                f"model_path: {path} was fit on other features ({dim}); rebuild it with "
                "benchmarks/fit_similarity.py"
            )
    return models


@dataclass
class Similarity:
    """Scores pairs of articles on the seven SemEval-2022 Task 8 dimensions.

    The embedder and the coefficients load on first use.

    Args:
        embedder: the sentence embedder (default: the shared MiniLM ``default_embedder()``).
        model_path: fitted coefficients (default: the shipped ``similarity.json``).
        max_sentences: sentences per side used for alignment.
        max_chars: each text is cut to this many characters before analysis.

    Raises:
        ConfigError: a parameter is out of range.
    """

    embedder: Embedder | None = None
    model_path: str | Path | None = None
    max_sentences: int = MAX_SENTENCES
    max_chars: int = MAX_CHARS
    _models: dict[str, DimensionModel] | None = field(default=None, init=False, repr=False)

    def __post_init__(self) -> None:
        if not isinstance(self.max_sentences, int) or not 1 <= self.max_sentences <= 1000:
            raise ConfigError(f"max_sentences: expected an integer in [1, 1000], got {self.max_sentences!r}")
        if not isinstance(self.max_chars, int) or self.max_chars < 100:
            raise ConfigError(f"max_chars: expected an integer >= 100, got {self.max_chars!r}")
        if self.embedder is None:
            self.embedder = default_embedder()

    @property
    def models(self) -> dict[str, DimensionModel]:
        """The fitted per-dimension models (loaded on first use)."""
        if self._models is None:
            self._models = load_models(self.model_path or DEFAULT_MODEL_PATH)
        return self._models

    def features(self, a: Article | str | TextView, b: Article | str | TextView) -> dict[str, float]:
        """The feature mapping of a pair (names in :data:`FEATURE_NAMES`).

        Raises:
            InputError: a side is empty (reason ``empty``) or not text.
        """
        va, vb = self._view(a), self._view(b)
        assert self.embedder is not None  # set in __post_init__
        found = {**embedding_features(va, vb, self.embedder, self.max_sentences), **lexical_features(va, vb)}
        return {name: finite(found[name]) for name in FEATURE_NAMES}

    def _view(self, item: Article | str | TextView) -> TextView:
        return item if isinstance(item, TextView) else view(item, max_chars=self.max_chars)

    def compare(self, a: Article | str, b: Article | str) -> PairSimilarity:
        """Score ``a`` against ``b`` on the seven dimensions, each with a reason.

        Raises:
            InputError: a side is empty (reason ``empty``) or not text.
        """
        va, vb = self._view(a), self._view(b)
        feats = self.features(va, vb)
        row = np.array([[feats[n] for n in FEATURE_NAMES]])
        scores = dict(zip(DIMENSIONS, predict(self.models, row)[0].tolist(), strict=True))
        if _same_text(va, vb):  # the floor of the scale by definition; the model is not asked
            scores = dict.fromkeys(DIMENSIONS, 1.0)
        published = (
            a.published if isinstance(a, Article) else None,
            b.published if isinstance(b, Article) else None,
        )
        why = {
            "overall": reasons.overall(feats),
            "geography": reasons.geography(va, vb),
            "entities": reasons.entities(va, vb),
            "time": reasons.time(va, vb, published),
            "narrative": reasons.narrative(feats, va, vb),
            "style": reasons.style(feats),
            "tone": reasons.tone(feats),
        }
        return PairSimilarity(
            dimensions=tuple(DimensionScore(d, float(scores[d]), why[d]) for d in DIMENSIONS),
            features=MappingProxyType(feats),
            languages=(va.language, vb.language),
            notes=tuple(self._notes(va, vb)),
        )

    def _notes(self, va: TextView, vb: TextView) -> Iterator[str]:
        for side, v in (("A", va), ("B", vb)):
            if v.truncated:
                yield f"{side} was cut to its first {self.max_chars:,} characters"
            if v.language not in ("en", None):
                yield f"{side} is in '{v.language}': the embedding model is English-only, scores are less reliable"
        if va.language and vb.language and va.language != vb.language:
            yield f"the texts are in different languages ({va.language}, {vb.language}): word overlaps do not apply"
        if _same_text(va, vb):
            yield "the two texts are identical: every dimension is 1"


def _same_text(a: TextView, b: TextView) -> bool:
    return a.tokens == b.tokens


@functools.lru_cache(maxsize=1)
def default_comparer() -> Similarity:
    """The process-wide :class:`Similarity` used when none is passed (created on first call)."""
    return Similarity()


def similarity(a: Article | str, b: Article | str, *, comparer: Similarity | None = None) -> PairSimilarity:
    """Score two articles on the seven SemEval-2022 Task 8 dimensions (1 similar - 4 dissimilar).

    Args:
        a, b: articles, or texts whose first short line is read as the title.
        comparer: a configured :class:`Similarity`; default: :func:`default_comparer`.

    Returns:
        :class:`~newsprism.compare.base.PairSimilarity`.

    Raises:
        InputError: a side is empty (reason ``empty``) or not text.
    """
    return (comparer or default_comparer()).compare(a, b)


@dataclass(frozen=True, slots=True)
class CsvReport:
    """What :func:`similarity_csv` did: rows written, and the pairs it could not score (id, why)."""

    written: int
    failed: tuple[tuple[str, str], ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """Plain-JSON form."""
        return {"written": self.written, "failed": [{"pair_id": p, "reason": r} for p, r in self.failed]}


def _read_pairs(path: Path) -> Iterator[dict[str, str]]:
    old_limit = csv.field_size_limit()
    csv.field_size_limit(min(sys.maxsize, 2**31 - 1))  # news texts exceed the 128 KB default
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            missing = [c for c in CSV_COLUMNS if c not in (reader.fieldnames or ())]
            if missing:
                raise InputError("malformed_csv", f"{path}: missing column(s) {', '.join(missing)}; need {', '.join(CSV_COLUMNS)}")
            yield from reader
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise InputError("unreadable", f"{path}: {exc}") from exc
    finally:
        csv.field_size_limit(old_limit)


def similarity_csv(
    in_path: str | Path, out_path: str | Path, *, comparer: Similarity | None = None
) -> CsvReport:
    """Score every pair of a CSV file (columns ``pair_id,text1,text2``).

    Writes ``pair_id`` and the seven scores (columns in :data:`DIMENSIONS` order); a pair that
    cannot be scored (an empty text) gets empty score cells and is listed in the report.

    Raises:
        InputError: the input cannot be read or lacks a column.
    """
    comparer = comparer or default_comparer()
    written, failed = 0, []
    with Path(out_path).open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["pair_id", *DIMENSIONS])
        for row in _read_pairs(Path(in_path)):
            pair_id = row["pair_id"]
            try:
                scores: Sequence[Any] = [f"{s:.4f}" for s in comparer.compare(row["text1"] or "", row["text2"] or "").scores().values()]
            except InputError as exc:
                logger.warning("pair %s: %s", pair_id, exc)
                failed.append((pair_id, exc.message))
                scores = [""] * len(DIMENSIONS)
            writer.writerow([pair_id, *scores])
            written += 1
    return CsvReport(written, tuple(failed))
